// The strategy runtime hands the order path what its cycle already read and checked (the
// portfolio view, the instance's own strategy: TradingService.place's `known`), so it is not read
// again. On both databases: the order, its fill, the position, the cash and what the strategy is
// told are what a plain placement of the same order gives; and a passed-in view never lets an
// order through that a plain placement refuses: a portfolio that is not the actor's, one deleted,
// archived or paused since the view was read, a user no longer approved, another user's strategy.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Provider } from "../../../src/db/client.ts";
import type { OrderRequest } from "../../../src/domain/orders/order-types.ts";
import type { Services } from "../../../src/domain/services.ts";
import { CycleCache } from "../../../src/domain/strategies/cycle-cache.ts";
import { type Actor, toActor } from "../../../src/domain/users/actor.ts";
import { ManualClock } from "../../../src/lib/clock.ts";
import { Decimal } from "../../../src/lib/decimal.ts";
import { OfflineMarketData } from "../../../src/market/offline/offline-market-data.ts";
import { PROVIDERS, type TestDatabase, createTestDatabase } from "../../support/db.ts";
import { strategyServices, paperTrader } from "./strategy-world.ts";

const START = "2026-03-10T12:00:10Z";
const HOUR = 3600_000;

let db: TestDatabase;
let clock: ManualClock;
let services: Services;
let admin: Actor;
let telegramIds = 7300;

async function trader(name: string): Promise<{ actor: Actor; portfolioId: number }> {
  return paperTrader(services, admin, String(telegramIds++), name);
}

const buy = (portfolioId: number, strategyId: number | null = null): OrderRequest => ({
  portfolioId,
  symbol: "BTCUSDT",
  side: "BUY",
  type: "MARKET",
  quantity: new Decimal("0.001"),
  price: null,
  strategyId,
});

/** The portfolio's order, its fills, its position and its cash, as comparable strings. */
async function booked(portfolioId: number) {
  const orders = await db.db.prisma.order.findMany({ where: { portfolioId } });
  expect(orders).toHaveLength(1);
  const order = orders[0]!;
  const trades = await db.db.prisma.trade.findMany({
    where: { orderId: order.id },
    orderBy: { id: "asc" },
  });
  const positions = await db.db.prisma.position.findMany({ where: { portfolioId } });
  const cash = await db.db.prisma.cashTransaction.findFirstOrThrow({
    where: { portfolioId },
    orderBy: { id: "desc" },
  });
  const d = (v: { toString(): string } | null) => (v === null ? null : new Decimal(v.toString()));
  return {
    order: {
      side: order.side,
      type: order.type,
      status: order.status,
      quantity: d(order.quantity)!.toFixed(),
      filled: d(order.filledQuantity)!.toFixed(),
      avgFillPrice: d(order.avgFillPrice)?.toFixed() ?? null,
    },
    fills: trades.map((t) => ({
      quantity: d(t.quantity)!.toFixed(),
      price: d(t.price)!.toFixed(),
      fee: d(t.fee)!.toFixed(),
      feeCurrency: t.feeCurrency,
    })),
    positions: positions.map((p) => ({
      quantity: d(p.quantity)!.toFixed(),
      avgPrice: d(p.avgPrice)!.toFixed(),
      fees: d(p.fees)!.toFixed(),
      realizedPnl: d(p.realizedPnl)!.toFixed(),
    })),
    cash: { currency: cash.currency, balance: d(cash.balanceAfter)!.toFixed() },
  };
}

