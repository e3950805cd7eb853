// The candle cache over the real offline source: one fetch per (symbol, interval, length)
// while fresh, a new one after the TTL, one shared fetch for concurrent requests, and errors
// never cached.
import { describe, expect, it } from "vitest";
import { CandleCache, seriesLength } from "../../../src/domain/indicators/candle-cache.ts";
import { ManualClock } from "../../../src/lib/clock.ts";
import { OfflineMarketData } from "../../../src/market/offline/offline-market-data.ts";
import type { CandleRange, Interval, MarketData } from "../../../src/market/types.ts";

/** The offline source, counting the candle requests that reach it. */
class CountingMarket extends OfflineMarketData {
  calls = 0;
  override async candles(symbol: string, interval: Interval, range?: CandleRange) {
    this.calls++;
    return super.candles(symbol, interval, range);
  }
}

function setup() {
  const clock = new ManualClock("2026-03-10T12:00:00Z");
  const market = new CountingMarket({ seed: "cache", clock });
  return { clock, market, cache: new CandleCache(market as MarketData, clock) };
}

describe("CandleCache", () => {
  it("fetches a series once while it is fresh and again after its TTL", async () => {
    const { clock, market, cache } = setup();
    const a = await cache.series("BTCUSDT", "1h", 500);
    clock.advance(29_000);
    const b = await cache.series("BTCUSDT", "1h", 500);
    expect(b).toBe(a);
    expect(market.calls).toBe(1);
    clock.advance(2_000);
    const c = await cache.series("BTCUSDT", "1h", 500);
    expect(c).not.toBe(a);
    expect(market.calls).toBe(2);
    expect(c.length).toBe(500);
    // the last candle is the forming one: it opened at the current hour
    expect(c.openTime[499]).toBe(Date.parse("2026-03-10T12:00:00Z"));
    expect(cache.stats()).toMatchObject({ hits: 1, misses: 2 });
  });

  it("keeps 1m series for 15 s only", async () => {
    const { clock, market, cache } = setup();
    await cache.series("ETHUSDT", "1m", 500);
    clock.advance(16_000);
    await cache.series("ETHUSDT", "1m", 500);
    expect(market.calls).toBe(2);
  });

  it("shares one fetch between concurrent requests and keys by symbol, interval and length", async () => {
    const { market, cache } = setup();
    const [a, b] = await Promise.all([
      cache.series("SOLUSDT", "4h", 500),
      cache.series("SOLUSDT", "4h", 500),
    ]);
    expect(a).toBe(b);
    await cache.series("SOLUSDT", "4h", 1000);
    await cache.series("SOLUSDT", "1d", 500);
    await cache.series("ETHUSDT", "4h", 500);
    expect(market.calls).toBe(4);
  });

  it("does not cache a failed fetch", async () => {
    const { market, cache } = setup();
    await expect(cache.series("NOPEUSDT", "1h", 500)).rejects.toThrow();
    await expect(cache.series("NOPEUSDT", "1h", 500)).rejects.toThrow();
    expect(market.calls).toBe(2);
  });

  it("converts exact prices to the same floats", async () => {
    const { market, cache } = setup();
    const series = await cache.series("AAPL", "1d", 500);
    const candles = await market.candles("AAPL", "1d", { limit: 500 });
    expect(series.close[123]).toBe(Number(candles[123]!.close.toString()));
    expect(series.volume[499]).toBe(Number(candles[499]!.volume.toString()));
  });

  it("buckets lengths so indicators with different look-backs share a series", () => {
    expect(seriesLength(15)).toBe(500);
    expect(seriesLength(500)).toBe(500);
    expect(seriesLength(501)).toBe(1000);
  });
});
