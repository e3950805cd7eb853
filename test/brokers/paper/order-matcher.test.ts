// The paper venue's matching rules, one step at a time (pure: no database, no market source).
import { describe, expect, it } from "vitest";
import {
  type MatchInput,
  type MatchableOrder,
  feeFor,
  matchStep,
  trackBest,
  trailingLevel,
} from "../../../src/brokers/paper/order-matcher.ts";
import { Decimal } from "../../../src/lib/decimal.ts";

const d = (v: string) => new Decimal(v);
const NOW = new Date("2026-03-10T12:00:30Z");

function order(patch: Partial<MatchableOrder> = {}): MatchableOrder {
  return {
    side: "BUY",
    type: "MARKET",
    timeInForce: "GTC",
    status: "NEW",
    quantity: d("1"),
    filledQuantity: d("0"),
    price: null,
    stopPrice: null,
    trailAmount: null,
    trailPercent: null,
    bestPrice: null,
    triggered: false,
    expiresAt: null,
    ...patch,
  };
}

function step(o: MatchableOrder, patch: Partial<MatchInput> = {}) {
  return matchStep({
    order: o,
    market: { bid: d("99.9"), ask: d("100.1"), last: d("100") },
    now: NOW,
    phase: "resting",
    liquidity: d("1000"),
    tickSize: d("0.1"),
    lotSize: d("0.01"),
    slippageRate: d("0.0002"),
    ...patch,
  });
}

const market = (bid: string, ask: string, last: string) => ({
  bid: d(bid),
  ask: d(ask),
  last: d(last),
});

describe("market orders", () => {
  it("buy at the ask plus slippage, rounded up to the tick", () => {
    // 100.1 × 1.0002 = 100.12002 → 100.2
    const r = step(order(), { phase: "placement" });
    expect(r.fill).toMatchObject({ liquidity: "TAKER" });
    expect(r.fill?.price.toFixed()).toBe("100.2");
    expect(r.fill?.quantity.toFixed()).toBe("1");
    expect(r.status).toBe("FILLED");
  });

  it("sell at the bid minus slippage, rounded down to the tick", () => {
    // 99.9 × 0.9998 = 99.88002 → 99.8
    const r = step(order({ side: "SELL" }), { phase: "placement" });
    expect(r.fill?.price.toFixed()).toBe("99.8");
  });

  it("without slippage a price already on the grid is kept", () => {
    const r = step(order(), { phase: "placement", slippageRate: d("0") });
    expect(r.fill?.price.toFixed()).toBe("100.1");
  });

  it("fills only the liquidity available, floored to the lot, and stays open", () => {
    const r = step(order({ quantity: d("5") }), { liquidity: d("1.237") });
    expect(r.fill?.quantity.toFixed()).toBe("1.23");
    expect(r.status).toBe("PARTIALLY_FILLED");
    const later = step(
      order({ quantity: d("5"), filledQuantity: d("4.5"), status: "PARTIALLY_FILLED" }),
    );
    expect(later.fill?.quantity.toFixed()).toBe("0.5");
    expect(later.status).toBe("FILLED");
  });

  it("an unfilled order fills its quantity as quantity − 0 gives it, beyond the precision too", () => {
    // 62 significant digits: quantity − 0 rounds it to 60, so the fill is the rounded one and
    // the tail it cannot represent stays open (as it always did)
    const long = d("1.00000000000000000000000000000000000000000000000000000000000123");
    const lot = d("1e-70");
    const cases: Array<[Decimal, string]> = [
      [d("0.37"), "FILLED"],
      [long, "PARTIALLY_FILLED"],
    ];
    for (const [quantity, status] of cases) {
      const r = step(order({ quantity }), {
        phase: "placement",
        liquidity: quantity,
        lotSize: lot,
      });
      const want = quantity.minus(d("0"));
      expect([r.fill?.quantity.toString(), r.status]).toEqual([want.toString(), status]);
    }
    expect(long.minus(d("0")).toString()).not.toBe(long.toString());
    // partly filled: the rest is what is left
    const r = step(order({ quantity: d("2"), filledQuantity: d("0.5") }), { phase: "placement" });
    expect([r.fill?.quantity.toFixed(), r.status]).toEqual(["1.5", "FILLED"]);
  });

  it("no liquidity left this minute: nothing happens", () => {
    const r = step(order(), { liquidity: d("0") });
    expect(r.fill).toBeNull();
    expect(r.status).toBe("NEW");
  });
});

