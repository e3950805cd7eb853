// The pure part of the equity curve: sampling on the candle grid, and value = cash + positions at
// each sample, with a currency that appears later and a price that is missing for a while.
import { describe, expect, it } from "vitest";
import {
  reconstructEquity,
  resolutionFor,
  sampleTimes,
} from "../../../src/domain/reports/equity-curve.ts";
import { Decimal } from "../../../src/lib/decimal.ts";

const t = (iso: string) => new Date(iso);
const d = (v: string) => new Decimal(v);

describe("sampleTimes", () => {
  it("takes the start, every grid boundary strictly inside, and the end", () => {
    const times = sampleTimes(t("2026-01-05T09:20:00Z"), t("2026-01-05T12:10:00Z"), "1h");
    expect(times.map((x) => x.toISOString())).toEqual([
      "2026-01-05T09:20:00.000Z",
      "2026-01-05T10:00:00.000Z",
      "2026-01-05T11:00:00.000Z",
      "2026-01-05T12:00:00.000Z",
      "2026-01-05T12:10:00.000Z",
    ]);
    expect(sampleTimes(t("2026-01-05T10:00:00Z"), t("2026-01-05T10:00:00Z"), "1h")).toHaveLength(1);
  });

  it("chooses quarter-hours, hours or days by span", () => {
    expect(resolutionFor(t("2026-01-05T00:00:00Z"), t("2026-01-05T11:00:00Z"))).toBe("15m");
    expect(resolutionFor(t("2026-01-01T00:00:00Z"), t("2026-01-05T11:00:00Z"))).toBe("1h");
    expect(resolutionFor(t("2026-01-01T00:00:00Z"), t("2026-02-05T11:00:00Z"))).toBe("1d");
  });
});

describe("reconstructEquity", () => {
  it("adds cash and positions marked at each sample, per currency", () => {
    const times = [
      t("2026-01-05T00:00:00Z"),
      t("2026-01-05T01:00:00Z"),
      t("2026-01-05T02:00:00Z"),
      t("2026-01-05T03:00:00Z"),
    ];
    // price of instrument 1 (USDT) per sample; instrument 2 (USD) unknown at sample 3
    const prices: Record<number, Array<string | null>> = {
      1: ["100", "110", "120", "90"],
      2: ["50", "50", "55", null],
    };
    const series = reconstructEquity({
      times,
      trades: [
        {
          instrumentId: 1,
          currency: "USDT",
          side: "BUY",
          quantity: d("2"),
          execTime: t("2026-01-05T00:30:00Z"),
        },
        {
          instrumentId: 2,
          currency: "USD",
          side: "BUY",
          quantity: d("10"),
          execTime: t("2026-01-05T01:30:00Z"),
        },
        {
          instrumentId: 1,
          currency: "USDT",
          side: "SELL",
          quantity: d("3"),
          execTime: t("2026-01-05T02:30:00Z"),
        },
      ],
      cash: [
        { currency: "USDT", amount: d("1000"), at: t("2026-01-04T00:00:00Z") },
        { currency: "USDT", amount: d("-200"), at: t("2026-01-05T00:30:00Z") },
        { currency: "USD", amount: d("600"), at: t("2026-01-05T01:00:00Z") },
        { currency: "USD", amount: d("-500"), at: t("2026-01-05T01:30:00Z") },
        { currency: "USDT", amount: d("330"), at: t("2026-01-05T02:30:00Z") },
      ],
      priceAt: (id, i) => {
        const p = prices[id]?.[i];
        return p ? d(p) : null;
      },
    });
    const values = Object.fromEntries(
      series.map((s) => [s.currency, s.points.map((p) => p.value.toFixed())]),
    );
    expect(values).toEqual({
      // USD appears at 01:00; 02:00 is 100 cash + 10 × 55; 03:00 has no price and keeps 55
      USD: ["0", "600", "650", "650"],
      // 1000; 800 + 2×110; 800 + 2×120; 1130 − 1×90 (short after selling 3)
      USDT: ["1000", "1020", "1040", "1040"],
    });
    expect(series.every((s) => s.points.length === times.length)).toBe(true);
  });
});
