// Live trading on a Binance spot account through the ccxt gateway, against the exchange twin
// and the real ccxt client, on both databases: orders take the same domain path paper orders
// take (TradingService → gateway → synchronizer → TradeService), and what the exchange did is
// booked exactly once whatever the network, the exchange or TradeDesk itself went through.
import { describe, expect, it } from "vitest";
import { Decimal, fromDb } from "../../../src/lib/decimal.ts";
import { ValidationError } from "../../../src/domain/errors.ts";
import { PROVIDERS } from "../../support/db.ts";
import { ExchangeTwin } from "../../support/exchange-twin/index.ts";
import { BrokerKeyRejectedError } from "../../../src/brokers/gateway-errors.ts";
import { toPlaceOrderRequest } from "../../../src/domain/trading/gateway-request.ts";
import { createI18n, translatorFor } from "../../../src/bot/i18n.ts";
import { rejectReasonText } from "../../../src/bot/features/orders/reject-reasons.ts";
import { API_KEY, type LiveWorld, createLiveWorld, liveWorldDatabase } from "./live-world.ts";

const d = (s: string) => new Decimal(s);

describe.each(PROVIDERS)("live trading on Binance through ccxt, on %s", (provider) => {
  let w: LiveWorld;
  const database = liveWorldDatabase(provider, () => w);

  const db = () => database().db.prisma;
  // decimals as text on both databases (PostgreSQL's NUMERIC comes back as a Decimal)
  const text = (v: unknown) => (v === null ? null : fromDb(v as string).toFixed());
  const trades = async (portfolioId = w.portfolioId) =>
    (await db().trade.findMany({ where: { portfolioId }, orderBy: { id: "asc" } })).map((t) => ({
      ...t,
      quantity: text(t.quantity),
      price: text(t.price),
      fee: text(t.fee),
    }));
  const position = async (symbol: string) => {
    const row = await db().position.findFirst({
      where: { portfolioId: w.portfolioId, instrument: { symbol } },
    });
    return row ? text(row.quantity) : null;
  };
  /** free + locked of an asset at the venue: what a position must hold, fees taken */
  const held = (asset: string) => {
    const b = w.twin.balances()[asset];
    return b ? d(b.free).plus(b.locked).toFixed() : null;
  };
  const orders = () =>
    db().order.findMany({ where: { portfolioId: w.portfolioId }, orderBy: { id: "asc" } });
  const venueOrders = () => w.twin.orders();
  const last = () => new Decimal(w.twin.price("BTCUSDT").last);
  const gateway = () => w.services.gateways.forAccount(w.accountId);
  const limitBuy = (price: Decimal, quantity = "0.01") =>
    w.trading.place(w.trader, {
      portfolioId: w.portfolioId,
      symbol: "BTCUSDT",
      side: "BUY",
      type: "LIMIT",
      quantity: d(quantity),
      price: price.toDecimalPlaces(2),
    });
  const marketBuy = (quantity = "0.01") =>
    w.trading.place(w.trader, {
      portfolioId: w.portfolioId,
      symbol: "BTCUSDT",
      side: "BUY",
      type: "MARKET",
      quantity: d(quantity),
    });

  it("books a market buy: filled at the venue's price, its trade and position, fee from the venue", async () => {
    w = await createLiveWorld(database().db);
    const price = w.twin.price("BTCUSDT");
    const placed = await w.trading.place(w.trader, {
      portfolioId: w.portfolioId,
      symbol: "BTCUSDT",
      side: "BUY",
      type: "MARKET",
      quantity: d("0.01"),
    });
    expect(placed.submitted).toBe(true);
    expect(placed.order.status).toBe("FILLED");
    expect(placed.order.brokerOrderId).toBe(String(venueOrders()[0]!.orderId));
    const [trade, ...more] = await trades();
    expect(more).toEqual([]);
    expect(trade).toMatchObject({
      side: "BUY",
      quantity: "0.01",
      price: price.ask,
      feeCurrency: "BTC",
      fee: "0.00001",
      brokerTradeId: String(w.twin.trades()[0]!.id),
    });
    // the venue kept its commission out of the coins bought: so does the position
    expect(await position("BTCUSDT")).toBe("0.00999");
    expect(w.twin.balances().BTC).toEqual({ free: "0.00999", locked: "0" });
    // the venue's order carries our own client id
    expect(venueOrders()[0]!.clientOrderId).toBe(placed.order.clientOrderId);
    // the next sync finds nothing new
    const again = await w.orderSync.runOnce();
    expect(again).toMatchObject({ fillsIngested: 0, external: 0, errors: [] });
    expect(await trades()).toHaveLength(1);
  });

  it("rests a limit order, fills it when the venue's price reaches it and the sync job runs", async () => {
    w = await createLiveWorld(database().db);
    const limit = last().minus(1000).toDecimalPlaces(2);
    const placed = await limitBuy(limit);
    expect(placed).toMatchObject({ submitted: true, order: { status: "NEW" } });
    expect(placed.order.brokerOrderId).toBeTruthy();
    expect(w.twin.balances().USDT).toEqual({
      free: d("100000").minus(limit.times("0.01")).toFixed(),
      locked: limit.times("0.01").toFixed(),
    });
    expect((await w.orderSync.runOnce()).fillsIngested).toBe(0);

    w.twin.setPrice("BTCUSDT", limit.minus(10).toFixed(2));
    const run = await w.orderSync.runOnce();
    expect(run).toMatchObject({ fillsIngested: 1, errors: [] });
    const [order] = await orders();
    expect(order).toMatchObject({ status: "FILLED" });
    expect((await trades()).map((t) => [t.quantity, t.price])).toEqual([["0.01", limit.toFixed()]]);
    expect(await position("BTCUSDT")).toBe(held("BTC"));
  });

  it("sends stops as STOP_LOSS and trailing stops in basis points; refuses DAY with the venue's list", async () => {
    w = await createLiveWorld(database().db);
    await marketBuy("0.02");
    const stop = await w.trading.place(w.trader, {
      portfolioId: w.portfolioId,
      symbol: "BTCUSDT",
      side: "SELL",
      type: "STOP",
      quantity: d("0.01"),
      stopPrice: last().minus(2000).toDecimalPlaces(2),
    });
    const trailing = await w.trading.place(w.trader, {
      portfolioId: w.portfolioId,
      symbol: "BTCUSDT",
      side: "SELL",
      type: "TRAILING",
      quantity: d("0.005"),
      trailPercent: d("1.5"),
    });
    expect([stop.order.status, trailing.order.status]).toEqual(["NEW", "NEW"]);
    const [, venueStop, venueTrail] = venueOrders();
    expect(venueStop).toMatchObject({ type: "STOP_LOSS", side: "SELL", origQty: "0.01000000" });
    expect(venueTrail).toMatchObject({ type: "STOP_LOSS", trailingDelta: 150 });
    // the venue's open orders read back as the domain's types
    const open = await (await gateway()).fetchOpenOrders();
    expect(open.map((o) => [o.type, o.trailPercent?.toFixed() ?? null]).sort()).toEqual([
      ["STOP", null],
      ["TRAILING", "1.5"],
    ]);

    const day = await w.trading
      .place(w.trader, {
        portfolioId: w.portfolioId,
        symbol: "BTCUSDT",
        side: "BUY",
        type: "LIMIT",
        quantity: d("0.01"),
        price: last().minus(1000).toDecimalPlaces(2),
        timeInForce: "DAY",
      })
      .catch((e: unknown) => e);
    expect(day).toBeInstanceOf(ValidationError);
    expect(day).toMatchObject({
      key: "error-tif-unsupported",
      params: { tif: "DAY", broker: "BINANCE", supported: "GTC, IOC, FOK" },
    });
    const i18n = createI18n("en");
    const { key, params } = day as ValidationError;
    expect(translatorFor(i18n, "en")(key, params as Record<string, string>)).toBe(
      "BINANCE does not support time in force DAY. It takes: GTC, IOC, FOK.",
    );
    expect(translatorFor(i18n, "ru")(key, params as Record<string, string>)).toBe(
      "BINANCE не поддерживает срок действия DAY. Доступны: GTC, IOC, FOK.",
    );
    expect(await orders()).toHaveLength(3);
  });

  it("cancels a resting order at the venue and records it", async () => {
    w = await createLiveWorld(database().db);
    const placed = await limitBuy(last().minus(1500));
    const result = await w.trading.cancel(w.trader, placed.order.id);
    expect(result).toMatchObject({ canceled: true, order: { status: "CANCELED" } });
    expect(venueOrders()[0]).toMatchObject({ status: "CANCELED" });
    expect(w.twin.balances().USDT).toEqual({ free: "100000", locked: "0" });
    expect(await trades()).toEqual([]);
  });

  it("finds an order whose response was lost by its client id: one order at the venue and here", async () => {
    w = await createLiveWorld(database().db);
    w.twin.fault({ path: "/api/v3/order", method: "POST", kind: "accept-then-drop" });
    const placed = await marketBuy();
    expect(placed).toMatchObject({ submitted: true, order: { status: "FILLED" } });
    expect(venueOrders()).toHaveLength(1);
    expect(await trades()).toHaveLength(1);

    // a retry of the same request (the sync job's resubmission) returns the same order
    const request = toPlaceOrderRequest(placed.order);
    const again = await (await gateway()).placeOrder(request);
    expect(again.brokerOrderId).toBe(placed.order.brokerOrderId);
    // so does a fresh process, which the venue answers "duplicate" while the order rests
    const resting = await limitBuy(last().minus(1000));
    const fresh = w.restart();
    const dup = await (
      await fresh.services.gateways.forAccount(w.accountId)
    ).placeOrder(toPlaceOrderRequest(resting.order));
    expect(dup).toMatchObject({ brokerOrderId: resting.order.brokerOrderId, status: "NEW" });
    expect(venueOrders()).toHaveLength(2);

    // a request that never arrived: the order waits as NEW and the sync job sends it, once
    w.twin.fault({ path: "/api/v3/order", method: "POST", kind: "drop" });
    const dropped = await marketBuy();
    expect(dropped).toMatchObject({
      submitted: false,
      order: { status: "NEW", brokerOrderId: null },
    });
    expect(venueOrders()).toHaveLength(2);
    const run = await w.orderSync.runOnce();
    expect(run).toMatchObject({ submitted: 1, errors: [] });
    expect((await orders()).map((o) => o.status)).toEqual(["FILLED", "NEW", "FILLED"]);
    expect(venueOrders()).toHaveLength(3);
    await w.orderSync.runOnce();
    expect(venueOrders()).toHaveLength(3);
    expect(await trades()).toHaveLength(2);
  });

  it("waits out a short 429 storm, and leaves a long one to the sync job: nothing lost or doubled", async () => {
    w = await createLiveWorld(database().db);
    w.twin.fault({
      path: "/api/v3/order",
      method: "POST",
      kind: "429",
      times: 2,
      retryAfterSec: 1,
    });
    const started = Date.now();
    const short = await marketBuy();
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
    expect(short).toMatchObject({ submitted: true, order: { status: "FILLED" } });

    w.twin.fault({
      path: "/api/v3/order",
      method: "POST",
      kind: "429",
      times: 10,
      retryAfterSec: 1,
    });
    const long = await marketBuy();
    expect(long).toMatchObject({
      submitted: false,
      submitError: { key: "error-broker-rate-limited" },
      order: { status: "NEW", brokerOrderId: null },
    });
    w.twin.clearFaults();
    const run = await w.orderSync.runOnce();
    expect(run).toMatchObject({ submitted: 1, errors: [] });
    expect((await orders()).map((o) => o.status)).toEqual(["FILLED", "FILLED"]);
    expect(venueOrders()).toHaveLength(2);
    expect(await trades()).toHaveLength(2);
  });

  it("catches up fills the next run when the venue failed (5xx) while they were fetched", async () => {
    w = await createLiveWorld(database().db);
    const limit = last().minus(800).toDecimalPlaces(2);
    await limitBuy(limit);
    w.twin.fault({ path: "/api/v3/myTrades", kind: "5xx", times: 50 });
    w.twin.setPrice("BTCUSDT", limit.minus(5).toFixed(2));
    const failed = await w.orderSync.runOnce();
    expect(failed.errors.map((e) => e.message).join("\n")).toContain("fills:");
    expect((await orders())[0]).toMatchObject({ status: "NEW" });
    expect(await trades()).toEqual([]);

    w.twin.clearFaults();
    expect(await w.orderSync.runOnce()).toMatchObject({ fillsIngested: 1, errors: [] });
    expect((await orders())[0]).toMatchObject({ status: "FILLED" });
    expect(await trades()).toHaveLength(1);
  });

  it("ingests every fill exactly once after the bot was killed while orders filled at the venue", async () => {
    w = await createLiveWorld(database().db);
    await marketBuy("0.01");
    const a = await limitBuy(last().minus(500), "0.01");
    const b = await limitBuy(last().minus(700), "0.02");
    expect(await trades()).toHaveLength(1);
    // the bot dies; meanwhile both limits fill at the venue
    w.twin.setPrice("BTCUSDT", last().minus(1000).toFixed(2));
    const old = w;
    const next = w.restart();
    // the new process and a straggler of the old one sync at the same moment
    const [r1, r2] = await Promise.all([next.orderSync.runOnce(), old.orderSync.runOnce()]);
    expect(r1.errors).toEqual([]);
    expect(r2.errors).toEqual([]);
    expect(r1.fillsIngested + r2.fillsIngested).toBe(2);
    const all = await trades();
    expect(all).toHaveLength(3);
    expect(new Set(all.map((t) => t.brokerTradeId)).size).toBe(3);
    const byId = new Map((await orders()).map((o) => [o.id, o.status]));
    expect([byId.get(a.order.id), byId.get(b.order.id)]).toEqual(["FILLED", "FILLED"]);
    expect(await position("BTCUSDT")).toBe(held("BTC"));
    expect(await next.orderSync.runOnce()).toMatchObject({ fillsIngested: 0, duplicates: 0 });
  });

  it("records orders placed by hand on the exchange once, as external, with their fills", async () => {
    w = await createLiveWorld(database().db);
    w.twin.placeExternalOrder("main", {
      symbol: "ETHUSDT",
      side: "BUY",
      type: "MARKET",
      quantity: "0.5",
      newClientOrderId: "web_hand_1",
    });
    const price = last().minus(1200).toFixed(2);
    const resting = w.twin.placeExternalOrder("main", {
      symbol: "BTCUSDT",
      side: "BUY",
      type: "LIMIT",
      timeInForce: "GTC",
      quantity: "0.01",
      price,
    });
    const first = await w.orderSync.runOnce();
    expect(first).toMatchObject({ external: 2, fillsIngested: 1, errors: [] });
    const recorded = await orders();
    expect(recorded.map((o) => [o.status, o.meta])).toEqual([
      ["NEW", { external: true, venueClientOrderId: resting.clientOrderId }],
      ["FILLED", { external: true, venueClientOrderId: "web_hand_1" }],
    ]);
    expect(await position("ETHUSDT")).toBe(held("ETH"));

    w.twin.setPrice("BTCUSDT", d(price).minus(1).toFixed(2));
    expect(await w.orderSync.runOnce()).toMatchObject({ external: 0, fillsIngested: 1 });
    const rerun = await w.orderSync.runOnce();
    expect(rerun).toMatchObject({ external: 0, fillsIngested: 0, errors: [] });
    expect((await orders()).map((o) => o.status)).toEqual(["FILLED", "FILLED"]);
    expect(await trades()).toHaveLength(2);

    // canceled by hand: the cancel is recorded too
    const third = w.twin.placeExternalOrder("main", {
      symbol: "BTCUSDT",
      side: "BUY",
      type: "LIMIT",
      timeInForce: "GTC",
      quantity: "0.01",
      price: last().minus(3000).toFixed(2),
    });
    await w.orderSync.runOnce();
    w.twin.cancelExternally("main", "BTCUSDT", Number(third.orderId));
    await w.orderSync.runOnce();
    expect((await orders()).map((o) => o.status)).toEqual(["FILLED", "FILLED", "CANCELED"]);
  });

  it("rejects what the venue refuses, with a reason the bot words, and writes nothing else", async () => {
    w = await createLiveWorld(database().db, { usdt: "100" });
    const poor = await marketBuy("0.01");
    expect(poor.submitError).toBeNull();
    expect(poor.order).toMatchObject({ status: "REJECTED", rejectReason: "insufficient-balance" });
    const t = translatorFor(createI18n("en"), "en");
    expect(rejectReasonText(t, poor.order.rejectReason)).toBe("the account's balance is too low");
    expect(rejectReasonText(translatorFor(createI18n("en"), "ru"), "insufficient-balance")).toBe(
      "на счёте недостаточно средств",
    );

    // a key revoked after it worked (ccxt then says DDoSProtection; the code says -2015)
    expect((await (await gateway()).balances()).get("USDT")?.free.toFixed()).toBe("100");
    w.twin.revokeKey(API_KEY);
    const refused = await limitBuy(last().minus(1000), "0.001");
    expect(refused.submitError).toBeNull();
    expect(refused.order).toMatchObject({ status: "REJECTED", rejectReason: "invalid-key" });
    await expect((await gateway()).balances()).rejects.toBeInstanceOf(BrokerKeyRejectedError);

    expect(venueOrders()).toEqual([]);
    expect(await trades()).toEqual([]);
    expect(await position("BTCUSDT")).toBeNull();
    expect(await db().cashTransaction.count({ where: { portfolioId: w.portfolioId } })).toBe(0);
  });

  it("rejects an order the venue's filters refuse (its minimum value above ours)", async () => {
    const twin = await ExchangeTwin.start({
      symbols: [
        {
          symbol: "BTCUSDT",
          baseAsset: "BTC",
          quoteAsset: "USDT",
          tickSize: "0.01",
          stepSize: "0.00001",
          minQty: "0.00001",
          minNotional: "1000",
          price: "90000.00",
        },
      ],
    });
    w = await createLiveWorld(database().db, { twin });
    const small = await limitBuy(d("89000"), "0.001");
    expect(small.order).toMatchObject({ status: "REJECTED", rejectReason: "min-notional" });
    expect(venueOrders()).toEqual([]);
    expect(await trades()).toEqual([]);
  });
});
