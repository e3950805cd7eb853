// The comparison under a live /positions: per asset, the fills' quantity against the exchange's
// free + locked, with dust (less than one lot apart), zeros and assets held on one side only.
import { describe, expect, it } from "vitest";
import { Decimal } from "../../../src/lib/decimal.ts";
import {
  type ExchangeHolding,
  type FillHolding,
  compareHoldings,
} from "../../../src/domain/funds/holdings-check.ts";

const d = (v: string) => new Decimal(v);
const fill = (asset: string, quantity: string, step: string | null = "0.00001"): FillHolding => ({
  asset,
  quantity: d(quantity),
  step: step === null ? null : d(step),
});
const venue = (entries: Record<string, [string, string]>) =>
  new Map<string, ExchangeHolding>(
    Object.entries(entries).map(([asset, [free, locked]]) => [
      asset,
      { free: d(free), locked: d(locked) },
    ]),
  );
const plain = (lines: ReturnType<typeof compareHoldings>) =>
  lines.map((l) => ({
    asset: l.asset,
    fills: l.fills.toFixed(),
    exchange: l.exchange.toFixed(),
    difference: l.difference.toFixed(),
    status: l.status,
  }));

describe("compareHoldings", () => {
  it("agrees when free + locked equals the fills exactly, whatever the scale", () => {
    const lines = compareHoldings(
      [fill("BTC", "0.0100000000")],
      venue({ BTC: ["0.004", "0.006"], USDT: ["100", "0"] }),
      "USDT",
    );
    expect(plain(lines)).toEqual([
      { asset: "BTC", fills: "0.01", exchange: "0.01", difference: "0", status: "agrees" },
    ]);
    expect(lines[0]!.free.toFixed()).toBe("0.004");
    expect(lines[0]!.locked.toFixed()).toBe("0.006");
  });

  it("flags a deposit or a sale on the exchange's site as a difference, with its sign", () => {
    const more = compareHoldings([fill("BTC", "0.01")], venue({ BTC: ["0.135", "0"] }), "USDT");
    expect(plain(more)[0]).toMatchObject({ difference: "0.125", status: "differs" });
    const less = compareHoldings([fill("BTC", "0.01")], venue({ BTC: ["0.004", "0"] }), "USDT");
    expect(plain(less)[0]).toMatchObject({ difference: "-0.006", status: "differs" });
  });

  it("calls a difference below one lot dust, and one lot or more a difference", () => {
    const dust = compareHoldings(
      [fill("BTC", "0.01", "0.00001")],
      venue({ BTC: ["0.010000009", "0"] }),
      "USDT",
    );
    expect(plain(dust)[0]).toMatchObject({ difference: "0.000000009", status: "dust" });
    const lot = compareHoldings(
      [fill("BTC", "0.01", "0.00001")],
      venue({ BTC: ["0.00999", "0"] }),
      "USDT",
    );
    expect(plain(lot)[0]).toMatchObject({ difference: "-0.00001", status: "differs" });
    // no lot size known: any difference counts
    const unknown = compareHoldings(
      [fill("BTC", "0.01", null)],
      venue({ BTC: ["0.010000000000000001", "0"] }),
      "USDT",
    );
    expect(plain(unknown)[0]).toMatchObject({
      difference: "0.000000000000000001",
      status: "differs",
    });
  });

  it("lists an asset held on one side only, and leaves out one neither side holds", () => {
    const lines = compareHoldings(
      [fill("ETH", "0.5"), fill("SOL", "0"), fill("XRP", "0")],
      venue({ BNB: ["0.02", "0"], SOL: ["0", "0"], USDT: ["2500", "10"] }),
      "USDT",
    );
    expect(plain(lines)).toEqual([
      { asset: "BNB", fills: "0", exchange: "0.02", difference: "0.02", status: "differs" },
      { asset: "ETH", fills: "0.5", exchange: "0", difference: "-0.5", status: "differs" },
    ]);
  });

  it("sums the positions of one asset across instruments and portfolios, with the finer lot", () => {
    const lines = compareHoldings(
      [fill("BTC", "0.01", "0.001"), fill("BTC", "0.02", "0.00001"), fill("BTC", "-0.005")],
      venue({ BTC: ["0.025", "0.000005"] }),
      "USDT",
    );
    // 0.025 held by fills; the exchange's extra 0.000005 is under the finer lot (0.00001)
    expect(plain(lines)).toEqual([
      {
        asset: "BTC",
        fills: "0.025",
        exchange: "0.025005",
        difference: "0.000005",
        status: "dust",
      },
    ]);
  });

  it("leaves the cash currency to /balance unless the fills hold it as a base asset", () => {
    expect(compareHoldings([], venue({ USDT: ["10", "0"] }), "USDT")).toEqual([]);
    const held = compareHoldings([fill("USDT", "10")], venue({ USDT: ["10", "0"] }), "TRY");
    expect(plain(held)).toEqual([
      { asset: "USDT", fills: "10", exchange: "10", difference: "0", status: "agrees" },
    ]);
  });

  it("is empty when nothing is held on either side", () => {
    expect(compareHoldings([], new Map(), "USDT")).toEqual([]);
  });
});
