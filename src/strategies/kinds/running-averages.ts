// The fast and slow moving averages of ma-cross, carried from one closed candle to the next in
// the strategy's JSON state, so each candle costs O(1) instead of a pass over its whole window
// (B8: a year of one-minute candles must backtest in under two seconds).
//
//   SMA: the state keeps the running sums of the last `period` closes; the new candle's close is
//        added and the close that leaves the window (still in the candles the strategy is given,
//        since its lookback covers `slow` + 1 candles) is subtracted. Floats lose a little on
//        every add and subtract, so the sums are summed afresh every RESUM_EVERY candles, which
//        bounds the drift at no measurable cost.
//   EMA: the state keeps the averages; the update is trading-signals' own formula
//        (price × k + previous × (1 − k), k = 2 / (period + 1), seeded with the first close), so
//        a fresh computation over the same closes gives the same floats.
//
// The state names the open time of the last candle it has folded in. When the candles handed in
// do not continue it (the first candle, a restart after a gap, the same candle evaluated twice)
// the averages are computed afresh from the candles, as a stateless strategy would.
import { toFloat } from "../../lib/decimal-float.ts";
import type { StrategyInput } from "../types.ts";

export const RESUM_EVERY = 4096;

export interface AverageSpec {
  type: "SMA" | "EMA";
  fast: number;
  slow: number;
}

export interface RunningAverages {
  /** open time (ms) of the last candle folded in */
  at: number;
  /** SMA: sums of the last `fast` / `slow` closes; EMA: the averages themselves */
  fast: number;
  slow: number;
  /** the same on the candle before (null when it was still warming up) */
  fastBefore: number | null;
  slowBefore: number | null;
  /** candles folded in since the SMA sums were last summed afresh */
  since: number;
}

/** Where the closes come from: the candles, and their floats when the caller has them. */
export type Closes = Pick<StrategyInput<unknown, unknown>, "candles" | "closeFloat">;

/** The averages on the candle before the last and on the last one, when both are known. */
export interface Crossing {
  fastBefore: number;
  slowBefore: number;
  fast: number;
  slow: number;
}

// Module-level functions, not closures made per call: the app runs under tsx, whose keepNames
// wraps every closure it creates in a name-setting call, measurable at 500,000 candles. For the
// same reason (a year of minutes) a candle allocates one object here, the state to carry.
// The same float either way: closeFloat(i) is toFloat(candles[i].close) read once per run.
function closeAt(src: Closes, i: number): number {
  return src.closeFloat ? src.closeFloat(i) : toFloat(src.candles[i]!.close);
}

/** The average from what the state keeps (a sum for SMA). */
function averageOf(type: AverageSpec["type"], value: number, period: number): number {
  return type === "SMA" ? value / period : value;
}

/** Sum of the `period` closes ending at index `end` (inclusive), or null without enough. */
function sumEndingAt(candles: Closes, end: number, period: number): number | null {
  if (end + 1 < period) return null;
  let sum = 0;
  for (let i = end - period + 1; i <= end; i++) sum += closeAt(candles, i);
  return sum;
}

/** trading-signals' EMA over the closes up to `end`: null until `period` closes were seen. */
function emaEndingAt(candles: Closes, end: number, period: number): number | null {
  if (end + 1 < period) return null;
  const k = 2 / (period + 1);
  let ema = closeAt(candles, 0);
  for (let i = 0; i <= end; i++) ema = closeAt(candles, i) * k + ema * (1 - k);
  return ema;
}

function freshAt(candles: Closes, end: number, period: number, type: string) {
  return type === "SMA" ? sumEndingAt(candles, end, period) : emaEndingAt(candles, end, period);
}

/** The state after the last of `candles`: carried on from `carried` when it continues them. */
export function advanceAverages(
  src: Closes,
  spec: AverageSpec,
  carried: RunningAverages | null | undefined,
): RunningAverages | null {
  const candles = src.candles;
  const n = candles.length;
  if (n === 0) return null;
  const last = n - 1;
  const at = candles[last]!.openTime.getTime();
  const continues =
    carried !== null &&
    carried !== undefined &&
    n >= 2 &&
    carried.at === candles[last - 1]!.openTime.getTime();
  if (spec.type === "EMA" && continues) {
    const close = closeAt(src, last);
    const kf = 2 / (spec.fast + 1);
    const ks = 2 / (spec.slow + 1);
    return {
      at,
      fast: close * kf + carried.fast * (1 - kf),
      slow: close * ks + carried.slow * (1 - ks),
      fastBefore: carried.fast,
      slowBefore: carried.slow,
      since: 0,
    };
  }
  if (spec.type === "SMA" && continues && n > spec.slow && carried.since + 1 < RESUM_EVERY) {
    const close = closeAt(src, last);
    return {
      at,
      fast: carried.fast + close - closeAt(src, last - spec.fast),
      slow: carried.slow + close - closeAt(src, last - spec.slow),
      fastBefore: carried.fast,
      slowBefore: carried.slow,
      since: carried.since + 1,
    };
  }
  const fast = freshAt(src, last, spec.fast, spec.type);
  const slow = freshAt(src, last, spec.slow, spec.type);
  if (fast === null || slow === null) return null;
  const fastBefore = freshAt(src, last - 1, spec.fast, spec.type);
  const slowBefore = freshAt(src, last - 1, spec.slow, spec.type);
  return {
    at,
    fast,
    slow,
    fastBefore: slowBefore === null ? null : fastBefore,
    slowBefore: fastBefore === null ? null : slowBefore,
    since: 0,
  };
}

/** Both averages on both candles, or null while warming up. */
export function crossingOf(state: RunningAverages | null, spec: AverageSpec): Crossing | null {
  if (!state || state.fastBefore === null || state.slowBefore === null) return null;
  return {
    fastBefore: averageOf(spec.type, state.fastBefore, spec.fast),
    slowBefore: averageOf(spec.type, state.slowBefore, spec.slow),
    fast: averageOf(spec.type, state.fast, spec.fast),
    slow: averageOf(spec.type, state.slow, spec.slow),
  };
}

/**
 * The crossing on the last candle, read as crossingOf's averages compare, without making them an
 * object on every candle: "golden" when the fast average rose above the slow one (from at or
 * below), "death" when it fell below (from at or above), null otherwise or while warming up.
 */
export function crossSignal(
  state: RunningAverages | null,
  spec: AverageSpec,
): "golden" | "death" | null {
  if (!state || state.fastBefore === null || state.slowBefore === null) return null;
  const fastBefore = averageOf(spec.type, state.fastBefore, spec.fast);
  const slowBefore = averageOf(spec.type, state.slowBefore, spec.slow);
  const fast = averageOf(spec.type, state.fast, spec.fast);
  const slow = averageOf(spec.type, state.slow, spec.slow);
  if (fastBefore <= slowBefore && fast > slow) return "golden";
  if (fastBefore >= slowBefore && fast < slow) return "death";
  return null;
}
