// Amending an open order (cancel-replace) through the trading service on both databases: the
// replacement linked to the original with one audit entry naming both, refusals known before the
// cancel leaving the original working, fills that beat the cancel (never placing more than what
// remains), the original's own reserve not counted against its replacement, and ownership.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  NotFoundError,
  RiskBlockedError,
  StateError,
  ValidationError,
} from "../../../src/domain/errors.ts";
import type { OrderRequest } from "../../../src/domain/orders/order-types.ts";
import type {
  PreTradeCheck,
  PreTradeDecision,
} from "../../../src/domain/trading/pre-trade-check.ts";
import { Decimal } from "../../../src/lib/decimal.ts";
import { PROVIDERS, type TestDatabase, createTestDatabase } from "../../support/db.ts";
import { approvedUser, paperPortfolio } from "../../support/fixtures.ts";
import { type TradingWorld, createTradingWorld } from "./trading-world.ts";

const d = (v: string) => new Decimal(v);

describe.each(PROVIDERS)("amending orders on %s", (provider) => {
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

  const limitBuy = (portfolioId: number, patch: Partial<OrderRequest> = {}): OrderRequest => ({
    portfolioId,
    symbol: "ETHUSDT",
    side: "BUY",
    type: "LIMIT",
    quantity: d("0.5"),
    price: d("2000"),
    ...patch,
  });

  const reset = (w: TradingWorld = world) => {
    w.clock.set("2026-03-10T12:00:30Z");
    w.market.price("ETHUSDT", "3000");
    w.market.volume("ETHUSDT", "1000");
  };

  const amendAudits = (orderId: number) =>
    tdb.db.prisma.auditLog.findMany({
      where: { entityType: "ORDER", entityId: orderId, action: "AMEND" },
    });

  it("replaces a resting limit at a new price and size, linked both ways, with one entry naming both", async () => {
    reset();
    const { actor, portfolio } = await trader();
    const placed = await world.trading.place(actor, limitBuy(portfolio.id));
    const result = await world.trading.amend(actor, placed.order.id, {
      price: d("2100"),
      quantity: d("0.8"),
    });
    expect(result.outcome).toBe("replaced");
    expect(result.original.status).toBe("CANCELED");
    const replacement = result.replacement!.order;
    expect(replacement.status).toBe("NEW");
    expect(replacement.price?.toFixed()).toBe("2100");
    expect(replacement.quantity.toFixed()).toBe("0.8");
    expect(replacement.clientOrderId).not.toBe(placed.order.clientOrderId);
    expect(replacement.replacesOrderId).toBe(placed.order.id);
    expect((await world.services.orders.get(actor, placed.order.id)).replacedByOrderId).toBe(
      replacement.id,
    );
    // the venue holds the replacement and no longer the original
    const venue = await tdb.db.prisma.paperOrder.findMany({
      where: { clientOrderId: { in: [placed.order.clientOrderId, replacement.clientOrderId] } },
      orderBy: { id: "asc" },
    });
    expect(venue.map((o) => o.status)).toEqual(["CANCELED", "NEW"]);
    const audits = await amendAudits(placed.order.id);
    expect(audits).toHaveLength(1);
    expect(audits[0]!.actorId).toBe(actor.id);
    expect(audits[0]!.details).toMatchObject({
      outcome: "replaced",
      originalOrderId: placed.order.id,
      replacementOrderId: replacement.id,
      originalClientOrderId: placed.order.clientOrderId,
      replacementClientOrderId: replacement.clientOrderId,
      fromPrice: "2000",
      toPrice: "2100",
      toQuantity: "0.8",
    });
  });

  it("does not count the original's own cash reserve against its replacement", async () => {
    reset();
    // 0.4 × 2000 reserves 800 of 1000: the raised price fits only once that reserve is released
    const { actor, portfolio } = await trader(world, "1000");
    const placed = await world.trading.place(actor, limitBuy(portfolio.id, { quantity: d("0.4") }));
    const result = await world.trading.amend(actor, placed.order.id, { price: d("2400") });
    expect(result.outcome).toBe("replaced");
    expect(result.replacement!.order.price?.toFixed()).toBe("2400");
  });

  it("refuses a replacement the cash cannot pay before canceling: the original keeps working", async () => {
    reset();
    const { actor, portfolio } = await trader(world, "1000");
    const placed = await world.trading.place(actor, limitBuy(portfolio.id, { quantity: d("0.3") }));
    const ordersBefore = await tdb.db.prisma.order.count();
    const err = await world.trading
      .amend(actor, placed.order.id, { quantity: d("1") })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect(err).toMatchObject({ key: "error-insufficient-cash" });
    expect((await world.services.orders.get(actor, placed.order.id)).status).toBe("NEW");
    expect(await tdb.db.prisma.order.count()).toBe(ordersBefore);
    expect(await amendAudits(placed.order.id)).toHaveLength(0);
  });

  it("never places more than what remains when the original partly filled before the cancel", async () => {
    reset();
    world.market.volume("ETHUSDT", "4"); // 1 ETH a minute
    const { actor, portfolio } = await trader();
    const placed = await world.trading.place(
      actor,
      limitBuy(portfolio.id, { quantity: d("2"), price: d("2990") }),
    );
    // the venue fills 1 of 2; the domain has not synced yet and still sees nothing filled
    world.market.price("ETHUSDT", "2980");
    await (await world.gateways.forAccount(portfolio.accountId)).match?.();
    world.clock.set("2026-03-10T12:00:40Z");
    const result = await world.trading.amend(actor, placed.order.id, {
      price: d("2950"),
      quantity: d("1.5"),
    });
    expect(result.outcome).toBe("replaced");
    expect(result.filledBeforeCancel.toFixed()).toBe("1");
    expect(result.original).toMatchObject({ status: "CANCELED" });
    expect(result.original.filledQuantity.toFixed()).toBe("1");
    // 1.5 asked in total, 1 already bought: 0.5 more
    expect(result.replacement!.order.quantity.toFixed()).toBe("0.5");
    const [audit] = await amendAudits(placed.order.id);
    expect(audit!.details).toMatchObject({ filledBeforeCancel: "1", replacementQuantity: "0.5" });
  });

  it("places nothing when the original filled completely before the cancel", async () => {
    reset();
    const { actor, portfolio } = await trader();
    const placed = await world.trading.place(actor, limitBuy(portfolio.id, { price: d("2990") }));
    world.market.price("ETHUSDT", "2980");
    await (await world.gateways.forAccount(portfolio.accountId)).match?.();
    const ordersBefore = await tdb.db.prisma.order.count();
    const result = await world.trading.amend(actor, placed.order.id, { price: d("2900") });
    expect(result.outcome).toBe("filled");
    expect(result.original.status).toBe("FILLED");
    expect(result.replacement).toBeNull();
    expect(await tdb.db.prisma.order.count()).toBe(ordersBefore);
    const [audit] = await amendAudits(placed.order.id);
    expect(audit!.details).toMatchObject({ outcome: "filled", replacementOrderId: null });
  });

  it("rejects changes that change nothing, do not apply, or go below what filled", async () => {
    reset();
    const { actor, portfolio } = await trader();
    const placed = await world.trading.place(actor, limitBuy(portfolio.id));
    const cases: [Parameters<TradingWorld["trading"]["amend"]>[2], string][] = [
      [{ price: d("2000") }, "error-amend-nothing"],
      [{}, "error-amend-nothing"],
      [{ stopPrice: d("1900") }, "error-amend-no-stop"],
      [{ quantity: d("-1") }, "error-must-be-positive"],
    ];
    for (const [change, key] of cases) {
      const err = await world.trading
        .amend(actor, placed.order.id, change)
        .catch((e: unknown) => e);
      expect(err, key).toBeInstanceOf(ValidationError);
      expect(err).toMatchObject({ key });
    }
    expect((await world.services.orders.get(actor, placed.order.id)).status).toBe("NEW");
    const market = await world.trading.place(
      actor,
      limitBuy(portfolio.id, { type: "MARKET", price: null }),
    );
    await expect(
      world.trading.amend(actor, market.order.id, { quantity: d("1") }),
    ).rejects.toBeInstanceOf(StateError);
  });

  it("another user's order cannot be amended, and stays untouched", async () => {
    reset();
    const owner = await trader();
    const stranger = await trader();
    const placed = await world.trading.place(owner.actor, limitBuy(owner.portfolio.id));
    await expect(
      world.trading.amend(stranger.actor, placed.order.id, { price: d("2100") }),
    ).rejects.toBeInstanceOf(NotFoundError);
    expect((await world.services.orders.get(owner.actor, placed.order.id)).status).toBe("NEW");
  });

  it("a replacement the risk check would block is refused before the cancel, recording nothing", async () => {
    let evaluated = 0;
    const decide = (quantity: Decimal): PreTradeDecision =>
      quantity.gt(1)
        ? {
            outcome: "BLOCK",
            findings: [{ rule: "maxQty", key: "error-risk-blocked", params: {} }],
          }
        : { outcome: "ALLOW", findings: [] };
    const check: PreTradeCheck = {
      evaluate: async (_actor, order) => {
        evaluated++;
        return decide(order.quantity);
      },
      assess: async (_actor, order) => decide(order.quantity),
    };
    const w = createTradingWorld(tdb.db, { preTrade: check });
    reset(w);
    const { actor, portfolio } = await trader(w);
    const placed = await w.trading.place(actor, limitBuy(portfolio.id));
    expect(evaluated).toBe(1);
    await expect(
      w.trading.amend(actor, placed.order.id, { quantity: d("2") }),
    ).rejects.toBeInstanceOf(RiskBlockedError);
    expect(evaluated).toBe(1);
    expect((await w.services.orders.get(actor, placed.order.id)).status).toBe("NEW");
    // within the limit it passes, and the real check runs once, for the replacement
    const ok = await w.trading.amend(actor, placed.order.id, { quantity: d("0.9") });
    expect(ok.outcome).toBe("replaced");
    expect(evaluated).toBe(2);
  });

  it("a replacement refused at placement says so, with the original canceled and nothing placed", async () => {
    // the dry run passes; by placement the check says no (as when prices moved meanwhile)
    let calls = 0;
    const check: PreTradeCheck = {
      evaluate: async () =>
        ++calls > 1
          ? {
              outcome: "BLOCK",
              findings: [{ rule: "maxQty", key: "error-risk-blocked", params: {} }],
            }
          : { outcome: "ALLOW", findings: [] },
      assess: async () => ({ outcome: "ALLOW", findings: [] }),
    };
    const w = createTradingWorld(tdb.db, { preTrade: check });
    reset(w);
    const { actor, portfolio } = await trader(w);
    const placed = await w.trading.place(actor, limitBuy(portfolio.id));
    const result = await w.trading.amend(actor, placed.order.id, { price: d("2050") });
    expect(result.outcome).toBe("refused");
    expect(result.refusal).toMatchObject({ key: "error-risk-blocked" });
    expect(result.original.status).toBe("CANCELED");
    expect(result.replacement).toBeNull();
    const [audit] = await amendAudits(placed.order.id);
    expect(audit!.details).toMatchObject({ outcome: "refused", replacementOrderId: null });
  });
});
