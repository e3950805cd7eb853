// The REST endpoints of Binance spot the twin answers: each handler reads the request's
// parameters and returns the JSON body the venue would, or throws a BinanceError.
import { Decimal } from "../../../src/lib/decimal.ts";
import { errors } from "./errors.ts";
import { fmt8, symbolJson } from "./filters.ts";
import { KLINE_INTERVALS, type SymbolMarket } from "./market.ts";
import {
  type Account,
  type Order,
  type OrderBook,
  newOrderJson,
  orderJson,
  randomClientId,
  tradeJson,
} from "./orders.ts";
import { newOcoList } from "./oco.ts";
import { type ApiKey } from "./signing.ts";

export interface RouteContext {
  params: URLSearchParams;
  now: number;
  book: OrderBook;
  markets: ReadonlyMap<string, SymbolMarket>;
  /** set on SIGNED endpoints */
  key?: ApiKey;
}

export interface Route {
  /** "USER_DATA" endpoints need a signed request; "TRADE" ones also the key's trade permission */
  security: "NONE" | "USER_DATA" | "TRADE";
  handle(ctx: RouteContext): unknown;
}

function limitParam(params: URLSearchParams, def: number, max: number): number {
  const raw = params.get("limit");
  if (raw === null || raw === "") return def;
  if (!/^\d{1,10}$/.test(raw)) throw errors.illegalChars("limit");
  return Math.min(Number(raw), max);
}

function timeParam(params: URLSearchParams, name: string): number | undefined {
  const raw = params.get(name);
  if (raw === null || raw === "") return undefined;
  if (!/^\d{1,20}$/.test(raw)) throw errors.illegalChars(name);
  return Number(raw);
}

/** `symbol=X` or `symbols=["X","Y"]` or neither (every symbol). */
function selectedMarkets(ctx: RouteContext): { list: SymbolMarket[]; single: boolean } {
  const symbol = ctx.params.get("symbol");
  if (symbol) return { list: [ctx.book.market(symbol)], single: true };
  const symbols = ctx.params.get("symbols");
  if (symbols) {
    let names: unknown;
    try {
      names = JSON.parse(symbols);
    } catch {
      throw errors.illegalChars("symbols");
    }
    if (!Array.isArray(names)) throw errors.illegalChars("symbols");
    return { list: names.map((n) => ctx.book.market(String(n))), single: false };
  }
  return { list: [...ctx.markets.values()], single: false };
}

function one<T>(ctx: RouteContext, f: (m: SymbolMarket) => T): T | T[] {
  const { list, single } = selectedMarkets(ctx);
  return single ? f(list[0]!) : list.map(f);
}

function accountOf(ctx: RouteContext): Account {
  return ctx.book.account(ctx.key!.account);
}

function foundOrder(ctx: RouteContext, notFound: () => Error): Order {
  const m = ctx.book.market(ctx.params.get("symbol"));
  const order = ctx.book.find(
    ctx.key!.account,
    m.spec.symbol,
    ctx.params.get("orderId"),
    ctx.params.get("origClientOrderId"),
  );
  if (!order) throw notFound();
  return order;
}

function newOrder(ctx: RouteContext, test: boolean): unknown {
  const p = ctx.params;
  const get = (k: string): string | undefined => p.get(k) ?? undefined;
  const before = ctx.book.trades.length;
  const order = ctx.book.create(
    ctx.key!.account,
    {
      symbol: get("symbol") ?? "",
      side: get("side") ?? "",
      type: get("type") ?? "",
      timeInForce: get("timeInForce"),
      quantity: get("quantity"),
      quoteOrderQty: get("quoteOrderQty"),
      price: get("price"),
      stopPrice: get("stopPrice"),
      trailingDelta: get("trailingDelta"),
      newClientOrderId: get("newClientOrderId"),
    },
    false,
    test,
  );
  if (test) return {};
  const fills = ctx.book.trades.slice(before).filter((t) => t.orderId === order.orderId);
  const defaultResp = order.type === "MARKET" || order.type === "LIMIT" ? "FULL" : "ACK";
  return newOrderJson(order, get("newOrderRespType") ?? defaultResp, fills);
}

function cancelJson(order: Order, newClientOrderId: string | null, now: number): unknown {
  const json = orderJson(order) as Record<string, unknown>;
  return {
    symbol: order.symbol,
    origClientOrderId: order.clientOrderId,
    orderId: order.orderId,
    orderListId: order.orderListId ?? -1,
    clientOrderId: newClientOrderId || randomClientId(""),
    transactTime: now,
    price: json.price,
    origQty: json.origQty,
    executedQty: json.executedQty,
    origQuoteOrderQty: json.origQuoteOrderQty,
    cummulativeQuoteQty: json.cummulativeQuoteQty,
    status: order.status,
    timeInForce: order.timeInForce,
    type: order.type,
    side: order.side,
    ...(order.stopPrice.gt(0) ? { stopPrice: json.stopPrice } : {}),
    selfTradePreventionMode: "EXPIRE_MAKER",
  };
}

