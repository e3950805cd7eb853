// The exchange twin driven by the real ccxt Binance client (only its API hosts replaced through
// src/market/ccxt/client.ts): market data, balances, every order type on the wire, fills on
// price moves, Binance's error codes as the ccxt classes the gateway relies on, lost responses,
// faults, outages and the signed-request checks.
import type { Exchange } from "ccxt";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createExchange, loadCcxtErrors, replaceApiHosts } from "../../src/market/ccxt/client.ts";
import { ExchangeTwin, sign } from "../support/exchange-twin/index.ts";

// the error classes of the one ccxt the clients are built from
const ccxt = await loadCcxtErrors();

const KEY = "k".repeat(64);
const SECRET = "s".repeat(64);
const BTC = "BTC/USDT";

let twin: ExchangeTwin;
let ex: Exchange;

async function client(apiKey = KEY, secret = SECRET): Promise<Exchange> {
  // the twin answers in microseconds: ccxt's limiter would otherwise space calls ~50-1000 ms
  return createExchange({ id: "binance", apiKey, secret, apiUrl: twin.url, rateLimitMs: 1 });
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Error);
  return error as Error;
}

function lastOrder(): Record<string, unknown> {
  const orders = twin.orders();
  return orders[orders.length - 1]!;
}

beforeEach(async () => {
  twin = await ExchangeTwin.start({
    symbols: [
      {
        symbol: "BTCUSDT",
        baseAsset: "BTC",
        quoteAsset: "USDT",
        tickSize: "0.01",
        stepSize: "0.00001",
        minQty: "0.00001",
        minNotional: "5",
        price: "90000.00",
      },
      {
        symbol: "ETHUSDT",
        baseAsset: "ETH",
        quoteAsset: "USDT",
        tickSize: "0.01",
        stepSize: "0.0001",
        minQty: "0.001",
        minNotional: "10",
        price: "3000.00",
        notionalFilter: "MIN_NOTIONAL",
      },
    ],
  });
  twin.registerKey({ apiKey: KEY, secret: SECRET });
  twin.addBalance("main", "USDT", "100000");
  twin.addBalance("main", "BTC", "1");
  ex = await client();
  await ex.loadMarkets();
});

afterEach(async () => {
  expect(twin.internalErrors).toEqual([]);
  await twin.stop();
});

describe("client construction", () => {
  it("moves every API URL, however deeply nested, to the configured host", () => {
    const moved = replaceApiHosts(
      {
        public: "https://api.binance.com/api/v3",
        ws: { spot: ["wss://stream.binance.com:9443/ws"] },
      },
      "http://127.0.0.1:9000",
    );
    expect(moved).toEqual({
      public: "http://127.0.0.1:9000/api/v3",
      ws: { spot: ["http://127.0.0.1:9000/ws"] },
    });
    const urls = JSON.stringify(ex.urls.api);
    expect(urls).not.toContain("binance.com");
    expect(urls.match(/http:\/\/127\.0\.0\.1:\d+/g)!.length).toBeGreaterThan(20);
  });

  it("refuses an exchange id ccxt does not know", async () => {
    await expect(createExchange({ id: "nosuchexchange" })).rejects.toThrow(/no exchange/);
  });
});

