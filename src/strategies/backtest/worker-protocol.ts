// The messages between a backtest worker thread and the pool: plain data only (structured
// clone drops Decimal's prototype), so Decimals travel as strings and candles as flat columns
// (integers where they fit, see PackedCandles).
import { dec } from "../../lib/decimal.ts";
import { scaleDigits, splitDigits } from "../../lib/decimal-scaled.ts";
import { PackedCandle } from "./packed-candle.ts";
import type { Candle, Interval } from "../../market/types.ts";
import { intervalMs } from "../../market/types.ts";
import type { BacktestReport } from "./report.ts";
import type { BacktestInstrument } from "./types.ts";

/**
 * A job's candles as flat columns: open times in ms, and the five values of each candle in turn
 * (open, high, low, close, volume). Packed as integers in one Float64Array whenever every value
 * fits (prices scaled by 10^priceScale, volumes by 10^volumeScale, each a safe integer): that
 * array moves to the worker without a copy, and packing reads digits instead of writing text. A
 * year of one-minute candles as text took the bot's thread 2.5 s (0.9 s to write 2.6 million
 * strings, 1.5 s for postMessage to copy them) during which no command was answered. Values with
 * more significant digits than a double holds exactly travel as decimal strings.
 */
export type PackedCandles = {
  interval: Interval;
  /** open times in ms */
  times: Float64Array;
} & (
  | { scaled: Float64Array; priceScale: number; volumeScale: number }
  | { /** decimal strings */ values: string[] }
);

export interface BacktestJob {
  /** what the strategy version stores: { kind, ...params } */
  stored: Record<string, unknown>;
  instrument: { symbol: string; tickSize: string; lotSize: string; minQty: string };
  candles: PackedCandles;
  initialCash: string;
  costs: { takerFeeBps: string; makerFeeBps: string; slippageBps: string; feeDecimals: number };
  timeZone: string;
  /** modules to import first in the worker (tests register extra strategy kinds this way) */
  preload?: string[];
}

/** A job's answer, with the thread's heap size after it (the pool keeps small threads only). */
export type WorkerAnswer = (
  | { type: "result"; report: BacktestReport }
  | { type: "error"; kind: "params" | "input" | "internal"; message: string; code?: string }
) & { heapBytes?: number };

export type WorkerMessage = { type: "progress"; done: number } | WorkerAnswer;

/** The arrays a job's message hands over to the worker instead of copying. */
export function transferables(job: BacktestJob): ArrayBuffer[] {
  const c = job.candles;
  return [
    c.times.buffer as ArrayBuffer,
    ...("scaled" in c ? [c.scaled.buffer as ArrayBuffer] : []),
  ];
}

/** Candles packed between two turns of the event loop (a few milliseconds' work). */
const PACK_CHUNK = 20_000;

/**
 * The candles as a job carries them. Async: a year of one-minute candles takes a few hundred
 * milliseconds to read, and the bot's thread answers commands between chunks meanwhile.
 */
export async function packCandles(
  candles: readonly Candle[],
  interval: Interval,
): Promise<PackedCandles> {
  const n = candles.length;
  const times = new Float64Array(n);
  // every value's digits, then every value at its column's scale, in place
  const scaled = new Float64Array(n * 5);
  const exponents = new Int32Array(n * 5);
  let priceExponent = 0;
  let volumeExponent = 0;
  for (let i = 0; i < n; i++) {
    if (i % PACK_CHUNK === 0 && i > 0) await new Promise((r) => setImmediate(r));
    const c = candles[i]!;
    times[i] = c.openTime.getTime();
    const j = i * 5;
    if (
      !splitDigits(c.open, scaled, exponents, j) ||
      !splitDigits(c.high, scaled, exponents, j + 1) ||
      !splitDigits(c.low, scaled, exponents, j + 2) ||
      !splitDigits(c.close, scaled, exponents, j + 3) ||
      !splitDigits(c.volume, scaled, exponents, j + 4)
    )
      return packAsText(candles, interval, times);
    for (let k = 0; k < 4; k++) priceExponent = Math.min(priceExponent, exponents[j + k]!);
    volumeExponent = Math.min(volumeExponent, exponents[j + 4]!);
  }
  // the fewest decimal places that hold every price, and every volume, exactly
  const priceScale = -priceExponent;
  const volumeScale = -volumeExponent;
  for (let j = 0; j < n * 5; j++) {
    const value = scaleDigits(scaled[j]!, exponents[j]!, j % 5 === 4 ? volumeScale : priceScale);
    // an integer beyond 2^53 − 1 at the common scale (a tiny price beside a large one)
    if (Number.isNaN(value)) return packAsText(candles, interval, times);
    scaled[j] = value;
  }
  return { interval, times, scaled, priceScale, volumeScale };
}

async function packAsText(
  candles: readonly Candle[],
  interval: Interval,
  times: Float64Array,
): Promise<PackedCandles> {
  const values: string[] = new Array<string>(candles.length * 5);
  for (let i = 0; i < candles.length; i++) {
    if (i % PACK_CHUNK === 0 && i > 0) await new Promise((r) => setImmediate(r));
    const c = candles[i]!;
    values[i * 5] = c.open.toFixed();
    values[i * 5 + 1] = c.high.toFixed();
    values[i * 5 + 2] = c.low.toFixed();
    values[i * 5 + 3] = c.close.toFixed();
    values[i * 5 + 4] = c.volume.toFixed();
  }
  return { interval, times, values };
}

export function unpackCandles(packed: PackedCandles): Candle[] {
  const step = intervalMs(packed.interval);
  const n = packed.times.length;
  const out: Candle[] = new Array<Candle>(n);
  if ("scaled" in packed) {
    // read from the columns, each value made when first read (see packed-candle.ts)
    const columns = { ...packed, step };
    let previous: PackedCandle | null = null;
    for (let i = 0; i < n; i++) out[i] = previous = new PackedCandle(columns, i, previous);
    return out;
  }
  const v = packed.values;
  let previousClose: string | null = null;
  let previous: Candle | null = null;
  for (let i = 0; i < n; i++) {
    const t = packed.times[i]!;
    const closeText = v[i * 5 + 3]!;
    // the next candle usually opens at the previous close: share the object (less memory)
    const open: Candle["open"] =
      previous && v[i * 5] === previousClose ? previous.close : dec(v[i * 5]!);
    out[i] = previous = {
      openTime: new Date(t),
      closeTime: new Date(t + step - 1),
      open,
      high: dec(v[i * 5 + 1]!),
      low: dec(v[i * 5 + 2]!),
      close: dec(closeText),
      volume: dec(v[i * 5 + 4]!),
    };
    previousClose = closeText;
  }
  return out;
}

export function packInstrument(i: BacktestInstrument): BacktestJob["instrument"] {
  return {
    symbol: i.symbol,
    tickSize: i.tickSize.toFixed(),
    lotSize: i.lotSize.toFixed(),
    minQty: i.minQty.toFixed(),
  };
}
