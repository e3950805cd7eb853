// The order-sync job on both databases: fills reach the domain exactly once however often (and
// from how many processes) it runs, DAY orders end with the user's day, large orders fill over
// several runs, and one account's failure leaves the others alone.
import { Cron } from "croner";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type PaperBroker } from "../../src/brokers/paper/paper-broker.ts";
import type { BrokerGateway } from "../../src/brokers/types.ts";
import { cashBalance } from "../../src/domain/cash/cash-ledger.ts";
import type { OrderRequest } from "../../src/domain/orders/order-types.ts";
import { toActor } from "../../src/domain/users/actor.ts";
import { ORDER_SYNC_CRON } from "../../src/jobs/order-sync.ts";
import { Decimal } from "../../src/lib/decimal.ts";
import { PROVIDERS, type TestDatabase, createTestDatabase } from "../support/db.ts";
import { approvedUser, paperPortfolio } from "../support/fixtures.ts";
import { type TradingWorld, createTradingWorld } from "../domain/trading/trading-world.ts";

const d = (v: string) => new Decimal(v);

describe("ORDER_SYNC_CRON", () => {
  it("fires every two seconds under croner", () => {
    const cron = new Cron(ORDER_SYNC_CRON, { paused: true });
    const runs = cron.nextRuns(3, new Date("2026-03-10T12:00:00.500Z"));
    cron.stop();
    expect(runs.map((r) => r.toISOString())).toEqual([
      "2026-03-10T12:00:02.000Z",
      "2026-03-10T12:00:04.000Z",
      "2026-03-10T12:00:06.000Z",
    ]);
  });
});

