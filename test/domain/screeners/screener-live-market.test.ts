// A screener on live market data: it runs on the exchange twin's candles through ccxt, and while
// the exchange is unreachable the run is refused as a whole (MarketUnavailableError, which the
// bot and the schedule runner report) instead of returning every symbol as "skipped".
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CandleCache } from "../../../src/domain/indicators/candle-cache.ts";
import { ScreenerService } from "../../../src/domain/screeners/screener-service.ts";
import type { Actor } from "../../../src/domain/users/actor.ts";
import { ShiftedClock } from "../../../src/lib/clock.ts";
import { CcxtMarketData } from "../../../src/market/ccxt/ccxt-market-data.ts";
import { LazyExchange } from "../../../src/market/ccxt/client.ts";
import { MarketUnavailableError } from "../../../src/market/types.ts";
import { ExchangeTwin } from "../../support/exchange-twin/index.ts";
import { type TestDatabase, createTestDatabase } from "../../support/db.ts";
import { approvedUser, createWorld } from "../../support/fixtures.ts";

describe("a screener on the exchange twin's candles", () => {
  let tdb: TestDatabase;
  let twin: ExchangeTwin;
  let clock: ShiftedClock;
  let screeners: ScreenerService;
  let alice: Actor;
  const config = {
    universe: { kind: "SYMBOLS", symbols: ["BTCUSDT", "ETHUSDT", "SOLUSDT", "XRPUSDT"] },
    interval: "1h",
    conditions: [{ left: { kind: "RSI", period: 14 }, op: "<", right: 101 }],
    sort: { by: { kind: "PRICE_CHANGE_PCT", period: 24 }, order: "desc" },
    limit: 10,
  };

  beforeAll(async () => {
    tdb = await createTestDatabase("sqlite");
    twin = await ExchangeTwin.start();
    clock = new ShiftedClock();
    const world = createWorld(tdb.db);
    const client = new LazyExchange({ id: "binance", apiUrl: twin.url, rateLimitMs: 1 });
    const market = new CcxtMarketData({
      id: "binance",
      exchange: () => client.get(),
      clock: () => clock.now(),
    });
    screeners = new ScreenerService(world.services.ctx, {
      instruments: world.services.instruments,
      market,
      candles: new CandleCache(market, clock, { ttlMs: () => 0 }),
    });
    alice = await approvedUser(world, "Alice");
  });
  afterAll(async () => {
    await twin.stop();
    await tdb.drop();
  });

  it("ranks the symbols from the exchange's candles, one request per symbol", async () => {
    twin.resetCounters();
    const result = await screeners.run(alice, { config });
    expect(result.evaluated).toBe(4);
    expect(result.rows.map((r) => r.symbol).sort()).toEqual([
      "BTCUSDT",
      "ETHUSDT",
      "SOLUSDT",
      "XRPUSDT",
    ]);
    expect(twin.requestCount("/api/v3/klines")).toBe(4);
  });

  it("refuses the run while the exchange is down and runs again once it is back", async () => {
    await twin.down();
    clock.advance(10_000);
    await expect(screeners.run(alice, { config })).rejects.toBeInstanceOf(MarketUnavailableError);
    await twin.up();
    clock.advance(6_000);
    expect((await screeners.run(alice, { config })).evaluated).toBe(4);
  });
});
