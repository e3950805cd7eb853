// Indicator values on small series checked by hand (the arithmetic is written out next to each
// expectation), and the RSI on real offline candles against Wilder's formula written here.
import { describe, expect, it } from "vitest";
import { toFloatSeries, type FloatSeries } from "../../../src/domain/indicators/float-series.ts";
import {
  atrOf,
  bandsOf,
  computeIndicator,
  distanceFromExtremePct,
  macdOf,
  priceChangePctOf,
  rsiOf,
  volumeSpikeOf,
} from "../../../src/domain/indicators/indicator-compute.ts";
import { ManualClock } from "../../../src/lib/clock.ts";
import { OfflineMarketData } from "../../../src/market/offline/offline-market-data.ts";
import { wilderRsi } from "./wilder-rsi.ts";

const f = (...values: number[]) => Float64Array.from(values);

function series(
  rows: Array<[high: number, low: number, close: number, volume?: number]>,
): FloatSeries {
  const n = rows.length;
  return {
    length: n,
    openTime: Float64Array.from(rows.map((_, i) => i * 60_000)),
    open: Float64Array.from(rows.map((r) => r[2])),
    high: Float64Array.from(rows.map((r) => r[0])),
    low: Float64Array.from(rows.map((r) => r[1])),
    close: Float64Array.from(rows.map((r) => r[2])),
    volume: Float64Array.from(rows.map((r) => r[3] ?? 1)),
  };
}

