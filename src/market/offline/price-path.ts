// The hierarchy that makes every candle of every interval an exact aggregation of one path:
//
//   day bars (daily-anchors.ts): open, close, high, low, volume of each UTC day
//     └ 24 hour bars per day        bridged inside the day bar, with intraday seasonality
//         └ 60 minute bars per hour     bridged inside the hour bar
//             └ 60 second bars per minute   bridged inside the minute bar; only for a
//                                           current (partial) minute
//
// Each level is derived from its parent bar alone and fitted to the parent's high and low
// (bridge-segment.ts), so coarse candles never need fine levels: 500 daily candles touch no hour
// bars, 500 hourly candles about 21 days of hour bars. Whole days, hours, minutes and seconds are
// merged to answer any range, and the partial candle at time t is the merge of everything whole
// before t, down to the second.
//
// Every level is cached in a bounded LRU keyed by instrument and time; the caches never change a
// result, because every level is recomputed from counter-based draws identically.
import { type Bars, buildSegment } from "./bridge-segment.ts";
import { hash4, streamKey } from "./counter-rng.ts";
import { DailyAnchors, type DayState } from "./daily-anchors.ts";
import { type InstrumentModel } from "./instrument-model.ts";
import { LruCache } from "./lru-cache.ts";

export const SECOND_MS = 1000;
export const MINUTE_MS = 60 * SECOND_MS;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

const STREAM_HOURS = 2;
const STREAM_MINUTES = 3;
const STREAM_SECONDS = 4;

/** A merged bar in log space; volume in whole lots. */
export interface Aggregate {
  open: number;
  high: number;
  low: number;
  close: number;
  lots: number;
}

/** Entries per cache level (each rounded up to a power of two). */
export interface CacheCapacity {
  /** instrument × 256-day blocks of anchors (4 KB each) */
  anchorBlocks: number;
  /** instrument × day: the day bar (≈ 150 B each) */
  days: number;
  /** instrument × day: its 24 hour bars (≈ 1 KB each) */
  hours: number;
  /** instrument × hour: its 60 minute bars (≈ 2.5 KB each) */
  minutes: number;
  /** instrument × minute: its 60 second bars (≈ 2.5 KB each) */
  seconds: number;
}

/**
 * About 16 MB when full: a 200-symbol screener's three weeks of hourly bars, a year of daily
 * bars for every catalog instrument, and the current minutes and seconds of many symbols.
 */
export const DEFAULT_CACHE_CAPACITY: CacheCapacity = {
  anchorBlocks: 512,
  days: 16_384,
  hours: 8_192,
  minutes: 1_024,
  seconds: 256,
};

class Accumulator {
  empty = true;
  open = 0;
  high = 0;
  low = 0;
  close = 0;
  lots = 0;

  addStep(bars: Bars, i: number): void {
    this.add(bars.points[i]!, bars.high[i]!, bars.low[i]!, bars.points[i + 1]!, bars.volume[i]!);
  }

  add(open: number, high: number, low: number, close: number, lots: number): void {
    if (this.empty) {
      this.empty = false;
      this.open = open;
      this.high = high;
      this.low = low;
    } else {
      if (high > this.high) this.high = high;
      if (low < this.low) this.low = low;
    }
    this.close = close;
    this.lots += lots;
  }
}

export class PricePath {
  private readonly anchors: DailyAnchors;
  private readonly days: LruCache<DayState>;
  private readonly hours: LruCache<Bars>;
  private readonly minutes: LruCache<Bars>;
  private readonly seconds: LruCache<Bars>;

  constructor(capacity: CacheCapacity = DEFAULT_CACHE_CAPACITY) {
    this.anchors = new DailyAnchors(capacity.anchorBlocks);
    this.days = new LruCache(capacity.days);
    this.hours = new LruCache(capacity.hours);
    this.minutes = new LruCache(capacity.minutes);
    this.seconds = new LruCache(capacity.seconds);
  }

  /** The bar of `day` (days since the Unix epoch). */
  private day(model: InstrumentModel, day: number): DayState {
    let state = this.days.get(model.ordinal, day);
    if (state === undefined) {
      state = this.anchors.day(model, day);
      this.days.set(model.ordinal, day, state);
    }
    return state;
  }

  /** The 24 hour bars of `day`. */
  private hoursOf(model: InstrumentModel, day: number): Bars {
    let bars = this.hours.get(model.ordinal, day);
    if (bars === undefined) {
      const state = this.day(model, day);
      bars = buildSegment({
        key: hash4(streamKey(model.key, STREAM_HOURS), day),
        steps: 24,
        open: state.open,
        close: state.close,
        variance: state.variance,
        varianceShares: model.profile.variance,
        volumeProfile: model.profile.volume,
        lots: state.lots,
        jump: state.jump ? { size: state.jump.size, step: state.jump.hour } : null,
        fit: { high: state.high, low: state.low },
      });
      this.hours.set(model.ordinal, day, bars);
    }
    return bars;
  }

