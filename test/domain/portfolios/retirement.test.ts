// Deleting a portfolio on both databases: refused while positions or orders are open (with the
// counts), cancel and close-at-market through the normal trading path, then archived (it has
// history) or really deleted (it never traded); what referred to it is paused and the owner is
// notified once; an archived portfolio stays readable but takes nothing new.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cashBalances } from "../../../src/domain/cash/cash-ledger.ts";
import type { Actor } from "../../../src/domain/users/actor.ts";
import { NotFoundError, StateError } from "../../../src/domain/errors.ts";
import { ChatService } from "../../../src/domain/notifications/chat-service.ts";
import type { OrderRequest } from "../../../src/domain/orders/order-types.ts";
import { PortfolioCloseout } from "../../../src/domain/portfolios/portfolio-closeout.ts";
import type { RetirementNotice } from "../../../src/domain/portfolios/retirement-notice.ts";
import { Decimal } from "../../../src/lib/decimal.ts";
import { PROVIDERS, type TestDatabase, createTestDatabase } from "../../support/db.ts";
import { paperPortfolio } from "../../support/fixtures.ts";
import { userWithPrivateChat } from "../notifications/support.ts";
import { type TradingWorld, createTradingWorld } from "../trading/trading-world.ts";

const d = (v: string) => new Decimal(v);

