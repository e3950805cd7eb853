// One symbol's indicator values at one moment: loads the candle series the specs need (through
// the shared cache) and computes each distinct spec once.
import type { Interval } from "../../market/types.ts";
import type { CandleCache } from "./candle-cache.ts";
import { seriesLength } from "./candle-cache.ts";
import type { FloatSeries } from "./float-series.ts";
import { computeIndicator } from "./indicator-compute.ts";
import { type IndicatorSpec, dailyCandles, formatIndicator, minCandles } from "./indicator-spec.ts";

export interface SeriesNeeds {
  /** candles of the working interval to fetch (bucketed) */
  length: number;
  /** daily candles to fetch, 0 for none (bucketed) */
  dailyLength: number;
}

export function seriesNeeds(specs: readonly IndicatorSpec[]): SeriesNeeds {
  let candles = 1;
  let days = 0;
  for (const spec of specs) {
    candles = Math.max(candles, minCandles(spec));
    days = Math.max(days, dailyCandles(spec));
  }
  return { length: seriesLength(candles), dailyLength: days ? seriesLength(days) : 0 };
}

export class IndicatorSnapshot {
  private readonly memo = new Map<string, number | null>();

  constructor(
    readonly symbol: string,
    readonly series: FloatSeries,
    readonly daily: FloatSeries | null,
  ) {}

  static async load(
    cache: CandleCache,
    symbol: string,
    interval: Interval,
    needs: SeriesNeeds,
  ): Promise<IndicatorSnapshot> {
    const [series, daily] = await Promise.all([
      cache.series(symbol, interval, needs.length),
      needs.dailyLength
        ? cache.series(symbol, "1d", needs.dailyLength)
        : Promise.resolve<FloatSeries | null>(null),
    ]);
    return new IndicatorSnapshot(symbol, series, daily);
  }

  /** The last price (close of the forming candle), null for an empty series. */
  get price(): number | null {
    return this.series.length ? this.series.close[this.series.length - 1]! : null;
  }

  value(spec: IndicatorSpec): number | null {
    const key = formatIndicator(spec);
    if (this.memo.has(key)) return this.memo.get(key)!;
    const v = computeIndicator(spec, { series: this.series, daily: this.daily });
    const clean = v !== null && Number.isFinite(v) ? v : null;
    this.memo.set(key, clean);
    return clean;
  }
}