export const ROUTES: Record<string, Route> = {
  "GET /api/v3/ping": { security: "NONE", handle: () => ({}) },
  "GET /api/v3/time": { security: "NONE", handle: (ctx) => ({ serverTime: ctx.now }) },
  "GET /api/v3/exchangeInfo": {
    security: "NONE",
    handle: (ctx) => {
      const { list } = selectedMarkets(ctx);
      return {
        timezone: "UTC",
        serverTime: ctx.now,
        rateLimits: [
          { rateLimitType: "REQUEST_WEIGHT", interval: "MINUTE", intervalNum: 1, limit: 6000 },
          { rateLimitType: "ORDERS", interval: "SECOND", intervalNum: 10, limit: 100 },
          { rateLimitType: "ORDERS", interval: "DAY", intervalNum: 1, limit: 200000 },
          { rateLimitType: "RAW_REQUESTS", interval: "MINUTE", intervalNum: 5, limit: 61000 },
        ],
        exchangeFilters: [],
        symbols: list.map((m) => symbolJson(m.spec)),
      };
    },
  },
  "GET /api/v3/ticker/24hr": {
    security: "NONE",
    handle: (ctx) => one(ctx, (m) => m.ticker24h(ctx.now)),
  },
  "GET /api/v3/ticker/price": {
    security: "NONE",
    handle: (ctx) => one(ctx, (m) => ({ symbol: m.spec.symbol, price: fmt8(m.last) })),
  },
  "GET /api/v3/ticker/bookTicker": {
    security: "NONE",
    handle: (ctx) =>
      one(ctx, (m) => ({
        symbol: m.spec.symbol,
        bidPrice: fmt8(m.bid),
        bidQty: fmt8(m.depthQty(0)),
        askPrice: fmt8(m.ask),
        askQty: fmt8(m.depthQty(0)),
      })),
  },
  "GET /api/v3/avgPrice": {
    security: "NONE",
    handle: (ctx) => {
      const m = ctx.book.market(ctx.params.get("symbol"));
      return { mins: 5, price: fmt8(m.last), closeTime: ctx.now };
    },
  },
  "GET /api/v3/depth": {
    security: "NONE",
    handle: (ctx) => {
      const m = ctx.book.market(ctx.params.get("symbol"));
      const limit = limitParam(ctx.params, 100, 5000);
      return { lastUpdateId: 1_000_000 + ctx.now, ...m.depth(limit) };
    },
  },
  "GET /api/v3/klines": {
    security: "NONE",
    handle: (ctx) => {
      const m = ctx.book.market(ctx.params.get("symbol"));
      const interval = ctx.params.get("interval");
      if (!interval) throw errors.mandatory("interval");
      const len = KLINE_INTERVALS[interval];
      if (!len) throw errors.badInterval();
      const klines = m.klines(len, ctx.now, {
        startTime: timeParam(ctx.params, "startTime"),
        endTime: timeParam(ctx.params, "endTime"),
        limit: limitParam(ctx.params, 500, 1000),
      });
      return klines.map((k) => {
        const quoteVolume = k.volume.times(k.close);
        return [
          k.openTime,
          fmt8(k.open),
          fmt8(k.high),
          fmt8(k.low),
          fmt8(k.close),
          fmt8(k.volume),
          k.closeTime,
          fmt8(quoteVolume),
          0,
          fmt8(k.volume.div(2).toDecimalPlaces(8, Decimal.ROUND_DOWN)),
          fmt8(quoteVolume.div(2).toDecimalPlaces(8, Decimal.ROUND_DOWN)),
          "0",
        ];
      });
    },
  },
  "GET /api/v3/account": {
    security: "USER_DATA",
    handle: (ctx) => {
      const a = accountOf(ctx);
      const bps = a.commissionRate.times(10_000).toNumber();
      const rate = fmt8(a.commissionRate);
      const omitZero = ctx.params.get("omitZeroBalances") === "true";
      return {
        makerCommission: bps,
        takerCommission: bps,
        buyerCommission: 0,
        sellerCommission: 0,
        commissionRates: { maker: rate, taker: rate, buyer: "0.00000000", seller: "0.00000000" },
        canTrade: ctx.key!.canTrade,
        canWithdraw: ctx.key!.canWithdraw,
        canDeposit: true,
        brokered: false,
        requireSelfTradePrevention: false,
        preventSor: false,
        updateTime: a.updateTime,
        accountType: "SPOT",
        balances: [...a.balances.entries()]
          .filter(([, b]) => !omitZero || !b.free.plus(b.locked).isZero())
          .map(([asset, b]) => ({ asset, free: fmt8(b.free), locked: fmt8(b.locked) })),
        permissions: ["SPOT"],
        uid: 354937868,
      };
    },
  },
  // what the key may do, as set in registerKey (the probe refuses keys that may withdraw)
  "GET /sapi/v1/account/apiRestrictions": {
    security: "USER_DATA",
    handle: (ctx) => ({
      ipRestrict: false,
      createTime: 1_700_000_000_000,
      enableReading: true,
      enableWithdrawals: ctx.key!.canWithdraw,
      enableInternalTransfer: false,
      enableMargin: false,
      enableFutures: false,
      permitsUniversalTransfer: false,
      enableVanillaOptions: false,
      enableFixApiTrade: false,
      enableFixReadOnly: true,
      enableSpotAndMarginTrading: ctx.key!.canTrade,
      enablePortfolioMarginTrading: false,
    }),
  },
  "POST /api/v3/order": { security: "TRADE", handle: (ctx) => newOrder(ctx, false) },
  "POST /api/v3/orderList/oco": {
    security: "TRADE",
    handle: (ctx) => newOcoList(ctx.book, ctx.key!.account, ctx.params),
  },
  "POST /api/v3/order/test": { security: "TRADE", handle: (ctx) => newOrder(ctx, true) },
  "GET /api/v3/order": {
    security: "USER_DATA",
    handle: (ctx) => orderJson(foundOrder(ctx, errors.noSuchOrder)),
  },
  "DELETE /api/v3/order": {
    security: "TRADE",
    handle: (ctx) => {
      const order = foundOrder(ctx, errors.cancelUnknown);
      ctx.book.cancel(order);
      return cancelJson(order, ctx.params.get("newClientOrderId"), ctx.now);
    },
  },
  "GET /api/v3/openOrders": {
    security: "USER_DATA",
    handle: (ctx) => {
      const symbol = ctx.params.get("symbol");
      if (symbol) ctx.book.market(symbol);
      return ctx.book.openOrders(ctx.key!.account, symbol ?? undefined).map(orderJson);
    },
  },
  "DELETE /api/v3/openOrders": {
    security: "TRADE",
    handle: (ctx) => {
      const m = ctx.book.market(ctx.params.get("symbol"));
      const open = ctx.book.openOrders(ctx.key!.account, m.spec.symbol);
      return open.map((o) => {
        ctx.book.cancel(o);
        return cancelJson(o, null, ctx.now);
      });
    },
  },
  "GET /api/v3/allOrders": {
    security: "USER_DATA",
    handle: (ctx) => {
      const m = ctx.book.market(ctx.params.get("symbol"));
      const fromId = timeParam(ctx.params, "orderId");
      const start = timeParam(ctx.params, "startTime");
      const end = timeParam(ctx.params, "endTime");
      const limit = limitParam(ctx.params, 500, 1000);
      let list = ctx.book.orders.filter(
        (o) => o.account === ctx.key!.account && o.symbol === m.spec.symbol,
      );
      if (fromId !== undefined) list = list.filter((o) => o.orderId >= fromId).slice(0, limit);
      else {
        list = list.filter(
          (o) => (start === undefined || o.time >= start) && (end === undefined || o.time <= end),
        );
        // without orderId Binance returns the most recent orders
        list = start === undefined ? list.slice(-limit) : list.slice(0, limit);
      }
      return list.map(orderJson);
    },
  },
  "GET /api/v3/myTrades": {
    security: "USER_DATA",
    handle: (ctx) => {
      const m = ctx.book.market(ctx.params.get("symbol"));
      const fromId = timeParam(ctx.params, "fromId");
      const orderId = timeParam(ctx.params, "orderId");
      const start = timeParam(ctx.params, "startTime");
      const end = timeParam(ctx.params, "endTime");
      const limit = limitParam(ctx.params, 500, 1000);
      let list = ctx.book.trades.filter(
        (t) => t.account === ctx.key!.account && t.symbol === m.spec.symbol,
      );
      if (orderId !== undefined) list = list.filter((t) => t.orderId === orderId);
      if (fromId !== undefined) list = list.filter((t) => t.id >= fromId).slice(0, limit);
      else {
        list = list.filter(
          (t) => (start === undefined || t.time >= start) && (end === undefined || t.time <= end),
        );
        list = start === undefined ? list.slice(-limit) : list.slice(0, limit);
      }
      return list.map(tradeJson);
    },
  },
};