describe("limit orders", () => {
  it("a resting buy limit waits while the ask is above it", () => {
    const r = step(order({ type: "LIMIT", price: d("99") }));
    expect(r.fill).toBeNull();
    expect(r.status).toBe("NEW");
  });

  it("a resting buy limit fills at its limit, as a maker, once the ask reaches it", () => {
    const r = step(order({ type: "LIMIT", price: d("99") }), {
      market: market("97.9", "98.1", "98"),
    });
    expect(r.fill?.price.toFixed()).toBe("99");
    expect(r.fill?.liquidity).toBe("MAKER");
    expect(r.status).toBe("FILLED");
  });

  it("a marketable buy limit at placement fills at the quote, never above the limit", () => {
    const atQuote = step(order({ type: "LIMIT", price: d("101") }), { phase: "placement" });
    expect(atQuote.fill?.price.toFixed()).toBe("100.2");
    expect(atQuote.fill?.liquidity).toBe("TAKER");
    const capped = step(order({ type: "LIMIT", price: d("100.1") }), { phase: "placement" });
    expect(capped.fill?.price.toFixed()).toBe("100.1");
  });

  it("a sell limit fills when the bid reaches it; marketable at placement never below the limit", () => {
    const resting = step(order({ side: "SELL", type: "LIMIT", price: d("101") }), {
      market: market("101.5", "101.7", "101.6"),
    });
    expect(resting.fill?.price.toFixed()).toBe("101");
    const capped = step(order({ side: "SELL", type: "LIMIT", price: d("99.9") }), {
      phase: "placement",
    });
    expect(capped.fill?.price.toFixed()).toBe("99.9");
  });
});

describe("stop orders", () => {
  it("a buy stop waits below its stop and fills at the quote once last reaches it", () => {
    const o = order({ type: "STOP", stopPrice: d("105") });
    expect(step(o).fill).toBeNull();
    expect(step(o).triggered).toBe(false);
    const r = step(o, { market: market("104.9", "105.1", "105") });
    expect(r.triggered).toBe(true);
    expect(r.fill?.price.toFixed()).toBe("105.2");
    expect(r.fill?.liquidity).toBe("TAKER");
  });

  it("a sell stop triggers when last falls to it", () => {
    const o = order({ side: "SELL", type: "STOP", stopPrice: d("95") });
    expect(step(o, { market: market("95.1", "95.3", "95.2") }).triggered).toBe(false);
    const r = step(o, { market: market("94.8", "95", "94.9") });
    expect(r.triggered).toBe(true);
    expect(r.fill?.price.toFixed()).toBe("94.7");
  });

  it("a stop-limit triggered beyond its limit rests, then fills at the limit when the market returns", () => {
    const o = order({ type: "STOP_LIMIT", stopPrice: d("105"), price: d("105.5") });
    const jumped = step(o, { market: market("106.9", "107.1", "107") });
    expect(jumped.triggered).toBe(true);
    expect(jumped.fill).toBeNull();
    expect(jumped.status).toBe("NEW");
    const back = step({ ...o, triggered: true }, { market: market("104.9", "105.1", "105") });
    expect(back.fill?.price.toFixed()).toBe("105.5");
    expect(back.fill?.liquidity).toBe("MAKER");
  });

  it("a stop-limit that is marketable on its trigger step fills at the quote as a taker", () => {
    const o = order({ type: "STOP_LIMIT", stopPrice: d("105"), price: d("106") });
    const r = step(o, { market: market("104.9", "105.1", "105") });
    expect(r.fill?.price.toFixed()).toBe("105.2");
    expect(r.fill?.liquidity).toBe("TAKER");
  });
});

