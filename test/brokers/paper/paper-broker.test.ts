// The paper broker as a venue, on real databases: its own book and fill tape, every order type and
// time in force, partial fills by liquidity, expiry, idempotent placement, the fill cursor, and
// determinism on the offline market.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BrokerOrderNotFoundError } from "../../../src/brokers/gateway-errors.ts";
import { PaperBroker } from "../../../src/brokers/paper/paper-broker.ts";
import type { PlaceOrderRequest } from "../../../src/brokers/types.ts";
import { ManualClock } from "../../../src/lib/clock.ts";
import { Decimal, fromDbOrNull } from "../../../src/lib/decimal.ts";
import { OfflineMarketData } from "../../../src/market/offline/offline-market-data.ts";
import { PROVIDERS, type TestDatabase, createTestDatabase } from "../../support/db.ts";
import { approvedUser, paperPortfolio } from "../../support/fixtures.ts";
import { type TradingWorld, createTradingWorld } from "../../domain/trading/trading-world.ts";

const d = (v: string) => new Decimal(v);
let seq = 0;
const cid = () => `t-${Date.now().toString(36)}-${++seq}`;

describe.each(PROVIDERS)("PaperBroker on %s", (provider) => {
  let tdb: TestDatabase;
  let world: TradingWorld;
  beforeAll(async () => {
    tdb = await createTestDatabase(provider);
    world = createTradingWorld(tdb.db);
  });
  afterAll(() => tdb.drop());

  /** A fresh paper account and its venue, on the world's scripted market and clock. */
  async function venue(): Promise<{ broker: PaperBroker; accountId: number }> {
    const actor = await approvedUser(world);
    const portfolio = await paperPortfolio(world, actor, { cash: "100000" });
    const broker = new PaperBroker({
      db: tdb.db.prisma,
      provider,
      clock: world.clock,
      market: world.market,
      accountId: portfolio.accountId,
    });
    return { broker, accountId: portfolio.accountId };
  }

  const req = (patch: Partial<PlaceOrderRequest>): PlaceOrderRequest => ({
    clientOrderId: cid(),
    symbol: "ETHUSDT",
    side: "BUY",
    type: "MARKET",
    timeInForce: "GTC",
    quantity: d("0.1"),
    ...patch,
  });

  const reset = () => {
    world.clock.set("2026-03-10T12:00:30Z");
    world.market.price("ETHUSDT", "3000");
    world.market.volume("ETHUSDT", "1000");
  };

  it("fills a market buy at once at the ask plus slippage, with the taker fee, and reports it as a fill", async () => {
    reset();
    const { broker } = await venue();
    const order = await broker.placeOrder(req({}));
    expect(order.status).toBe("FILLED");
    expect(order.filledQuantity.toFixed()).toBe("0.1");
    const page = await broker.fetchFillsSince(null);
    expect(page.hasMore).toBe(false);
    expect(page.fills).toHaveLength(1);
    const [fill] = page.fills;
    // ask 3000.01 × 1.0002 = 3000.610002 → 3000.62; fee 0.1 × 3000.62 × 0.001
    expect(fill?.price.toFixed()).toBe("3000.62");
    expect(fill?.fee.toFixed()).toBe("0.300062");
    expect(fill).toMatchObject({
      feeCurrency: "USDT",
      side: "BUY",
      symbol: "ETHUSDT",
      brokerOrderId: order.brokerOrderId,
      clientOrderId: order.clientOrderId,
      brokerTradeId: `${order.brokerOrderId}-F1`,
    });
    expect(fill?.execTime.toISOString()).toBe("2026-03-10T12:00:30.000Z");
    const again = await broker.fetchFillsSince(page.cursor);
    expect(again.fills).toHaveLength(0);
    expect(again.cursor).toBe(page.cursor);
  });

  it("is idempotent on clientOrderId: the same order comes back and nothing fills twice", async () => {
    reset();
    const { broker, accountId } = await venue();
    const first = await broker.placeOrder(req({ clientOrderId: "same-id" }));
    const second = await broker.placeOrder(req({ clientOrderId: "same-id", quantity: d("5") }));
    expect(second.brokerOrderId).toBe(first.brokerOrderId);
    expect(second.quantity.toFixed()).toBe("0.1");
    const concurrent = await Promise.all(
      [1, 2, 3].map(() => broker.placeOrder(req({ clientOrderId: "race" }))),
    );
    expect(new Set(concurrent.map((o) => o.brokerOrderId)).size).toBe(1);
    expect(await tdb.db.prisma.paperOrder.count({ where: { accountId } })).toBe(2);
    expect(await tdb.db.prisma.paperFill.count({ where: { accountId } })).toBe(2);
  });

  it("keeps what it refuses as REJECTED orders with a reason", async () => {
    reset();
    const { broker } = await venue();
    const unknown = await broker.placeOrder(req({ symbol: "NOPEUSDT" }));
    expect(unknown).toMatchObject({ status: "REJECTED", rejectReason: "unknown-symbol" });
    const offLot = await broker.placeOrder(req({ quantity: d("0.00005") }));
    expect(offLot).toMatchObject({ status: "REJECTED", rejectReason: "invalid-quantity" });
    const noPrice = await broker.placeOrder(req({ type: "LIMIT" }));
    expect(noPrice).toMatchObject({ status: "REJECTED", rejectReason: "invalid-price" });
    const noExpiry = await broker.placeOrder(
      req({ type: "LIMIT", price: d("2900"), timeInForce: "DAY" }),
    );
    expect(noExpiry).toMatchObject({ status: "REJECTED", rejectReason: "missing-expiry" });
    const retry = await broker.placeOrder(
      req({ clientOrderId: unknown.clientOrderId, symbol: "ETHUSDT" }),
    );
    expect(retry).toMatchObject({ status: "REJECTED", brokerOrderId: unknown.brokerOrderId });
    expect((await broker.fetchFillsSince(null)).fills).toHaveLength(0);
  });

  it("rests a limit buy until the ask reaches it, then fills at the limit with the maker fee", async () => {
    reset();
    const { broker } = await venue();
    const order = await broker.placeOrder(req({ type: "LIMIT", price: d("2990") }));
    expect(order.status).toBe("NEW");
    expect(await broker.match()).toEqual({ evaluated: 1, fills: 0, statusChanges: 0 });
    world.market.price("ETHUSDT", "2989");
    expect(await broker.match()).toEqual({ evaluated: 1, fills: 1, statusChanges: 1 });
    const [fill] = (await broker.fetchFillsSince(null)).fills;
    expect(fill?.price.toFixed()).toBe("2990");
    expect(fill?.fee.toFixed()).toBe("0.299");
    expect((await broker.fetchOrder({ clientOrderId: order.clientOrderId }))?.status).toBe(
      "FILLED",
    );
    expect(await broker.fetchOpenOrders()).toEqual([]);
  });

  it("triggers a sell stop when last falls to the stop and sells at the bid", async () => {
    reset();
    const { broker } = await venue();
    // a spot venue: the stop sells what the account bought
    await broker.placeOrder(req({}));
    const order = await broker.placeOrder(
      req({ side: "SELL", type: "STOP", stopPrice: d("2950") }),
    );
    world.market.price("ETHUSDT", "2960");
    await broker.match();
    expect((await broker.fetchOrder({ brokerOrderId: order.brokerOrderId }))?.status).toBe("NEW");
    world.market.price("ETHUSDT", "2950");
    await broker.match();
    const [, fill] = (await broker.fetchFillsSince(null)).fills;
    // bid 2949.99 × 0.9998 = 2949.400002 → 2949.40
    expect(fill?.price.toFixed()).toBe("2949.4");
    const row = await tdb.db.prisma.paperOrder.findUniqueOrThrow({
      where: { brokerOrderId: order.brokerOrderId },
    });
    expect(row.triggered).toBe(true);
  });

  it("a stop-limit rests after its trigger until the market comes back to its limit", async () => {
    reset();
    const { broker } = await venue();
    const order = await broker.placeOrder(
      req({ type: "STOP_LIMIT", stopPrice: d("3050"), price: d("3060") }),
    );
    world.market.price("ETHUSDT", "3100");
    await broker.match();
    expect(await broker.fetchOrder({ brokerOrderId: order.brokerOrderId })).toMatchObject({
      status: "NEW",
    });
    world.market.price("ETHUSDT", "3055");
    await broker.match();
    const [fill] = (await broker.fetchFillsSince(null)).fills;
    expect(fill?.price.toFixed()).toBe("3060");
  });

  it("a trailing sell stop follows the best price, persists it, and triggers on the retrace", async () => {
    reset();
    const { broker } = await venue();
    await broker.placeOrder(req({}));
    const order = await broker.placeOrder(
      req({ side: "SELL", type: "TRAILING", trailAmount: d("20") }),
    );
    const row = () =>
      tdb.db.prisma.paperOrder.findUniqueOrThrow({ where: { brokerOrderId: order.brokerOrderId } });
    expect(fromDbOrNull((await row()).bestPrice)?.toFixed()).toBe("3000");
    expect(order.stopPrice?.toFixed()).toBe("2980");
    world.market.price("ETHUSDT", "3050");
    await broker.match();
    expect(fromDbOrNull((await row()).bestPrice)?.toFixed()).toBe("3050");
    expect(fromDbOrNull((await row()).stopPrice)?.toFixed()).toBe("3030");
    world.market.price("ETHUSDT", "3040");
    await broker.match();
    expect(fromDbOrNull((await row()).bestPrice)?.toFixed()).toBe("3050");
    expect((await row()).status).toBe("NEW");
    world.market.price("ETHUSDT", "3030");
    await broker.match();
    const [, fill] = (await broker.fetchFillsSince(null)).fills;
    // bid 3029.99 × 0.9998 = 3029.384002 → 3029.38
    expect(fill?.price.toFixed()).toBe("3029.38");
    expect((await row()).status).toBe("FILLED");
  });

  it("a trailing buy stop by percent triggers when the price bounces off its low", async () => {
    reset();
    const { broker } = await venue();
    const order = await broker.placeOrder(req({ type: "TRAILING", trailPercent: d("1") }));
    world.market.price("ETHUSDT", "2900");
    await broker.match();
    // level: 2900 × 1.01 = 2929
    expect(
      (await broker.fetchOrder({ brokerOrderId: order.brokerOrderId }))?.stopPrice?.toFixed(),
    ).toBe("2929");
    world.market.price("ETHUSDT", "2928.99");
    await broker.match();
    expect((await broker.fetchFillsSince(null)).fills).toHaveLength(0);
    world.market.price("ETHUSDT", "2929");
    await broker.match();
    expect((await broker.fetchOrder({ brokerOrderId: order.brokerOrderId }))?.status).toBe(
      "FILLED",
    );
  });

  it("IOC fills what the minute's liquidity allows and expires the rest; FOK fills all or nothing", async () => {
    reset();
    world.market.volume("ETHUSDT", "4"); // 25 % of 4 → 1 ETH a minute
    const { broker } = await venue();
    const ioc = await broker.placeOrder(req({ quantity: d("3"), timeInForce: "IOC" }));
    expect(ioc).toMatchObject({ status: "EXPIRED", rejectReason: "expired-ioc" });
    expect(ioc.filledQuantity.toFixed()).toBe("1");
    world.clock.advance(60_000);
    const fok = await broker.placeOrder(req({ quantity: d("3"), timeInForce: "FOK" }));
    expect(fok).toMatchObject({ status: "EXPIRED", rejectReason: "expired-fok" });
    expect(fok.filledQuantity.toFixed()).toBe("0");
    const fokSmall = await broker.placeOrder(req({ quantity: d("1"), timeInForce: "FOK" }));
    expect(fokSmall.status).toBe("FILLED");
    expect((await broker.fetchFillsSince(null)).fills).toHaveLength(2);
  });

  it("fills a large order over several minutes at each minute's price", async () => {
    reset();
    world.market.volume("ETHUSDT", "4");
    const { broker } = await venue();
    const order = await broker.placeOrder(req({ quantity: d("2.5") }));
    expect(order.status).toBe("PARTIALLY_FILLED");
    expect(order.filledQuantity.toFixed()).toBe("1");
    // same minute: the allowance is used up, however often the matcher runs
    world.clock.advance(10_000);
    expect((await broker.match()).fills).toBe(0);
    world.clock.set("2026-03-10T12:01:05Z");
    world.market.price("ETHUSDT", "3010");
    await broker.match();
    world.clock.set("2026-03-10T12:02:05Z");
    world.market.price("ETHUSDT", "3020");
    await broker.match();
    const fills = (await broker.fetchFillsSince(null)).fills;
    expect(
      fills.map((f) => [f.quantity.toFixed(), f.price.toFixed(), f.brokerTradeId.slice(-2)]),
    ).toEqual([
      ["1", "3000.62", "F1"],
      ["1", "3010.62", "F2"],
      ["0.5", "3020.62", "F3"],
    ]);
    expect((await broker.fetchOrder({ brokerOrderId: order.brokerOrderId }))?.status).toBe(
      "FILLED",
    );
  });

  it("expires a DAY order at its expiresAt", async () => {
    reset();
    const { broker } = await venue();
    const expiresAt = new Date("2026-03-10T13:00:00Z");
    const order = await broker.placeOrder(
      req({ type: "LIMIT", price: d("2900"), timeInForce: "DAY", expiresAt }),
    );
    world.clock.set("2026-03-10T12:59:59.999Z");
    await broker.match();
    expect((await broker.fetchOrder({ brokerOrderId: order.brokerOrderId }))?.status).toBe("NEW");
    world.clock.set(expiresAt);
    expect((await broker.match()).statusChanges).toBe(1);
    expect(await broker.fetchOrder({ brokerOrderId: order.brokerOrderId })).toMatchObject({
      status: "EXPIRED",
      rejectReason: "expired-day",
    });
  });

  it("cancels open orders, leaves closed ones as they are, and does not know other accounts' orders", async () => {
    reset();
    const { broker } = await venue();
    const { broker: other } = await venue();
    const open = await broker.placeOrder(req({ type: "LIMIT", price: d("2000") }));
    const filled = await broker.placeOrder(req({}));
    expect((await broker.cancelOrder({ clientOrderId: open.clientOrderId })).status).toBe(
      "CANCELED",
    );
    expect((await broker.cancelOrder({ brokerOrderId: open.brokerOrderId })).status).toBe(
      "CANCELED",
    );
    expect((await broker.cancelOrder({ brokerOrderId: filled.brokerOrderId })).status).toBe(
      "FILLED",
    );
    await expect(broker.cancelOrder({ clientOrderId: "never-placed" })).rejects.toBeInstanceOf(
      BrokerOrderNotFoundError,
    );
    await expect(other.cancelOrder({ brokerOrderId: filled.brokerOrderId })).rejects.toBeInstanceOf(
      BrokerOrderNotFoundError,
    );
    expect(await other.fetchOrder({ clientOrderId: open.clientOrderId })).toBeNull();
    expect((await other.fetchFillsSince(null)).fills).toHaveLength(0);
    // the same client id in another account is another order
    const mirrored = await other.placeOrder(
      req({ clientOrderId: open.clientOrderId, type: "LIMIT", price: d("2000") }),
    );
    expect(mirrored.brokerOrderId).not.toBe(open.brokerOrderId);
    expect(mirrored.status).toBe("NEW");
  });

  it("pages fills by cursor", async () => {
    reset();
    const { broker } = await venue();
    for (let i = 0; i < 3; i++) await broker.placeOrder(req({}));
    const first = await broker.fetchFillsSince(null, 2);
    expect(first.fills).toHaveLength(2);
    expect(first.hasMore).toBe(true);
    const second = await broker.fetchFillsSince(first.cursor, 2);
    expect(second.fills).toHaveLength(1);
    expect(second.hasMore).toBe(false);
    expect(new Set([...first.fills, ...second.fills].map((f) => f.brokerTradeId)).size).toBe(3);
    await expect(broker.fetchFillsSince("not-a-cursor")).rejects.toBeInstanceOf(RangeError);
  });

  it("is a spot venue: a sell beyond the holding, or beyond what other open sells leave, is rejected", async () => {
    reset();
    const { broker } = await venue();
    // nothing held: rejected, nothing filled
    const naked = await broker.placeOrder(req({ side: "SELL", quantity: d("0.01") }));
    expect(naked).toMatchObject({ status: "REJECTED", rejectReason: "insufficient-balance" });
    await broker.placeOrder(req({ quantity: d("0.1") }));
    // the buy's fill is not ingested by any domain here: the venue counts it from its own tape
    const first = await broker.placeOrder(
      req({ side: "SELL", type: "LIMIT", price: d("4000"), quantity: d("0.06") }),
    );
    expect(first.status).toBe("NEW");
    // two sells that together exceed the holding: the second is rejected with the reason
    const second = await broker.placeOrder(
      req({ side: "SELL", type: "LIMIT", price: d("4100"), quantity: d("0.05") }),
    );
    expect(second).toMatchObject({ status: "REJECTED", rejectReason: "insufficient-balance" });
    // what is left free still sells
    const rest = await broker.placeOrder(req({ side: "SELL", quantity: d("0.04") }));
    expect(rest.status).toBe("FILLED");
    const eth = (await broker.balances()).get("ETH");
    expect([eth?.free.toFixed(), eth?.locked.toFixed()]).toEqual(["0", "0.06"]);
  });

  it("reports balances from deposits and fills, with open orders locked", async () => {
    reset();
    const { broker } = await venue();
    await broker.placeOrder(req({}));
    await broker.placeOrder(req({ type: "LIMIT", price: d("2000"), quantity: d("1") }));
    await broker.placeOrder(
      req({ side: "SELL", type: "LIMIT", price: d("4000"), quantity: d("0.05") }),
    );
    const balances = await broker.balances();
    // 100000 − 300.062 − 0.300062; locked: 1 × 2000 × 1.001
    expect(balances.get("USDT")?.locked.toFixed()).toBe("2002");
    expect(balances.get("USDT")?.free.toFixed()).toBe(d("99699.637938").minus("2002").toFixed());
    expect(balances.get("ETH")?.locked.toFixed()).toBe("0.05");
    expect(balances.get("ETH")?.free.toFixed()).toBe("0.05");
  });

  it("fills identically on the offline market with a fixed seed and clock", async () => {
    const clock = new ManualClock("2026-03-10T12:00:30Z");
    const results: string[][] = [];
    for (let run = 0; run < 2; run++) {
      const market = new OfflineMarketData({ seed: "paper-test", clock });
      const actor = await approvedUser(world);
      const portfolio = await paperPortfolio(world, actor, { cash: "100000" });
      const broker = new PaperBroker({
        db: tdb.db.prisma,
        provider,
        clock,
        market,
        accountId: portfolio.accountId,
      });
      const quote = await market.quote("BTCUSDT");
      await broker.placeOrder(req({ symbol: "BTCUSDT", quantity: d("0.01") }));
      await broker.placeOrder(req({ symbol: "BTCUSDT", side: "SELL", quantity: d("0.01") }));
      const fills = (await broker.fetchFillsSince(null)).fills;
      expect(fills[0]?.price.toFixed()).toBe(
        quote.ask.mul("1.0002").div("0.01").ceil().mul("0.01").toFixed(),
      );
      expect(fills[1]?.price.toFixed()).toBe(
        quote.bid.mul("0.9998").div("0.01").floor().mul("0.01").toFixed(),
      );
      results.push(fills.map((f) => `${f.price.toFixed()}|${f.fee.toFixed()}`));
    }
    expect(results[0]).toEqual(results[1]);
  });
});
