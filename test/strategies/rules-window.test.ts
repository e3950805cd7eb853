// The rules kind reads its indicators through windowIndicator (the last `period` closes for an
// SMA or a band, a plain loop for RSI) and, in a backtest, from the run's float columns instead
// of converting its window on every candle. Both must change nothing: every value equal, float for
// float, to computeIndicator over the window converted afresh (the old computation), and whole
// backtests byte-identical to a run of the old computation, on long random series.
import { describe, expect, it } from "vitest";
import { toFloatSeries } from "../../src/domain/indicators/float-series.ts";
import { computeIndicator } from "../../src/domain/indicators/indicator-compute.ts";
import { type IndicatorSpec, formatIndicator } from "../../src/domain/indicators/indicator-spec.ts";
import { Decimal } from "../../src/lib/decimal.ts";
import type { Candle } from "../../src/market/types.ts";
import { toReport } from "../../src/strategies/backtest/index.ts";
import { rules, rulesDefinition } from "../../src/strategies/kinds/rules.ts";
import { windowIndicator } from "../../src/strategies/kinds/window-indicators.ts";
import type { StrategyDefinition } from "../../src/strategies/types.ts";
import { backtestWith, generateCandles } from "../../scripts/bench/b8-backtest.ts";

const SPECS: IndicatorSpec[] = [
  { kind: "PRICE" },
  { kind: "RSI", period: 2 },
  { kind: "RSI", period: 14 },
  { kind: "RSI", period: 100 },
  { kind: "SMA", period: 2 },
  { kind: "SMA", period: 20 },
  { kind: "SMA", period: 200 },
  { kind: "EMA", period: 9 },
  { kind: "EMA", period: 200 },
  { kind: "MACD", fast: 12, slow: 26, signal: 9 },
  { kind: "MACD", fast: 12, slow: 26, signal: 9, output: "histogram" },
  { kind: "BBANDS", period: 20, stdDev: 2 },
  { kind: "BBANDS", period: 20, stdDev: 2, output: "upper" },
  { kind: "BBANDS", period: 5, stdDev: 1.5, output: "lower" },
  { kind: "BBANDS", period: 50, stdDev: 2, output: "pctB" },
  { kind: "ATR", period: 14 },
  { kind: "VOLUME_SPIKE", period: 20 },
  { kind: "PRICE_CHANGE_PCT", period: 10 },
  { kind: "VOLUME", period: 5 },
];

/** Candles with flat stretches too (equal closes: RSI's "no gain" branch). */
function candlesWithFlats(count: number): Candle[] {
  const candles = generateCandles(count, 13);
  for (let i = 1; i < count; i += 7) {
    const c = candles[i]!;
    candles[i] = { ...c, close: c.open, high: Decimal.max(c.high, c.open), low: c.low };
    if (candles[i + 1]) candles[i + 1] = { ...candles[i + 1]!, open: c.open };
  }
  return candles;
}

describe("windowIndicator", () => {
  it("equals computeIndicator over every window of a long random series, float for float", () => {
    const candles = candlesWithFlats(1500);
    const run = toFloatSeries(candles);
    const mismatches: string[] = [];
    let valued = 0;
    for (const width of [1, 3, 15, 60, 401]) {
      for (let end = 1; end <= candles.length; end += width > 100 ? 2 : 3) {
        const start = Math.max(0, end - width);
        const old = toFloatSeries(candles.slice(start, end));
        const view = {
          length: end - start,
          openTime: run.openTime.subarray(start, end),
          open: run.open.subarray(start, end),
          high: run.high.subarray(start, end),
          low: run.low.subarray(start, end),
          close: run.close.subarray(start, end),
          volume: run.volume.subarray(start, end),
        };
        for (const spec of SPECS) {
          const want = computeIndicator(spec, { series: old });
          const got = windowIndicator(spec, view);
          if (want !== null) valued++;
          if (!Object.is(want, got))
            mismatches.push(`${formatIndicator(spec)} [${start}, ${end}): ${want} ≠ ${got}`);
        }
      }
    }
    expect(mismatches.slice(0, 5)).toEqual([]);
    expect(valued).toBeGreaterThan(10_000);
  });

  it("gives nothing for an empty window", () => {
    const empty = toFloatSeries([]);
    for (const spec of SPECS) expect(windowIndicator(spec, empty)).toBeNull();
  });
});

/** The old computation: the window converted on every candle, computeIndicator over it. */
const legacy = rulesDefinition((spec, series) => computeIndicator(spec, { series }));
const legacyRules: typeof legacy = {
  ...legacy,
  // hide the run's float columns, so the window is converted afresh as it used to be
  onCandle: (input) =>
    legacy.onCandle(
      new Proxy(input, {
        get: (target, key) => (key === "floatSeries" ? undefined : Reflect.get(target, key)),
      }),
    ),
};

function reportOf(
  definition: StrategyDefinition<unknown, unknown>,
  source: string,
  candles: Candle[],
) {
  const params = definition.params.parse({ kind: "rules", source, timeframe: "1m" });
  return JSON.stringify(toReport(backtestWith(definition, params, candles), true));
}

describe("the rules kind's runs", () => {
  const candles = candlesWithFlats(6000);
  const asAny = (d: unknown) => d as StrategyDefinition<unknown, unknown>;
  it.each([
    "buy 10% when RSI(14) < 30 and close > SMA(200); sell all when RSI(14) > 70; stop 3%; take 8%",
    "buy 50% when close < BBANDS(20,2).lower or RSI(2) < 10; sell all when close > bb.upper",
    "buy 100 USDT when EMA(9) > EMA(50) and macd > 0; sell all when EMA(9) < EMA(50); stop 1%",
    "buy 0.01 when ATR(14) > 5 and SMA(5) > SMA(20); sell all when SMA(5) < SMA(20)",
  ])("are byte-identical to the old computation's: %s", (source) => {
    const before = reportOf(asAny(legacyRules), source, candles);
    const after = reportOf(asAny(rules), source, candles);
    expect((JSON.parse(after) as { fills: unknown[] }).fills.length).toBeGreaterThan(4);
    expect(after).toBe(before);
  });
});
