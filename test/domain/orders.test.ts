// OrderService on both databases: normalization errors naming the field (with nearest valid
// values), the transition table, cancel, listing, idempotency keys and ownership.
import { describe, expect, it } from "vitest";
import {
  ConflictError,
  NotFoundError,
  StateError,
  ValidationError,
} from "../../src/domain/errors.ts";
import type { OrderRequest } from "../../src/domain/orders/order-types.ts";
import { Decimal } from "../../src/lib/decimal.ts";
import { PROVIDERS, type TestDatabase } from "../support/db.ts";
import { type TestWorld, approvedUser, paperPortfolio } from "../support/fixtures.ts";
import { useTestWorld } from "../support/test-world.ts";

const d = (v: string) => new Decimal(v);

describe.each(PROVIDERS)("OrderService on %s", (provider) => {
  let tdb: TestDatabase;
  let world: TestWorld;
  useTestWorld(provider, async (t) => {
    ({ tdb, world } = t);
  });

  async function setup() {
    const actor = await approvedUser(world);
    const portfolio = await paperPortfolio(world, actor);
    const base = {
      portfolioId: portfolio.id,
      symbol: "BTCUSDT",
      side: "BUY",
      type: "LIMIT",
    } as const;
    return { actor, portfolio, base };
  }

  it("stores a normalized order as NEW and audits it", async () => {
    const { actor, base } = await setup();
    const order = await world.services.orders.place(actor, {
      ...base,
      quantity: d("0.01000"),
      price: d("42000.10"),
    });
    expect(order.status).toBe("NEW");
    expect(order.quantity.toFixed()).toBe("0.01");
    expect(order.price?.toFixed()).toBe("42000.1");
    expect(order.clientOrderId).toMatch(/^td-/);
    const auditRow = await tdb.db.prisma.auditLog.findFirst({
      where: { entityType: "ORDER", entityId: order.id },
    });
    expect(auditRow).toMatchObject({ action: "PLACE", actorId: actor.id });
  });

  it.each<[string, Partial<OrderRequest>, string, string, string[]]>([
    [
      "unknown symbol",
      { symbol: "BTCUSD", quantity: d("1"), price: d("1") },
      "symbol",
      "error-unknown-symbol",
      ["BTCUSDT"],
    ],
    [
      "zero quantity",
      { quantity: d("0"), price: d("42000") },
      "quantity",
      "error-must-be-positive",
      [],
    ],
    [
      "negative quantity",
      { quantity: d("-1"), price: d("42000") },
      "quantity",
      "error-must-be-positive",
      [],
    ],
    [
      "quantity off the lot",
      { quantity: d("0.000015"), price: d("42000") },
      "quantity",
      "error-quantity-lot",
      ["0.00001", "0.00002"],
    ],
    [
      "price off the tick",
      { quantity: d("0.01"), price: d("42000.005") },
      "price",
      "error-price-tick",
      ["42000", "42000.01"],
    ],
    [
      "below min notional",
      { quantity: d("0.0001"), price: d("42000") },
      "quantity",
      "error-min-notional",
      ["0.00012"],
    ],
    ["limit without price", { quantity: d("0.01") }, "price", "error-field-required", []],
    [
      "market with price",
      { type: "MARKET", quantity: d("0.01"), price: d("1") },
      "price",
      "error-field-not-allowed",
      [],
    ],
    [
      "buy stop below market",
      { type: "STOP", quantity: d("0.01"), stopPrice: d("42000") },
      "stopPrice",
      "error-buy-stop-below-market",
      [],
    ],
    [
      "sell stop above market",
      { type: "STOP", side: "SELL", quantity: d("0.01"), stopPrice: d("44000") },
      "stopPrice",
      "error-sell-stop-above-market",
      [],
    ],
    [
      "stop-limit buy limit under stop",
      { type: "STOP_LIMIT", quantity: d("0.01"), stopPrice: d("44000"), price: d("43900") },
      "price",
      "error-buy-limit-below-stop",
      [],
    ],
    [
      "trailing with both",
      { type: "TRAILING", quantity: d("0.01"), trailAmount: d("10"), trailPercent: d("1") },
      "trail",
      "error-trail-one-of",
      [],
    ],
    [
      "trailing over 100 %",
      { type: "TRAILING", side: "SELL", quantity: d("0.01"), trailPercent: d("150") },
      "trailPercent",
      "error-trail-percent-range",
      [],
    ],
    [
      "bad time in force",
      { quantity: d("0.01"), price: d("42000"), timeInForce: "GTD" as never },
      "timeInForce",
      "error-invalid-tif",
      [],
    ],
  ])(
    "rejects %s with a typed error naming the field, writing nothing",
    async (_name, patch, field, key, suggestions) => {
      const { actor, base, portfolio } = await setup();
      const before = await tdb.db.prisma.order.count({ where: { portfolioId: portfolio.id } });
      const error = await world.services.orders
        .place(actor, { ...base, quantity: d("1"), ...patch })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect(error).toMatchObject({ field, key });
      const offered = (error as ValidationError).suggestions;
      if (key === "error-unknown-symbol") expect(offered[0]).toBe(suggestions[0]);
      else if (suggestions.length) expect(offered).toEqual(suggestions);
      expect(await tdb.db.prisma.order.count({ where: { portfolioId: portfolio.id } })).toBe(
        before,
      );
    },
  );

  it("accepts every order type with the fields it needs", async () => {
    const { actor, base } = await setup();
    const { orders } = world.services;
    await orders.place(actor, { ...base, type: "MARKET", quantity: d("0.001") });
    await orders.place(actor, {
      ...base,
      type: "STOP",
      quantity: d("0.001"),
      stopPrice: d("44000"),
    });
    await orders.place(actor, {
      ...base,
      type: "STOP_LIMIT",
      quantity: d("0.001"),
      stopPrice: d("44000"),
      price: d("44100"),
      timeInForce: "IOC",
    });
    await orders.place(actor, {
      ...base,
      side: "SELL",
      type: "TRAILING",
      quantity: d("0.001"),
      trailPercent: d("1.5"),
    });
    const day = await orders.place(actor, {
      ...base,
      quantity: d("0.001"),
      price: d("40000"),
      timeInForce: "DAY",
    });
    // DAY orders expire at the end of the user's day (UTC here)
    expect(day.expiresAt?.toISOString()).toBe("2026-03-11T00:00:00.000Z");
  });

  it("follows the transition table and refuses to cancel what is not open", async () => {
    const { actor, base } = await setup();
    const { orders } = world.services;
    const order = await orders.place(actor, { ...base, quantity: d("0.01"), price: d("42000") });
    await orders.transition({ system: true }, order.id, { status: "NEW", brokerOrderId: "B-1" });
    const rejected = await orders.transition({ system: true }, order.id, {
      status: "REJECTED",
      reason: "insufficient balance",
    });
    expect(rejected).toMatchObject({
      status: "REJECTED",
      brokerOrderId: "B-1",
      rejectReason: "insufficient balance",
    });
    await expect(
      orders.transition({ system: true }, order.id, { status: "FILLED" }),
    ).rejects.toBeInstanceOf(StateError);
    await expect(orders.cancel(actor, order.id)).rejects.toMatchObject({
      key: "error-order-not-open",
    });

    const other = await orders.place(actor, { ...base, quantity: d("0.01"), price: d("42000") });
    const canceled = await orders.cancel(actor, other.id);
    expect(canceled.status).toBe("CANCELED");
    await expect(orders.cancel(actor, other.id)).rejects.toBeInstanceOf(StateError);
  });

  it("lists by filter with pagination, newest first", async () => {
    const { actor, base, portfolio } = await setup();
    const { orders } = world.services;
    for (let i = 0; i < 5; i++) {
      world.clock.advance(1000);
      await orders.place(actor, { ...base, quantity: d("0.01"), price: d(String(40000 + i)) });
    }
    const page1 = await orders.list(actor, portfolio.id, "open", 1, 2);
    expect(page1.total).toBe(5);
    expect(page1.orders.map((o) => o.price?.toFixed())).toEqual(["40004", "40003"]);
    const page3 = await orders.list(actor, portfolio.id, "open", 3, 2);
    expect(page3.orders.map((o) => o.price?.toFixed())).toEqual(["40000"]);
    await orders.cancel(actor, page1.orders[0]!.id);
    expect((await orders.list(actor, portfolio.id, "canceled")).total).toBe(1);
    expect((await orders.listOpen(actor, portfolio.id)).length).toBe(4);
  });

  it("maps a duplicate client order id (a database unique violation) to a ConflictError", async () => {
    const { actor, base } = await setup();
    const { orders } = world.services;
    const prepared = await orders.prepare(actor, {
      ...base,
      quantity: d("0.01"),
      price: d("42000"),
      clientOrderId: "dup-1",
    });
    await orders.create(actor, prepared);
    await expect(orders.create(actor, prepared)).rejects.toBeInstanceOf(ConflictError);
  });

  it("names an order by its instrument from the catalog, and one no longer listed from the table", async () => {
    const { actor, base } = await setup();
    const { orders, instruments } = world.services;
    const order = await orders.place(actor, {
      ...base,
      symbol: "ETHUSDT",
      quantity: d("0.1"),
      price: d("2000"),
    });
    expect(order).toMatchObject({ symbol: "ETHUSDT", currency: "USDT" });
    expect(await orders.get(actor, order.id)).toMatchObject({
      symbol: "ETHUSDT",
      currency: "USDT",
    });
    await tdb.db.prisma.instrument.update({
      where: { id: order.instrumentId },
      data: { isActive: false },
    });
    instruments.invalidate();
    try {
      expect(await orders.get(actor, order.id)).toMatchObject({
        id: order.id,
        symbol: "ETHUSDT",
        currency: "USDT",
      });
    } finally {
      await tdb.db.prisma.instrument.update({
        where: { id: order.instrumentId },
        data: { isActive: true },
      });
      instruments.invalidate();
    }
  });

  it("never lets one user see or touch another user's orders", async () => {
    const owner = await setup();
    const intruder = await setup();
    const { orders } = world.services;
    const order = await orders.place(owner.actor, {
      ...owner.base,
      quantity: d("0.01"),
      price: d("42000"),
    });
    await expect(orders.get(intruder.actor, order.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(orders.cancel(intruder.actor, order.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      orders.transition(intruder.actor, order.id, { status: "CANCELED" }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(orders.list(intruder.actor, owner.portfolio.id, "all")).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(
      orders.place(intruder.actor, { ...owner.base, quantity: d("0.01"), price: d("42000") }),
    ).rejects.toBeInstanceOf(NotFoundError);
    expect((await orders.get(owner.actor, order.id)).status).toBe("NEW");
  });
});
