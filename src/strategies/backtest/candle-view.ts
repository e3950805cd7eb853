// The one view a backtest's strategy reads, moved along the run's candles (split from engine.ts):
// the window by index or as float columns, the position, cash and state after the candle's
// fills, and the exact equity computed only when read.
import { type Decimal, ZERO } from "../../lib/decimal.ts";
import type { Candle, Interval } from "../../market/types.ts";
import { type FloatSeries, toFloatSeries } from "../../domain/indicators/float-series.ts";
import type { StrategyInput, StrategyPosition, StrategyStep } from "../types.ts";

/** Candles [start, end) of a float series, as views (no copy). */
function sliceOf(series: FloatSeries, start: number, end: number): FloatSeries {
  return {
    length: end - start,
    openTime: series.openTime.subarray(start, end),
    open: series.open.subarray(start, end),
    high: series.high.subarray(start, end),
    low: series.low.subarray(start, end),
    close: series.close.subarray(start, end),
    volume: series.volume.subarray(start, end),
  };
}

/**
 * What onCandle (or the evaluator) sees. One view serves the whole run, moved on candle by candle
 * (a year of minutes would otherwise make half a million of them): strategies are pure and keep
 * nothing of their input but the state they return, as they already keep nothing of the window,
 * which is shifted in place too (the `candles` array, for onCandle) or read by index
 * (candleAt, over the whole run's candles). Equity is computed on first read: most candles of most strategies never look at
 * it, and an exact cash + quantity × close on every candle of a year of minutes is a measurable
 * share of the run.
 */
export class CandleView implements StrategyInput<unknown, unknown>, StrategyStep<unknown> {
  private exactEquity: Decimal | null = null;
  position: StrategyPosition = { quantity: ZERO, averagePrice: null };
  cash: Decimal = ZERO;
  state: unknown = null;
  /** index in the run's candles of the candle whose close the position is marked at */
  private at = 0;
  /** index in `closes` of the window's first candle */
  private offset = 0;
  private runSeries: FloatSeries | null = null;
  constructor(
    readonly symbol: string,
    readonly timeframe: Interval,
    readonly candles: readonly Candle[],
    readonly timeZone: string,
    readonly params: unknown,
    /** every candle's close as a float, read once for the run */
    private readonly closes: Float64Array,
    /** every candle's open time in ms, read once for the run */
    private readonly openTimes: Float64Array,
    /** every candle of the run, for floatSeries and candleAt */
    private readonly allCandles: readonly Candle[],
    private readonly lookback: number,
  ) {}
  /**
   * The view for candle `at` of the run (its close is read only if the equity is), the window
   * starting at `offset`.
   */
  moveTo(
    position: StrategyPosition,
    cash: Decimal,
    state: unknown,
    at: number,
    offset: number,
  ): this {
    this.position = position;
    this.cash = cash;
    this.state = state;
    this.at = at;
    this.offset = offset;
    this.exactEquity = null;
    return this;
  }
  closeFloat(i: number): number {
    return this.closes[this.offset + i]!;
  }
  openTimeAt(i: number): number {
    return this.openTimes[this.offset + i]!;
  }
  /** the window is always lookback candles long once evaluation starts */
  get candleCount(): number {
    return this.lookback;
  }
  candleAt(i: number): Candle {
    return this.allCandles[this.offset + i]!;
  }
  /** The window as float columns: views of the whole run's, converted on first use. */
  floatSeries(): FloatSeries {
    this.runSeries ??= toFloatSeries(this.allCandles);
    return sliceOf(this.runSeries, this.offset, this.offset + this.lookback);
  }
  get equity(): Decimal {
    this.exactEquity ??= this.position.quantity.isZero()
      ? this.cash
      : this.cash.plus(this.position.quantity.mul(this.allCandles[this.at]!.close));
    return this.exactEquity;
  }
}