describe.each(PROVIDERS)("OrderSync on %s", (provider) => {
  let tdb: TestDatabase;
  let world: TradingWorld;
  beforeAll(async () => {
    tdb = await createTestDatabase(provider);
    world = createTradingWorld(tdb.db);
  });
  afterAll(() => tdb.drop());

  const reset = (w: TradingWorld = world) => {
    w.clock.set("2026-03-10T12:00:30Z");
    w.market.price("ETHUSDT", "3000");
    w.market.volume("ETHUSDT", "1000");
  };

  async function trader(w: TradingWorld = world) {
    const actor = await approvedUser(w);
    const portfolio = await paperPortfolio(w, actor, { cash: "100000" });
    return { actor, portfolio };
  }

  const limitBuy = (portfolioId: number, price: string, patch: Partial<OrderRequest> = {}) => ({
    portfolioId,
    symbol: "ETHUSDT",
    side: "BUY" as const,
    type: "LIMIT" as const,
    quantity: d("0.5"),
    price: d(price),
    ...patch,
  });

  async function ledger(accountId: number, portfolioId: number) {
    const db = tdb.db.prisma;
    return {
      trades: await db.trade.count({ where: { portfolioId } }),
      cash: (await cashBalance(db, portfolioId, "USDT")).toFixed(),
      cashRows: await db.cashTransaction.count({ where: { accountId } }),
      position: (await db.position.findMany({ where: { portfolioId } })).map((p) =>
        [p.quantity, p.avgPrice, p.fees].map(String).join("|"),
      ),
    };
  }

  it("ingests each fill once, however often it runs and even after losing its cursor", async () => {
    reset();
    const { actor, portfolio } = await trader();
    // an order far from the market keeps the account on the job's list throughout
    const resting = await world.trading.place(actor, limitBuy(portfolio.id, "1000"));
    for (const price of ["2990", "2980", "2970"])
      await world.trading.place(actor, limitBuy(portfolio.id, price));
    world.market.price("ETHUSDT", "2960");
    const first = await world.orderSync.runOnce();
    expect(first.errors).toEqual([]);
    expect(first.venueFills).toBe(3);
    expect(first.fillsIngested).toBe(3);
    const after = await ledger(portfolio.accountId, portfolio.id);
    expect(after.trades).toBe(3);

    const second = await world.orderSync.runOnce();
    expect(second).toMatchObject({ fillsIngested: 0, duplicates: 0, statusChanges: 0 });
    // a crash after ingesting but before storing the cursor: the page comes again, as duplicates
    await tdb.db.prisma.syncCursor.delete({ where: { accountId: portfolio.accountId } });
    const replay = await world.orderSync.runOnce();
    expect(replay).toMatchObject({ fillsIngested: 0, duplicates: 3 });
    expect(await ledger(portfolio.accountId, portfolio.id)).toEqual(after);
    const open = await world.services.orders.listOpen(actor, portfolio.id);
    expect(open.map((o) => o.id)).toEqual([resting.order.id]);
    await world.trading.cancel(actor, resting.order.id);
  });

  it("two processes syncing at once still ingest every fill exactly once", async () => {
    reset();
    const { actor, portfolio } = await trader();
    const other = createTradingWorld(tdb.db); // its own synchronizer: no shared in-process lock
    other.clock.set(world.clock.now());
    for (let i = 0; i < 4; i++) await world.trading.place(actor, limitBuy(portfolio.id, "2990"));
    world.market.price("ETHUSDT", "2950");
    other.market.price("ETHUSDT", "2950");
    const [a, b] = await Promise.all([world.orderSync.runOnce(), other.orderSync.runOnce()]);
    expect(a.errors).toEqual([]);
    expect(b.errors).toEqual([]);
    expect(a.venueFills + b.venueFills).toBe(4);
    expect(await tdb.db.prisma.paperFill.count({ where: { accountId: portfolio.accountId } })).toBe(
      4,
    );
    expect((await ledger(portfolio.accountId, portfolio.id)).trades).toBe(4);
    const position = await world.services.positions.snapshot(actor, portfolio.id);
    expect(position[0]?.quantity.toFixed()).toBe("2");
  });

  it("a call while a run is in progress shares that run", async () => {
    reset();
    const [a, b] = [world.orderSync.runOnce(), world.orderSync.runOnce()];
    expect(b).toBe(a);
    await a;
    const c = world.orderSync.runOnce();
    expect(c).not.toBe(a);
    await c;
  });

  it("fills a large order over several runs, minute by minute", async () => {
    reset();
    world.market.volume("ETHUSDT", "4"); // 1 ETH a minute for the account
    const { actor, portfolio } = await trader();
    const placed = await world.trading.place(actor, {
      portfolioId: portfolio.id,
      symbol: "ETHUSDT",
      side: "BUY",
      type: "MARKET",
      quantity: d("2.5"),
    });
    expect(placed.order.status).toBe("PARTIALLY_FILLED");
    world.clock.advance(2_000);
    expect((await world.orderSync.runOnce()).fillsIngested).toBe(0);
    world.clock.set("2026-03-10T12:01:01Z");
    world.market.price("ETHUSDT", "3010");
    expect((await world.orderSync.runOnce()).fillsIngested).toBe(1);
    world.clock.set("2026-03-10T12:02:01Z");
    world.market.price("ETHUSDT", "3020");
    expect((await world.orderSync.runOnce()).fillsIngested).toBe(1);
    const order = await world.services.orders.get(actor, placed.order.id);
    expect(order.status).toBe("FILLED");
    // (1 × 3000.62 + 1 × 3010.62 + 0.5 × 3020.62) / 2.5
    expect(order.avgFillPrice?.toFixed()).toBe("3008.62");
    world.market.volume("ETHUSDT", "1000");
  });

  it("expires a DAY order at the end of the user's day in their time zone", async () => {
    // 23:30 in New York (UTC−4 after the March DST change) is 03:30 UTC the next day
    world.clock.set("2026-03-11T03:30:00Z");
    world.market.price("ETHUSDT", "3000");
    const user = await approvedUser(world);
    const actor = toActor(
      await world.services.users.updateSettings(user, { timeZone: "America/New_York" }),
    );
    const portfolio = await paperPortfolio(world, actor, { cash: "100000" });
    const placed = await world.trading.place(
      actor,
      limitBuy(portfolio.id, "2500", { timeInForce: "DAY" }),
    );
    expect(placed.order.expiresAt?.toISOString()).toBe("2026-03-11T04:00:00.000Z");

    world.clock.set("2026-03-11T03:59:59Z");
    await world.orderSync.runOnce();
    expect((await world.services.orders.get(actor, placed.order.id)).status).toBe("NEW");

    world.clock.set("2026-03-11T04:00:01Z");
    const summary = await world.orderSync.runOnce();
    expect(summary.statusChanges).toBe(1);
    const order = await world.services.orders.get(actor, placed.order.id);
    expect(order).toMatchObject({ status: "EXPIRED", rejectReason: "expired-day" });
    const audit = await tdb.db.prisma.auditLog.findFirst({
      where: { entityType: "ORDER", entityId: order.id, action: "EXPIRE" },
    });
    expect(audit?.actorId).toBeNull();
    // nothing left to sync for that account
    expect(await world.orderSync.accountsToSync()).not.toContain(portfolio.accountId);
  });

  it("one account's failure is reported and the other accounts still sync", async () => {
    const broken = new Set<number>();
    const w = createTradingWorld(tdb.db, {
      gatewaySource: (registry) => ({
        async forAccount(accountId: number): Promise<BrokerGateway> {
          const real = await registry.forAccount(accountId);
          if (!broken.has(accountId)) return real;
          return new Proxy(real, {
            get(target, key, receiver) {
              if (key === "fetchFillsSince")
                return async () => Promise.reject(new Error("venue down"));
              return Reflect.get(target, key, receiver);
            },
          });
        },
      }),
    });
    reset(w);
    const bad = await trader(w);
    const good = await trader(w);
    await w.trading.place(bad.actor, limitBuy(bad.portfolio.id, "2990"));
    await w.trading.place(good.actor, limitBuy(good.portfolio.id, "2990"));
    broken.add(bad.portfolio.accountId);
    w.market.price("ETHUSDT", "2950");
    const summary = await w.orderSync.runOnce();
    expect(summary.fillsIngested).toBe(1);
    expect(summary.errors).toEqual([
      { accountId: bad.portfolio.accountId, message: "fills: Error: venue down" },
    ]);
    expect((await w.services.orders.listOpen(good.actor, good.portfolio.id)).length).toBe(0);
    expect((await w.services.orders.listOpen(bad.actor, bad.portfolio.id)).length).toBe(1);
    broken.clear();
    expect((await w.orderSync.runOnce()).fillsIngested).toBe(1);
    expect((await w.services.orders.listOpen(bad.actor, bad.portfolio.id)).length).toBe(0);
  });

  it("audits and passes over fills of orders it does not know", async () => {
    reset();
    const { actor, portfolio } = await trader();
    // the account is synced while it has a domain order open
    const resting = await world.trading.place(actor, limitBuy(portfolio.id, "1000"));
    const venue = (await world.gateways.forAccount(portfolio.accountId)) as PaperBroker;
    await venue.placeOrder({
      clientOrderId: "placed-elsewhere",
      symbol: "ETHUSDT",
      side: "BUY",
      type: "MARKET",
      timeInForce: "GTC",
      quantity: d("0.1"),
    });
    const summary = await world.orderSync.runOnce();
    expect(summary.unmatched).toBe(1);
    expect((await ledger(portfolio.accountId, portfolio.id)).trades).toBe(0);
    const audit = await tdb.db.prisma.auditLog.findFirst({
      where: { entityType: "TRADE", action: "SYNC" },
      orderBy: { id: "desc" },
    });
    expect(audit?.details).toMatchObject({
      reason: "no-matching-order",
      clientOrderId: "placed-elsewhere",
    });
    expect((await world.orderSync.runOnce()).unmatched).toBe(0);
    await world.trading.cancel(actor, resting.order.id);
  });

  it("a fill that cannot be ingested is retried every run, never skipped", async () => {
    reset();
    const { actor, portfolio } = await trader();
    // the domain holds a BUY under this client id, the venue executed a SELL under it
    const order = await world.services.orders.place(actor, {
      portfolioId: portfolio.id,
      symbol: "ETHUSDT",
      side: "BUY",
      type: "LIMIT",
      quantity: d("0.5"),
      price: d("1000"),
      clientOrderId: "mismatched",
    });
    // the account holds 0.5 ETH (a spot venue refuses a sell of what is not held)
    await world.trading.place(actor, {
      portfolioId: portfolio.id,
      symbol: "ETHUSDT",
      side: "BUY",
      type: "MARKET",
      quantity: d("0.5"),
    });
    const cursorBefore = await tdb.db.prisma.syncCursor.findUnique({
      where: { accountId: portfolio.accountId },
    });
    const venue = (await world.gateways.forAccount(portfolio.accountId)) as PaperBroker;
    await venue.placeOrder({
      clientOrderId: "mismatched",
      symbol: "ETHUSDT",
      side: "SELL",
      type: "MARKET",
      timeInForce: "GTC",
      quantity: d("0.5"),
    });
    for (let run = 0; run < 2; run++) {
      const summary = await world.orderSync.runOnce();
      expect(summary.errors.map((e) => e.message)).toEqual([
        expect.stringContaining("fills: ValidationError"),
      ]);
      expect(
        await tdb.db.prisma.syncCursor.findUnique({ where: { accountId: portfolio.accountId } }),
      ).toEqual(cursorBefore);
    }
    expect((await world.services.orders.get(actor, order.id)).filledQuantity.toFixed()).toBe("0");
    await world.services.orders.cancel(actor, order.id);
  });

  it("skips accounts of live brokers no adapter is configured for", async () => {
    reset();
    const actor = await approvedUser(world);
    const account = await world.services.portfolios.createAccount(actor, {
      brokerCode: "BINANCE",
      name: "Binance",
    });
    const portfolio = await world.services.portfolios.createPortfolio(actor, {
      accountId: account.id,
      name: "Live",
    });
    await world.services.orders.place(actor, limitBuy(portfolio.id, "1000"));
    expect(await world.orderSync.accountsToSync()).not.toContain(account.id);
    expect((await world.orderSync.runOnce()).errors).toEqual([]);
  });
});