describe("market data", () => {
  it("loads markets with one request and Binance's exact filter strings", async () => {
    twin.resetCounters();
    const fresh = await client();
    await fresh.loadMarkets();
    expect(twin.requestCounts()).toEqual({ "GET /api/v3/exchangeInfo": 1 });
    const btc = fresh.market(BTC);
    expect(btc.spot).toBe(true);
    const filters = (btc.info as { filters: Record<string, unknown>[] }).filters;
    expect(filters.find((f) => f.filterType === "PRICE_FILTER")).toMatchObject({
      tickSize: "0.01000000",
    });
    expect(filters.find((f) => f.filterType === "LOT_SIZE")).toMatchObject({
      stepSize: "0.00001000",
      minQty: "0.00001000",
    });
    expect(filters.find((f) => f.filterType === "NOTIONAL")).toMatchObject({
      minNotional: "5.00000000",
    });
    expect(fresh.market("ETH/USDT").limits.cost?.min).toBe(10); // from MIN_NOTIONAL
    expect((btc.info as { permissionSets: string[][] }).permissionSets).toEqual([["SPOT"]]);
  });

  it("serves ticker, book and candles at the price the control API sets", async () => {
    twin.setPrice("BTCUSDT", "91000.50");
    const t = await ex.fetchTicker(BTC);
    expect(t.info).toMatchObject({
      lastPrice: "91000.50000000",
      bidPrice: "91000.49000000",
      askPrice: "91000.51000000",
    });
    const book = await ex.fetchOrderBook(BTC, 5);
    expect(book.bids).toHaveLength(5);
    expect(book.bids[0]![0]).toBe(91000.49);
    expect(book.asks[0]![0]).toBe(91000.51);

    const hour = 3_600_000;
    const since = Math.floor((Date.now() - 10 * hour) / hour) * hour;
    const candles = await ex.fetchOHLCV(BTC, "1h", since, 4);
    expect(candles.map((c) => c[0])).toEqual([0, 1, 2, 3].map((i) => since + i * hour));
    const recent = await ex.fetchOHLCV(BTC, "1m", undefined, 3);
    expect(recent).toHaveLength(3);
    expect(recent[2]![4]).toBe(91000.5); // the forming candle closes at the last price
    for (const c of [...candles, ...recent]) {
      expect(c[2]!).toBeGreaterThanOrEqual(Math.max(c[1]!, c[4]!));
      expect(c[3]!).toBeLessThanOrEqual(Math.min(c[1]!, c[4]!));
    }
    const raw = (await fetch(
      `${twin.url}/api/v3/klines?symbol=BTCUSDT&interval=1d&endTime=${since}&limit=2`,
    ).then((r) => r.json())) as unknown[][];
    expect(raw).toHaveLength(2);
    expect(raw[1]![0]).toBeLessThanOrEqual(since);
  });

  it("reports balances free and locked", async () => {
    await ex.createOrder(BTC, "limit", "buy", 0.1, 80000, { clientOrderId: "lock-1" });
    const balance = await ex.fetchBalance();
    const usdt = (
      balance.info as { balances: { asset: string; free: string; locked: string }[] }
    ).balances.find((b) => b.asset === "USDT");
    expect(usdt).toEqual({ asset: "USDT", free: "92000.00000000", locked: "8000.00000000" });
    expect((balance.info as { canWithdraw: boolean }).canWithdraw).toBe(false);
  });
});

