// A short-lived in-memory cache of candle series (as float columns), so one screener run over a
// hundred symbols fetches each (symbol, interval, length) once, and the alert evaluator and
// screeners running close together share what was fetched.
//
// Freshness: an entry lives a quarter of its interval, at most 30 s (15 s for 1m candles), so
// an alert run every 20 s sees a forming candle at most that old. Concurrent requests for the
// same series share one fetch; a failed fetch is not cached. Series lengths come in buckets of
// SERIES_BUCKET candles so indicators with different look-backs still share one series.
import type { Clock } from "../../lib/clock.ts";
import { type Interval, type MarketData, intervalMs } from "../../market/types.ts";
import { type FloatSeries, toFloatSeries } from "./float-series.ts";

/** Candles fetched per series unless an indicator needs more (then the next multiple). */
export const SERIES_BUCKET = 500;
const MAX_TTL_MS = 30_000;
const DEFAULT_MAX_ENTRIES = 5_000;

/** The series length to fetch so that `required` candles are available (bucketed for sharing). */
export function seriesLength(required: number): number {
  return Math.max(SERIES_BUCKET, Math.ceil(required / SERIES_BUCKET) * SERIES_BUCKET);
}

export function defaultTtlMs(interval: Interval): number {
  return Math.min(MAX_TTL_MS, intervalMs(interval) / 4);
}

export interface CandleCacheStats {
  hits: number;
  misses: number;
  /** time spent fetching (market data source plus conversion to floats), summed over fetches */
  fetchMs: number;
  /** the part of fetchMs spent converting Decimal candles to floats */
  convertMs: number;
}

interface Entry {
  at: number;
  expires: number;
  promise: Promise<FloatSeries>;
}

export interface CandleCacheOptions {
  ttlMs?: (interval: Interval) => number;
  maxEntries?: number;
}

export class CandleCache {
  private readonly entries = new Map<string, Entry>();
  private readonly ttl: (interval: Interval) => number;
  private readonly maxEntries: number;
  private counters: CandleCacheStats = { hits: 0, misses: 0, fetchMs: 0, convertMs: 0 };

  constructor(
    readonly market: MarketData,
    private readonly clock: Clock,
    options: CandleCacheOptions = {},
  ) {
    this.ttl = options.ttlMs ?? defaultTtlMs;
    this.maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
  }

  /** The most recent `limit` candles of symbol at interval (the last one forming), as floats. */
  series(symbol: string, interval: Interval, limit: number): Promise<FloatSeries> {
    const now = this.clock.now().getTime();
    const key = `${symbol}|${interval}|${limit}`;
    const hit = this.entries.get(key);
    // an entry from "the future" means the clock was set back (tests): treat it as stale
    if (hit && hit.expires > now && hit.at <= now) {
      this.counters.hits++;
      return hit.promise;
    }
    this.counters.misses++;
    const promise = this.fetch(symbol, interval, limit);
    this.entries.set(key, { at: now, expires: now + this.ttl(interval), promise });
    promise.catch(() => {
      if (this.entries.get(key)?.promise === promise) this.entries.delete(key);
    });
    if (this.entries.size > this.maxEntries) this.evict(now);
    return promise;
  }

  stats(): CandleCacheStats {
    return { ...this.counters };
  }

  resetStats(): void {
    this.counters = { hits: 0, misses: 0, fetchMs: 0, convertMs: 0 };
  }

  clear(): void {
    this.entries.clear();
  }

  private async fetch(symbol: string, interval: Interval, limit: number): Promise<FloatSeries> {
    const started = performance.now();
    try {
      const candles = await this.market.candles(symbol, interval, { limit });
      const converting = performance.now();
      const series = toFloatSeries(candles);
      this.counters.convertMs += performance.now() - converting;
      return series;
    } finally {
      this.counters.fetchMs += performance.now() - started;
    }
  }

  /** Drops expired entries, then the oldest ones until a tenth of the room is free again. */
  private evict(now: number): void {
    for (const [key, e] of this.entries) if (e.expires <= now) this.entries.delete(key);
    const target = Math.floor(this.maxEntries * 0.9);
    for (const key of this.entries.keys()) {
      if (this.entries.size <= target) break;
      this.entries.delete(key);
    }
  }
}
