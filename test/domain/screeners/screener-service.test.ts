// ScreenerService on real SQLite and PostgreSQL with the offline market: the ranking over 50
// symbols against one computed independently here from the same candles, universes by asset
// type and exchange, top N, ties, saved screeners (names unique per user, ownership), bad
// configs refused with the field named, and the plain-data run for schedules.
import { describe, expect, it } from "vitest";
import {
  ForbiddenError,
  NotFoundError,
  ValidationError,
  ConflictError,
} from "../../../src/domain/errors.ts";
import { CandleCache } from "../../../src/domain/indicators/candle-cache.ts";
import { ScreenerService } from "../../../src/domain/screeners/screener-service.ts";
import type { Actor } from "../../../src/domain/users/actor.ts";
import { ManualClock } from "../../../src/lib/clock.ts";
import { INSTRUMENT_CATALOG } from "../../../src/market/catalog.ts";
import { OfflineMarketData } from "../../../src/market/offline/offline-market-data.ts";
import { PROVIDERS, type TestDatabase } from "../../support/db.ts";
import { type TestWorld, approvedUser } from "../../support/fixtures.ts";
import { wilderRsi } from "../indicators/wilder-rsi.ts";
import { useTestWorld } from "../../support/test-world.ts";

const SEED = "screeners-test";

/** EMA with the textbook start (the SMA of the first N closes); after 500 candles the start no longer matters. */
function ema(closes: number[], period: number): number {
  const k = 2 / (period + 1);
  let value = closes.slice(0, period).reduce((a, b) => a + b, 0) / period;
  for (let i = period; i < closes.length; i++) value = closes[i]! * k + value * (1 - k);
  return value;
}

