// Indicator values from float candle series, computed with trading-signals (RSI with Wilder's
// smoothing, SMA, EMA, MACD, Bollinger Bands, ATR; the volume average is its SMA). Only the
// arithmetic around them lives here: ratios, percentage changes, N-day extremes.
//
// Every value is taken at the last candle of the series, which may still be forming: that is
// the "now" view (the RSI of the current price, the volume traded so far in this candle), the
// way a chart shows it live.
import { ATR, BollingerBands, EMA, MACD, RSI, SMA } from "trading-signals";
import { type FloatSeries, headOf, tailOf } from "./float-series.ts";
import type { BbandsSpec, IndicatorSpec, MacdSpec, MovingAverageSpec } from "./indicator-spec.ts";

export interface MacdValue {
  macd: number;
  signal: number;
  histogram: number;
}

export interface BandsValue {
  upper: number;
  middle: number;
  lower: number;
  /** where the price sits between the bands: 0 at the lower band, 1 at the upper */
  pctB: number | null;
}

export interface IndicatorInput {
  /** candles of the working interval, ascending */
  series: FloatSeries;
  /** daily candles, ascending (only the N-day high/low needs them) */
  daily?: FloatSeries | null;
}

function last(values: Float64Array): number | null {
  return values.length ? values[values.length - 1]! : null;
}

/** Feeds values into a trading-signals indicator and returns its value after the last one. */
function streamLast(
  indicator: { add(value: number): number | null; isStable: boolean },
  values: Float64Array,
): number | null {
  let result: number | null = null;
  for (let i = 0; i < values.length; i++) result = indicator.add(values[i]!);
  return indicator.isStable ? result : null;
}

export function rsiOf(closes: Float64Array, period: number): number | null {
  return streamLast(new RSI(period), closes);
}

export function movingAverageOf(spec: MovingAverageSpec, closes: Float64Array): number | null {
  return streamLast(spec.kind === "SMA" ? new SMA(spec.period) : new EMA(spec.period), closes);
}

export function macdOf(spec: MacdSpec, closes: Float64Array): MacdValue | null {
  const macd = new MACD(new EMA(spec.fast), new EMA(spec.slow), new EMA(spec.signal));
  let result: MacdValue | null = null;
  for (let i = 0; i < closes.length; i++) result = macd.add(closes[i]!);
  // the signal line needs `signal` MACD values of its own before it means anything
  return closes.length >= spec.slow + spec.signal - 1 ? result : null;
}

export function bandsOf(spec: BbandsSpec, closes: Float64Array): BandsValue | null {
  const bands = new BollingerBands(spec.period, spec.stdDev);
  let result: { upper: number; middle: number; lower: number } | null = null;
  for (let i = 0; i < closes.length; i++) result = bands.add(closes[i]!);
  if (!result) return null;
  const price = last(closes)!;
  const width = result.upper - result.lower;
  return { ...result, pctB: width > 0 ? (price - result.lower) / width : null };
}

export function atrOf(series: FloatSeries, period: number): number | null {
  const atr = new ATR(period);
  let result: number | null = null;
  for (let i = 0; i < series.length; i++) {
    result = atr.add({ high: series.high[i]!, low: series.low[i]!, close: series.close[i]! });
  }
  return atr.isStable ? result : null;
}

/** The last candle's volume ÷ the average volume of the `period` candles before it. */
export function volumeSpikeOf(volumes: Float64Array, period: number): number | null {
  if (volumes.length < period + 1) return null;
  const average = streamLast(
    new SMA(period),
    volumes.subarray(volumes.length - 1 - period, volumes.length - 1),
  );
  return average && average > 0 ? last(volumes)! / average : null;
}

/** % change of the close over the last `period` candles. */
export function priceChangePctOf(closes: Float64Array, period: number): number | null {
  if (closes.length < period + 1) return null;
  const before = closes[closes.length - 1 - period]!;
  return before > 0 ? (last(closes)! / before - 1) * 100 : null;
}

export function volumeSumOf(volumes: Float64Array, period: number): number | null {
  if (volumes.length < period) return null;
  let sum = 0;
  for (let i = volumes.length - period; i < volumes.length; i++) sum += volumes[i]!;
  return sum;
}

/** % the price sits below the highest high (or above the lowest low) of the last `days` days. */
export function distanceFromExtremePct(
  daily: FloatSeries,
  days: number,
  price: number,
  side: "high" | "low",
): number | null {
  if (daily.length === 0) return null;
  const window = tailOf(daily, days);
  let extreme = side === "high" ? -Infinity : Infinity;
  for (let i = 0; i < window.length; i++) {
    extreme =
      side === "high" ? Math.max(extreme, window.high[i]!) : Math.min(extreme, window.low[i]!);
  }
  // the current price may have moved past the daily candles' extremes since they were read
  extreme = side === "high" ? Math.max(extreme, price) : Math.min(extreme, price);
  if (!(extreme > 0)) return null;
  return side === "high"
    ? ((extreme - price) / extreme) * 100
    : ((price - extreme) / extreme) * 100;
}

/**
 * The scalar value of a spec at the last candle (MACD and Bollinger Bands give their chosen
 * output), or null when there are not enough candles for it.
 */
export function computeIndicator(spec: IndicatorSpec, input: IndicatorInput): number | null {
  const { series } = input;
  const price = last(series.close);
  if (price === null) return null;
  switch (spec.kind) {
    case "PRICE":
      return price;
    case "RSI":
      return rsiOf(series.close, spec.period);
    case "SMA":
    case "EMA":
      return movingAverageOf(spec, series.close);
    case "MACD": {
      const v = macdOf(spec, series.close);
      return v ? v[spec.output ?? "macd"] : null;
    }
    case "BBANDS": {
      const v = bandsOf(spec, series.close);
      return v ? v[spec.output ?? "middle"] : null;
    }
    case "ATR":
      return atrOf(series, spec.period);
    case "VOLUME_SPIKE":
      return volumeSpikeOf(series.volume, spec.period);
    case "PRICE_CHANGE_PCT":
      return priceChangePctOf(series.close, spec.period);
    case "VOLUME":
      return volumeSumOf(series.volume, spec.period);
    case "DIST_FROM_HIGH_PCT":
    case "DIST_FROM_LOW_PCT":
      return input.daily
        ? distanceFromExtremePct(
            input.daily,
            spec.days,
            price,
            spec.kind === "DIST_FROM_HIGH_PCT" ? "high" : "low",
          )
        : null;
  }
}

/** The series without its last (forming) candle: what was known at the previous close. */
export function closedPart(series: FloatSeries): FloatSeries {
  return headOf(series, series.length - 1);
}