describe("trailing stops", () => {
  it("track the best price and put the trigger a trail away from it", () => {
    expect(trackBest("SELL", d("100"), d("103")).toFixed()).toBe("103");
    expect(trackBest("SELL", d("103"), d("101")).toFixed()).toBe("103");
    expect(trackBest("BUY", d("100"), d("97")).toFixed()).toBe("97");
    expect(trackBest("BUY", null, d("97")).toFixed()).toBe("97");
    const tick = d("0.1");
    expect(trailingLevel({ side: "SELL", trailAmount: d("2") }, d("103"), tick).toFixed()).toBe(
      "101",
    );
    // 1.5 % of 103 = 1.545 → 101.455, down to the tick
    expect(trailingLevel({ side: "SELL", trailPercent: d("1.5") }, d("103"), tick).toFixed()).toBe(
      "101.4",
    );
    // 1.5 % of 97 = 1.455 → 98.455, up to the tick
    expect(trailingLevel({ side: "BUY", trailPercent: d("1.5") }, d("97"), tick).toFixed()).toBe(
      "98.5",
    );
  });

  it("a sell trailing stop rises with the price and triggers on the retrace", () => {
    let o = order({
      side: "SELL",
      type: "TRAILING",
      trailAmount: d("2"),
      bestPrice: d("100"),
      stopPrice: d("98"),
    });
    const up = step(o, { market: market("103.9", "104.1", "104") });
    expect(up.fill).toBeNull();
    expect(up.bestPrice?.toFixed()).toBe("104");
    expect(up.stopPrice?.toFixed()).toBe("102");
    o = { ...o, bestPrice: up.bestPrice, stopPrice: up.stopPrice };
    const dip = step(o, { market: market("102.9", "103.1", "103") });
    expect(dip.fill).toBeNull();
    expect(dip.bestPrice?.toFixed()).toBe("104");
    const retrace = step(o, { market: market("101.9", "102.1", "102") });
    expect(retrace.triggered).toBe(true);
    expect(retrace.fill?.price.toFixed()).toBe("101.8");
    expect(retrace.status).toBe("FILLED");
  });

  it("a buy trailing stop follows the price down and triggers on the bounce", () => {
    const o = order({
      type: "TRAILING",
      trailPercent: d("1"),
      bestPrice: d("100"),
      stopPrice: d("101"),
    });
    const down = step(o, { market: market("89.9", "90.1", "90") });
    expect(down.bestPrice?.toFixed()).toBe("90");
    expect(down.stopPrice?.toFixed()).toBe("90.9");
    const bounce = step(
      { ...o, bestPrice: down.bestPrice, stopPrice: down.stopPrice },
      { market: market("90.8", "91", "90.9") },
    );
    expect(bounce.triggered).toBe(true);
    expect(bounce.fill?.price.toFixed()).toBe("91.1");
  });
});

describe("time in force", () => {
  it("IOC fills what it can and expires the rest", () => {
    const r = step(order({ quantity: d("3"), timeInForce: "IOC" }), {
      phase: "placement",
      liquidity: d("1"),
    });
    expect(r.fill?.quantity.toFixed()).toBe("1");
    expect(r.status).toBe("EXPIRED");
    expect(r.reason).toBe("expired-ioc");
  });

  it("IOC limit that does not cross expires unfilled", () => {
    const r = step(order({ type: "LIMIT", price: d("90"), timeInForce: "IOC" }), {
      phase: "placement",
    });
    expect(r.fill).toBeNull();
    expect(r.status).toBe("EXPIRED");
  });

  it("FOK fills completely or not at all", () => {
    const short = step(order({ quantity: d("3"), timeInForce: "FOK" }), {
      phase: "placement",
      liquidity: d("2"),
    });
    expect(short.fill).toBeNull();
    expect(short.status).toBe("EXPIRED");
    expect(short.reason).toBe("expired-fok");
    const enough = step(order({ quantity: d("3"), timeInForce: "FOK" }), {
      phase: "placement",
      liquidity: d("3"),
    });
    expect(enough.fill?.quantity.toFixed()).toBe("3");
    expect(enough.status).toBe("FILLED");
  });

  it("an IOC stop is judged on its trigger step, not before", () => {
    const o = order({ type: "STOP", stopPrice: d("105"), timeInForce: "IOC", quantity: d("2") });
    expect(step(o).status).toBe("NEW");
    const hit = step(o, { market: market("104.9", "105.1", "105"), liquidity: d("1") });
    expect(hit.fill?.quantity.toFixed()).toBe("1");
    expect(hit.status).toBe("EXPIRED");
  });

  it("DAY orders expire at expiresAt, before any matching", () => {
    const expiresAt = new Date(NOW.getTime() + 1000);
    const o = order({ type: "LIMIT", price: d("101"), timeInForce: "DAY", expiresAt });
    expect(step(o).status).toBe("FILLED");
    const late = step(o, { now: expiresAt });
    expect(late.fill).toBeNull();
    expect(late.status).toBe("EXPIRED");
    expect(late.reason).toBe("expired-day");
  });

  it("closed orders never change", () => {
    for (const status of ["FILLED", "CANCELED", "EXPIRED", "REJECTED"] as const) {
      const r = step(order({ status }));
      expect(r.fill).toBeNull();
      expect(r.status).toBe(status);
    }
  });
});

describe("fees", () => {
  it("are notional × rate rounded up to the venue's precision", () => {
    // 0.00123 × 50000.01 × 0.001 = 0.0615000123 → 0.06150002
    expect(feeFor(d("0.00123"), d("50000.01"), d("0.001"), 8).toFixed()).toBe("0.06150002");
    expect(feeFor(d("2"), d("100"), d("0.001"), 8).toFixed()).toBe("0.2");
  });
});