describe("indicators on hand-checked series", () => {
  it("SMA: the mean of the last N closes", () => {
    const s = series([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((c) => [c, c, c]));
    // (6 + 7 + 8 + 9 + 10) / 5 = 8
    expect(computeIndicator({ kind: "SMA", period: 5 }, { series: s })).toBe(8);
    expect(computeIndicator({ kind: "SMA", period: 11 }, { series: s })).toBeNull();
  });

  it("EMA: k = 2/(N+1), seeded with the first close", () => {
    const s = series([1, 2, 3, 4, 5].map((c) => [c, c, c]));
    // k = 0.5: 1 → 1.5 → 2.25 → 3.125 → 4.0625
    expect(computeIndicator({ kind: "EMA", period: 3 }, { series: s })).toBeCloseTo(4.0625, 10);
  });

  it("RSI: Wilder's smoothing over a 2-period window", () => {
    // changes +1, +1, −1: first averages over two changes: gain 1, loss 0; then
    // gain = (1·1 + 0)/2 = 0.5, loss = (0·1 + 1)/2 = 0.5 → RS = 1 → RSI 50
    expect(rsiOf(f(1, 2, 3, 2), 2)).toBeCloseTo(50, 10);
    // only gains: RSI 100
    expect(rsiOf(f(1, 2, 3, 4), 2)).toBe(100);
    expect(rsiOf(f(1, 2), 2)).toBeNull();
  });

  it("MACD: EMA(fast) − EMA(slow), its EMA as the signal", () => {
    // EMA(2), k = 2/3, over 1, 2, 3, 4: 1, 5/3, 23/9, 95/27
    // EMA(3), k = 1/2, over 1, 2, 3, 4: 1, 3/2, 9/4, 25/8
    // MACD from the 3rd close (the slow period): 23/9 − 9/4 = 11/36, then 95/27 − 25/8 = 85/216;
    // the signal EMA(2) starts at the first MACD value and moves to 1/3 · 11/36 + 2/3 · 85/216
    const v = macdOf({ kind: "MACD", fast: 2, slow: 3, signal: 2 }, f(1, 2, 3, 4));
    const m2 = 23 / 9 - 9 / 4;
    const m3 = 95 / 27 - 25 / 8;
    const signal = m2 / 3 + (2 / 3) * m3;
    expect(m2).toBeCloseTo(11 / 36, 12);
    expect(m3).toBeCloseTo(85 / 216, 12);
    expect(v?.macd).toBeCloseTo(85 / 216, 10);
    expect(v?.signal).toBeCloseTo(signal, 10);
    expect(v?.histogram).toBeCloseTo(85 / 216 - signal, 10);
  });

  it("Bollinger Bands: mean ± k population standard deviations, and %B", () => {
    const v = bandsOf({ kind: "BBANDS", period: 3, stdDev: 2 }, f(5, 1, 2, 3));
    // last three closes 1, 2, 3: mean 2, σ = √(2/3) = 0.816497 → 2 ± 1.632993
    expect(v?.middle).toBeCloseTo(2, 10);
    expect(v?.upper).toBeCloseTo(3.632993, 6);
    expect(v?.lower).toBeCloseTo(0.367007, 6);
    // price 3: (3 − 0.367007) / 3.265986 = 0.806186
    expect(v?.pctB).toBeCloseTo(0.806186, 6);
  });

  it("ATR: Wilder-smoothed true range", () => {
    const s = series([
      [10, 8, 9], // TR 2 (no previous close)
      [12, 9, 11], // TR max(3, |12−9|, |9−9|) = 3
      [11, 10, 10], // TR max(1, |11−11|, |10−11|) = 1
      [14, 10, 13], // TR max(4, |14−10|, |10−10|) = 4
    ]);
    // first ATR(3) = (2 + 3 + 1)/3 = 2; then (2·2 + 4)/3 = 2.666667
    expect(
      atrOf(
        series([
          [10, 8, 9],
          [12, 9, 11],
          [11, 10, 10],
        ]),
        3,
      ),
    ).toBeCloseTo(2, 10);
    expect(atrOf(s, 3)).toBeCloseTo(8 / 3, 10);
  });

  it("volume spike: last volume ÷ the average of the N before it", () => {
    // (10 + 20 + 30 + 20)/4 = 20; 50 / 20 = 2.5
    expect(volumeSpikeOf(f(10, 20, 30, 20, 50), 4)).toBe(2.5);
    expect(volumeSpikeOf(f(10, 20, 30, 20), 4)).toBeNull();
    expect(volumeSpikeOf(f(0, 0, 0, 0, 5), 4)).toBeNull();
  });

  it("price change over N candles, volume sum", () => {
    // 121 / 100 − 1 = 21 %
    expect(priceChangePctOf(f(100, 110, 121), 2)).toBeCloseTo(21, 10);
    expect(priceChangePctOf(f(100, 110, 121), 3)).toBeNull();
    const s = series([
      [1, 1, 1, 5],
      [1, 1, 1, 7],
      [1, 1, 1, 11],
    ]);
    expect(computeIndicator({ kind: "VOLUME", period: 2 }, { series: s })).toBe(18);
    expect(computeIndicator({ kind: "VOLUME", period: 1 }, { series: s })).toBe(11);
  });

  it("distance from the N-day high and low", () => {
    const daily = series([
      [20, 5, 10],
      [12, 8, 11],
      [11, 9, 10],
    ]);
    // last 2 days: high 12, low 8; price 9 → (12 − 9)/12 = 25 %, (9 − 8)/8 = 12.5 %
    expect(distanceFromExtremePct(daily, 2, 9, "high")).toBeCloseTo(25, 10);
    expect(distanceFromExtremePct(daily, 2, 9, "low")).toBeCloseTo(12.5, 10);
    // all 3 days: high 20 → 55 %
    expect(distanceFromExtremePct(daily, 3, 9, "high")).toBeCloseTo(55, 10);
    // a price above every high is 0 % from the high
    expect(distanceFromExtremePct(daily, 2, 13, "high")).toBe(0);
    const s = series([[1, 1, 9]]);
    expect(
      computeIndicator({ kind: "DIST_FROM_HIGH_PCT", days: 2 }, { series: s, daily }),
    ).toBeCloseTo(25, 10);
  });
});

describe("RSI on offline candles", () => {
  it("equals Wilder's RSI computed independently over the same candles", async () => {
    const market = new OfflineMarketData({
      seed: "rsi-check",
      clock: new ManualClock("2026-03-10T12:34:56Z"),
    });
    for (const symbol of ["BTCUSDT", "AAPL", "PEPEUSDT"]) {
      const candles = await market.candles(symbol, "1h", { limit: 500 });
      const closes = candles.map((c) => c.close.toNumber());
      const ours = computeIndicator(
        { kind: "RSI", period: 14 },
        { series: toFloatSeries(candles) },
      );
      expect(ours).not.toBeNull();
      expect(ours!.toFixed(2)).toBe(wilderRsi(closes, 14).toFixed(2));
    }
  });
});
