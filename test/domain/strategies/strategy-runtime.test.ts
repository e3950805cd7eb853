// The strategy runtime on both databases: one order per closed candle even through a crash
// between the order and the saved state, and through a restart (new services on the same
// database); a strategy that throws is paused after three errors in a row and its owner told
// while another user's instance goes on trading; one user can never see, stop, pause or switch
// another's instance; a new version changes nothing running until the instance is switched.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Provider } from "../../../src/db/client.ts";
import type { Services } from "../../../src/domain/services.ts";
import { toActor, type Actor } from "../../../src/domain/users/actor.ts";
import { ManualClock } from "../../../src/lib/clock.ts";
import { PROVIDERS, type TestDatabase, createTestDatabase } from "../../support/db.ts";
import { strategyServices, paperTrader } from "./strategy-world.ts";

const START = "2026-03-10T12:00:10Z";
const HOUR = 3600_000;

let db: TestDatabase;
let clock: ManualClock;
let services: Services;
let telegramIds = 7100;

async function trader(name: string): Promise<{ actor: Actor; portfolioId: number }> {
  const admin = toActor(
    await services.users.registerFromTelegram({ telegramUserId: "1", firstName: "A" }),
  );
  return paperTrader(services, admin, String(telegramIds++), name);
}

const ordersOf = (instanceStrategyIds: number[]) =>
  db.db.prisma.order.findMany({
    where: { strategyId: { in: instanceStrategyIds } },
    orderBy: { id: "asc" },
  });

