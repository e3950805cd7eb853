// Test-only strategies for the backtest engine: one that answers intents scripted by candle
// number (hand-checkable runs), and a small moving-average cross over closes (a realistic
// workload for determinism). Neither is a product kind; tests register them where needed.
import { z } from "zod";
import { Decimal, dec } from "../../../src/lib/decimal.ts";
import { type Candle, type Interval, intervalMs } from "../../../src/market/types.ts";
import type { StrategyDefinition, StrategyIntent } from "../../../src/strategies/types.ts";

const scriptedIntent = z.object({
  action: z.enum(["buy", "sell", "close"]),
  quote: z.string().optional(),
  quantity: z.string().optional(),
  limit: z.string().optional(),
});

export const scriptedParams = z.object({
  timeframe: z.literal("1h").default("1h"),
  /** by the number of the candle (0 = the first evaluated) whose close answers it */
  at: z.record(z.string(), scriptedIntent).default({}),
});
export type ScriptedParams = z.infer<typeof scriptedParams>;

export const scriptedStrategy: StrategyDefinition<ScriptedParams, { n: number }> = {
  kind: "rules",
  params: scriptedParams,
  timeframe: (p) => p.timeframe,
  lookback: () => 1,
  initialState: () => ({ n: 0 }),
  onCandle({ state, params }) {
    const step = params.at[String(state.n)];
    const intents: StrategyIntent[] = [];
    if (step) {
      intents.push({
        id: `step-${state.n}`,
        action: step.action,
        size: step.quote
          ? { kind: "quote", value: dec(step.quote) }
          : step.quantity
            ? { kind: "quantity", value: dec(step.quantity) }
            : { kind: "all" },
        orderType: step.limit ? "LIMIT" : "MARKET",
        ...(step.limit ? { limitPrice: dec(step.limit) } : {}),
        reason: "signal",
      });
    }
    return { intents, state: { n: state.n + 1 } };
  },
};

export const smaCrossParams = z.object({ fast: z.number().int(), slow: z.number().int() });
export type SmaCrossParams = z.infer<typeof smaCrossParams>;

/** Long when the fast simple average of closes is above the slow one, flat otherwise. */
export const smaCrossStrategy: StrategyDefinition<SmaCrossParams, { fills: number }> = {
  kind: "ma-cross",
  params: smaCrossParams,
  timeframe: () => "1h",
  lookback: (p) => p.slow + 1,
  initialState: () => ({ fills: 0 }),
  onCandle({ candles, params, position, state }) {
    const avg = (k: number, end: number) => {
      let s = new Decimal(0);
      for (let i = end - k; i < end; i++) s = s.plus(candles[i]!.close);
      return s.div(k);
    };
    const n = candles.length;
    const above = avg(params.fast, n).gt(avg(params.slow, n));
    const intents: StrategyIntent[] = [];
    if (above && position.quantity.isZero())
      intents.push({
        id: "entry",
        action: "buy",
        size: { kind: "equity-pct", value: dec(50) },
        orderType: "MARKET",
        reason: "signal",
      });
    else if (!above && position.quantity.gt(0))
      intents.push({
        id: "exit",
        action: "close",
        size: { kind: "all" },
        orderType: "MARKET",
        reason: "signal",
      });
    return { intents, state };
  },
  onFill: (_p, state) => ({ fills: state.fills + 1 }),
};

/** Candles from [open, high, low, close] rows, hourly from 2026-01-01T00:00Z, volume 10. */
export function candlesOf(
  rows: Array<[number, number, number, number]>,
  interval: Interval = "1h",
): Candle[] {
  const start = Date.UTC(2026, 0, 1);
  const step = intervalMs(interval);
  return rows.map(([o, h, l, c], i) => ({
    openTime: new Date(start + i * step),
    closeTime: new Date(start + (i + 1) * step - 1),
    open: dec(String(o)),
    high: dec(String(h)),
    low: dec(String(l)),
    close: dec(String(c)),
    volume: dec(10),
  }));
}

/** A deterministic wavy path of `count` hourly candles (no randomness: a sine mix). */
export function wavyCandles(count: number): Candle[] {
  const rows: Array<[number, number, number, number]> = [];
  let prev = 100;
  for (let i = 0; i < count; i++) {
    const close = Number((100 + 10 * Math.sin(i / 15) + 3 * Math.sin(i / 4)).toFixed(2));
    rows.push([prev, Math.max(prev, close) + 0.5, Math.min(prev, close) - 0.5, close]);
    prev = close;
  }
  return candlesOf(rows);
}
