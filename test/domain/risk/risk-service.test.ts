// Pre-trade evaluation through the real TradingService on both databases: the portfolio's
// figures checked by hand, blocked / reduced / warned orders with their breach rows, audit rows
// and outbox notifications, nothing written for ALLOW or by assess(), strictest-wins across
// scopes, usage for alerts and the /risk overview, and other users' data out of reach.
//
// The world: 10,000 USDT of paper cash, ETH at 2000 (bid = ask = last), no fees or slippage,
// clock 2026-03-10 12:00 UTC, the user's zone UTC.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NotFoundError, RiskBlockedError } from "../../../src/domain/errors.ts";
import type { OrderRequest } from "../../../src/domain/orders/order-types.ts";
import type { RiskDecision } from "../../../src/domain/risk/risk-service.ts";
import type { Actor } from "../../../src/domain/users/actor.ts";
import { Decimal } from "../../../src/lib/decimal.ts";
import { PROVIDERS, type TestDatabase, createTestDatabase } from "../../support/db.ts";
import { type RiskWorld, createRiskWorld, fill, riskTrader } from "./risk-world.ts";

const d = (v: string) => new Decimal(v);

describe.each(PROVIDERS)("RiskService on %s", (provider) => {
  let tdb: TestDatabase;
  let world: RiskWorld;
  beforeAll(async () => {
    tdb = await createTestDatabase(provider);
    world = createRiskWorld(tdb.db);
  });
  afterAll(() => tdb.drop());

  const reset = () => {
    world.clock.set("2026-03-10T12:00:00Z");
    world.tape.set("ETHUSDT", "2000");
    world.tape.set("BTCUSDT", "50000");
  };

  const limitBuy = (portfolioId: number, quantity: string, price: string): OrderRequest => ({
    portfolioId,
    symbol: "ETHUSDT",
    side: "BUY",
    type: "LIMIT",
    quantity: d(quantity),
    price: d(price),
  });
  const market = (
    portfolioId: number,
    side: "BUY" | "SELL",
    quantity: string,
    strategyId: number | null = null,
  ): OrderRequest => ({
    portfolioId,
    symbol: "ETHUSDT",
    side,
    type: "MARKET",
    quantity: d(quantity),
    strategyId,
  });

  /** Holds 1 ETH bought at 1800 this morning: cash 8200, equity 8200 + 2000 = 10,200. */
  async function holder() {
    reset();
    const t = await riskTrader(world);
    await fill(world, t.portfolio.id, "ETHUSDT", "BUY", "1", "1800", "2026-03-10T09:00:00Z");
    return t;
  }

  async function written(userId: number) {
    const db = tdb.db.prisma;
    const [breaches, outbox, audits] = await Promise.all([
      db.riskBreach.findMany({ where: { policy: { userId } }, orderBy: { id: "asc" } }),
      db.notificationOutbox.findMany({ where: { userId }, orderBy: { id: "asc" } }),
      db.auditLog.findMany({ where: { entityType: "POLICY", action: "BREACH", actorId: userId } }),
    ]);
    return { breaches, outbox, audits };
  }

  async function assess(actor: Actor, request: OrderRequest, protectiveStop?: string) {
    const preview = await world.trading.preview(actor, request);
    return world.risk.assess(actor, preview.order, {
      ...preview,
      now: world.clock.now(),
      protectiveStop: protectiveStop ? d(protectiveStop) : null,
    });
  }

  it("measures equity, exposure and the day's PnL the way they are worked out by hand", async () => {
    reset();
    const { actor, portfolio } = await riskTrader(world);
    await fill(world, portfolio.id, "ETHUSDT", "BUY", "1", "1800", "2026-03-10T09:00:00Z");
    await fill(world, portfolio.id, "BTCUSDT", "BUY", "0.02", "50000", "2026-03-10T09:30:00Z");
    // quoted in USD: not converted, left out and reported
    await fill(world, portfolio.id, "AAPL", "BUY", "1", "190", "2026-03-10T10:00:00Z");
    const s = await world.risk.snapshots.load(
      portfolio,
      { userId: actor.id, timeZone: "UTC" },
      world.clock.now(),
    );
    // cash 10,000 − 1800 − 1000; positions 1 × 2000 + 0.02 × 50,000
    expect(s.cash.toFixed()).toBe("7200");
    expect(s.positionsValue.toFixed()).toBe("3000");
    expect(s.equity.toFixed()).toBe("10200");
    expect(s.grossExposure.toFixed()).toBe("3000");
    expect(s.excluded).toEqual([{ symbol: "AAPL", currency: "USD", quantity: d("1") }]);
    // ETH bought today at 1800, now 2000: +200; BTC flat
    expect(s.dayPnl.toFixed()).toBe("200");
    expect(s.dayStartEquity.toFixed()).toBe("10000");
    expect(s.ordersToday).toBe(0);
    const assets = s.assets.map((a) => [a.symbol, a.quantity.toFixed(), a.value.toFixed()]);
    expect(assets.sort()).toEqual([
      ["BTCUSDT", "0.02", "1000"],
      ["ETHUSDT", "1", "2000"],
    ]);
    // the ledger agrees: the sum of the USDT movements is the cash figure
    const movements = await tdb.db.prisma.cashTransaction.findMany({
      where: { accountId: portfolio.accountId, currency: "USDT" },
    });
    expect(movements.reduce((sum, m) => sum.plus(m.amount.toString()), d("0")).toFixed()).toBe(
      "7200",
    );
  });

  it("blocks an order over the exposure cap: breach row with the numbers, audit, ERROR notice", async () => {
    const { actor, portfolio } = await holder();
    const policy = await world.policies.create(actor, {
      scope: "USER",
      name: "Caps",
      config: { maxExposurePerAssetPct: { limit: "25", action: "block" } },
    });
    // after: 2 ETH × 1990 = 3980 of 10,200 = 39.0196…%
    const error = await world.trading
      .place(actor, limitBuy(portfolio.id, "1", "1990"))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RiskBlockedError);
    expect(error).toMatchObject({
      key: "error-risk-max-exposure-pct",
      params: { limit: "25.00", observed: "39.02", symbol: "ETHUSDT", currency: "USDT" },
    });
    expect(await tdb.db.prisma.order.count({ where: { portfolioId: portfolio.id } })).toBe(0);

    const { breaches, outbox, audits } = await written(actor.id);
    expect(breaches).toHaveLength(1);
    expect(breaches[0]).toMatchObject({
      policyId: policy.id,
      portfolioId: portfolio.id,
      rule: "maxExposurePerAssetPct",
      action: "BLOCKED",
      orderId: null,
      createdAt: world.clock.now(),
    });
    expect(breaches[0]!.observed).toMatchObject({
      source: "pre-trade",
      outcome: "BLOCK",
      limit: "25",
      observed: "39.01960784",
      valueAfter: "3980",
      equity: "10200",
      price: "1990",
      symbol: "ETHUSDT",
      side: "BUY",
      quantity: "1",
      referencePrice: "1990",
      currency: "USDT",
    });
    expect((breaches[0]!.observed as { clientOrderId: string }).clientOrderId).toMatch(/^td-/);
    expect(outbox).toHaveLength(1);
    expect(outbox[0]).toMatchObject({ type: "RISK_BREACH", severity: "ERROR", status: "PENDING" });
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ entityId: policy.id });
    expect(audits[0]!.details).toMatchObject({ breachId: breaches[0]!.id, action: "BLOCKED" });
  });

  it("reduces an order to the largest size on the lot grid that fits", async () => {
    const { actor, portfolio } = await holder();
    await world.policies.create(actor, {
      scope: "PORTFOLIO",
      scopeId: portfolio.id,
      name: "ETH cap",
      config: { maxExposurePerAssetAbs: { limit: "3000", action: "reduce" } },
    });
    // room: 3000 / 1990 − 1 = 0.50753… → 0.5075 on ETH's 0.0001 lot
    const result = await world.trading.place(actor, limitBuy(portfolio.id, "1", "1990"));
    const risk = result.risk as RiskDecision;
    expect(risk.outcome).toBe("REDUCE");
    expect(risk.quantity?.toFixed()).toBe("0.5075");
    expect(risk.maxQuantity).toBe("0.5075");
    expect(result.order.quantity.toFixed()).toBe("0.5075");
    expect(risk.findings[0]).toMatchObject({
      rule: "maxExposurePerAssetAbs",
      key: "error-risk-max-exposure-abs",
      params: { limit: "3000.00", observed: "3980.00" },
    });
    const { breaches, outbox } = await written(actor.id);
    expect(breaches.map((b) => b.action)).toEqual(["REDUCED_SIZE"]);
    expect(breaches[0]!.observed).toMatchObject({ outcome: "REDUCE", maxQuantity: "0.5075" });
    expect(outbox.map((o) => o.severity)).toEqual(["WARNING"]);
    expect(risk.breachIds).toEqual([breaches[0]!.id]);
  });

  it("warns on a strategy's orders only, for every version of the strategy", async () => {
    reset();
    const { actor, portfolio } = await riskTrader(world);
    const v1 = await world.services.strategies.save(actor, "Swing", {});
    await world.policies.create(actor, {
      scope: "STRATEGY",
      scopeId: v1.id,
      name: "Swing pace",
      config: { maxOrdersPerDay: { limit: 1, action: "warn" } },
    });
    const first = await world.trading.place(actor, market(portfolio.id, "BUY", "0.01", v1.id));
    expect(first.risk.outcome).toBe("ALLOW");
    const second = await world.trading.place(actor, market(portfolio.id, "BUY", "0.01", v1.id));
    expect(second.risk.outcome).toBe("WARN");
    expect(second.order.status).toBe("FILLED");
    expect(second.risk.findings).toEqual([
      {
        rule: "maxOrdersPerDay",
        key: "error-risk-max-orders",
        params: {
          rule: "maxOrdersPerDay",
          limit: "1",
          observed: "2",
          symbol: "ETHUSDT",
          currency: "USDT",
        },
      },
    ]);
    // orders outside the strategy are not its business
    const manual = await world.trading.place(actor, market(portfolio.id, "BUY", "0.01"));
    expect(manual.risk.outcome).toBe("ALLOW");
    const v2 = await world.services.strategies.save(actor, "Swing", { faster: true });
    const next = await world.trading.place(actor, market(portfolio.id, "BUY", "0.01", v2.id));
    expect(next.risk.outcome).toBe("WARN");
    const { breaches, outbox } = await written(actor.id);
    expect(breaches.map((b) => [b.action, (b.observed as { observed: string }).observed])).toEqual([
      ["WARNED", "2"],
      ["WARNED", "4"],
    ]);
    expect(outbox.map((o) => o.severity)).toEqual(["WARNING", "WARNING"]);
  });

  it("writes nothing for ALLOW, and assess() writes nothing at all", async () => {
    const { actor, portfolio } = await holder();
    await world.policies.create(actor, {
      scope: "USER",
      name: "Loose",
      config: { maxLeverage: { limit: "5", action: "block" } },
    });
    const allowed = await world.trading.place(actor, market(portfolio.id, "BUY", "0.01"));
    expect(allowed.risk.outcome).toBe("ALLOW");
    await world.policies.create(actor, {
      scope: "USER",
      name: "Tight",
      config: { maxExposurePerAssetAbs: { limit: "10", action: "block" } },
    });
    const verdict = await assess(actor, market(portfolio.id, "BUY", "1"));
    expect(verdict.outcome).toBe("BLOCK");
    expect(verdict.breachIds).toEqual([]);
    const { breaches, outbox, audits } = await written(actor.id);
    expect([breaches.length, outbox.length, audits.length]).toEqual([0, 0, 0]);
    expect(world.notifier.notices.filter((n) => n.userId === actor.id)).toEqual([]);
  });

  it("blocks new buys past the daily loss limit but lets the position be sold", async () => {
    reset();
    const { actor, portfolio } = await riskTrader(world);
    await fill(world, portfolio.id, "ETHUSDT", "BUY", "1", "2000", "2026-03-10T09:00:00Z");
    world.tape.set("ETHUSDT", "1600");
    await world.policies.create(actor, {
      scope: "USER",
      name: "Stop the day",
      config: { dailyLossLimitPct: { limit: "3", action: "block" } },
    });
    // −400 on a day that started at 10,000: 4 %
    await expect(
      world.trading.place(actor, market(portfolio.id, "BUY", "0.01")),
    ).rejects.toMatchObject({
      key: "error-risk-daily-loss",
      params: { limit: "3.00", observed: "4.00" },
    });
    const sold = await world.trading.place(actor, market(portfolio.id, "SELL", "0.5"));
    expect(sold.risk.outcome).toBe("ALLOW");
    expect(sold.order.status).toBe("FILLED");
  });

  it("applies the strictest of the user's and the portfolio's policies", async () => {
    const { actor, portfolio } = await holder();
    await world.policies.create(actor, {
      scope: "USER",
      name: "Mine",
      config: { maxExposurePerAssetPct: { limit: "50", action: "warn" } },
    });
    // 39.02 % < 50 %: the user's own policy alone allows it
    expect((await assess(actor, limitBuy(portfolio.id, "1", "1990"))).outcome).toBe("ALLOW");
    const strict = await world.policies.create(actor, {
      scope: "PORTFOLIO",
      scopeId: portfolio.id,
      name: "Main",
      config: { maxExposurePerAssetPct: { limit: "30", action: "reduce" } },
    });
    // 30 % of 10,200 = 3060 → 3060 / 1990 − 1 = 0.53768… → 0.5376
    const verdict = await assess(actor, limitBuy(portfolio.id, "1", "1990"));
    expect(verdict).toMatchObject({ outcome: "REDUCE", maxQuantity: "0.5376" });
    expect(verdict.checks[0]).toMatchObject({ policyId: strict.id, limit: "30", action: "reduce" });
  });

  it("counts the distance to a protective stop as the risk of a trade", async () => {
    const { actor, portfolio } = await holder();
    await world.policies.create(actor, {
      scope: "USER",
      name: "Risk",
      config: { maxRiskPerTradePct: { limit: "2", action: "block" } },
    });
    // without a stop: 1990 of 10,200 = 19.5 %; with a stop at 1900: 90 → 0.88 %
    const bare = await assess(actor, limitBuy(portfolio.id, "1", "1990"));
    expect(bare).toMatchObject({ outcome: "BLOCK" });
    expect(bare.checks[0]?.observed).toBe("19.50980392");
    const stopped = await assess(actor, limitBuy(portfolio.id, "1", "1990"), "1900");
    expect(stopped.outcome).toBe("ALLOW");
    expect(stopped.checks[0]).toMatchObject({ observed: "0.88235294" });
    expect(stopped.checks[0]!.numbers).toMatchObject({ risk: "90", stop: "1900" });
  });

  it("reports usage for alerts and the /risk overview, for the owner only", async () => {
    reset();
    const { actor, portfolio } = await riskTrader(world);
    await fill(world, portfolio.id, "ETHUSDT", "BUY", "1", "2000", "2026-03-10T09:00:00Z");
    world.tape.set("ETHUSDT", "1900");
    const mine = await world.policies.create(actor, {
      scope: "USER",
      name: "Daily",
      config: {
        dailyLossLimitPct: { limit: "3", action: "block" },
        maxOrdersPerDay: { limit: 10, action: "warn" },
        maxRiskPerTradePct: { limit: "50", action: "warn" },
      },
    });
    const pf = await world.policies.create(actor, {
      scope: "PORTFOLIO",
      scopeId: portfolio.id,
      name: "Leverage",
      config: { maxLeverage: { limit: "2", action: "block" } },
    });
    await world.trading.place(actor, market(portfolio.id, "BUY", "0.01"));
    // loss 100 of 10,000 = 1 % of 3 %; 1 order of 10; gross 1.01 × 1900 = 1919 of 9900 = 0.1938…
    const usage = await world.risk.usage(actor.id, portfolio.id);
    expect(usage.map((u) => [u.policyId, u.rule, u.usedPct.toDecimalPlaces(4).toFixed()])).toEqual([
      [mine.id, "dailyLossLimitPct", "33.3333"],
      [mine.id, "maxOrdersPerDay", "10"],
      [pf.id, "maxLeverage", "9.6919"],
    ]);

    const overview = await world.risk.overview(actor, portfolio.id);
    expect(overview.portfolio.id).toBe(portfolio.id);
    expect(overview.equity).toMatchObject({ currency: "USDT", equity: "9900", ordersToday: 1 });
    expect(overview.policies.map((p) => [p.policy.id, p.rules.map((r) => r.rule)])).toEqual([
      [mine.id, ["maxRiskPerTradePct", "dailyLossLimitPct", "maxOrdersPerDay"]],
      [pf.id, ["maxLeverage"]],
    ]);
    expect(overview.policies[0]!.rules[0]!.usage).toBeNull();
    expect(overview.breaches).toEqual([]);

    const bob = await riskTrader(world, { name: "Bob" });
    await expect(world.risk.usage(bob.actor.id, portfolio.id)).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(world.risk.overview(bob.actor, portfolio.id)).rejects.toBeInstanceOf(
      NotFoundError,
    );
    expect(await world.risk.breaches(bob.actor)).toEqual([]);
  });

  it("lists the latest breaches newest first", async () => {
    const { actor, portfolio } = await holder();
    await world.policies.create(actor, {
      scope: "USER",
      name: "Caps",
      config: { maxExposurePerAssetAbs: { limit: "100", action: "warn" } },
    });
    await world.trading.place(actor, market(portfolio.id, "BUY", "0.01"));
    world.clock.advance(60_000);
    await world.trading.place(actor, market(portfolio.id, "BUY", "0.02"));
    const list = await world.risk.breaches(actor, { portfolioId: portfolio.id });
    expect(list.map((b) => [b.rule, b.action, b.symbol, b.policyName])).toEqual([
      ["maxExposurePerAssetAbs", "WARNED", "ETHUSDT", "Caps"],
      ["maxExposurePerAssetAbs", "WARNED", "ETHUSDT", "Caps"],
    ]);
    expect(list[0]!.observed).toMatchObject({ quantity: "0.02" });
    expect(list[0]!.createdAt.getTime()).toBeGreaterThan(list[1]!.createdAt.getTime());
  });
});
