// ma-cross's evaluator (what a backtest runs: one working state for the whole run) against its
// onCandle (what the live runtime runs: the state rebuilt from JSON on every candle): the same
// backtest report, byte for byte, with and without stops, SMA and EMA; and the state the
// evaluator hands back is the JSON state onCandle returns after the same candles.
import { describe, expect, it } from "vitest";
import { toReport } from "../../src/strategies/backtest/index.ts";
import { maCross } from "../../src/strategies/kinds/ma-cross.ts";
import { InputStep } from "../../src/strategies/step.ts";
import type { StrategyDefinition } from "../../src/strategies/types.ts";
import { ZERO } from "../../src/lib/decimal.ts";
import { backtestWith, generateCandles } from "../../scripts/bench/b8-backtest.ts";

const candles = generateCandles(8_000, 17);

describe("ma-cross evaluator", () => {
  it.each([
    { type: "SMA", fast: 20, slow: 50 },
    { type: "EMA", fast: 12, slow: 26, stopLossPct: "0.5", takeProfitPct: "1" },
    { type: "SMA", fast: 3, slow: 7, equityPct: "100", stopLossPct: "0.2" },
  ])("gives the backtest onCandle gives (%o)", (stored) => {
    const params = maCross.params.parse({ ...stored, timeframe: "1m" });
    const withEvaluator = maCross as unknown as StrategyDefinition<unknown, unknown>;
    const onCandleOnly = { ...withEvaluator, evaluator: undefined };
    const a = backtestWith(withEvaluator, params, candles);
    const b = backtestWith(onCandleOnly, params, candles);
    expect(a.fills.length).toBeGreaterThan(20);
    expect(JSON.stringify(toReport(a, true))).toBe(JSON.stringify(toReport(b, true)));
  });

  it("hands back the state onCandle returns after the same candles", () => {
    const params = maCross.params.parse({ type: "EMA", fast: 5, slow: 12, timeframe: "1m" });
    const evaluator = maCross.evaluator!(params, maCross.initialState(params));
    let state = maCross.initialState(params);
    const position = { quantity: ZERO, averagePrice: null };
    for (let i = 0; i < 300; i++) {
      const input = {
        symbol: "X",
        timeframe: "1m" as const,
        candles: candles.slice(Math.max(0, i - 40), i + 1),
        position,
        cash: ZERO,
        equity: ZERO,
        timeZone: "UTC",
        params,
        state,
      };
      const decision = maCross.onCandle(input);
      state = decision.state;
      expect([...evaluator.next(new InputStep(input))]).toEqual(decision.intents);
      expect(evaluator.state()).toEqual(state);
    }
    expect(state.averages).not.toBeNull();
  });
});