describe.each(PROVIDERS)(
  "strategy orders with the cycle's known basis on %s",
  (provider: Provider) => {
    beforeAll(async () => {
      db = await createTestDatabase(provider);
      clock = new ManualClock(START);
      services = strategyServices(db.db, clock);
      admin = toActor(
        await services.users.registerFromTelegram({ telegramUserId: "1", firstName: "A" }),
      );
    });
    afterAll(async () => {
      await db?.drop();
    });

    it("books the order, fill, position and cash a plain placement of the same order books", async () => {
      const alice = await trader("Alice");
      const bob = await trader("Bob");
      const params = { kind: "test-quote", timeframe: "1h", amount: "1000", once: true };
      const alices = await services.strategies.save(alice.actor, "Quoter", params);
      const bobs = await services.strategies.save(bob.actor, "Quoter", params);
      const instance = await services.strategyInstances.start(alice.actor, {
        strategyName: "Quoter",
        portfolioId: alice.portfolioId,
        symbols: ["BTCUSDT"],
      });
      clock.advance(HOUR);
      // Alice's order: sized and placed by the runtime with its cycle's view and strategy
      expect(await services.strategyRuntime.evaluate(instance.id)).toMatchObject({
        evaluated: 1,
        orders: 1,
        error: null,
      });
      // Bob's: the same intent at the same moment through the plain path, nothing passed in
      const sized = await services.trading.quantityForCash(
        bob.actor,
        bob.portfolioId,
        "BTCUSDT",
        new Decimal("1000"),
        "BUY",
      );
      const plain = await services.trading.place(bob.actor, {
        ...buy(bob.portfolioId, bobs.id),
        quantity: sized.quantity,
      });
      expect(plain.order.status).toBe("FILLED");

      const mine = await booked(alice.portfolioId);
      expect(mine.order.status).toBe("FILLED");
      expect(mine.fills).toHaveLength(1);
      expect(mine).toEqual(await booked(bob.portfolioId));
      const [order] = await db.db.prisma.order.findMany({
        where: { portfolioId: alice.portfolioId },
      });
      expect(order!.strategyId).toBe(alices.id);

      // the strategy was told of the fill place() returned, as it was of the one read again
      const state = await db.db.prisma.strategySymbolState.findFirstOrThrow({
        where: { instanceId: instance.id },
      });
      expect(state.state).toEqual({ fills: 1, filled: mine.fills[0]!.quantity });

      // the run's figures: after the order (its positions read again) and after a candle without
      // one (the positions the evaluation read), equity and PnL at that hour's price
      const market = new OfflineMarketData({ clock });
      const position = mine.positions[0]!;
      for (const orders of [1, 0]) {
        if (!orders) {
          clock.advance(HOUR);
          expect(await services.strategyRuntime.evaluate(instance.id)).toMatchObject({
            evaluated: 1,
            orders: 0,
            error: null,
          });
        }
        const last = (await market.quote("BTCUSDT")).last;
        const quantity = new Decimal(position.quantity);
        const [run] = await services.strategyInstances.runs(alice.actor, instance.id);
        expect(run).toMatchObject({ status: "RUNNING", orders: 1, successfulOrders: 1 });
        expect(run!.capitalEnd?.toFixed()).toBe(
          new Decimal(mine.cash.balance).plus(quantity.mul(last)).toFixed(),
        );
        // realized − fees + unrealized, from a run that started flat
        expect(run!.pnl.toFixed()).toBe(
          new Decimal(position.realizedPnl)
            .minus(position.fees)
            .plus(last.minus(position.avgPrice).mul(quantity))
            .toFixed(),
        );
      }
      await services.strategyInstances.stop(alice.actor, instance.id);
    });

    it("refuses a passed-in view that is not the actor's, closed since, or of a user no longer approved", async () => {
      const erin = await trader("Erin");
      const frank = await trader("Frank");
      const erinsView = await services.portfolios.getLivePortfolio(erin.actor, erin.portfolioId);
      const franksView = await services.portfolios.getLivePortfolio(frank.actor, frank.portfolioId);
      const erinsStrategy = await services.strategies.save(erin.actor, "Hers", {
        kind: "test-every",
      });

      // Frank with Erin's view: not found, as a plain placement is
      await expect(
        services.trading.place(frank.actor, buy(erin.portfolioId), {
          known: { portfolio: erinsView },
        }),
      ).rejects.toMatchObject({ code: "NOT_FOUND" });
      await expect(
        services.trading.place(frank.actor, buy(erin.portfolioId)),
      ).rejects.toMatchObject({ code: "NOT_FOUND" });
      // his own view does not let Erin's strategy through
      await expect(
        services.trading.place(frank.actor, buy(frank.portfolioId, erinsStrategy.id), {
          known: { portfolio: franksView },
        }),
      ).rejects.toMatchObject({ code: "NOT_FOUND" });

      // deleted since the view was read
      const spare = await services.portfolios.createPortfolio(erin.actor, {
        accountId: erinsView.accountId,
        name: "Spare",
      });
      const sparesView = await services.portfolios.getLivePortfolio(erin.actor, spare.id);
      expect(await services.portfolios.deletePortfolio(erin.actor, spare.id)).toMatchObject({
        outcome: "DELETED",
      });
      await expect(
        services.trading.place(erin.actor, buy(spare.id), { known: { portfolio: sparesView } }),
      ).rejects.toMatchObject({ code: "NOT_FOUND" });

      // Frank deactivated since his view (and his actor) were read
      await services.users.deactivate(admin, frank.actor.id);
      const revoked = toActor(await services.users.getById(frank.actor.id));
      await expect(
        services.trading.place(revoked, buy(frank.portfolioId), {
          known: { portfolio: franksView },
        }),
      ).rejects.toMatchObject({ key: "error-access-revoked" });

      // archived since the view was read (as retiring a portfolio with history archives it)
      await db.db.prisma.portfolio.update({
        where: { id: erin.portfolioId },
        data: { archivedAt: clock.now() },
      });
      await expect(
        services.trading.place(erin.actor, buy(erin.portfolioId), {
          known: { portfolio: erinsView },
        }),
      ).rejects.toMatchObject({ key: "error-portfolio-archived" });

      expect(
        await db.db.prisma.order.count({
          where: { portfolioId: { in: [erin.portfolioId, frank.portfolioId, spare.id] } },
        }),
      ).toBe(0);
    });

    it("refuses the runtime's entry on a portfolio paused or archived after its cycle read the view", async () => {
      const gina = await trader("Gina");
      const hugo = await trader("Hugo");
      const started = [];
      for (const t of [gina, hugo]) {
        await services.strategies.save(t.actor, "Stacker", { kind: "test-every" });
        started.push(
          await services.strategyInstances.start(t.actor, {
            strategyName: "Stacker",
            portfolioId: t.portfolioId,
            symbols: ["BTCUSDT"],
          }),
        );
      }
      // the cycle read both views (live, not paused) before the owners acted
      const cache = new CycleCache();
      for (const t of [gina, hugo]) {
        await cache.portfolio(t.actor.id, t.portfolioId, () =>
          services.portfolios.getLivePortfolio(t.actor, t.portfolioId),
        );
      }
      await services.entryPause.pause(gina.actor, { portfolioId: gina.portfolioId });
      await db.db.prisma.portfolio.update({
        where: { id: hugo.portfolioId },
        data: { archivedAt: clock.now() },
      });
      clock.advance(HOUR);
      for (const [i, key] of ["error-entries-paused", "error-portfolio-archived"].entries()) {
        const instance = started[i]!;
        // refused orders are reported, not errors
        expect(await services.strategyRuntime.evaluate(instance.id, cache)).toMatchObject({
          evaluated: 1,
          orders: 0,
          error: null,
        });
        const notice = await db.db.prisma.notificationOutbox.findFirstOrThrow({
          where: { userId: instance.userId, type: "STRATEGY_SIGNAL" },
          orderBy: { id: "desc" },
        });
        expect(notice.message).toContain('"kind":"refused"');
        expect(notice.message).toContain(key);
      }
      expect(
        await db.db.prisma.order.count({
          where: { portfolioId: { in: [gina.portfolioId, hugo.portfolioId] } },
        }),
      ).toBe(0);
    });
  },
);
