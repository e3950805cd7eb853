// Whole backtest results pinned: the report (fills, trades, metrics, chart series) of a few
// configurations of each kind over generated one-minute candles, as a SHA-256 of its JSON plus a
// few figures to read when it breaks. The engine is tuned for speed (B8); tuning must not change
// a single byte of any result. A deliberate change of results updates the goldens here, with the
// reason in the commit.
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { Decimal } from "../../../src/lib/decimal.ts";
import { toReport } from "../../../src/strategies/backtest/index.ts";
import { strategyDefinition } from "../../../src/strategies/registry.ts";
import type { StrategyDefinition } from "../../../src/strategies/types.ts";
import type { Candle } from "../../../src/market/types.ts";
import { packCandles, unpackCandles } from "../../../src/strategies/backtest/worker-protocol.ts";
import { BENCH_COSTS, backtestWith, generateCandles } from "../../../scripts/bench/b8-backtest.ts";

const candles = generateCandles(20_000, 21);

const CASES: Array<[string, Record<string, unknown>]> = [
  ["ma-cross SMA 20/50", { kind: "ma-cross", type: "SMA", fast: 20, slow: 50 }],
  [
    "ma-cross EMA 12/26, stop and take",
    { kind: "ma-cross", type: "EMA", fast: 12, slow: 26, stopLossPct: "0.5", takeProfitPct: "1" },
  ],
  ["ma-cross SMA 5/30 by quote", { kind: "ma-cross", fast: 5, slow: 30, quote: "2500" }],
  ["ma-cross SMA 3/7, all in", { kind: "ma-cross", fast: 3, slow: 7, equityPct: "100" }],
  ["grid", { kind: "grid", lower: "59000", upper: "61000", levels: 12, quote: "500" }],
  ["dca", { kind: "dca", cron: "0 */6 * * *", quote: "100", dipPct: "1", dipMultiplier: "2" }],
  ["rules", { kind: "rules", source: "buy 20% when RSI(14) < 30; sell all when RSI(14) > 70" }],
];

/** SHA-256 (first 20 hex digits) of the report, and the figures a reader checks first. */
function digestOf(stored: Record<string, unknown>, over: readonly Candle[] = candles) {
  const definition = strategyDefinition(stored.kind as "ma-cross") as unknown as StrategyDefinition<
    unknown,
    unknown
  >;
  const params = definition.params.parse({ ...stored, timeframe: "1m" });
  // a maker fee of its own, so a fill priced as the wrong side shows
  const result = backtestWith(definition, params, over, {
    ...BENCH_COSTS,
    makerFeeBps: new Decimal(7),
  });
  const report = toReport(result, true);
  return {
    sha: createHash("sha256").update(JSON.stringify(report)).digest("hex").slice(0, 20),
    fills: report.metrics.fills,
    finalEquity: report.metrics.finalEquity,
  };
}

const GOLDEN: Record<string, ReturnType<typeof digestOf>> = {
  "ma-cross SMA 20/50": { sha: "fd1d113c063546305395", fills: 333, finalEquity: "9618.79767882" },
  "ma-cross EMA 12/26, stop and take": {
    sha: "9964b7188b1a0956d7aa",
    fills: 533,
    finalEquity: "9324.65896764",
  },
  "ma-cross SMA 5/30 by quote": {
    sha: "6852fbb8d51b1c9b5510",
    fills: 805,
    finalEquity: "7182.42438824",
  },
  "ma-cross SMA 3/7, all in": {
    sha: "7dc211a2304e2d919984",
    fills: 3076,
    finalEquity: "101.84943134",
  },
  grid: { sha: "04a4d8d61c8134a8e9d7", fills: 8, finalEquity: "9878.88002973" },
  dca: { sha: "88963b33f0b0a4df0664", fills: 55, finalEquity: "10060.93321415" },
  rules: { sha: "e799ffe0799b529b2362", fills: 95, finalEquity: "9408.20699724" },
};

describe("backtest results (golden)", () => {
  it.each(CASES)("%s gives the pinned result", (name, stored) => {
    expect(digestOf(stored)).toEqual(GOLDEN[name]);
  });

  // a worker thread reads the candles from the integer columns its job brought, each Decimal made
  // when first read (packed-candle.ts): not a byte of the result may differ
  it.each(CASES)(
    "%s gives the pinned result over candles as a worker reads them",
    async (name, stored) => {
      const packed = await packCandles(candles, "1m");
      expect("scaled" in packed).toBe(true);
      expect(digestOf(stored, unpackCandles(packed))).toEqual(GOLDEN[name]);
    },
  );
});
