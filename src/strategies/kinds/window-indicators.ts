// The value of an indicator over a strategy's window of candles, exactly as computeIndicator gives
// it over the same window, without feeding the whole window through trading-signals when the value
// depends on the last few candles only.
//
// Why: the rules kind is handed the last `lookback` candles on every close (twice the longest
// warm-up, 401 for SMA(200)), and trading-signals' SMA and Bollinger Bands re-average their whole
// period on every value they are fed (WSMA, under RSI and ATR, does the same for its seed): a
// window of 401 closes through SMA(200) is 80,000 additions per candle, a minute for a backtest
// of 60,000 candles. An SMA or a band is a function of the last `period` closes alone, so those
// are all it is fed here: the same values in the same order give the same floats. RSI gets its
// own loop (wilderRsi), the library's arithmetic step by step without the re-averaging.
// Indicators that depend on where the window starts (EMA, MACD, ATR) are fed the window, as before.
import { type FloatSeries } from "../../domain/indicators/float-series.ts";
import {
  bandsOf,
  computeIndicator,
  movingAverageOf,
} from "../../domain/indicators/indicator-compute.ts";
import type { IndicatorSpec } from "../../domain/indicators/indicator-spec.ts";

const tail = (values: Float64Array, length: number) =>
  values.subarray(Math.max(0, values.length - length));

/**
 * trading-signals' RSI(period) after every value of `closes` (Wilder's smoothing: the first
 * `period` gains and losses averaged, then avg += (x − avg) / period), or null while it warms up.
 * Operation for operation what RSI with WSMA computes, so the floats are the same.
 */
export function wilderRsi(closes: Float64Array, period: number): number | null {
  const n = closes.length;
  if (n <= period) return null;
  const factor = 1 / period;
  // the seed: getAverage's reduce over the first `period` changes, in order, from 0
  let gainSum = 0;
  let lossSum = 0;
  for (let i = 1; i <= period; i++) {
    // adding the other side's 0 changes no float, so it is left out
    if (closes[i]! > closes[i - 1]!) gainSum += closes[i]! - closes[i - 1]!;
    else lossSum += closes[i - 1]! - closes[i]!;
  }
  let avgGain = gainSum / period;
  let avgLoss = lossSum / period;
  for (let i = period + 1; i < n; i++) {
    const price = closes[i]!;
    const previous = closes[i - 1]!;
    const gain = price > previous ? price - previous : 0;
    const loss = price > previous ? 0 : previous - price;
    avgLoss = (loss - avgLoss) * factor + avgLoss;
    avgGain = (gain - avgGain) * factor + avgGain;
  }
  if (avgLoss === 0) return 100;
  return 100 - 100 / (avgGain / avgLoss + 1);
}

/** computeIndicator(spec, { series }) for a window of candles, by a shorter road where one exists. */
export function windowIndicator(spec: IndicatorSpec, series: FloatSeries): number | null {
  if (series.length === 0) return null;
  switch (spec.kind) {
    case "SMA":
      return movingAverageOf(spec, tail(series.close, spec.period));
    case "BBANDS": {
      const v = bandsOf(spec, tail(series.close, spec.period));
      return v ? v[spec.output ?? "middle"] : null;
    }
    case "RSI":
      return wilderRsi(series.close, spec.period);
    default:
      return computeIndicator(spec, { series });
  }
}