describe("orders on the wire", () => {
  it("maps every ccxt order to the venue's type, time in force and parameters", async () => {
    await ex.createOrder(BTC, "limit", "buy", 0.01, 85000, { clientOrderId: "w-limit" });
    expect(lastOrder()).toMatchObject({
      type: "LIMIT",
      timeInForce: "GTC",
      price: "85000.00000000",
    });

    await ex.createOrder(BTC, "limit", "buy", 0.01, 85000, {
      clientOrderId: "w-ioc",
      timeInForce: "IOC",
    });
    expect(lastOrder()).toMatchObject({ type: "LIMIT", timeInForce: "IOC", status: "EXPIRED" });

    await ex.createOrder(BTC, "limit", "buy", 0.01, 95000, {
      clientOrderId: "w-fok",
      timeInForce: "FOK",
    });
    expect(lastOrder()).toMatchObject({ timeInForce: "FOK", status: "FILLED" });

    await ex.createOrder(BTC, "limit", "buy", 0.01, 85000, {
      clientOrderId: "w-maker",
      postOnly: true,
    });
    expect(lastOrder()).toMatchObject({ type: "LIMIT_MAKER", status: "NEW" });

    await ex.createOrder(BTC, "limit", "sell", 0.01, 84000, {
      clientOrderId: "w-sll",
      triggerPrice: 85000,
    });
    expect(lastOrder()).toMatchObject({
      type: "STOP_LOSS_LIMIT",
      stopPrice: "85000.00000000",
      isWorking: false,
    });

    await ex.createOrder(BTC, "market", "sell", 0.01, undefined, {
      clientOrderId: "w-sl",
      stopLossPrice: 85000,
    });
    expect(lastOrder()).toMatchObject({ type: "STOP_LOSS", stopPrice: "85000.00000000" });

    await ex.createOrder(BTC, "limit", "sell", 0.01, 96000, {
      clientOrderId: "w-tpl",
      takeProfitPrice: 95000,
    });
    expect(lastOrder()).toMatchObject({ type: "TAKE_PROFIT_LIMIT", stopPrice: "95000.00000000" });

    await ex.createOrder(BTC, "market", "sell", 0.01, undefined, {
      clientOrderId: "w-trail",
      trailingPercent: 1.5,
      stopLossOrTakeProfit: "stopLoss",
    });
    expect(lastOrder()).toMatchObject({ type: "STOP_LOSS", trailingDelta: 150 });

    const byCost = await ex.createOrder(
      BTC,
      "market",
      "buy",
      undefined as unknown as number,
      undefined,
      {
        clientOrderId: "w-cost",
        cost: 900,
      },
    );
    expect(byCost.info).toMatchObject({
      type: "MARKET",
      status: "FILLED",
      origQuoteOrderQty: "900.00000000",
      executedQty: "0.00999000", // 900 / 90000.01 down to the lot step
    });
  });

  it("answers FULL with fills whose commission of a buy is in the base asset", async () => {
    const order = await ex.createOrder(BTC, "market", "buy", 0.02, undefined, {
      clientOrderId: "full-1",
    });
    expect(order.info).toMatchObject({
      status: "FILLED",
      executedQty: "0.02000000",
      cummulativeQuoteQty: "1800.00020000",
      fills: [
        {
          price: "90000.01000000",
          qty: "0.02000000",
          commission: "0.00002000",
          commissionAsset: "BTC",
        },
      ],
    });
    expect(twin.balances().BTC).toEqual({ free: "1.01998", locked: "0" });
    expect(twin.balances().USDT).toEqual({ free: "98199.9998", locked: "0" });
  });

  it("fetches and cancels by client order id", async () => {
    await ex.createOrder(BTC, "limit", "buy", 0.01, 80000, { clientOrderId: "mine-1" });
    const fetched = await ex.fetchOrder(undefined as unknown as string, BTC, {
      clientOrderId: "mine-1",
    });
    expect(fetched.status).toBe("open");
    expect(fetched.clientOrderId).toBe("mine-1");
    const canceled = await ex.cancelOrder(undefined as unknown as string, BTC, {
      clientOrderId: "mine-1",
    });
    expect(canceled.status).toBe("canceled");
    expect((canceled.info as { origClientOrderId: string }).origClientOrderId).toBe("mine-1");
    expect(twin.balances().USDT).toEqual({ free: "100000", locked: "0" });
    expect(twin.requestCount("/api/v3/order", "DELETE")).toBe(1);
  });

  it("fills a resting limit when the price reaches it, with trades in myTrades", async () => {
    await ex.createOrder(BTC, "limit", "buy", 0.05, 89000, { clientOrderId: "dip" });
    expect(await ex.fetchMyTrades(BTC)).toHaveLength(0);
    twin.setPrice("BTCUSDT", "89500.00");
    expect(
      (await ex.fetchOrder(undefined as unknown as string, BTC, { clientOrderId: "dip" })).status,
    ).toBe("open");
    twin.setPrice("BTCUSDT", "88990.00");
    const trades = await ex.fetchMyTrades(BTC);
    expect(trades).toHaveLength(1);
    expect(trades[0]!.info).toMatchObject({
      price: "89000.00000000",
      qty: "0.05000000",
      commission: "0.00005000",
      commissionAsset: "BTC",
      isMaker: true,
    });
    expect(
      (await ex.fetchOrder(undefined as unknown as string, BTC, { clientOrderId: "dip" })).status,
    ).toBe("closed");
    const fromId = Number(trades[0]!.id);
    const paged = await ex.fetchMyTrades(BTC, undefined, 10, { fromId });
    expect(paged.map((t) => t.id)).toEqual([trades[0]!.id]);
  });

  it("fills partially when the move offers less than the order", async () => {
    await ex.createOrder(BTC, "limit", "sell", 0.3, 91000, { clientOrderId: "part" });
    twin.setPrice("BTCUSDT", "91000.00", { maxFillQty: "0.1" });
    const o = await ex.fetchOrder(undefined as unknown as string, BTC, { clientOrderId: "part" });
    expect(o.info).toMatchObject({ status: "PARTIALLY_FILLED", executedQty: "0.10000000" });
    expect(twin.balances().BTC).toEqual({ free: "0.7", locked: "0.2" });
  });

  it("triggers stops and trailing stops on the price path", async () => {
    await ex.createOrder(BTC, "limit", "sell", 0.01, 84900, {
      clientOrderId: "stop-limit",
      triggerPrice: 85000,
    });
    await ex.createOrder(BTC, "market", "sell", 0.01, undefined, {
      clientOrderId: "trail",
      trailingPercent: 1,
      stopLossOrTakeProfit: "stopLoss",
    });
    twin.setPrice("BTCUSDT", "92000.00"); // new peak: trailing stop now at 91080
    twin.setPrice("BTCUSDT", "91100.00");
    expect(twin.trades()).toHaveLength(0);
    twin.setPrice("BTCUSDT", "91000.00");
    expect(twin.orders().find((o) => o.clientOrderId === "trail")).toMatchObject({
      status: "FILLED",
      isWorking: true,
    });
    twin.setPrice("BTCUSDT", "84950.00");
    expect(twin.orders().find((o) => o.clientOrderId === "stop-limit")).toMatchObject({
      status: "FILLED",
    });
    expect(twin.trades()).toHaveLength(2);
  });

  it("lists open orders of every symbol, including orders placed by hand on the site", async () => {
    await ex.createOrder(BTC, "limit", "buy", 0.01, 80000, { clientOrderId: "api-1" });
    twin.addBalance("main", "ETH", "2");
    const external = twin.placeExternalOrder("main", {
      symbol: "ETHUSDT",
      side: "SELL",
      type: "LIMIT",
      timeInForce: "GTC",
      quantity: "1",
      price: "3500",
    });
    expect(String(external.clientOrderId)).toMatch(/^web_/);
    const open = await ex.fetchOpenOrders();
    expect(open.map((o) => o.symbol).sort()).toEqual([BTC, "ETH/USDT"]);
    twin.cancelExternally("main", "ETHUSDT", Number(external.orderId));
    expect(await ex.fetchOpenOrders("ETH/USDT")).toHaveLength(0);
    const all = await ex.fetchOrders("ETH/USDT");
    expect(all.map((o) => o.status)).toEqual(["canceled"]);
  });
});