describe.each(PROVIDERS)("strategy runtime on %s", (provider: Provider) => {
  beforeAll(async () => {
    db = await createTestDatabase(provider);
    clock = new ManualClock(START);
    services = strategyServices(db.db, clock);
  });
  afterAll(async () => {
    await db?.drop();
  });

  it("places one order per closed candle, through a crash before the state is saved and a restart", async () => {
    const alice = await trader("Alice");
    const saved = await services.strategies.save(alice.actor, "Stacker", {
      kind: "test-every",
      timeframe: "1h",
      quantity: "0.001",
    });
    const instance = await services.strategyInstances.start(alice.actor, {
      strategyName: "stacker",
      portfolioId: alice.portfolioId,
      symbols: ["btcusdt"],
    });
    expect(instance.symbols).toEqual(["BTCUSDT"]);
    expect(instance.strategyVersion).toBe(1);

    // the candle that closed before the start is not answered
    let result = await services.strategyRuntime.evaluate(instance.id);
    expect(result).toMatchObject({ evaluated: 0, orders: 0, error: null });

    clock.advance(HOUR);
    result = await services.strategyRuntime.evaluate(instance.id);
    expect(result).toMatchObject({ evaluated: 1, orders: 1, error: null });
    let orders = await ordersOf([saved.id]);
    expect(orders).toHaveLength(1);
    expect(orders[0]!.status).toBe("FILLED");
    expect(orders[0]!.clientOrderId).toMatch(/^st-[0-9a-f]{32}$/);
    expect(orders[0]!.strategyId).toBe(saved.id);

    // the state and the candle were saved with the order: evaluating again does nothing
    expect(await services.strategyRuntime.evaluate(instance.id)).toMatchObject({ evaluated: 0 });
    const stateRow = await db.db.prisma.strategySymbolState.findFirstOrThrow({
      where: { instanceId: instance.id },
    });
    expect(stateRow.state).toEqual({ seen: 1, fills: 1 });

    // a crash after the order, before the state was saved: the row as it stood before
    await db.db.prisma.strategySymbolState.update({
      where: { id: stateRow.id },
      data: { state: { seen: 0, fills: 0 }, lastCandleAt: null },
    });
    // a restart: new services on the same database evaluate the same candle again
    const restarted = strategyServices(db.db, clock);
    result = await restarted.strategyRuntime.evaluate(instance.id);
    expect(result).toMatchObject({ evaluated: 1, orders: 0, error: null });
    orders = await ordersOf([saved.id]);
    expect(orders).toHaveLength(1);
    const resumed = await db.db.prisma.strategySymbolState.findFirstOrThrow({
      where: { id: stateRow.id },
    });
    // the strategy was told of its order's fill again, so its state is what it was
    expect(resumed.state).toEqual({ seen: 1, fills: 1 });
    expect(resumed.lastCandleAt?.getTime()).toBe(stateRow.lastCandleAt?.getTime());

    // hours of downtime: only the latest closed candle is answered, once
    clock.advance(5 * HOUR);
    await restarted.strategyRuntime.runCycle();
    await restarted.strategyRuntime.runCycle();
    orders = await ordersOf([saved.id]);
    expect(orders).toHaveLength(2);

    const [run] = await services.strategyInstances.runs(alice.actor, instance.id);
    expect(run).toMatchObject({ status: "RUNNING", orders: 2, successfulOrders: 2 });
    expect(run!.capitalStart.toFixed()).toBe("100000");

    const running = await services.strategyInstances.running(alice.actor);
    expect(running).toHaveLength(1);
    expect(running[0]!.ordersToday).toBe(2);
    expect(running[0]!.lastSignal).toEqual({ action: "buy", symbol: "BTCUSDT", reason: "dca" });

    // signals reach the owner's chat through the outbox, once per candle
    const signals = await db.db.prisma.notificationOutbox.findMany({
      where: { userId: alice.actor.id, type: "STRATEGY_SIGNAL" },
    });
    expect(signals).toHaveLength(2);

    const stopped = await services.strategyInstances.stop(alice.actor, instance.id);
    expect(stopped.status).toBe("STOPPED");
    const [finished] = await services.strategyInstances.runs(alice.actor, instance.id);
    expect(finished).toMatchObject({ status: "FINISHED", orders: 2 });
    expect(finished!.endedAt).not.toBeNull();
    clock.advance(HOUR);
    await services.strategyRuntime.runCycle();
    expect(await ordersOf([saved.id])).toHaveLength(2);
  });

  it("pauses a strategy that throws three times in a row and tells its owner; others go on", async () => {
    const carol = await trader("Carol");
    const dave = await trader("Dave");
    await services.strategies.save(carol.actor, "Broken", { kind: "test-throw" });
    const good = await services.strategies.save(dave.actor, "Steady", {
      kind: "test-every",
      quantity: "0.01",
    });
    const broken = await services.strategyInstances.start(carol.actor, {
      strategyName: "Broken",
      portfolioId: carol.portfolioId,
      symbols: ["ETHUSDT"],
    });
    await services.strategyInstances.start(dave.actor, {
      strategyName: "Steady",
      portfolioId: dave.portfolioId,
      symbols: ["ETHUSDT"],
    });
    for (let i = 1; i <= 3; i++) {
      clock.advance(HOUR);
      const summary = await services.strategyRuntime.runCycle();
      expect(summary.errors).toBe(1);
      const row = await services.strategyInstances.get(carol.actor, broken.id);
      expect(row.consecutiveErrors).toBe(i);
      expect(row.status).toBe(i < 3 ? "RUNNING" : "PAUSED");
      expect(row.lastError).toContain("indicator exploded");
    }
    expect(await ordersOf([good.id])).toHaveLength(3);
    const told = await db.db.prisma.notificationOutbox.findMany({
      where: { userId: carol.actor.id, type: "STRATEGY_SIGNAL" },
      orderBy: { id: "asc" },
    });
    // the first error (a warning) and the pause (an error)
    expect(told.map((n) => n.severity)).toEqual(["WARNING", "ERROR"]);
    expect(told[1]!.message).toContain('"paused":true');

    // paused: no more evaluations; resumed: counted from zero again
    clock.advance(HOUR);
    expect((await services.strategyRuntime.runCycle()).errors).toBe(0);
    const resumed = await services.strategyInstances.resume(carol.actor, broken.id);
    expect(resumed).toMatchObject({ status: "RUNNING", consecutiveErrors: 0 });
    await services.strategyInstances.stop(carol.actor, broken.id);
  });

  it("keeps users apart: another user's instance is never found, listed, stopped or switched", async () => {
    const erin = await trader("Erin");
    const frank = await trader("Frank");
    await services.strategies.save(erin.actor, "Mine", { kind: "test-every" });
    const erins = await services.strategyInstances.start(erin.actor, {
      strategyName: "Mine",
      portfolioId: erin.portfolioId,
      symbols: ["BTCUSDT"],
    });
    // Frank can neither run Erin's strategy nor run anything on Erin's portfolio
    await expect(
      services.strategyInstances.start(frank.actor, {
        strategyName: "Mine",
        portfolioId: frank.portfolioId,
        symbols: ["BTCUSDT"],
      }),
    ).rejects.toMatchObject({ key: "error-unknown-strategy" });
    await services.strategies.save(frank.actor, "His", { kind: "test-every" });
    await expect(
      services.strategyInstances.start(frank.actor, {
        strategyName: "His",
        portfolioId: erin.portfolioId,
        symbols: ["BTCUSDT"],
      }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    for (const call of [
      () => services.strategyInstances.get(frank.actor, erins.id),
      () => services.strategyInstances.stop(frank.actor, erins.id),
      () => services.strategyInstances.pause(frank.actor, erins.id),
      () => services.strategyInstances.resume(frank.actor, erins.id),
      () => services.strategyInstances.switchVersion(frank.actor, erins.id),
      () => services.strategyInstances.runs(frank.actor, erins.id),
    ]) {
      await expect(call()).rejects.toMatchObject({ code: "NOT_FOUND" });
    }
    expect(await services.strategyInstances.list(frank.actor)).toEqual([]);
    expect(await services.strategyInstances.running(frank.actor)).toEqual([]);
    await expect(services.strategyInstances.findLive(frank.actor, "Mine")).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    expect((await services.strategyInstances.get(erin.actor, erins.id)).status).toBe("RUNNING");
    // and the same strategy twice on one portfolio is refused
    await expect(
      services.strategyInstances.start(erin.actor, {
        strategyName: "mine",
        portfolioId: erin.portfolioId,
        symbols: ["ETHUSDT"],
      }),
    ).rejects.toMatchObject({ key: "error-strategy-already-running" });
    await services.strategyInstances.stop(erin.actor, erins.id);
  });

  it("runs the version it started with until switched; then orders carry the new version", async () => {
    const gina = await trader("Gina");
    const v1 = await services.strategies.save(gina.actor, "Ladder", {
      kind: "test-every",
      quantity: "0.001",
    });
    const instance = await services.strategyInstances.start(gina.actor, {
      strategyName: "Ladder",
      portfolioId: gina.portfolioId,
      symbols: ["BTCUSDT"],
    });
    const v2 = await services.strategies.save(gina.actor, "Ladder", {
      kind: "test-every",
      quantity: "0.002",
    });
    clock.advance(HOUR);
    await services.strategyRuntime.evaluate(instance.id);
    let view = await services.strategyInstances.get(gina.actor, instance.id);
    expect(view).toMatchObject({ strategyVersion: 1, latestVersion: 2, strategyId: v1.id });
    expect(
      (await ordersOf([v1.id, v2.id])).map((o) => [o.strategyId, o.quantity.toString()]),
    ).toEqual([[v1.id, "0.001"]]);
    const where = await services.strategyInstances.byVersion(gina.actor, [v1.id, v2.id]);
    expect(where.get(v1.id)).toEqual([{ portfolioName: "Main", status: "RUNNING" }]);
    expect(where.get(v2.id)).toBeUndefined();

    view = await services.strategyInstances.switchVersion(gina.actor, instance.id);
    expect(view).toMatchObject({ strategyVersion: 2, latestVersion: 2, strategyId: v2.id });
    await expect(
      services.strategyInstances.switchVersion(gina.actor, instance.id),
    ).rejects.toMatchObject({ key: "error-strategy-version-current" });
    // the candle already answered is not answered again by the new version
    expect(await services.strategyRuntime.evaluate(instance.id)).toMatchObject({ orders: 0 });
    clock.advance(HOUR);
    await services.strategyRuntime.evaluate(instance.id);
    expect(
      (await ordersOf([v1.id, v2.id])).map((o) => [o.strategyId, o.quantity.toString()]),
    ).toEqual([
      [v1.id, "0.001"],
      [v2.id, "0.002"],
    ]);
    const runs = await services.strategyInstances.runs(gina.actor, instance.id);
    expect(runs.map((r) => [r.strategyId, r.status, r.orders])).toEqual([
      [v2.id, "RUNNING", 1],
      [v1.id, "FINISHED", 1],
    ]);
    await services.strategyInstances.stop(gina.actor, instance.id);
  });

  it("refuses a strategy whose kind this build does not have, or whose parameters are wrong", async () => {
    const hal = await trader("Hal");
    await services.strategies.save(hal.actor, "Mystery", { kind: "martingale" });
    await services.strategies.save(hal.actor, "Typo", { kind: "test-every", timeframe: "7m" });
    const start = (name: string) =>
      services.strategyInstances.start(hal.actor, {
        strategyName: name,
        portfolioId: hal.portfolioId,
        symbols: ["BTCUSDT"],
      });
    await expect(start("Mystery")).rejects.toMatchObject({ key: "error-strategy-kind-unknown" });
    await expect(start("Typo")).rejects.toMatchObject({ key: "error-strategy-param-choice" });
    await services.strategies.save(hal.actor, "Fine", { kind: "test-every" });
    await expect(
      services.strategyInstances.start(hal.actor, {
        strategyName: "Fine",
        portfolioId: hal.portfolioId,
        symbols: [],
      }),
    ).rejects.toMatchObject({ key: "error-strategy-symbols-missing" });
    await expect(
      services.strategyInstances.start(hal.actor, {
        strategyName: "Fine",
        portfolioId: hal.portfolioId,
        symbols: ["NOPEUSDT"],
      }),
    ).rejects.toThrow();
    expect(await services.strategyInstances.list(hal.actor)).toEqual([]);
  });
});
