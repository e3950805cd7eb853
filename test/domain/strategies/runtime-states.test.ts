// What the strategy runtime writes when a candle asks for no order, on both databases: the
// states of an instance's symbols are saved together after its last symbol (one statement for
// several), each exactly as the strategy returned it with its candle, so a restart resumes where
// the cycle stopped; a run's figures are written when they move and left as they are when not.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Provider } from "../../../src/db/client.ts";
import type { Services } from "../../../src/domain/services.ts";
import { toActor } from "../../../src/domain/users/actor.ts";
import { ManualClock } from "../../../src/lib/clock.ts";
import { ZERO, fromDb, toDb } from "../../../src/lib/decimal.ts";
import { OfflineMarketData } from "../../../src/market/offline/offline-market-data.ts";
import { PROVIDERS, type TestDatabase, createTestDatabase } from "../../support/db.ts";
import { paperTrader, strategyServices } from "./strategy-world.ts";

// ten seconds past an hour: each hour on, exactly one more 1h candle has closed
const START = "2026-03-10T12:00:10Z";
const HOUR = 3600_000;

let db: TestDatabase;
let clock: ManualClock;
let services: Services;

describe.each(PROVIDERS)("strategy runtime states on %s", (provider: Provider) => {
  beforeAll(async () => {
    db = await createTestDatabase(provider);
    clock = new ManualClock(START);
    services = strategyServices(db.db, clock);
  });
  afterAll(async () => {
    await db?.drop();
  });

  it("saves the states of every symbol of a candle without orders, and a restart resumes from them", async () => {
    const admin = toActor(
      await services.users.registerFromTelegram({ telegramUserId: "1", firstName: "A" }),
    );
    const ivy = await paperTrader(services, admin, "7301", "Ivy");
    await services.strategies.save(ivy.actor, "Watch", { kind: "test-watch" });
    const symbols = ["BTCUSDT", "ETHUSDT", "SOLUSDT"];
    const instance = await services.strategyInstances.start(ivy.actor, {
      strategyName: "Watch",
      portfolioId: ivy.portfolioId,
      symbols,
    });
    const states = () =>
      db.db.prisma.strategySymbolState.findMany({
        where: { instanceId: instance.id },
        orderBy: { symbol: "asc" },
      });
    // the same offline market as the services' (its candles depend on the clock alone)
    const market = new OfflineMarketData({ clock });
    const closeOf = async (symbol: string, openTime: number) => {
      const candles = await market.candles(symbol, "1h", {
        to: clock.now(),
        limit: 3,
      });
      return candles.find((c) => c.openTime.getTime() === openTime)!.close.toFixed();
    };

    for (let hour = 1; hour <= 2; hour++) {
      clock.advance(HOUR);
      const summary = await services.strategyRuntime.runCycle();
      expect(summary).toMatchObject({ evaluated: 3, orders: 0, errors: 0 });
      const lastOpen = Date.parse(START) - 10_000 + (hour - 1) * HOUR;
      const rows = await states();
      expect(rows.map((r) => r.symbol)).toEqual(symbols);
      for (const row of rows) {
        expect(row.lastCandleAt?.getTime()).toBe(lastOpen);
        expect(row.state).toEqual({ seen: hour, close: await closeOf(row.symbol, lastOpen) });
        expect(row.updatedAt).toBeInstanceOf(Date);
      }
    }
    expect(await db.db.prisma.notificationOutbox.count({ where: { userId: ivy.actor.id } })).toBe(
      0,
    );

    // a restart on the same close: every symbol has its candle already
    const restarted = strategyServices(db.db, clock);
    expect(await restarted.strategyRuntime.evaluate(instance.id)).toMatchObject({
      evaluated: 0,
      error: null,
    });

    // a crash before ETHUSDT's state was saved: its candle is evaluated again, from the state
    // before it, and ends where it would have
    const before = await states();
    const eth = before.find((r) => r.symbol === "ETHUSDT")!;
    await db.db.prisma.strategySymbolState.update({
      where: { id: eth.id },
      data: {
        state: { seen: 1, close: "0" },
        lastCandleAt: new Date(eth.lastCandleAt!.getTime() - HOUR),
      },
    });
    expect(await restarted.strategyRuntime.evaluate(instance.id)).toMatchObject({
      evaluated: 1,
      orders: 0,
      error: null,
    });
    const after = await states();
    expect(after.map((r) => [r.symbol, r.state, r.lastCandleAt?.getTime()])).toEqual(
      before.map((r) => [r.symbol, r.state, r.lastCandleAt?.getTime()]),
    );
  });

  it("writes a run's figures when they move and leaves them when they do not", async () => {
    const admin = toActor(
      await services.users.registerFromTelegram({ telegramUserId: "1", firstName: "A" }),
    );
    const jay = await paperTrader(services, admin, "7302", "Jay");
    await services.strategies.save(jay.actor, "Watch", { kind: "test-watch" });
    const stacker = await services.strategies.save(jay.actor, "Stack", {
      kind: "test-every",
      quantity: "0.01",
    });
    const watch = await services.strategyInstances.start(jay.actor, {
      strategyName: "Watch",
      portfolioId: jay.portfolioId,
      symbols: ["BTCUSDT", "ETHUSDT"],
    });
    const run = () =>
      db.db.prisma.strategyRun.findFirstOrThrow({
        where: { instanceId: watch.id, status: "RUNNING" },
      });
    const figures = (r: Awaited<ReturnType<typeof run>>) =>
      [r.peakEquity, r.maxDrawdown, r.pnl, r.capitalEnd].map((v) =>
        v === null ? null : String(v),
      );

    // nothing held: the equity is the cash, the watcher's PnL nil
    clock.advance(HOUR);
    await services.strategyRuntime.runCycle();
    const first = await run();
    expect(Number(first.capitalEnd)).toBe(100000);
    expect(Number(first.pnl)).toBe(0);
    clock.advance(HOUR);
    await services.strategyRuntime.runCycle();
    expect(figures(await run())).toEqual(figures(first));

    // another instance buys in the same portfolio: the watcher's run follows the equity (the
    // fee paid, the position at each new price), as the cycle finds it when the watcher's turn
    // comes (first: it was started first)
    const stack = await services.strategyInstances.start(jay.actor, {
      strategyName: "Stack",
      portfolioId: jay.portfolioId,
      symbols: ["BTCUSDT"],
    });
    const portfolio = await services.portfolios.getPortfolio(jay.actor, jay.portfolioId);
    for (let hour = 0; hour < 3; hour++) {
      clock.advance(HOUR);
      const { lines } = await services.cash.portfolioBalances(portfolio);
      const usdt = lines.find((l) => l.currency === "USDT")!;
      const equity = usdt.cash.plus(usdt.positions);
      await services.strategyRuntime.runCycle();
      const now = await run();
      expect(Number(now.capitalEnd)).toBe(equity.toNumber());
      expect(Number(now.pnl)).toBe(0);
      if (hour > 0) expect(Number(now.capitalEnd)).not.toBe(100000);
    }
    // the stacker's run counts its own position only (both versions' positions were read in one)
    const stackRun = await db.db.prisma.strategyRun.findFirstOrThrow({
      where: { instanceId: stack.id, status: "RUNNING" },
    });
    const held = await db.db.prisma.position.findMany({
      where: { portfolioId: jay.portfolioId, strategyId: stacker.id },
    });
    expect(held).toHaveLength(1);
    const last = (await new OfflineMarketData({ clock }).quote("BTCUSDT")).last;
    const net = held.reduce(
      (sum, p) =>
        sum
          .plus(fromDb(p.realizedPnl))
          .minus(fromDb(p.fees))
          .plus(last.minus(fromDb(p.avgPrice)).mul(fromDb(p.quantity))),
      ZERO,
    );
    expect(fromDb(stackRun.pnl).toFixed()).toBe(toDb(net.minus(fromDb(stackRun.pnlBase))));
    expect(net.isZero()).toBe(false);
    await services.strategyInstances.stop(jay.actor, stack.id);
    await services.strategyInstances.stop(jay.actor, watch.id);
  });

  it("counts an error for an instance whose portfolio was archived, as reading it alone did", async () => {
    const admin = toActor(
      await services.users.registerFromTelegram({ telegramUserId: "1", firstName: "A" }),
    );
    const kim = await paperTrader(services, admin, "7303", "Kim");
    const lee = await paperTrader(services, admin, "7304", "Lee");
    await services.strategies.save(kim.actor, "Watch", { kind: "test-watch" });
    await services.strategies.save(lee.actor, "Watch", { kind: "test-watch" });
    const kims = await services.strategyInstances.start(kim.actor, {
      strategyName: "Watch",
      portfolioId: kim.portfolioId,
      symbols: ["BTCUSDT"],
    });
    const lees = await services.strategyInstances.start(lee.actor, {
      strategyName: "Watch",
      portfolioId: lee.portfolioId,
      symbols: ["BTCUSDT"],
    });
    await db.db.prisma.portfolio.update({
      where: { id: kim.portfolioId },
      data: { archivedAt: clock.now() },
    });
    clock.advance(HOUR);
    const summary = await services.strategyRuntime.runCycle();
    expect(summary.errors).toBeGreaterThanOrEqual(1);
    const kimRow = await services.strategyInstances.get(kim.actor, kims.id);
    expect(kimRow.consecutiveErrors).toBe(1);
    expect(kimRow.lastError).toBe('error-portfolio-archived {"name":"Main"}');
    const leeRow = await services.strategyInstances.get(lee.actor, lees.id);
    expect(leeRow).toMatchObject({ consecutiveErrors: 0, lastError: null });
    await services.strategyInstances.stop(lee.actor, lees.id);
  });
});
