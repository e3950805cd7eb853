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
// The working values live in an AverageTracker (one Float64Array: doubles in object fields are
// boxed, and a backtest moves them on every candle of a year of minutes); ma-cross's evaluator
// keeps one for a whole run, and advanceAverages loads the JSON state into one, moves it by a
// candle and reads it back, so the live runtime and a backtest compute the very same floats.
//
// The state names the open time of the last candle it has folded in. When the candles handed in
// do not continue it (the first candle, a restart after a gap, the same candle evaluated twice)
// the averages are computed afresh from the candles, as a stateless strategy would.
import { toFloat } from "../../lib/decimal-float.ts";
import type { Candle } from "../../market/types.ts";
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

/**
 * Where the tracker reads the closes: a window read by index (a StrategyStep is one), the last
 * candle being the one that just closed, and their floats when the caller has them.
 */
export interface CloseSource {
  readonly candleCount: number;
  candleAt(i: number): Candle;
  closeFloat?(i: number): number;
  openTimeAt?(i: number): number;
}

/** A window given as an array (advanceAverages' callers), read as a CloseSource. */
class ArrayCloses implements CloseSource {
  constructor(private readonly src: Closes) {}
  get candleCount(): number {
    return this.src.candles.length;
  }
  candleAt(i: number): Candle {
    return this.src.candles[i]!;
  }
  closeFloat(i: number): number {
    return this.src.closeFloat ? this.src.closeFloat(i) : toFloat(this.src.candles[i]!.close);
  }
}

// Module-level functions, not closures made per call: the app runs under tsx, whose keepNames
// wraps every closure it creates in a name-setting call, measurable at 500,000 candles.
// The same float either way: closeFloat(i) is toFloat(candles[i].close) read once per run.
function closeAt(src: CloseSource, i: number): number {
  return src.closeFloat ? src.closeFloat(i) : toFloat(src.candleAt(i).close);
}

/** The open time of candle i in ms: the source's own reading when it has one (the same number). */
function openTimeAt(src: CloseSource, i: number): number {
  return src.openTimeAt ? src.openTimeAt(i) : src.candleAt(i).openTime.getTime();
}

/** The average from what the state keeps (a sum for SMA). */
function averageOf(type: AverageSpec["type"], value: number, period: number): number {
  return type === "SMA" ? value / period : value;
}

/** Sum of the `period` closes ending at index `end` (inclusive), or null without enough. */
function sumEndingAt(src: CloseSource, end: number, period: number): number | null {
  if (end + 1 < period) return null;
  let sum = 0;
  for (let i = end - period + 1; i <= end; i++) sum += closeAt(src, i);
  return sum;
}

/** trading-signals' EMA over the closes up to `end`: null until `period` closes were seen. */
function emaEndingAt(src: CloseSource, end: number, period: number): number | null {
  if (end + 1 < period) return null;
  const k = 2 / (period + 1);
  let ema = closeAt(src, 0);
  for (let i = 0; i <= end; i++) ema = closeAt(src, i) * k + ema * (1 - k);
  return ema;
}

function freshAt(src: CloseSource, end: number, period: number, type: string) {
  return type === "SMA" ? sumEndingAt(src, end, period) : emaEndingAt(src, end, period);
}

/** The crossing read from both averages on both candles (see crossSignal). */
function signalOf(
  spec: AverageSpec,
  fastBeforeValue: number,
  slowBeforeValue: number,
  fastValue: number,
  slowValue: number,
): "golden" | "death" | null {
  const fastBefore = averageOf(spec.type, fastBeforeValue, spec.fast);
  const slowBefore = averageOf(spec.type, slowBeforeValue, spec.slow);
  const fast = averageOf(spec.type, fastValue, spec.fast);
  const slow = averageOf(spec.type, slowValue, spec.slow);
  if (fastBefore <= slowBefore && fast > slow) return "golden";
  if (fastBefore >= slowBefore && fast < slow) return "death";
  return null;
}

// the tracker's slots
const AT = 0;
const FAST = 1;
const SLOW = 2;
const FAST_BEFORE = 3;
const SLOW_BEFORE = 4;
const SINCE = 5;
/** 1 when the averages are known (a RunningAverages, not null) */
const KNOWN = 6;
/** 1 when fastBefore and slowBefore are known */
const KNOWN_BEFORE = 7;

/** The running averages of one symbol, moved candle by candle in place (see the top). */
export class AverageTracker {
  private readonly v = new Float64Array(8);
  private readonly kFast: number;
  private readonly kSlow: number;

