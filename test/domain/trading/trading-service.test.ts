// Placing and canceling through the trading service, end to end on both databases: domain order,
// paper venue, fill ingestion, positions and the paper cash ledger; ownership, cash checks,
// broker outages and the pre-trade hook.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LiveTradingNotConfiguredError } from "../../../src/brokers/gateway-errors.ts";
import type { BrokerGateway } from "../../../src/brokers/types.ts";
import { cashBalance } from "../../../src/domain/cash/cash-ledger.ts";
import {
  NotFoundError,
  RiskBlockedError,
  StateError,
  ValidationError,
} from "../../../src/domain/errors.ts";
import type { OrderRequest } from "../../../src/domain/orders/order-types.ts";
import type {
  PreTradeCheck,
  PreTradeContext,
  PreTradeDecision,
} from "../../../src/domain/trading/pre-trade-check.ts";
import type { Actor } from "../../../src/domain/users/actor.ts";
import { Decimal } from "../../../src/lib/decimal.ts";
import { PROVIDERS, type TestDatabase, createTestDatabase } from "../../support/db.ts";
import { approvedUser, paperPortfolio } from "../../support/fixtures.ts";
import {
  type TradingWorld,
  type TradingWorldOptions,
  createTradingWorld,
} from "./trading-world.ts";

const d = (v: string) => new Decimal(v);