describe.each(PROVIDERS)("ScreenerService on %s", (provider) => {
  let tdb: TestDatabase;
  let world: TestWorld;
  let screeners: ScreenerService;
  let alice: Actor;
  useTestWorld(provider, async (t) => {
    ({ tdb, world } = t);
    const market = new OfflineMarketData({ seed: SEED, clock: world.clock });
    screeners = new ScreenerService(world.services.ctx, {
      instruments: world.services.instruments,
      market,
      candles: new CandleCache(market, world.clock),
    });
    alice = await approvedUser(world, "Alice");
  });

  it("ranks 50 symbols exactly as an independent computation over the same candles", async () => {
    const at = new Date("2026-03-10T15:27:41Z");
    world.clock.set(at);
    const symbols = INSTRUMENT_CATALOG.slice(0, 50).map((i) => i.symbol);
    const config = {
      universe: { kind: "SYMBOLS", symbols },
      interval: "1h",
      conditions: [
        { left: { kind: "RSI", period: 14 }, op: "<", right: 60 },
        { left: { kind: "EMA", period: 20 }, op: ">", right: { kind: "EMA", period: 50 } },
      ],
      sort: { by: { kind: "PRICE_CHANGE_PCT", period: 24 }, order: "desc" },
      limit: 10,
    };
    const result = await screeners.run(alice, { config });

    const independent = new OfflineMarketData({ seed: SEED, clock: new ManualClock(at) });
    const expected: Array<{ symbol: string; rsi: number; change: number }> = [];
    for (const symbol of symbols) {
      const closes = (await independent.candles(symbol, "1h", { limit: 500 })).map((c) =>
        c.close.toNumber(),
      );
      const rsi = wilderRsi(closes, 14);
      const n = closes.length - 1;
      const change = (closes[n]! / closes[n - 24]! - 1) * 100;
      if (rsi < 60 && ema(closes, 20) > ema(closes, 50)) expected.push({ symbol, rsi, change });
    }
    expected.sort((a, b) => b.change - a.change);

    expect(result.universe).toBe(50);
    expect(result.evaluated).toBe(50);
    expect(result.matched).toBe(expected.length);
    expect(expected.length).toBeGreaterThan(10);
    expect(expected.length).toBeLessThan(50);
    expect(result.rows.map((r) => r.symbol)).toEqual(expected.slice(0, 10).map((e) => e.symbol));
    expect(result.rows.map((r) => r.rank)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    for (const [i, row] of result.rows.entries()) {
      expect(row.values["RSI(14)"]!.toFixed(2)).toBe(expected[i]!.rsi.toFixed(2));
      expect(row.sortValue!.toFixed(2)).toBe(expected[i]!.change.toFixed(2));
    }
    expect(result.columns).toEqual(["PRICE_CHANGE_PCT(24)", "RSI(14)", "EMA(20)", "EMA(50)"]);
    expect(result.timings.fetchMs).toBeGreaterThan(0);
  });

  it("takes the universe from the instruments table by asset type or exchange", async () => {
    world.clock.set(new Date("2026-03-10T16:00:00Z"));
    const all = await world.services.instruments.list();
    for (const universe of [
      { kind: "ASSET_TYPE", assetType: "ETF" },
      { kind: "EXCHANGE", exchange: "nyse" },
    ] as const) {
      const result = await screeners.run(alice, {
        config: {
          universe,
          interval: "1d",
          conditions: [],
          sort: { by: { kind: "PRICE" }, order: "asc" },
          limit: 50,
        },
      });
      const members = all
        .filter((i) =>
          universe.kind === "ASSET_TYPE" ? i.assetType === "ETF" : i.exchange === "NYSE",
        )
        .map((i) => i.symbol);
      expect(members.length).toBeGreaterThan(3);
      expect(result.rows.map((r) => r.symbol).sort()).toEqual([...members].sort());
      const prices = result.rows.map((r) => r.price);
      expect(prices).toEqual([...prices].sort((a, b) => a - b));
    }
  });

  it("keeps the top N and breaks ties by symbol", async () => {
    // at a minute boundary every forming 1m candle has not moved yet: a 1-candle change of 0
    // for all, a tie everywhere
    world.clock.set(new Date("2026-03-10T17:05:00Z"));
    const symbols = ["SOLUSDT", "AAPL", "XRPUSDT", "BTCUSDT", "MSFT", "ETHUSDT", "KO"];
    const result = await screeners.run(alice, {
      config: {
        universe: { kind: "SYMBOLS", symbols },
        interval: "1m",
        conditions: [],
        sort: { by: { kind: "PRICE_CHANGE_PCT", period: 1 }, order: "desc" },
        limit: 4,
      },
    });
    expect(result.matched).toBe(7);
    expect(result.rows.map((r) => r.symbol)).toEqual(["AAPL", "BTCUSDT", "ETHUSDT", "KO"]);
    expect(result.rows.map((r) => r.sortValue)).toEqual([0, 0, 0, 0]);
  });

  it("saves screeners with names unique per user, and only the owner uses them", async () => {
    const bob = await approvedUser(world, "Bob");
    const config = {
      universe: { kind: "ASSET_TYPE", assetType: "CRYPTO" },
      interval: "4h",
      conditions: [{ left: { kind: "RSI", period: 14 }, op: "<", right: 45 }],
      sort: { by: { kind: "RSI", period: 14 }, order: "asc" },
      limit: 5,
    };
    const saved = await screeners.create(alice, { name: "Oversold", config });
    await expect(screeners.create(alice, { name: "oversold", config })).rejects.toBeInstanceOf(
      ConflictError,
    );
    const bobs = await screeners.create(bob, { name: "Oversold", config });
    expect(bobs.id).not.toBe(saved.id);
    expect((await screeners.list(alice)).map((s) => s.name)).toEqual(["Oversold"]);
    expect((await screeners.findByName(alice, "OVERSOLD")).id).toBe(saved.id);

    for (const op of [
      () => screeners.get(bob, saved.id),
      () => screeners.run(bob, saved.id),
      () => screeners.update(bob, saved.id, { name: "Mine" }),
      () => screeners.delete(bob, saved.id),
      () => screeners.runForSchedule(bob.id, saved.id),
    ]) {
      await expect(op()).rejects.toBeInstanceOf(NotFoundError);
    }

    const renamed = await screeners.update(alice, saved.id, {
      name: "Cheap crypto",
      config: { ...config, limit: 3 },
    });
    expect(renamed).toMatchObject({ name: "Cheap crypto", config: { limit: 3 } });
    const scheduled = await screeners.runAs(alice.id, saved.id);
    expect(scheduled.screener).toEqual({ id: saved.id, name: "Cheap crypto" });
    expect(scheduled.rows.length).toBeGreaterThan(0);
    expect(scheduled.rows.length).toBeLessThanOrEqual(3);
    for (const row of scheduled.rows) expect(row.values["RSI(14)"]).toBeLessThan(45);
    const forSchedule = await screeners.runForSchedule(alice.id, saved.id);
    expect(forSchedule).toMatchObject({
      screenerId: saved.id,
      screenerName: "Cheap crypto",
      columns: ["RSI14"],
    });
    expect(forSchedule.scanned).toBe(40);
    expect(forSchedule.rows).toEqual(
      scheduled.rows.map((r) => ({ symbol: r.symbol, values: [String(r.values["RSI(14)"])] })),
    );

    await screeners.delete(alice, saved.id);
    expect(await screeners.list(alice)).toEqual([]);
  });

  it("refuses bad configs naming the field, and saves nothing", async () => {
    const carol = await approvedUser(world, "Carol");
    const base = {
      universe: { kind: "SYMBOLS", symbols: ["BTCUSDT"] },
      interval: "1h",
      conditions: [],
      sort: { by: { kind: "RSI", period: 14 } },
      limit: 5,
    };
    const cases: Array<[unknown, string]> = [
      [{ ...base, universe: { kind: "SYMBOLS", symbols: ["BTCUSD"] } }, "symbol"],
      [{ ...base, universe: { kind: "EXCHANGE", exchange: "MOEX" } }, "screenerExchange"],
      [{ ...base, universe: { kind: "ASSET_TYPE", assetType: "FOREX" } }, "screenerUniverse"],
      [{ ...base, interval: "3h" }, "candleInterval"],
      [
        { ...base, conditions: [{ left: { kind: "RSI", period: 0 }, op: "<", right: 30 }] },
        "indicatorPeriod",
      ],
      [{ ...base, sort: { by: { kind: "KDJ" } } }, "screenerSort"],
      [{ ...base, limit: 500 }, "screenerLimit"],
    ];
    for (const [config, field] of cases) {
      const error = await screeners.create(carol, { name: "Bad", config }).catch((e: unknown) => e);
      expect(error, JSON.stringify(config)).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).field, JSON.stringify(config)).toBe(field);
    }
    const error = await screeners
      .create(carol, { name: "", config: base })
      .catch((e: unknown) => e);
    expect((error as ValidationError).field).toBe("name");
    expect(await tdb.db.prisma.screener.count({ where: { userId: carol.id } })).toBe(0);
  });

  it("refuses to run for a user who lost access", async () => {
    const dave = await approvedUser(world, "Dave");
    const saved = await screeners.create(dave, {
      name: "Any",
      config: {
        universe: { kind: "SYMBOLS", symbols: ["ETHUSDT"] },
        interval: "1d",
        conditions: [],
        sort: { by: { kind: "PRICE" } },
        limit: 1,
      },
    });
    const admin = await world.services.users.registerFromTelegram({
      telegramUserId: "1",
      firstName: "Admin",
    });
    await world.services.users.deactivate(world.services.users.actorOf(admin), dave.id);
    await expect(screeners.runForSchedule(dave.id, saved.id)).rejects.toBeInstanceOf(
      ForbiddenError,
    );
  });
});
