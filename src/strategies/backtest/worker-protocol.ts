// The messages between a backtest worker thread and the pool: plain data only (structured
// clone drops Decimal's prototype), so Decimals travel as strings and candles as flat columns.
import { dec } from "../../lib/decimal.ts";
import type { Candle, Interval } from "../../market/types.ts";
import { intervalMs } from "../../market/types.ts";
import type { BacktestReport } from "./report.ts";
import type { BacktestInstrument } from "./types.ts";

export interface PackedCandles {
  interval: Interval;
  /** open times in ms */
  times: Float64Array;
  /** open, high, low, close, volume of each candle in turn, as decimal strings */
  values: string[];
}

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

export type WorkerMessage =
  | { type: "progress"; done: number }
  | { type: "result"; report: BacktestReport }
  | { type: "error"; kind: "params" | "input" | "internal"; message: string; code?: string };

export function packCandles(candles: readonly Candle[], interval: Interval): PackedCandles {
  const times = new Float64Array(candles.length);
  const values: string[] = new Array<string>(candles.length * 5);
  candles.forEach((c, i) => {
    times[i] = c.openTime.getTime();
    values[i * 5] = c.open.toFixed();
    values[i * 5 + 1] = c.high.toFixed();
    values[i * 5 + 2] = c.low.toFixed();
    values[i * 5 + 3] = c.close.toFixed();
    values[i * 5 + 4] = c.volume.toFixed();
  });
  return { interval, times, values };
}

export function unpackCandles(packed: PackedCandles): Candle[] {
  const step = intervalMs(packed.interval);
  const out: Candle[] = new Array<Candle>(packed.times.length);
  let previousClose: string | null = null;
  let previous: Candle | null = null;
  for (let i = 0; i < packed.times.length; i++) {
    const v = packed.values;
    const t = packed.times[i]!;
    const close = dec(v[i * 5 + 3]!);
    // the next candle usually opens at the previous close: share the object (less memory)
    const open: Candle["open"] =
      previous && v[i * 5] === previousClose ? previous.close : dec(v[i * 5]!);
    out[i] = previous = {
      openTime: new Date(t),
      closeTime: new Date(t + step - 1),
      open,
      high: dec(v[i * 5 + 1]!),
      low: dec(v[i * 5 + 2]!),
      close,
      volume: dec(v[i * 5 + 4]!),
    };
    previousClose = v[i * 5 + 3]!;
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