describe.each(PROVIDERS)("TradingService on %s", (provider) => {
  let tdb: TestDatabase;
  let world: TradingWorld;
  beforeAll(async () => {
    tdb = await createTestDatabase(provider);
    world = createTradingWorld(tdb.db);
  });
  afterAll(() => tdb.drop());

  async function trader(w: TradingWorld = world, cash = "100000") {
    const actor = await approvedUser(w);
    const portfolio = await paperPortfolio(w, actor, { cash });
    return { actor, portfolio };
  }

  const buy = (portfolioId: number, patch: Partial<OrderRequest> = {}): OrderRequest => ({
    portfolioId,
    symbol: "ETHUSDT",
    side: "BUY",
    type: "MARKET",
    quantity: d("0.5"),
    ...patch,
  });

  async function counts() {
    const db = tdb.db.prisma;
    const [orders, paperOrders, trades, audits, cash] = await Promise.all([
      db.order.count(),
      db.paperOrder.count(),
      db.trade.count(),
      db.auditLog.count(),
      db.cashTransaction.count(),
    ]);
    return { orders, paperOrders, trades, audits, cash };
  }

  const reset = (w: TradingWorld = world) => {
    w.clock.set("2026-03-10T12:00:30Z");
    w.market.price("ETHUSDT", "3000");
    w.market.volume("ETHUSDT", "1000");
  };

  it("a market buy comes back filled, with the position and the paper cash updated", async () => {
    reset();
    const { actor, portfolio } = await trader();
    const result = await world.trading.place(actor, buy(portfolio.id));
    expect(result.submitted).toBe(true);
    expect(result.order.status).toBe("FILLED");
    expect(result.order.brokerOrderId).toMatch(/^PB\d+-/);
    expect(result.order.avgFillPrice?.toFixed()).toBe("3000.62");
    expect(result.fills).toHaveLength(1);
    expect(result.fills[0]?.fee.toFixed()).toBe("1.50031");
    expect(result.preview.estimate.price.toFixed()).toBe("3000.62");
    expect(result.risk.outcome).toBe("ALLOW");
    const [position] = await world.services.positions.snapshot(actor, portfolio.id);
    expect(position?.quantity.toFixed()).toBe("0.5");
    expect(position?.avgPrice.toFixed()).toBe("3000.62");
    // 100000 − 0.5 × 3000.62 − 1.50031
    expect((await cashBalance(tdb.db.prisma, portfolio.id, "USDT")).toFixed()).toBe("98498.18969");

    // and selling it back realizes the spread and slippage
    const sold = await world.trading.place(actor, buy(portfolio.id, { side: "SELL" }));
    expect(sold.order.status).toBe("FILLED");
    expect(sold.order.avgFillPrice?.toFixed()).toBe("2999.39");
    const [flat] = await world.services.positions.snapshot(actor, portfolio.id, {
      includeFlat: true,
    });
    expect(flat?.quantity.toFixed()).toBe("0");
    expect(flat?.realizedPnl.toFixed()).toBe("-0.615");
  });

  it("a limit order rests, then fills when the price crosses and the sync job runs", async () => {
    reset();
    const { actor, portfolio } = await trader();
    const placed = await world.trading.place(
      actor,
      buy(portfolio.id, { type: "LIMIT", price: d("2950"), quantity: d("1") }),
    );
    expect(placed.order.status).toBe("NEW");
    expect(placed.order.brokerOrderId).not.toBeNull();
    expect(placed.fills).toEqual([]);
    expect(placed.preview.estimate.immediate).toBe(false);

    let summary = await world.orderSync.runOnce();
    expect(summary.fillsIngested).toBe(0);
    world.market.price("ETHUSDT", "2949");
    world.clock.advance(2_000);
    summary = await world.orderSync.runOnce();
    expect(summary.errors).toEqual([]);
    expect(summary.fillsIngested).toBe(1);
    const order = await world.services.orders.get(actor, placed.order.id);
    expect(order.status).toBe("FILLED");
    expect(order.avgFillPrice?.toFixed()).toBe("2950");
    const [position] = await world.services.positions.snapshot(actor, portfolio.id);
    expect(position?.quantity.toFixed()).toBe("1");
    expect(position?.fees.toFixed()).toBe("2.95");
  });

  it("cancels an open order at the venue and in the domain, audited under the user", async () => {
    reset();
    const { actor, portfolio } = await trader();
    const placed = await world.trading.place(
      actor,
      buy(portfolio.id, { type: "LIMIT", price: d("2000") }),
    );
    const result = await world.trading.cancel(actor, placed.order.id);
    expect(result.canceled).toBe(true);
    expect(result.order.status).toBe("CANCELED");
    const venue = await tdb.db.prisma.paperOrder.findFirstOrThrow({
      where: { clientOrderId: placed.order.clientOrderId },
    });
    expect(venue.status).toBe("CANCELED");
    const audit = await tdb.db.prisma.auditLog.findFirst({
      where: { entityType: "ORDER", entityId: placed.order.id, action: "CANCEL" },
    });
    expect(audit?.actorId).toBe(actor.id);
    await expect(world.trading.cancel(actor, placed.order.id)).rejects.toBeInstanceOf(StateError);
  });

  it("refuses to cancel a filled order", async () => {
    reset();
    const { actor, portfolio } = await trader();
    const placed = await world.trading.place(actor, buy(portfolio.id));
    const err = await world.trading.cancel(actor, placed.order.id).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StateError);
    expect(err).toMatchObject({ key: "error-order-not-open" });
  });

  it("a cancel that arrives after the venue filled the order ingests the fill instead", async () => {
    reset();
    const { actor, portfolio } = await trader();
    const placed = await world.trading.place(
      actor,
      buy(portfolio.id, { type: "LIMIT", price: d("2990") }),
    );
    // the venue fills it; the domain has not synced yet
    world.market.price("ETHUSDT", "2980");
    await (await world.gateways.forAccount(portfolio.accountId)).match?.();
    const result = await world.trading.cancel(actor, placed.order.id);
    expect(result.canceled).toBe(false);
    expect(result.order.status).toBe("FILLED");
    expect(result.fills).toHaveLength(1);
  });

  it("refuses a paper buy the account cannot pay, writing nothing", async () => {
    reset();
    const { actor, portfolio } = await trader(world, "1000");
    const before = await counts();
    const err = await world.trading
      .place(actor, buy(portfolio.id, { quantity: d("1") }))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    // 1 × 3000.62 × 1.001
    expect(err).toMatchObject({
      field: "quantity",
      key: "error-insufficient-cash",
      params: { available: "1000", required: "3003.62062", currency: "USDT" },
    });
    expect(await counts()).toEqual(before);
  });

  it("counts cash reserved by open buy orders against a new buy", async () => {
    reset();
    const { actor, portfolio } = await trader(world, "5000");
    await world.trading.place(
      actor,
      buy(portfolio.id, { type: "LIMIT", price: d("2900"), quantity: d("1") }),
    );
    const preview = await world.trading.preview(actor, buy(portfolio.id, { quantity: d("0.1") }));
    // 2900 limit resting: maker estimate 2900 × 1.001 = 2902.9 reserved
    expect(preview.cash?.reserved.toFixed()).toBe("2902.9");
    expect(preview.cash?.available.toFixed()).toBe("2097.1");
    const err = await world.trading
      .place(actor, buy(portfolio.id, { quantity: d("0.7") }))
      .catch((e: unknown) => e);
    expect(err).toMatchObject({
      key: "error-insufficient-free-cash",
      params: { available: "2097.1", balance: "5000", reserved: "2902.9", orders: 1 },
    });
  });

  it("another user's order and portfolio look like missing ones", async () => {
    reset();
    const owner = await trader();
    const stranger = await trader();
    const placed = await world.trading.place(
      owner.actor,
      buy(owner.portfolio.id, { type: "LIMIT", price: d("2000") }),
    );
    await expect(world.trading.cancel(stranger.actor, placed.order.id)).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(
      world.trading.place(stranger.actor, buy(owner.portfolio.id)),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      world.trading.quantityForCash(stranger.actor, owner.portfolio.id, "ETHUSDT", d("100")),
    ).rejects.toBeInstanceOf(NotFoundError);
    expect((await world.services.orders.get(owner.actor, placed.order.id)).status).toBe("NEW");
  });

  it("a partially filled IOC order ends EXPIRED with its fill recorded", async () => {
    reset();
    world.market.volume("ETHUSDT", "4"); // 1 ETH a minute
    const { actor, portfolio } = await trader();
    const result = await world.trading.place(
      actor,
      buy(portfolio.id, { quantity: d("3"), timeInForce: "IOC" }),
    );
    expect(result.order.status).toBe("EXPIRED");
    expect(result.order.rejectReason).toBe("expired-ioc");
    expect(result.order.brokerOrderId).toMatch(/^PB\d+-/);
    expect(result.order.filledQuantity.toFixed()).toBe("1");
    expect(result.fills).toHaveLength(1);
  });

  it("refuses live accounts without an adapter before writing anything", async () => {
    reset();
    const actor = await approvedUser(world);
    const account = await world.services.portfolios.createAccount(actor, {
      brokerCode: "BINANCE",
      name: "Binance",
      baseCurrency: "USDT",
    });
    const portfolio = await world.services.portfolios.createPortfolio(actor, {
      accountId: account.id,
      name: "Live",
    });
    const before = await counts();
    await expect(world.trading.place(actor, buy(portfolio.id))).rejects.toBeInstanceOf(
      LiveTradingNotConfiguredError,
    );
    expect(await counts()).toEqual(before);
  });

  it("turns a cash amount into a quantity on the lot grid, fee and slippage included", async () => {
    reset();
    const { actor, portfolio } = await trader();
    const q = await world.trading.quantityForCash(actor, portfolio.id, "ethusdt", d("1000"));
    expect(q.symbol).toBe("ETHUSDT");
    expect(q.price.toFixed()).toBe("3000.62");
    // 1000 / (3000.62 × 1.001) = 0.33293... → 0.3329
    expect(q.quantity.toFixed()).toBe("0.3329");
    expect(q.total.lte(1000)).toBe(true);
    expect(q.quantity.plus("0.0001").mul(q.price).mul("1.001").gt(1000)).toBe(true);
    const tooSmall = await world.trading
      .quantityForCash(actor, portfolio.id, "ETHUSDT", d("1"))
      .catch((e: unknown) => e);
    expect(tooSmall).toMatchObject({ field: "amount", key: "error-min-notional" });
    const noShare = await world.trading
      .quantityForCash(actor, portfolio.id, "AAPL", d("100"))
      .catch((e: unknown) => e);
    expect(noShare).toMatchObject({ field: "amount", key: "error-amount-below-min-quantity" });
    await expect(
      world.trading.quantityForCash(actor, portfolio.id, "ETHUSDT", d("-5")),
    ).rejects.toBeInstanceOf(ValidationError);
  });

  it("records a broker's rejection on the order, with its reason", async () => {
    // a venue that does not list what the domain sends: the paper venue rejects, as Binance would
    const w = createTradingWorld(tdb.db, {
      gatewaySource: (registry) => ({
        async forAccount(accountId: number): Promise<BrokerGateway> {
          const real = await registry.forAccount(accountId);
          return new Proxy(real, {
            get(target, key, receiver) {
              if (key !== "placeOrder") return Reflect.get(target, key, receiver);
              return (req: Parameters<BrokerGateway["placeOrder"]>[0]) =>
                target.placeOrder({ ...req, symbol: "DELISTEDUSDT" });
            },
          });
        },
      }),
    });
    reset(w);
    const { actor, portfolio } = await trader(w);
    const result = await w.trading.place(actor, buy(portfolio.id));
    expect(result.submitted).toBe(true);
    expect(result.order).toMatchObject({ status: "REJECTED", rejectReason: "unknown-symbol" });
    expect(result.order.brokerOrderId).toMatch(/^PB/);
    expect(result.fills).toEqual([]);
    const audit = await tdb.db.prisma.auditLog.findFirst({
      where: { entityType: "ORDER", entityId: result.order.id, action: "REJECT" },
    });
    expect(audit?.details).toMatchObject({ reason: "unknown-symbol" });
    expect((await cashBalance(tdb.db.prisma, portfolio.id, "USDT")).toFixed()).toBe("100000");
  });

  describe("when the broker is unreachable", () => {
    /** A world whose paper gateway loses placements while `down` is set. */
    function outageWorld(mode: "before-send" | "after-send") {
      const state = { down: true };
      const opts: TradingWorldOptions = {
        gatewaySource: (registry) => ({
          async forAccount(accountId: number): Promise<BrokerGateway> {
            const real = await registry.forAccount(accountId);
            return new Proxy(real, {
              get(target, key, receiver) {
                if (key !== "placeOrder" || !state.down) return Reflect.get(target, key, receiver);
                return async (...args: Parameters<BrokerGateway["placeOrder"]>) => {
                  // the request is lost on the way (before) or its answer is (after)
                  if (mode === "after-send") await target.placeOrder(...args);
                  throw new Error("ECONNRESET");
                };
              },
            });
          },
        }),
      };
      return { w: createTradingWorld(tdb.db, opts), state };
    }

    it("keeps the order NEW without a broker id, and the sync job submits it later", async () => {
      const { w, state } = outageWorld("before-send");
      reset(w);
      const { actor, portfolio } = await trader(w);
      const result = await w.trading.place(actor, buy(portfolio.id));
      expect(result.submitted).toBe(false);
      expect(result.submitError).toEqual({ key: "error-broker-unavailable", params: {} });
      expect(result.order).toMatchObject({ status: "NEW", brokerOrderId: null });
      expect(
        await tdb.db.prisma.paperOrder.count({ where: { accountId: portfolio.accountId } }),
      ).toBe(0);

      state.down = false;
      // within the grace period the job leaves it alone (a place() may still be in flight)
      expect((await w.orderSync.runOnce()).submitted).toBe(0);
      w.clock.advance(10_000);
      const summary = await w.orderSync.runOnce();
      expect(summary.submitted).toBe(1);
      expect(summary.fillsIngested).toBe(1);
      expect((await w.services.orders.get(actor, result.order.id)).status).toBe("FILLED");
    });

    it("adopts an order that reached the broker although the answer was lost", async () => {
      const { w } = outageWorld("after-send");
      reset(w);
      const { actor, portfolio } = await trader(w);
      const result = await w.trading.place(actor, buy(portfolio.id));
      expect(result.order).toMatchObject({ status: "NEW", brokerOrderId: null });
      w.clock.advance(10_000);
      const summary = await w.orderSync.runOnce();
      expect(summary.submitted).toBe(0);
      const order = await w.services.orders.get(actor, result.order.id);
      expect(order.status).toBe("FILLED");
      expect(order.brokerOrderId).toMatch(/^PB/);
      expect(
        await tdb.db.prisma.paperOrder.count({ where: { accountId: portfolio.accountId } }),
      ).toBe(1);
    });

    it("records the broker id from the fills when the sync job ingests them within the grace period", async () => {
      // found by the SIGKILL drill (test/adversarial/crash): a process killed between the venue's
      // answer and recording it left a filled order without its broker id for good, because the
      // job ingested its fills (matched by clientOrderId) before the submit stage looked at it
      const { w } = outageWorld("after-send");
      reset(w);
      const { actor, portfolio } = await trader(w);
      const result = await w.trading.place(actor, buy(portfolio.id));
      expect(result.order).toMatchObject({ status: "NEW", brokerOrderId: null });
      expect((await w.orderSync.runOnce()).fillsIngested).toBe(1);
      const venue = await tdb.db.prisma.paperOrder.findFirstOrThrow({
        where: { accountId: portfolio.accountId },
      });
      const order = await w.services.orders.get(actor, result.order.id);
      expect(order).toMatchObject({ status: "FILLED", brokerOrderId: venue.brokerOrderId });
    });

    it("rejects an order that could not be sent within the submit window", async () => {
      const { w, state } = outageWorld("before-send");
      reset(w);
      const { actor, portfolio } = await trader(w);
      const result = await w.trading.place(actor, buy(portfolio.id));
      state.down = false;
      w.clock.advance(5 * 60_000);
      w.market.price("ETHUSDT", "3000");
      const summary = await w.orderSync.runOnce();
      expect(summary.statusChanges).toBe(1);
      expect(await w.services.orders.get(actor, result.order.id)).toMatchObject({
        status: "REJECTED",
        rejectReason: "submit-timeout",
      });
      expect(
        await tdb.db.prisma.paperOrder.count({ where: { accountId: portfolio.accountId } }),
      ).toBe(0);
    });

    it("an order canceled before it reached the broker is never sent", async () => {
      const { w, state } = outageWorld("before-send");
      reset(w);
      const { actor, portfolio } = await trader(w);
      const result = await w.trading.place(actor, buy(portfolio.id));
      const canceled = await w.trading.cancel(actor, result.order.id);
      expect(canceled.order).toMatchObject({
        status: "CANCELED",
        rejectReason: "canceled-before-submit",
      });
      state.down = false;
      w.clock.advance(10_000);
      expect((await w.orderSync.runOnce()).submitted).toBe(0);
      expect(
        await tdb.db.prisma.paperOrder.count({ where: { accountId: portfolio.accountId } }),
      ).toBe(0);
    });
  });

  describe("pre-trade check", () => {
    class ScriptedCheck implements PreTradeCheck {
      calls: { quantity: string; context: PreTradeContext }[] = [];
      constructor(private readonly decision: PreTradeDecision) {}
      async evaluate(_actor: Actor, order: { quantity: Decimal }, context: PreTradeContext) {
        this.calls.push({ quantity: order.quantity.toFixed(), context });
        return this.decision;
      }
    }

    it("BLOCK refuses the order with the finding's key, nothing written", async () => {
      const check = new ScriptedCheck({
        outcome: "BLOCK",
        findings: [{ rule: "maxOrdersPerDay", key: "risk-max-orders", params: { limit: 3 } }],
      });
      const w = createTradingWorld(tdb.db, { preTrade: check });
      reset(w);
      const { actor, portfolio } = await trader(w);
      const before = await counts();
      const err = await w.trading.place(actor, buy(portfolio.id)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RiskBlockedError);
      expect(err).toMatchObject({ key: "risk-max-orders", params: { limit: 3 } });
      expect(await counts()).toEqual(before);
      expect(check.calls).toHaveLength(1);
      expect(check.calls[0]?.context.portfolio.id).toBe(portfolio.id);
      expect(check.calls[0]?.context.estimate.total.toFixed()).toBe("1501.81031");
      expect(check.calls[0]?.context.cash?.available.toFixed()).toBe("100000");
    });

    it("REDUCE places the reduced quantity; WARN places as is and reports the findings", async () => {
      const reduce = new ScriptedCheck({
        outcome: "REDUCE",
        quantity: d("0.2"),
        findings: [{ rule: "maxExposurePct", key: "risk-reduced", params: {} }],
      });
      const w = createTradingWorld(tdb.db, { preTrade: reduce });
      reset(w);
      const { actor, portfolio } = await trader(w);
      const reduced = await w.trading.place(actor, buy(portfolio.id));
      expect(reduced.order.quantity.toFixed()).toBe("0.2");
      expect(reduced.order.status).toBe("FILLED");
      expect(reduced.risk.outcome).toBe("REDUCE");
      expect(reduce.calls).toHaveLength(1);

      const warn = new ScriptedCheck({
        outcome: "WARN",
        findings: [{ rule: "dailyLossLimitPct", key: "risk-near-limit", params: { pct: "80" } }],
      });
      const w2 = createTradingWorld(tdb.db, { preTrade: warn });
      reset(w2);
      const warned = await w2.trading.place(actor, buy(portfolio.id));
      expect(warned.order.quantity.toFixed()).toBe("0.5");
      expect(warned.risk.findings[0]?.key).toBe("risk-near-limit");
    });

    it("never places more than a reduced size the user accepted, whatever the check says later", async () => {
      // the card offered 0.2; by the press the limits allow everything, or a little more than 0.2
      const allow = new ScriptedCheck({ outcome: "ALLOW", findings: [] });
      const w = createTradingWorld(tdb.db, { preTrade: allow });
      reset(w);
      const { actor, portfolio } = await trader(w);
      const capped = await w.trading.place(actor, buy(portfolio.id), {
        acceptedQuantity: d("0.2"),
      });
      expect(capped.order.quantity.toFixed()).toBe("0.2");

      const looser = new ScriptedCheck({
        outcome: "REDUCE",
        quantity: d("0.3"),
        findings: [{ rule: "maxExposurePct", key: "risk-reduced", params: {} }],
      });
      const w2 = createTradingWorld(tdb.db, { preTrade: looser });
      reset(w2);
      const still = await w2.trading.place(actor, buy(portfolio.id), {
        acceptedQuantity: d("0.2"),
      });
      expect(still.order.quantity.toFixed()).toBe("0.2");

      // and less when the check now reduces further
      const tighter = new ScriptedCheck({
        outcome: "REDUCE",
        quantity: d("0.1"),
        findings: [{ rule: "maxExposurePct", key: "risk-reduced", params: {} }],
      });
      const w3 = createTradingWorld(tdb.db, { preTrade: tighter });
      reset(w3);
      const less = await w3.trading.place(actor, buy(portfolio.id), {
        acceptedQuantity: d("0.2"),
      });
      expect(less.order.quantity.toFixed()).toBe("0.1");
    });
  });
});