  constructor(private readonly spec: AverageSpec) {
    // computed as advanceAverages always computed them: the same doubles on every candle
    this.kFast = 2 / (spec.fast + 1);
    this.kSlow = 2 / (spec.slow + 1);
  }

  /** Starts from a persisted state (null or absent: nothing carried). */
  load(state: RunningAverages | null | undefined): this {
    const v = this.v;
    v.fill(0);
    if (!state) return this;
    v[AT] = state.at;
    v[FAST] = state.fast;
    v[SLOW] = state.slow;
    v[SINCE] = state.since;
    v[KNOWN] = 1;
    if (state.fastBefore !== null && state.slowBefore !== null) {
      v[FAST_BEFORE] = state.fastBefore;
      v[SLOW_BEFORE] = state.slowBefore;
      v[KNOWN_BEFORE] = 1;
    }
    return this;
  }

  /** The state after the last candle of `src`: carried on when it continues the one held. */
  advance(src: CloseSource): void {
    const v = this.v;
    const spec = this.spec;
    const n = src.candleCount;
    if (n === 0) {
      v[KNOWN] = 0;
      return;
    }
    const last = n - 1;
    const at = openTimeAt(src, last);
    const continues = v[KNOWN] === 1 && n >= 2 && v[AT] === openTimeAt(src, last - 1);
    if (spec.type === "EMA" && continues) {
      const close = closeAt(src, last);
      const fast = v[FAST]!;
      const slow = v[SLOW]!;
      v[AT] = at;
      v[FAST] = close * this.kFast + fast * (1 - this.kFast);
      v[SLOW] = close * this.kSlow + slow * (1 - this.kSlow);
      v[FAST_BEFORE] = fast;
      v[SLOW_BEFORE] = slow;
      v[SINCE] = 0;
      v[KNOWN_BEFORE] = 1;
      return;
    }
    if (spec.type === "SMA" && continues && n > spec.slow && v[SINCE]! + 1 < RESUM_EVERY) {
      const close = closeAt(src, last);
      const fast = v[FAST]!;
      const slow = v[SLOW]!;
      v[AT] = at;
      v[FAST] = fast + close - closeAt(src, last - spec.fast);
      v[SLOW] = slow + close - closeAt(src, last - spec.slow);
      v[FAST_BEFORE] = fast;
      v[SLOW_BEFORE] = slow;
      v[SINCE] = v[SINCE]! + 1;
      v[KNOWN_BEFORE] = 1;
      return;
    }
    const fast = freshAt(src, last, spec.fast, spec.type);
    const slow = freshAt(src, last, spec.slow, spec.type);
    if (fast === null || slow === null) {
      v[KNOWN] = 0;
      return;
    }
    const fastBefore = freshAt(src, last - 1, spec.fast, spec.type);
    const slowBefore = freshAt(src, last - 1, spec.slow, spec.type);
    v[AT] = at;
    v[FAST] = fast;
    v[SLOW] = slow;
    v[SINCE] = 0;
    v[KNOWN] = 1;
    const before = fastBefore !== null && slowBefore !== null;
    v[KNOWN_BEFORE] = before ? 1 : 0;
    v[FAST_BEFORE] = before ? fastBefore : 0;
    v[SLOW_BEFORE] = before ? slowBefore : 0;
  }

  /** crossSignal of the state held. */
  signal(): "golden" | "death" | null {
    const v = this.v;
    if (v[KNOWN] !== 1 || v[KNOWN_BEFORE] !== 1) return null;
    return signalOf(this.spec, v[FAST_BEFORE]!, v[SLOW_BEFORE]!, v[FAST]!, v[SLOW]!);
  }

  /** The state held, as the strategy persists it. */
  toState(): RunningAverages | null {
    const v = this.v;
    if (v[KNOWN] !== 1) return null;
    const before = v[KNOWN_BEFORE] === 1;
    return {
      at: v[AT]!,
      fast: v[FAST]!,
      slow: v[SLOW]!,
      fastBefore: before ? v[FAST_BEFORE]! : null,
      slowBefore: before ? v[SLOW_BEFORE]! : null,
      since: v[SINCE]!,
    };
  }
}

/** The state after the last of `candles`: carried on from `carried` when it continues them. */
export function advanceAverages(
  src: Closes,
  spec: AverageSpec,
  carried: RunningAverages | null | undefined,
): RunningAverages | null {
  const tracker = new AverageTracker(spec).load(carried);
  tracker.advance(new ArrayCloses(src));
  return tracker.toState();
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
  return signalOf(spec, state.fastBefore, state.slowBefore, state.fast, state.slow);
}
