// Brackets on both databases, on the paper venue: an entry with a take-profit and a stop-loss
// gets its exit pair when (and as far as) it fills; one leg filling cancels or reduces the other,
// exactly once however often the sync runs; the exits carry their exit reason; the levels are
// checked against the entry's side; an entry canceled unfilled leaves nothing behind.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ValidationError } from "../../../src/domain/errors.ts";
import type { OrderRequest } from "../../../src/domain/orders/order-types.ts";
import { exitReasonOf } from "../../../src/domain/trade-stats/exit-reason.ts";
import { Decimal } from "../../../src/lib/decimal.ts";
import { PROVIDERS, type TestDatabase, createTestDatabase } from "../../support/db.ts";
import { approvedUser, paperPortfolio } from "../../support/fixtures.ts";
import { type TradingWorld, createTradingWorld } from "./trading-world.ts";

const d = (v: string) => new Decimal(v);

describe.each(PROVIDERS)("bracket orders on %s", (provider) => {
  let tdb: TestDatabase;
  let world: TradingWorld;
  beforeAll(async () => {
    tdb = await createTestDatabase(provider);
    world = createTradingWorld(tdb.db);
  });
  afterAll(() => tdb.drop());

  async function trader() {
    const actor = await approvedUser(world);
    const portfolio = await paperPortfolio(world, actor, { cash: "100000" });
    return { actor, portfolio };
  }

  const reset = () => {
    world.clock.set("2026-03-10T12:00:30Z");
    world.market.price("ETHUSDT", "3000");
    world.market.volume("ETHUSDT", "1000");
  };

  const entry = (portfolioId: number, patch: Partial<OrderRequest> = {}): OrderRequest => ({
    portfolioId,
    symbol: "ETHUSDT",
    side: "BUY",
    type: "MARKET",
    quantity: d("1"),
    bracket: { takeProfit: { price: d("3300") }, stopLoss: { price: d("2800") } },
    ...patch,
  });

  async function legs(entryId: number) {
    const rows = await tdb.db.prisma.order.findMany({
      where: { clientOrderId: { startsWith: `br-${entryId}-` } },
      orderBy: { id: "asc" },
    });
    return rows.map((r) => ({
      id: r.id,
      type: r.type,
      side: r.side,
      status: r.status,
      quantity: new Decimal(String(r.quantity)).toFixed(),
      filled: new Decimal(String(r.filledQuantity)).toFixed(),
      price: r.price === null ? null : new Decimal(String(r.price)).toFixed(),
      stop: r.stopPrice === null ? null : new Decimal(String(r.stopPrice)).toFixed(),
      meta: r.meta as Record<string, unknown>,
      row: r,
    }));
  }

  const syncTwice = async (accountId: number) => {
    await world.sync.syncAccount(accountId);
    await world.sync.syncAccount(accountId);
  };

  it("a filled entry gets a take-profit limit and a stop-loss stop, linked, placed once", async () => {
    reset();
    const { actor, portfolio } = await trader();
    const placed = await world.trading.place(actor, entry(portfolio.id));
    expect(placed.order.status).toBe("FILLED");
    expect(placed.order.bracketPlan?.takeProfit?.toFixed()).toBe("3300");
    expect(placed.preview.bracket?.takeProfitPnl?.gt(0)).toBe(true);
    expect(placed.preview.bracket?.stopLossPnl?.lt(0)).toBe(true);
    await syncTwice(portfolio.accountId);
    const pair = await legs(placed.order.id);
    expect(pair.map((l) => [l.type, l.side, l.status, l.quantity, l.price, l.stop])).toEqual([
      ["LIMIT", "SELL", "NEW", "1", "3300", null],
      ["STOP", "SELL", "NEW", "1", null, "2800"],
    ]);
    expect(pair[0]!.meta).toMatchObject({
      parentOrderId: placed.order.id,
      exitReason: "take-profit",
      ocoGroup: pair[1]!.meta.ocoGroup,
    });
    expect(pair[1]!.meta.exitReason).toBe("stop-loss");
  });

  it("the take-profit filling cancels the stop-loss exactly once, and the fill reads as a take-profit", async () => {
    reset();
    const { actor, portfolio } = await trader();
    const placed = await world.trading.place(actor, entry(portfolio.id));
    world.market.price("ETHUSDT", "3320");
    world.clock.set("2026-03-10T12:01:30Z");
    await syncTwice(portfolio.accountId);
    const [tp, sl] = await legs(placed.order.id);
    expect(tp!.status).toBe("FILLED");
    expect(sl!.status).toBe("CANCELED");
    expect(
      await tdb.db.prisma.auditLog.count({ where: { entityId: sl!.id, action: "CANCEL" } }),
    ).toBe(1);
    expect(exitReasonOf(tp!.row)).toBe("take-profit");
    // the position is closed
    const positions = await world.services.positions.snapshot(actor, portfolio.id);
    expect(positions.find((p) => !p.quantity.isZero())).toBeUndefined();
  });

  it("the stop-loss triggering cancels the take-profit, and reads as a stop-loss", async () => {
    reset();
    const { actor, portfolio } = await trader();
    const placed = await world.trading.place(actor, entry(portfolio.id));
    world.market.price("ETHUSDT", "2790");
    world.clock.set("2026-03-10T12:01:30Z");
    await syncTwice(portfolio.accountId);
    const [tp, sl] = await legs(placed.order.id);
    expect(sl!.status).toBe("FILLED");
    expect(tp!.status).toBe("CANCELED");
    expect(exitReasonOf(sl!.row)).toBe("stop-loss");
  });

  it("a partly filled take-profit reduces the stop-loss to what is left, once", async () => {
    reset();
    const { actor, portfolio } = await trader();
    const placed = await world.trading.place(actor, entry(portfolio.id, { quantity: d("2") }));
    world.market.volume("ETHUSDT", "4"); // 1 ETH a minute
    world.market.price("ETHUSDT", "3320");
    world.clock.set("2026-03-10T12:01:30Z");
    await syncTwice(portfolio.accountId);
    const after = await legs(placed.order.id);
    // tp 1 of 2; the stop replaced by one for the remaining 1, in the same group
    expect(after.map((l) => [l.type, l.status, l.quantity, l.filled])).toEqual([
      ["LIMIT", "PARTIALLY_FILLED", "2", "1"],
      ["STOP", "CANCELED", "2", "0"],
      ["STOP", "NEW", "1", "0"],
    ]);
    expect(after[2]!.meta).toMatchObject({
      ocoGroup: after[0]!.meta.ocoGroup,
      replacesOrderId: after[1]!.id,
      exitReason: "stop-loss",
    });
    // the next minute fills the rest: the reduced stop goes too
    world.clock.set("2026-03-10T12:02:30Z");
    await syncTwice(portfolio.accountId);
    const end = await legs(placed.order.id);
    expect(end.map((l) => l.status)).toEqual(["FILLED", "CANCELED", "CANCELED"]);
  });

  it("a partly filled entry gets exits for what filled, and more as it fills", async () => {
    reset();
    world.market.volume("ETHUSDT", "4");
    const { actor, portfolio } = await trader();
    const placed = await world.trading.place(
      actor,
      entry(portfolio.id, { type: "LIMIT", price: d("2990"), quantity: d("2") }),
    );
    expect(await legs(placed.order.id)).toHaveLength(0);
    world.market.price("ETHUSDT", "2980");
    await syncTwice(portfolio.accountId);
    expect((await legs(placed.order.id)).map((l) => l.quantity)).toEqual(["1", "1"]);
    world.clock.set("2026-03-10T12:01:30Z");
    await syncTwice(portfolio.accountId);
    const all = await legs(placed.order.id);
    expect(all.map((l) => [l.type, l.quantity])).toEqual([
      ["LIMIT", "1"],
      ["STOP", "1"],
      ["LIMIT", "1"],
      ["STOP", "1"],
    ]);
    expect(new Set(all.map((l) => l.meta.ocoGroup)).size).toBe(2);
  });

  it("percent levels resolve from the entry price; an entry canceled unfilled leaves no exits", async () => {
    reset();
    const { actor, portfolio } = await trader();
    const placed = await world.trading.place(
      actor,
      entry(portfolio.id, {
        type: "LIMIT",
        price: d("2900"),
        bracket: { takeProfit: { percent: d("5") }, stopLoss: { percent: d("2") } },
      }),
    );
    expect(placed.order.bracketPlan?.takeProfit?.toFixed()).toBe("3045");
    expect(placed.order.bracketPlan?.stopLoss?.toFixed()).toBe("2842");
    await world.trading.cancel(actor, placed.order.id);
    await syncTwice(portfolio.accountId);
    expect(await legs(placed.order.id)).toHaveLength(0);
  });

  it("refuses levels on the wrong side of the entry, writing nothing", async () => {
    reset();
    const { actor, portfolio } = await trader();
    const before = await tdb.db.prisma.order.count();
    const cases: [Partial<OrderRequest>, string][] = [
      [{ bracket: { takeProfit: { price: d("2900") } } }, "error-bracket-tp-below-entry"],
      [{ bracket: { stopLoss: { price: d("3100") } } }, "error-bracket-sl-above-entry"],
      [{ bracket: { stopLoss: { percent: d("100") } } }, "error-bracket-percent"],
    ];
    for (const [patch, key] of cases) {
      const err = await world.trading
        .place(actor, entry(portfolio.id, patch))
        .catch((e: unknown) => e);
      expect(err, key).toBeInstanceOf(ValidationError);
      expect(err).toMatchObject({ key });
    }
    expect(await tdb.db.prisma.order.count()).toBe(before);
  });
});
