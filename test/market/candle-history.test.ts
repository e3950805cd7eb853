// candleHistory: pages of at most MAX_CANDLE_LIMIT read with from/to, closed candles only, and a
// live source's complete pages kept on disk so the same history is fetched once.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { candleHistory } from "../../src/market/candle-history.ts";
import { OfflineMarketData } from "../../src/market/offline/offline-market-data.ts";
import {
  type CandleRange,
  type Interval,
  type MarketData,
  MAX_CANDLE_LIMIT,
} from "../../src/market/types.ts";

const NOW = new Date("2026-03-01T12:34:56Z");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "candle-history-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The offline generator dressed as a live exchange, counting the candle requests it answers. */
function liveTwin(): MarketData & { requests: CandleRange[] } {
  const offline = new OfflineMarketData({ seed: "history", clock: () => NOW });
  const requests: CandleRange[] = [];
  return {
    name: "ccxt:twin",
    synthetic: false,
    requests,
    instruments: () => offline.instruments(),
    hasSymbol: (s) => offline.hasSymbol(s),
    quote: (s) => offline.quote(s),
    reachable: () => offline.reachable(),
    candles: (symbol: string, interval: Interval, range?: CandleRange) => {
      requests.push(range ?? {});
      return offline.candles(symbol, interval, range);
    },
  };
}

describe("candleHistory", () => {
  it("reads a long range page by page, then from the disk cache", async () => {
    const market = liveTwin();
    const from = new Date("2026-02-01T00:00:00Z");
    const to = new Date("2026-02-28T23:59:00Z");
    const first = await candleHistory(market, "BTCUSDT", "1m", from, to, {
      now: NOW,
      cacheDir: dir,
    });
    expect(first).toHaveLength(28 * 1440);
    expect(first[0]!.openTime.toISOString()).toBe("2026-02-01T00:00:00.000Z");
    expect(first.at(-1)!.openTime.toISOString()).toBe("2026-02-28T23:59:00.000Z");
    for (let i = 1; i < first.length; i++)
      expect(first[i]!.openTime.getTime() - first[i - 1]!.openTime.getTime()).toBe(60_000);
    expect(market.requests.length).toBeGreaterThanOrEqual(
      Math.ceil(first.length / MAX_CANDLE_LIMIT),
    );
    for (const r of market.requests) expect(r.limit).toBeLessThanOrEqual(MAX_CANDLE_LIMIT);

    const again = liveTwin();
    const second = await candleHistory(again, "BTCUSDT", "1m", from, to, {
      now: NOW,
      cacheDir: dir,
    });
    // only the page that reaches past now (still incomplete, so never cached) is asked for again
    expect(again.requests).toHaveLength(1);
    expect(again.requests[0]!.to!.getTime()).toBe(NOW.getTime());
    expect(second.map((c) => [c.openTime.getTime(), c.close.toFixed()])).toEqual(
      first.map((c) => [c.openTime.getTime(), c.close.toFixed()]),
    );
  });

  it("never returns the forming candle and never caches the page holding it", async () => {
    const market = liveTwin();
    const candles = await candleHistory(
      market,
      "ETHUSDT",
      "1h",
      new Date("2026-02-28T00:00:00Z"),
      new Date("2026-03-02T00:00:00Z"),
      { now: NOW, cacheDir: dir },
    );
    expect(candles.at(-1)!.openTime.toISOString()).toBe("2026-03-01T11:00:00.000Z");
    const again = liveTwin();
    await candleHistory(again, "ETHUSDT", "1h", new Date("2026-02-28T00:00:00Z"), NOW, {
      now: NOW,
      cacheDir: dir,
    });
    expect(again.requests.length).toBeGreaterThan(0);
  });

  it("does not cache the offline generator", async () => {
    const own = fs.mkdtempSync(path.join(dir, "offline-"));
    const offline = new OfflineMarketData({ seed: "history", clock: () => NOW });
    const candles = await candleHistory(
      offline,
      "BTCUSDT",
      "1h",
      new Date("2026-02-01T00:00:00Z"),
      new Date("2026-02-02T00:00:00Z"),
      { now: NOW, cacheDir: own },
    );
    expect(candles).toHaveLength(25);
    expect(fs.readdirSync(own)).toEqual([]);
  });
});
