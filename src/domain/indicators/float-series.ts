// Candles as float columns: the boundary where exact Decimal prices become the floats numeric
// indicator libraries work on. Money stays Decimal everywhere else; indicator values are
// approximations by nature, and comparing them as floats is what every charting tool does.
import type { Candle } from "../../market/types.ts";

export interface FloatSeries {
  readonly length: number;
  /** open times in ms since the epoch, ascending; the last candle may still be forming */
  readonly openTime: Float64Array;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
}

/**
 * Converts candles to float columns. Sources often hand out the same Decimal object for a close
 * and the next open (or for a high equal to the close): those are converted once, since the
 * conversion is most of the cost of reading a series.
 */
export function toFloatSeries(candles: readonly Candle[]): FloatSeries {
  const n = candles.length;
  const series = {
    length: n,
    openTime: new Float64Array(n),
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
    volume: new Float64Array(n),
  };
  let previous: Candle | null = null;
  let previousClose = NaN;
  for (let i = 0; i < n; i++) {
    const c = candles[i]!;
    const open = previous && c.open === previous.close ? previousClose : c.open.toNumber();
    const close = c.close === c.open ? open : c.close.toNumber();
    series.openTime[i] = c.openTime.getTime();
    series.open[i] = open;
    series.close[i] = close;
    series.high[i] = c.high === c.close ? close : c.high === c.open ? open : c.high.toNumber();
    series.low[i] = c.low === c.close ? close : c.low === c.open ? open : c.low.toNumber();
    series.volume[i] = c.volume.toNumber();
    previous = c;
    previousClose = close;
  }
  return series;
}

/** The first `length` candles (a view, no copy): the series as it stood one or more candles ago. */
export function headOf(series: FloatSeries, length: number): FloatSeries {
  const n = Math.max(0, Math.min(length, series.length));
  return {
    length: n,
    openTime: series.openTime.subarray(0, n),
    open: series.open.subarray(0, n),
    high: series.high.subarray(0, n),
    low: series.low.subarray(0, n),
    close: series.close.subarray(0, n),
    volume: series.volume.subarray(0, n),
  };
}

/** The last `length` candles (a view, no copy). */
export function tailOf(series: FloatSeries, length: number): FloatSeries {
  const start = Math.max(0, series.length - length);
  return {
    length: series.length - start,
    openTime: series.openTime.subarray(start),
    open: series.open.subarray(start),
    high: series.high.subarray(start),
    low: series.low.subarray(start),
    close: series.close.subarray(start),
    volume: series.volume.subarray(start),
  };
}
