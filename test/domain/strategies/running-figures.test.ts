// /running's figures on both databases: the reads are batched over the instances (one read of
// the runs, one count of today's orders, per portfolio one equity and one read of its strategies'
// positions), and every instance must still get its own figures: orders today summed over every
// version of its strategy in its portfolio only, and the PnL of its current run as the cycle
// recorded it. Another user's instances and orders never count.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Provider } from "../../../src/db/client.ts";
import type { Services } from "../../../src/domain/services.ts";
import { toActor } from "../../../src/domain/users/actor.ts";
import { ManualClock } from "../../../src/lib/clock.ts";
import { Decimal } from "../../../src/lib/decimal.ts";
import { PROVIDERS, type TestDatabase, createTestDatabase } from "../../support/db.ts";
import { paperTrader, strategyServices } from "./strategy-world.ts";

const START = "2026-03-10T12:00:10Z";
const HOUR = 3600_000;

describe.each(PROVIDERS)("/running figures on %s", (provider: Provider) => {
  let db: TestDatabase;
  let services: Services;
  const clock = new ManualClock(START);

  beforeAll(async () => {
    db = await createTestDatabase(provider);
    services = strategyServices(db.db, clock);
  });
  afterAll(async () => {
    await db?.drop();
  });

  it("gives each instance its own orders today and run PnL, whatever it shares", async () => {
    const admin = toActor(
      await services.users.registerFromTelegram({ telegramUserId: "1", firstName: "A" }),
    );
    const alice = await paperTrader(services, admin, "7301", "Alice");
    const bob = await paperTrader(services, admin, "7302", "Bob");
    const account = await services.portfolios.createAccount(alice.actor, {
      brokerCode: "PAPER",
      name: "Second",
      baseCurrency: "USDT",
      openingBalance: new Decimal("5000"),
    });
    const second = await services.portfolios.createPortfolio(alice.actor, {
      accountId: account.id,
      name: "Side",
    });
    const every = { kind: "test-every", timeframe: "1h", quantity: "0.001" };
    await services.strategies.save(alice.actor, "Stacker", every);
    // ETH at about 2,700: 0.01 clears the venue's minimum notional of 5
    await services.strategies.save(alice.actor, "Other", { ...every, quantity: "0.01" });
    await services.strategies.save(bob.actor, "Stacker", every);
    const start = (who: typeof alice, strategyName: string, portfolioId: number, symbol: string) =>
      services.strategyInstances.start(who.actor, { strategyName, portfolioId, symbols: [symbol] });
    // two instances on Alice's main portfolio, one of the same strategy on her second
    const stackerMain = await start(alice, "Stacker", alice.portfolioId, "BTCUSDT");
    const otherMain = await start(alice, "Other", alice.portfolioId, "ETHUSDT");
    const firstSide = await start(alice, "Stacker", second.id, "BTCUSDT");
    await start(bob, "Stacker", bob.portfolioId, "BTCUSDT");

    clock.advance(HOUR);
    await services.strategyRuntime.runCycle();
    // restarted on the second portfolio: a new instance whose run starts from the PnL the
    // strategy already has there, so each run's base differs
    await services.strategyInstances.stop(alice.actor, firstSide.id);
    const stackerSide = await start(alice, "Stacker", second.id, "BTCUSDT");
    // a new version, switched to on the main portfolio only: its orders and the first
    // version's both count as the strategy's orders today there
    await services.strategies.save(alice.actor, "Stacker", { ...every, quantity: "0.002" });
    await services.strategyInstances.switchVersion(alice.actor, stackerMain.id);
    clock.advance(HOUR);
    await services.strategyRuntime.runCycle();

    const running = await services.strategyInstances.running(alice.actor);
    expect(running.map((r) => r.id)).toEqual([stackerMain.id, otherMain.id, stackerSide.id]);
    const byId = new Map(running.map((r) => [r.id, r]));
    expect(byId.get(stackerMain.id)).toMatchObject({ strategyVersion: 2, ordersToday: 2 });
    expect(byId.get(otherMain.id)).toMatchObject({ strategyVersion: 1, ordersToday: 2 });
    expect(byId.get(stackerSide.id)).toMatchObject({ strategyVersion: 1, ordersToday: 2 });

    // the same counts straight from the orders table, by portfolio and strategy name
    const versions = await services.strategies.versions(alice.actor, "Stacker");
    const count = (portfolioId: number, strategyIds: number[]) =>
      db.db.prisma.order.count({ where: { portfolioId, strategyId: { in: strategyIds } } });
    const stackerIds = versions.map((v) => v.id);
    expect(await count(alice.portfolioId, stackerIds)).toBe(2);
    expect(await count(second.id, stackerIds)).toBe(2);

    // each run's PnL as the cycle recorded it a moment ago (the price has not moved since),
    // and none of them zero: the paper fills paid fees (the restarted run counts its own fill)
    for (const r of running) {
      const [run] = await services.strategyInstances.runs(alice.actor, r.id);
      expect(run!.status).toBe("RUNNING");
      expect(r.pnlSinceStart.toFixed()).toBe(run!.pnl.toFixed());
      expect(r.pnlSinceStart.isZero()).toBe(false);
      expect(r.currency).toBe("USDT");
    }

    // Bob sees his one instance only; Alice's count no order of his
    const bobs = await services.strategyInstances.running(bob.actor);
    expect(bobs).toHaveLength(1);
    expect(bobs[0]!.ordersToday).toBe(2);
    expect(bobs[0]!.portfolioId).toBe(bob.portfolioId);

    // the next day starts from zero
    clock.advance(24 * HOUR);
    const tomorrow = await services.strategyInstances.running(alice.actor);
    expect(tomorrow.map((r) => r.ordersToday)).toEqual([0, 0, 0]);
  });
});