  /** The 60 minute bars of hour `hour` of `day`. */
  private minutesOf(model: InstrumentModel, day: number, hour: number): Bars {
    const index = day * 24 + hour;
    let bars = this.minutes.get(model.ordinal, index);
    if (bars === undefined) {
      const state = this.day(model, day);
      const hours = this.hoursOf(model, day);
      bars = buildSegment({
        key: hash4(streamKey(model.key, STREAM_MINUTES), day, hour),
        steps: 60,
        open: hours.points[hour]!,
        close: hours.points[hour + 1]!,
        variance: state.variance * model.profile.variance[hour]!,
        varianceShares: null,
        volumeProfile: null,
        lots: hours.volume[hour]!,
        jump: state.jump?.hour === hour ? { size: state.jump.size, step: state.jump.minute } : null,
        fit: { high: hours.high[hour]!, low: hours.low[hour]! },
      });
      this.minutes.set(model.ordinal, index, bars);
    }
    return bars;
  }

  /** The 60 second bars of minute `minute` of hour `hour` of `day`. */
  private secondsOf(model: InstrumentModel, day: number, hour: number, minute: number): Bars {
    const index = day * 1440 + hour * 60 + minute;
    let bars = this.seconds.get(model.ordinal, index);
    if (bars === undefined) {
      const state = this.day(model, day);
      const minutes = this.minutesOf(model, day, hour);
      bars = buildSegment({
        key: hash4(streamKey(model.key, STREAM_SECONDS), day, hour * 60 + minute),
        steps: 60,
        open: minutes.points[minute]!,
        close: minutes.points[minute + 1]!,
        variance: (state.variance * model.profile.variance[hour]!) / 60,
        varianceShares: null,
        volumeProfile: null,
        lots: minutes.volume[minute]!,
        jump: null,
        fit: { high: minutes.high[minute]!, low: minutes.low[minute]! },
      });
      this.seconds.set(model.ordinal, index, bars);
    }
    return bars;
  }

  /** Log price at `timeMs`, which moves once per second (the time is floored to the second). */
  priceAt(model: InstrumentModel, timeMs: number): number {
    const t = Math.floor(timeMs / SECOND_MS) * SECOND_MS;
    const day = Math.floor(t / DAY_MS);
    const inDay = t - day * DAY_MS;
    if (inDay === 0) return this.anchors.anchor(model, day);
    const hour = Math.floor(inDay / HOUR_MS);
    const inHour = inDay - hour * HOUR_MS;
    if (inHour === 0) return this.hoursOf(model, day).points[hour]!;
    const minute = Math.floor(inHour / MINUTE_MS);
    const inMinute = inHour - minute * MINUTE_MS;
    if (inMinute === 0) return this.minutesOf(model, day, hour).points[minute]!;
    return this.secondsOf(model, day, hour, minute).points[inMinute / SECOND_MS]!;
  }

  /**
   * The merge of every whole second in [fromMs, toMs): the candle of that span as it stood at
   * toMs. Both ends are floored to the second. An empty span gives the price at fromMs and no
   * volume.
   */
  aggregate(model: InstrumentModel, fromMs: number, toMs: number): Aggregate {
    const from = Math.floor(fromMs / SECOND_MS) * SECOND_MS;
    const to = Math.floor(toMs / SECOND_MS) * SECOND_MS;
    const acc = new Accumulator();
    for (let day = Math.floor(from / DAY_MS); day * DAY_MS < to; day++) {
      const start = day * DAY_MS;
      const s = Math.max(from, start) - start;
      const e = Math.min(to, start + DAY_MS) - start;
      if (s === 0 && e === DAY_MS) {
        const bar = this.day(model, day);
        acc.add(bar.open, bar.high, bar.low, bar.close, bar.lots);
      } else {
        this.addHours(acc, model, day, s, e);
      }
    }
    if (acc.empty) {
      const price = this.priceAt(model, from);
      return { open: price, high: price, low: price, close: price, lots: 0 };
    }
    return { open: acc.open, high: acc.high, low: acc.low, close: acc.close, lots: acc.lots };
  }

  /** Merges [s, e) of `day` (offsets in ms from its start). */
  private addHours(
    acc: Accumulator,
    model: InstrumentModel,
    day: number,
    s: number,
    e: number,
  ): void {
    const hours = this.hoursOf(model, day);
    for (let hour = Math.floor(s / HOUR_MS); hour * HOUR_MS < e; hour++) {
      const start = hour * HOUR_MS;
      const hs = Math.max(s, start) - start;
      const he = Math.min(e, start + HOUR_MS) - start;
      if (hs === 0 && he === HOUR_MS) acc.addStep(hours, hour);
      else this.addMinutes(acc, model, day, hour, hs, he);
    }
  }

  /** Merges [s, e) of `hour` of `day` (offsets in ms from the hour's start). */
  private addMinutes(
    acc: Accumulator,
    model: InstrumentModel,
    day: number,
    hour: number,
    s: number,
    e: number,
  ): void {
    const minutes = this.minutesOf(model, day, hour);
    for (let minute = Math.floor(s / MINUTE_MS); minute * MINUTE_MS < e; minute++) {
      const start = minute * MINUTE_MS;
      const ms = Math.max(s, start) - start;
      const me = Math.min(e, start + MINUTE_MS) - start;
      if (ms === 0 && me === MINUTE_MS) {
        acc.addStep(minutes, minute);
      } else {
        const seconds = this.secondsOf(model, day, hour, minute);
        for (let second = ms / SECOND_MS; second < me / SECOND_MS; second++)
          acc.addStep(seconds, second);
      }
    }
  }
}
