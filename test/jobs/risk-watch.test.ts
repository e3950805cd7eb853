// The risk watch on both databases, on a fixed clock: the daily loss is measured from the start of
// the user's own day (Asia/Tokyo here, so their midnight is 15:00 UTC) and resets there; a breach
// is logged, audited and notified once per policy, portfolio, rule and day; closing positions goes
// through TradingService with market orders, never twice, even when two runs overlap; a
// strategy's policy closes only the strategy's positions; exposure caps notify.
//
// Prices: bid = ask = last, no fees or slippage; each test has its own world and database.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { toActor } from "../../src/domain/users/actor.ts";
import { Decimal } from "../../src/lib/decimal.ts";
import { PROVIDERS, type TestDatabase, createTestDatabase } from "../support/db.ts";
import { type RiskWorld, createRiskWorld, fill, riskTrader } from "../domain/risk/risk-world.ts";

const at = (iso: string) => new Date(iso);
const DAILY_LOSS = (close: boolean) => ({
  dailyLossLimitPct: { limit: "3", action: "block", ...(close ? { closePositions: true } : {}) },
});

describe.each(PROVIDERS)("RiskWatch on %s", (provider) => {
  // a database per test: the watch looks at every user, so tests must not see each other's
  let tdb: TestDatabase;
  beforeEach(async () => {
    tdb = await createTestDatabase(provider);
  });
  afterEach(() => tdb.drop());

  /** A Tokyo trader who bought 1 ETH at 2000 at 10:00 Tokyo (01:00 UTC) on 10 March. */
  async function tokyoTrader(world: RiskWorld, name: string) {
    world.clock.set("2026-03-10T01:00:00Z");
    world.tape.set("ETHUSDT", "2000");
    const t = await riskTrader(world, { timeZone: "Asia/Tokyo", name });
    await fill(world, t.portfolio.id, "ETHUSDT", "BUY", "1", "2000", "2026-03-10T01:00:00Z");
    return t;
  }

  async function breachesOf(portfolioId: number) {
    return tdb.db.prisma.riskBreach.findMany({ where: { portfolioId }, orderBy: { id: "asc" } });
  }

  it("measures the loss from the user's midnight, notifies once a day, and starts afresh after it", async () => {
    const world = createRiskWorld(tdb.db);
    const { actor, portfolio } = await tokyoTrader(world, "Kenji");
    const policy = await world.policies.create(actor, {
      scope: "USER",
      name: "Daily",
      config: DAILY_LOSS(false),
    });
    world.tape.set("ETHUSDT", "1650", at("2026-03-10T13:00:00Z"));

    // 22:30 Tokyo: a buy is refused before the trade (a pre-trade breach of the same rule)...
    world.clock.set("2026-03-10T13:30:00Z");
    await expect(
      world.trading.place(actor, {
        portfolioId: portfolio.id,
        symbol: "ETHUSDT",
        side: "BUY",
        type: "MARKET",
        quantity: new Decimal("0.01"),
      }),
    ).rejects.toMatchObject({ key: "error-risk-daily-loss" });

    // ...and at 23:00 Tokyo the watch still reports the standing breach: −350 of 10,000 = 3.5 %
    world.clock.set("2026-03-10T14:00:00Z");
    const first = await world.watch.runOnce();
    expect(first).toMatchObject({ breaches: 1, repeats: 0, closeOrders: 0, errors: [] });
    let rows = await breachesOf(portfolio.id);
    expect(rows.map((r) => r.action)).toEqual(["BLOCKED", "WARNED"]);
    expect(rows[1]).toMatchObject({ policyId: policy.id, rule: "dailyLossLimitPct" });
    expect(rows[1]!.observed).toMatchObject({
      source: "watch",
      day: "2026-03-10",
      limit: "3",
      observed: "3.5",
      loss: "350",
      dayPnl: "-350",
      dayStartEquity: "10000",
      equity: "9650",
      currency: "USDT",
    });
    const notices = world.notifier.notices.filter((n) => n.source === "watch");
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ severity: "CRITICAL", action: "WARNED", closed: [] });
    const outbox = await tdb.db.prisma.notificationOutbox.findMany({
      where: { userId: actor.id, severity: "CRITICAL" },
    });
    expect(outbox).toHaveLength(1);
    expect(outbox[0]).toMatchObject({ type: "RISK_BREACH" });

    // 23:30 Tokyo: the same breach, the same day: nothing new
    world.clock.set("2026-03-10T14:30:00Z");
    expect(await world.watch.runOnce()).toMatchObject({ breaches: 0, repeats: 1 });
    expect(await breachesOf(portfolio.id)).toHaveLength(2);

    // 00:30 Tokyo on the 11th (still the 10th in UTC): the loss since their midnight is zero
    world.clock.set("2026-03-10T15:30:00Z");
    expect(await world.watch.runOnce()).toMatchObject({ breaches: 0, repeats: 0 });

    // a new fall on the new day: 1650 → 1300 is 350 of the 9650 the day started with: 3.63 %
    world.tape.set("ETHUSDT", "1300", at("2026-03-10T15:50:00Z"));
    world.clock.set("2026-03-10T16:00:00Z");
    expect(await world.watch.runOnce()).toMatchObject({ breaches: 1, repeats: 0 });
    rows = await breachesOf(portfolio.id);
    expect(rows).toHaveLength(3);
    expect(rows[2]!.observed).toMatchObject({
      day: "2026-03-11",
      observed: "3.62694301",
      dayStartEquity: "9650",
    });
    expect(
      await tdb.db.prisma.notificationOutbox.count({
        where: { userId: actor.id, severity: "CRITICAL" },
      }),
    ).toBe(2);
  });

  it("closes the positions with market orders once, even when two runs overlap", async () => {
    const world = createRiskWorld(tdb.db);
    world.tape.set("BTCUSDT", "50000");
    const { actor, portfolio } = await tokyoTrader(world, "Aiko");
    await fill(world, portfolio.id, "BTCUSDT", "BUY", "0.02", "50000", "2026-03-10T01:00:00Z");
    const policy = await world.policies.create(actor, {
      scope: "USER",
      name: "Kill switch",
      config: DAILY_LOSS(true),
    });
    world.tape.set("ETHUSDT", "1650", at("2026-03-10T13:00:00Z"));
    world.clock.set("2026-03-10T14:00:00Z");

    const [a, b] = await Promise.all([world.watch.runOnce(), world.watch.runOnce()]);
    expect(a.breaches + b.breaches).toBe(1);
    expect(a.closeOrders + b.closeOrders).toBe(2);
    expect(a.closeFailures + b.closeFailures).toBe(0);

    const orders = await tdb.db.prisma.order.findMany({
      where: { portfolioId: portfolio.id },
      include: { instrument: true },
      orderBy: { id: "asc" },
    });
    expect(
      orders.map((o) => [o.instrument.symbol, o.side, o.type, o.quantity.toString(), o.status]),
    ).toEqual(
      expect.arrayContaining([
        ["ETHUSDT", "SELL", "MARKET", "1", "FILLED"],
        ["BTCUSDT", "SELL", "MARKET", "0.02", "FILLED"],
      ]),
    );
    expect(orders).toHaveLength(2);
    expect(orders.every((o) => /^rw-\d+-\d+$/.test(o.clientOrderId))).toBe(true);
    const open = await world.services.positions.snapshot(actor, portfolio.id);
    expect(open).toEqual([]);

    const [breach] = await breachesOf(portfolio.id);
    expect(breach).toMatchObject({ policyId: policy.id, action: "CLOSED_POSITION" });
    const closed = (breach!.observed as { closed: Array<{ orderId: number; error: null }> }).closed;
    expect(closed.map((c) => c.orderId).sort()).toEqual(orders.map((o) => o.id).sort());
    expect(closed.every((c) => c.error === null)).toBe(true);
    const audits = await tdb.db.prisma.auditLog.findMany({
      where: { entityType: "POSITION", action: "CLOSE", actorId: null },
    });
    expect(
      audits.filter((x) => (x.details as { breachId: number }).breachId === breach!.id),
    ).toHaveLength(2);
    const notice = world.notifier.notices.find((n) => n.action === "CLOSED_POSITION");
    expect(notice?.closed.map((c) => c.symbol).sort()).toEqual(["BTCUSDT", "ETHUSDT"]);
    expect(notice?.severity).toBe("CRITICAL");

    // bought back and losing again the same Tokyo day: already handled, nothing is closed twice
    await fill(world, portfolio.id, "ETHUSDT", "BUY", "1", "1650", "2026-03-10T14:10:00Z");
    world.tape.set("ETHUSDT", "1500", at("2026-03-10T14:15:00Z"));
    world.clock.set("2026-03-10T14:20:00Z");
    expect(await world.watch.runOnce()).toMatchObject({ breaches: 0, repeats: 1, closeOrders: 0 });
    expect(await tdb.db.prisma.order.count({ where: { portfolioId: portfolio.id } })).toBe(2);

    // after their midnight a new breach closes again: 1500 → 1100 is 400 of the 9500 the day
    // started with (8000 cash + 1 ETH at 1500): 4.21 %
    world.tape.set("ETHUSDT", "1100", at("2026-03-10T15:40:00Z"));
    world.clock.set("2026-03-10T15:45:00Z");
    expect(await world.watch.runOnce()).toMatchObject({ breaches: 1, closeOrders: 1 });
    const rows = await breachesOf(portfolio.id);
    expect(rows.map((r) => (r.observed as { day: string }).day)).toEqual([
      "2026-03-10",
      "2026-03-11",
    ]);
    expect((rows[1]!.observed as { observed: string }).observed).toBe("4.21052632");
  });

  it("closes only the strategy's positions for a strategy's policy, and notifies exposure caps", async () => {
    const world = createRiskWorld(tdb.db);
    world.clock.set("2026-03-10T01:00:00Z");
    world.tape.set("ETHUSDT", "2000");
    world.tape.set("BTCUSDT", "50000");
    const { actor, portfolio } = await riskTrader(world, { name: "Mia" });
    const strategy = await world.services.strategies.save(actor, "Momentum", {});
    await fill(
      world,
      portfolio.id,
      "ETHUSDT",
      "BUY",
      "1",
      "2000",
      "2026-03-10T01:00:00Z",
      strategy.id,
    );
    await fill(world, portfolio.id, "BTCUSDT", "BUY", "0.02", "50000", "2026-03-10T01:00:00Z");
    await world.policies.create(actor, {
      scope: "STRATEGY",
      scopeId: strategy.id,
      name: "Momentum stop",
      config: DAILY_LOSS(true),
    });
    const caps = await world.policies.create(actor, {
      scope: "USER",
      name: "Caps",
      config: { maxExposurePerAssetAbs: { limit: "900", action: "warn" } },
    });
    world.tape.set("ETHUSDT", "1650", at("2026-03-10T11:00:00Z"));
    world.clock.set("2026-03-10T12:00:00Z");

    const summary = await world.watch.runOnce();
    expect(summary).toMatchObject({ breaches: 2, closeOrders: 1, errors: [] });
    const positions = await world.services.positions.snapshot(actor, portfolio.id);
    expect(positions.map((p) => [p.symbol, p.quantity.toFixed()])).toEqual([["BTCUSDT", "0.02"]]);
    const rows = await breachesOf(portfolio.id);
    const exposure = rows.find((r) => r.policyId === caps.id);
    expect(exposure).toMatchObject({ rule: "maxExposurePerAssetAbs", action: "WARNED" });
    // ETH 1650 and BTC 1000 are both over 900; ETH is the worst
    expect(exposure!.observed).toMatchObject({
      observed: "1650",
      symbol: "ETHUSDT",
      over: "ETHUSDT,BTCUSDT",
    });
    const eth = await world.services.instruments.resolve("ETHUSDT");
    expect(exposure!.instrumentId).toBe(eth.id);
  });

  it("leaves deactivated users alone", async () => {
    const world = createRiskWorld(tdb.db);
    const { actor, portfolio } = await tokyoTrader(world, "Ren");
    await world.policies.create(actor, { scope: "USER", name: "Daily", config: DAILY_LOSS(true) });
    world.tape.set("ETHUSDT", "1000", at("2026-03-10T02:00:00Z"));
    world.clock.set("2026-03-10T03:00:00Z");
    const admin = toActor(
      await world.services.users.registerFromTelegram({ telegramUserId: "1", firstName: "Admin" }),
    );
    await world.services.users.deactivate(admin, actor.id);
    await world.watch.runOnce();
    expect(await breachesOf(portfolio.id)).toEqual([]);
    expect(await tdb.db.prisma.order.count({ where: { portfolioId: portfolio.id } })).toBe(0);
  });
});