describe.each(PROVIDERS)("deleting a portfolio on %s", (provider) => {
  let tdb: TestDatabase;
  let world: TradingWorld;
  let closeout: PortfolioCloseout;
  let chats: ChatService;
  const rendered: RetirementNotice[] = [];
  beforeAll(async () => {
    tdb = await createTestDatabase(provider);
    world = createTradingWorld(tdb.db);
    chats = new ChatService(world.services.ctx);
    closeout = new PortfolioCloseout({
      ctx: world.services.ctx,
      portfolios: world.services.portfolios,
      trading: world.trading,
    });
    world.services.portfolios.useNotifier({
      render: (notice) => {
        rendered.push(notice);
        return {
          title: `${notice.outcome} ${notice.portfolio.name}`,
          message: "x",
          format: "text",
        };
      },
    });
  });
  afterAll(() => tdb.drop());

  const order = (portfolioId: number, patch: Partial<OrderRequest> = {}): OrderRequest => ({
    portfolioId,
    symbol: "ETHUSDT",
    side: "BUY",
    type: "MARKET",
    quantity: d("1"),
    ...patch,
  });

  async function trader(name: string) {
    world.clock.set("2026-03-10T12:00:30Z");
    world.market.price("ETHUSDT", "3000");
    world.market.price("BTCUSDT", "50000");
    world.market.volume("ETHUSDT", "1000");
    world.market.volume("BTCUSDT", "1000");
    const person = await userWithPrivateChat(world, chats, name);
    const portfolio = await paperPortfolio(world, person.actor, { cash: "200000" });
    return { ...person, portfolio };
  }

  /** Takes every currency's cash out: a portfolio holding cash cannot be retired. */
  async function emptyCash(actor: Actor, portfolioId: number) {
    for (const [currency, amount] of await cashBalances(tdb.db.prisma, portfolioId))
      if (amount.gt(0)) await world.services.cash.withdraw(actor, portfolioId, amount, currency);
  }

  const noticesOf = (userId: number) =>
    tdb.db.prisma.notificationOutbox.findMany({
      where: { userId, dedupeKey: { startsWith: "portfolio-retired:" } },
    });

  it("refuses while positions or orders are open, then archives once flat, pausing what refers to it", async () => {
    const { actor, portfolio } = await trader("Petra");
    const { portfolios, schedules, alerts, riskPolicies } = world.services;
    await world.trading.place(actor, order(portfolio.id));
    await world.trading.place(
      actor,
      order(portfolio.id, { symbol: "BTCUSDT", quantity: d("0.1") }),
    );
    const resting = await world.trading.place(
      actor,
      order(portfolio.id, { type: "LIMIT", price: d("2000"), quantity: d("0.5") }),
    );
    expect(resting.order.status).toBe("NEW");
    const other = await paperPortfolio(world, actor, { name: "Other", cash: "1000" });
    const summary = await schedules.create(actor, {
      name: "Daily book",
      target: { kind: "PORTFOLIO_SUMMARY", portfolioId: portfolio.id },
      when: { preset: "evenings" },
    });
    const elsewhere = await schedules.create(actor, {
      name: "Other book",
      target: { kind: "PORTFOLIO_SUMMARY", portfolioId: other.id },
      when: { preset: "evenings" },
    });
    const { alert } = await alerts.createFromText(actor, "position ETHUSDT pnl -100000", "Deep");
    const policy = await riskPolicies.create(actor, {
      scope: "PORTFOLIO",
      scopeId: portfolio.id,
      name: "Book cap",
      config: { maxExposurePerAssetPct: { limit: "90", action: "warn" } },
    });

    // refused, with the counts, and nothing changes
    const refusal = await portfolios.deletePortfolio(actor, portfolio.id).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(StateError);
    expect(refusal).toMatchObject({
      key: "error-portfolio-not-flat",
      params: { name: "Main", orders: 1, positions: 2 },
    });
    expect(await portfolios.retirementBlockers(actor, portfolio.id)).toEqual({
      openOrders: 1,
      openPositions: 2,
    });
    expect((await schedules.get(actor, summary.id)).isActive).toBe(true);

    // the ways out: cancel the resting buy, close both positions at market
    const canceled = await closeout.cancelOpenOrders(actor, portfolio.id);
    expect(canceled.canceled.map((c) => [c.orderId, c.status, c.canceled])).toEqual([
      [resting.order.id, "CANCELED", true],
    ]);
    const audits = await tdb.db.prisma.auditLog.findMany({
      where: { entityType: "ORDER", entityId: resting.order.id, action: "CANCEL" },
    });
    expect(audits.map((a) => a.actorId)).toEqual([actor.id]);
    const closed = await closeout.closePositions(actor, portfolio.id);
    expect(closed.refused).toEqual([]);
    expect(closed.placed.map((p) => [p.symbol, p.side, p.quantity.toFixed(), p.status])).toEqual([
      ["BTCUSDT", "SELL", "0.1", "FILLED"],
      ["ETHUSDT", "SELL", "1", "FILLED"],
    ]);
    expect(await portfolios.retirementBlockers(actor, portfolio.id)).toEqual({
      openOrders: 0,
      openPositions: 0,
    });

    // flat but still holding cash: refused, the money would vanish from the account
    await expect(portfolios.deletePortfolio(actor, portfolio.id)).rejects.toMatchObject({
      key: "error-portfolio-has-cash",
    });
    await emptyCash(actor, portfolio.id);
    const result = await portfolios.deletePortfolio(actor, portfolio.id);
    expect(result).toEqual({
      outcome: "ARCHIVED",
      name: "Main",
      paused: { schedules: ["Daily book"], alerts: ["Deep"], policies: ["Book cap"] },
    });
    // paused, not deleted; the other portfolio's schedule runs on
    expect(await schedules.get(actor, summary.id)).toMatchObject({
      isActive: false,
      nextRunAt: null,
    });
    expect((await schedules.get(actor, elsewhere.id)).isActive).toBe(true);
    const alertRow = await tdb.db.prisma.alert.findUniqueOrThrow({ where: { id: alert.id } });
    expect([alertRow.isActive, alertRow.portfolioId]).toEqual([false, portfolio.id]);
    const policyRow = await tdb.db.prisma.riskPolicy.findUniqueOrThrow({
      where: { id: policy.id },
    });
    expect(policyRow.isActive).toBe(false);
    // one notification, with the list
    const notices = await noticesOf(actor.id);
    expect(notices.map((n) => [n.title, n.type, n.severity])).toEqual([
      ["ARCHIVED Main", "ACCOUNT", "WARNING"],
    ]);
    expect(rendered.at(-1)?.paused).toEqual(result.paused);
    const archiveAudit = await tdb.db.prisma.auditLog.findFirst({
      where: { entityType: "PORTFOLIO", entityId: portfolio.id, action: "ARCHIVE" },
    });
    expect(archiveAudit?.actorId).toBe(actor.id);

    // hidden and closed to anything new, its history still readable
    expect((await portfolios.listPortfolios(actor)).map((p) => p.name)).toEqual(["Other"]);
    expect((await portfolios.resolvePortfolio(actor)).name).toBe("Other");
    await expect(portfolios.findPortfolioByName(actor, "Main")).rejects.toBeInstanceOf(
      NotFoundError,
    );
    const archived = await portfolios.getPortfolio(actor, portfolio.id);
    expect(archived.archivedAt).not.toBeNull();
    expect(archived.isDefault).toBe(false);
    expect((await portfolios.getPortfolio(actor, other.id)).isDefault).toBe(true);
    const trades = await tdb.db.prisma.trade.count({ where: { portfolioId: portfolio.id } });
    expect(trades).toBe(4);
    const history = await world.services.positions.snapshot(actor, portfolio.id, {
      includeFlat: true,
    });
    expect(history.map((p) => [p.symbol, p.quantity.toFixed()])).toEqual([
      ["BTCUSDT", "0"],
      ["ETHUSDT", "0"],
    ]);
    for (const attempt of [
      () => world.trading.place(actor, order(portfolio.id)),
      () => portfolios.setActivePortfolio(actor, portfolio.id),
      () => portfolios.setDefaultPortfolio(actor, portfolio.id),
      () => portfolios.renamePortfolio(actor, portfolio.id, "Back"),
      () => portfolios.deletePortfolio(actor, portfolio.id),
      () =>
        schedules.create(actor, {
          name: "Late",
          target: { kind: "PORTFOLIO_SUMMARY", portfolioId: portfolio.id },
          when: { preset: "evenings" },
        }),
    ]) {
      await expect(attempt()).rejects.toMatchObject({ key: "error-portfolio-archived" });
    }
    // the name is free again; the archived one keeps its own
    const again = await portfolios.createPortfolio(actor, {
      accountId: portfolio.accountId,
      name: "main",
    });
    expect(again.name).toBe("main");
    expect((await portfolios.getPortfolio(actor, portfolio.id)).name).toBe("Main");
  });

  it("really deletes a portfolio that never traded, and notifies only when something was paused", async () => {
    const { actor, portfolio } = await trader("Quinn");
    const { portfolios, schedules } = world.services;
    const spare = await paperPortfolio(world, actor, { name: "Spare", cash: "0" });
    expect(await portfolios.deletePortfolio(actor, spare.id)).toEqual({
      outcome: "DELETED",
      name: "Spare",
      paused: { schedules: [], alerts: [], policies: [] },
    });
    expect(await tdb.db.prisma.portfolio.count({ where: { id: spare.id } })).toBe(0);
    expect(await noticesOf(actor.id)).toEqual([]);

    const empty = await paperPortfolio(world, actor, { name: "Empty", cash: "0" });
    const s = await schedules.create(actor, {
      name: "PnL",
      target: { kind: "PNL_REPORT", portfolioId: empty.id, period: "today" },
      when: { preset: "evenings" },
    });
    const deleted = await portfolios.deletePortfolio(actor, empty.id);
    expect(deleted.outcome).toBe("DELETED");
    expect(deleted.paused.schedules).toEqual(["PnL"]);
    expect((await schedules.get(actor, s.id)).isActive).toBe(false);
    expect((await noticesOf(actor.id)).map((n) => n.title)).toEqual(["DELETED Empty"]);

    // money moved in and out is history: Main, which never traded, is archived, not deleted
    await emptyCash(actor, portfolio.id);
    expect((await portfolios.deletePortfolio(actor, portfolio.id)).outcome).toBe("ARCHIVED");
  });

  it("reports a close that the short guard refuses (open sells commit the holding) instead of forcing it", async () => {
    const { actor, portfolio } = await trader("Rosa");
    await world.trading.place(actor, order(portfolio.id));
    await world.trading.place(
      actor,
      order(portfolio.id, { side: "SELL", type: "LIMIT", price: d("5000"), quantity: d("0.4") }),
    );
    const closed = await closeout.closePositions(actor, portfolio.id);
    expect(closed.placed).toEqual([]);
    expect(closed.refused.map((r) => [r.symbol, r.side, r.quantity.toFixed(), r.key])).toEqual([
      ["ETHUSDT", "SELL", "1", "error-short-committed"],
    ]);
    // cancel first, then the close goes through
    await closeout.cancelOpenOrders(actor, portfolio.id);
    const retry = await closeout.closePositions(actor, portfolio.id);
    expect(retry.placed.map((p) => p.status)).toEqual(["FILLED"]);
    await emptyCash(actor, portfolio.id);
    expect((await world.services.portfolios.deletePortfolio(actor, portfolio.id)).outcome).toBe(
      "ARCHIVED",
    );
  });
});