describe("errors as ccxt classes", () => {
  it("maps filter failures: LOT_SIZE and PRICE_FILTER to InvalidOrder, NOTIONAL to BadRequest", async () => {
    twin.addBalance("main", "ETH", "1");
    // ETH's minimum quantity (0.001) is above its step (0.0001): ccxt sends it, the venue refuses
    const lot = await failure(ex.createOrder("ETH/USDT", "limit", "sell", 0.0005, 3000));
    expect(lot).toBeInstanceOf(ccxt.InvalidOrder);
    expect(lot.message).toContain("Filter failure: LOT_SIZE");
    const price = await failure(ex.createOrder(BTC, "limit", "buy", 0.001, 2_000_000));
    expect(price).toBeInstanceOf(ccxt.InvalidOrder);
    expect(price.message).toContain("PRICE_FILTER");
    const notional = await failure(ex.createOrder(BTC, "limit", "buy", 0.00001, 80000));
    expect(notional).toBeInstanceOf(ccxt.BadRequest);
    expect(notional.message).toContain("Filter failure: NOTIONAL");
    const minNotional = await failure(ex.createOrder("ETH/USDT", "limit", "sell", 0.001, 3000));
    expect(minNotional.message).toContain("Filter failure: MIN_NOTIONAL");
    expect(twin.requestCount("/api/v3/order", "POST")).toBe(4);
    expect(twin.orders()).toHaveLength(0);
  });

  it("maps insufficient balance to InsufficientFunds and a duplicate open id to InvalidOrder", async () => {
    const poor = await failure(ex.createOrder(BTC, "market", "buy", 5, undefined));
    expect(poor).toBeInstanceOf(ccxt.InsufficientFunds);
    await ex.createOrder(BTC, "limit", "buy", 0.01, 80000, { clientOrderId: "dup" });
    const dup = await failure(
      ex.createOrder(BTC, "limit", "buy", 0.01, 80000, { clientOrderId: "dup" }),
    );
    expect(dup).toBeInstanceOf(ccxt.InvalidOrder);
    expect(dup.message).toContain("Duplicate order sent.");
    // once the first one is done, the venue accepts the same client id again
    twin.setPrice("BTCUSDT", "79999.00");
    await ex.createOrder(BTC, "limit", "buy", 0.01, 70000, { clientOrderId: "dup" });
    expect(twin.orders().filter((o) => o.clientOrderId === "dup")).toHaveLength(2);
  });

  it("maps unknown orders (-2011, -2013) to OrderNotFound", async () => {
    const cancel = await failure(ex.cancelOrder("123", BTC));
    expect(cancel).toBeInstanceOf(ccxt.OrderNotFound);
    expect(cancel.message).toContain("-2011");
    const fetch = await failure(ex.fetchOrder("123", BTC));
    expect(fetch).toBeInstanceOf(ccxt.OrderNotFound);
    expect(fetch.message).toContain("-2013");
  });

  it("refuses stale timestamps (-1021 InvalidNonce), bad signatures and unknown keys", async () => {
    twin.clockOffsetMs = 20_000; // the client's clock is 20 s behind the venue's
    const stale = await failure(ex.fetchBalance());
    expect(stale).toBeInstanceOf(ccxt.InvalidNonce);
    expect(stale.message).toContain("-1021");
    twin.clockOffsetMs = -5_000; // 5 s ahead
    expect((await failure(ex.fetchBalance())).message).toContain("ahead of the server");
    twin.clockOffsetMs = 0;

    const wrongSecret = await client(KEY, "x".repeat(64));
    const badSig = await failure(wrongSecret.fetchBalance());
    expect(badSig).toBeInstanceOf(ccxt.AuthenticationError);
    expect(badSig.message).toContain("-1022");

    const unknown = await client("u".repeat(64), SECRET);
    const rejected = await failure(unknown.fetchBalance());
    expect(rejected).toBeInstanceOf(ccxt.AuthenticationError);
    expect(rejected.message).toContain("-2015");

    twin.registerKey({ apiKey: "r".repeat(64), secret: SECRET, canTrade: false });
    const readOnly = await client("r".repeat(64), SECRET);
    await readOnly.fetchBalance();
    // ccxt quirk (see the ccxt note): -2015 after a successful private call on the same instance
    // surfaces as DDoSProtection, so a revoked or read-only key looks like rate limiting
    const refused = await failure(readOnly.createOrder(BTC, "market", "buy", 0.001));
    expect(refused).toBeInstanceOf(ccxt.DDoSProtection);
    expect(refused.message).toContain("-2015");
    expect(twin.orders()).toHaveLength(0);
  });

  it("checks the signature over query and body exactly as Binance does", async () => {
    const query = `timestamp=${Date.now()}&recvWindow=5000`;
    const get = (q: string, key = KEY) =>
      fetch(`${twin.url}/api/v3/account?${q}`, { headers: { "X-MBX-APIKEY": key } });
    const ok = await get(`${query}&signature=${sign(SECRET, query)}`);
    expect(ok.status).toBe(200);
    const bad = await get(`${query}&signature=${sign(SECRET, query + "x")}`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({
      code: -1022,
      msg: "Signature for this request is not valid.",
    });
    const noKey = await fetch(`${twin.url}/api/v3/account?${query}`);
    expect(await noKey.json()).toEqual({ code: -2014, msg: "API-key format invalid." });

    // POST: the body takes part in the signature
    const body = `symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.001&timestamp=${Date.now()}`;
    const post = await fetch(`${twin.url}/api/v3/order`, {
      method: "POST",
      headers: { "X-MBX-APIKEY": KEY, "Content-Type": "application/x-www-form-urlencoded" },
      body: `${body}&signature=${sign(SECRET, body)}`,
    });
    expect(await post.json()).toMatchObject({ status: "FILLED", type: "MARKET" });
  });

  it("reports a key with withdrawal permission as such", async () => {
    twin.registerKey({ apiKey: "w".repeat(64), secret: SECRET, canWithdraw: true });
    const withdrawing = await client("w".repeat(64), SECRET);
    const balance = await withdrawing.fetchBalance();
    expect((balance.info as { canWithdraw: boolean }).canWithdraw).toBe(true);
  });
});

describe("faults and outages", () => {
  it("answers 429 and 418 with Retry-After, 5xx, and drops connections", async () => {
    twin.fault({ path: "/api/v3/ticker/24hr", kind: "429", retryAfterSec: 7 });
    const raw = await fetch(`${twin.url}/api/v3/ticker/24hr?symbol=BTCUSDT`);
    expect(raw.status).toBe(429);
    expect(raw.headers.get("retry-after")).toBe("7");
    expect(((await raw.json()) as { code: number }).code).toBe(-1003);

    twin.fault({ path: "/api/v3/ticker/24hr", kind: "429" });
    expect(await failure(ex.fetchTicker(BTC))).toBeInstanceOf(ccxt.DDoSProtection);
    twin.fault({ path: "/api/v3/ticker/24hr", kind: "418", retryAfterSec: 60 });
    expect(await failure(ex.fetchTicker(BTC))).toBeInstanceOf(ccxt.DDoSProtection);
    twin.fault({ path: "/api/v3/ticker/24hr", kind: "5xx", status: 503 });
    expect(await failure(ex.fetchTicker(BTC))).toBeInstanceOf(ccxt.ExchangeNotAvailable);
    twin.fault({ path: "/api/v3/ticker/24hr", kind: "drop" });
    expect(await failure(ex.fetchTicker(BTC))).toBeInstanceOf(ccxt.NetworkError);
    // each fault hits once; the next request goes through
    expect((await ex.fetchTicker(BTC)).info).toMatchObject({ lastPrice: "90000.00000000" });
    expect(twin.requestCount("/api/v3/ticker/24hr")).toBe(6);
  });

  it("applies an order whose response is lost, and finds it by client order id", async () => {
    twin.fault({ path: "/api/v3/order", method: "POST", kind: "accept-then-drop" });
    const lost = await failure(
      ex.createOrder(BTC, "limit", "buy", 0.01, 85000, { clientOrderId: "lost-1" }),
    );
    expect(lost).toBeInstanceOf(ccxt.NetworkError);
    const found = await ex.fetchOrder(undefined as unknown as string, BTC, {
      clientOrderId: "lost-1",
    });
    expect(found.status).toBe("open");
    expect(twin.balances().USDT).toEqual({ free: "99150", locked: "850" });
    // re-sending while it is open is refused, so a blind retry cannot double it
    expect(
      await failure(ex.createOrder(BTC, "limit", "buy", 0.01, 85000, { clientOrderId: "lost-1" })),
    ).toBeInstanceOf(ccxt.InvalidOrder);
    expect(twin.orders()).toHaveLength(1);
  });

  it("goes down (refused or in maintenance) and comes back on the same address", async () => {
    const url = twin.url;
    await twin.down();
    expect(await failure(ex.fetchTicker(BTC))).toBeInstanceOf(ccxt.NetworkError);
    await twin.up();
    expect(twin.url).toBe(url);
    expect((await ex.fetchTicker(BTC)).last).toBe(90000);
    await twin.down("maintenance");
    expect(await failure(ex.fetchTicker(BTC))).toBeInstanceOf(ccxt.ExchangeNotAvailable);
    await twin.up();
    expect((await ex.fetchTicker(BTC)).last).toBe(90000);
  });
});
