// Spot accounts cannot short, on both databases: a sell beyond what the position holds (less what
// its open sells commit) is refused before the card and again at placement, with the free
// quantity offered; two sells racing for one holding cannot both be placed.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ValidationError } from "../../../src/domain/errors.ts";
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

describe.each(PROVIDERS)("spot short guard on %s", (provider) => {
  let tdb: TestDatabase;
  let world: TradingWorld;
  /** set by a test: runs inside the pre-trade check, i.e. after the preview of an order passed */
  let duringCheck: (() => Promise<void>) | null = null;
  const hook: PreTradeCheck = {
    evaluate: async (): Promise<PreTradeDecision> => {
      const run = duringCheck;
      duringCheck = null;
      if (run) await run();
      return { outcome: "ALLOW", findings: [] };
    },
  };
  beforeAll(async () => {
    tdb = await createTestDatabase(provider);
    world = createTradingWorld(tdb.db, { preTrade: hook });
  });
  afterAll(() => tdb.drop());

  const order = (portfolioId: number, patch: Partial<OrderRequest> = {}): OrderRequest => ({
    portfolioId,
    symbol: "ETHUSDT",
    side: "SELL",
    type: "MARKET",
    quantity: d("1"),
    ...patch,
  });

  async function holder(quantity = "1") {
    world.clock.set("2026-03-10T12:00:30Z");
    world.market.price("ETHUSDT", "3000");
    world.market.volume("ETHUSDT", "1000");
    const actor = await approvedUser(world);
    const portfolio = await paperPortfolio(world, actor, { cash: "100000" });
    const bought = await world.trading.place(
      actor,
      order(portfolio.id, { side: "BUY", quantity: d(quantity) }),
    );
    expect(bought.order.status).toBe("FILLED");
    return { actor, portfolio };
  }

  const sellsOf = (portfolioId: number) =>
    tdb.db.prisma.order.count({ where: { portfolioId, side: "SELL" } });

  it("refuses a sell of more than is held before the card, offering what is free", async () => {
    const { actor, portfolio } = await holder("1");
    const error = await world.trading
      .preview(actor, order(portfolio.id, { quantity: d("5") }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({
      field: "quantity",
      key: "error-short-not-allowed",
      params: { asset: "ETH", held: "1", committed: "0", free: "1", quantity: "5" },
      suggestions: ["1"],
    });
    // and at placement, writing no order
    await expect(
      world.trading.place(actor, order(portfolio.id, { quantity: d("5") })),
    ).rejects.toMatchObject({ key: "error-short-not-allowed" });
    expect(await sellsOf(portfolio.id)).toBe(0);
    // what is held sells, down to flat, and then nothing more
    const sold = await world.trading.place(actor, order(portfolio.id, { quantity: d("1") }));
    expect(sold.order.status).toBe("FILLED");
    await expect(
      world.trading.preview(actor, order(portfolio.id, { quantity: d("0.01") })),
    ).rejects.toMatchObject({
      key: "error-short-not-allowed",
      params: { free: "0" },
      suggestions: [],
    });
    const [flat] = await world.services.positions.snapshot(actor, portfolio.id, {
      includeFlat: true,
    });
    expect(flat?.quantity.toFixed()).toBe("0");
  });

  it("counts what open sells of the same position commit, and leaves buys alone", async () => {
    const { actor, portfolio } = await holder("1");
    const resting = await world.trading.place(
      actor,
      order(portfolio.id, { type: "LIMIT", price: d("4000"), quantity: d("0.5") }),
    );
    expect(resting.order.status).toBe("NEW");
    await expect(
      world.trading.preview(actor, order(portfolio.id, { quantity: d("1") })),
    ).rejects.toMatchObject({
      key: "error-short-committed",
      params: { held: "1", committed: "0.5", free: "0.5" },
      suggestions: ["0.5"],
    });
    // the free half sells; a buy is never limited by the guard
    const half = await world.trading.place(actor, order(portfolio.id, { quantity: d("0.5") }));
    expect(half.order.status).toBe("FILLED");
    const more = await world.trading.preview(
      actor,
      order(portfolio.id, { side: "BUY", quantity: d("2") }),
    );
    expect(more.order.quantity.toFixed()).toBe("2");
    // canceling the resting sell frees its half again
    await world.trading.cancel(actor, resting.order.id);
    const preview = await world.trading.preview(actor, order(portfolio.id, { quantity: d("0.5") }));
    expect(preview.order.quantity.toFixed()).toBe("0.5");
  });

  it("of two sells racing for one holding, the second is refused at placement", async () => {
    const { actor, portfolio } = await holder("1");
    let competing: Promise<unknown> | null = null;
    // the first sell passed its preview (1 free); before it is stored, a second sell of 0.6 is
    // placed in full — so at its placement the first finds only 0.4 free
    duringCheck = async () => {
      competing = world.trading.place(
        actor,
        order(portfolio.id, { type: "LIMIT", price: d("4000"), quantity: d("0.6") }),
      );
      await competing;
    };
    await expect(
      world.trading.place(
        actor,
        order(portfolio.id, { type: "LIMIT", price: d("4100"), quantity: d("0.6") }),
      ),
    ).rejects.toMatchObject({
      key: "error-short-committed",
      params: { held: "1", committed: "0.6", free: "0.4" },
    });
    expect(competing).not.toBeNull();
    const open = await tdb.db.prisma.order.findMany({
      where: { portfolioId: portfolio.id, side: "SELL" },
    });
    expect(open.map((o) => [o.quantity.toString(), o.status])).toEqual([["0.6", "NEW"]]);
  });

  it("concurrent sells that together exceed the holding: one is placed, the other refused", async () => {
    const { actor, portfolio } = await holder("1");
    const results = await Promise.allSettled([
      world.trading.place(
        actor,
        order(portfolio.id, { type: "LIMIT", price: d("4000"), quantity: d("0.7") }),
      ),
      world.trading.place(
        actor,
        order(portfolio.id, { type: "LIMIT", price: d("4000"), quantity: d("0.7") }),
      ),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const [refused] = results.filter((r) => r.status === "rejected");
    expect((refused as PromiseRejectedResult).reason).toBeInstanceOf(ValidationError);
    expect(await sellsOf(portfolio.id)).toBe(1);
  });

  it("guards each strategy's position apart from the manual one", async () => {
    const { actor, portfolio } = await holder("1");
    const strategy = await world.services.strategies.save(actor, "Swing", {});
    await expect(
      world.trading.preview(
        actor,
        order(portfolio.id, { quantity: d("0.1"), strategyId: strategy.id }),
      ),
    ).rejects.toMatchObject({ key: "error-short-not-allowed", params: { held: "0" } });
  });
});
