// Accounts, balances and the order life cycle of the twin: validation in Binance's order
// (mandatory parameters, filters, balance), immediate fills at the touch, resting limits and
// stop / take-profit / trailing orders that trigger and fill when the price moves, and the JSON
// shapes the venue answers with.
import { randomBytes } from "node:crypto";
import { Decimal } from "../../../src/lib/decimal.ts";
import { BinanceError, errors } from "./errors.ts";
import { checkNotional, checkPrice, checkQty, checkTrailingDelta, fmt8 } from "./filters.ts";
import { type SymbolMarket } from "./market.ts";

export type Side = "BUY" | "SELL";
export type OrderType =
  | "LIMIT"
  | "LIMIT_MAKER"
  | "MARKET"
  | "STOP_LOSS"
  | "STOP_LOSS_LIMIT"
  | "TAKE_PROFIT"
  | "TAKE_PROFIT_LIMIT";
export type TimeInForce = "GTC" | "IOC" | "FOK";
export type OrderStatus =
  "NEW" | "PARTIALLY_FILLED" | "FILLED" | "CANCELED" | "EXPIRED" | "REJECTED";

const ZERO = new Decimal(0);
const CLIENT_ID = /^[.A-Z:/a-z0-9_-]{1,36}$/;

export interface Balance {
  free: Decimal;
  locked: Decimal;
}

export interface Order {
  account: string;
  symbol: string;
  orderId: number;
  clientOrderId: string;
  side: Side;
  type: OrderType;
  timeInForce: TimeInForce;
  price: Decimal;
  origQty: Decimal;
  origQuoteOrderQty: Decimal;
  executedQty: Decimal;
  cumQuote: Decimal;
  status: OrderStatus;
  stopPrice: Decimal;
  trailingDelta: number | undefined;
  trailingTime: number;
  time: number;
  updateTime: number;
  /** false while a stop order waits for its trigger */
  isWorking: boolean;
  workingTime: number;
  /** what is still locked for the order: quote for buys, base for sells */
  lockedAmount: Decimal;
  /** placed by hand on the exchange's site rather than through the API */
  external: boolean;
  /** trailing: activated (reached stopPrice or had none), and the extreme seen since */
  trailActive: boolean;
  trailExtreme: Decimal | undefined;
  /** the order list (OCO) it belongs to; absent: none (-1 on the wire) */
  orderListId?: number;
}

export interface Trade {
  id: number;
  account: string;
  symbol: string;
  orderId: number;
  price: Decimal;
  qty: Decimal;
  quoteQty: Decimal;
  commission: Decimal;
  commissionAsset: string;
  time: number;
  isBuyer: boolean;
  isMaker: boolean;
  orderListId?: number;
}

/**
 * What order lists (oco.ts) need to hear from the book: a leg that starts to execute (a stop
 * triggers, a limit fills) and a leg canceled. Called before the leg works or ends.
 */
export interface ContingencyHooks {
  activated(order: Order, now: number): void;
  canceled(order: Order, now: number): void;
}

export interface Account {
  name: string;
  balances: Map<string, Balance>;
  /** commission rate for maker and taker fills (0.001 = 0.1 %, Binance's default) */
  commissionRate: Decimal;
  /**
   * Binance's "use BNB to pay for fees": each fill's commission (at the rate less 25 %) is taken
   * in BNB, valued at BNB's last price against the quote, while the account holds enough BNB
   */
  payFeesInBnb: boolean;
  canTrade: boolean;
  canWithdraw: boolean;
  updateTime: number;
}

export interface NewOrderParams {
  symbol: string;
  side: string;
  type: string;
  timeInForce?: string;
  quantity?: string;
  quoteOrderQty?: string;
  price?: string;
  stopPrice?: string;
  trailingDelta?: string;
  newClientOrderId?: string;
}

function isOpen(o: Order): boolean {
  return o.status === "NEW" || o.status === "PARTIALLY_FILLED";
}

function positiveDecimal(name: string, value: string | undefined): Decimal | undefined {
  if (value === undefined || value === "") return undefined;
  if (!/^\d{1,20}(\.\d{1,20})?$/.test(value)) throw errors.illegalChars(name);
  const d = new Decimal(value);
  if (d.lte(0)) throw errors.invalidValue(`Invalid value sent for parameter '${name}'.`);
  return d;
}

export function randomClientId(prefix: string): string {
  return (
    prefix +
    randomBytes(12)
      .toString("base64url")
      .slice(0, 22 - prefix.length)
  );
}

export class OrderBook {
  readonly accounts = new Map<string, Account>();
  readonly orders: Order[] = [];
  readonly trades: Trade[] = [];
  private nextOrderId = 4_200_000_001;
  private nextTradeId = 3_100_000_001;
  /** set by the order-list support (oco.ts) */
  contingency: ContingencyHooks | null = null;

  constructor(
    private readonly markets: ReadonlyMap<string, SymbolMarket>,
    private readonly now: () => number,
  ) {}

  account(name: string): Account {
    let a = this.accounts.get(name);
    if (!a) {
      a = {
        name,
        balances: new Map(),
        commissionRate: new Decimal("0.001"),
        payFeesInBnb: false,
        canTrade: true,
        canWithdraw: false,
        updateTime: this.now(),
      };
      this.accounts.set(name, a);
    }
    return a;
  }

  balance(account: Account, asset: string): Balance {
    let b = account.balances.get(asset);
    if (!b) {
      b = { free: ZERO, locked: ZERO };
      account.balances.set(asset, b);
    }
    return b;
  }

  market(symbol: string | undefined | null): SymbolMarket {
    if (!symbol) throw errors.mandatory("symbol");
    const m = this.markets.get(symbol);
    if (!m) throw errors.unknownSymbol();
    return m;
  }

  // ---- placing -------------------------------------------------------------------------------

  create(accountName: string, p: NewOrderParams, external = false, test = false): Order {
    const m = this.market(p.symbol);
    if (m.spec.status && m.spec.status !== "TRADING") {
      throw new BinanceError(400, -1013, "Market is closed.");
    }
    const account = this.account(accountName);
    if (!p.side) throw errors.mandatory("side");
    if (p.side !== "BUY" && p.side !== "SELL") throw errors.badSide();
    const side: Side = p.side;
    if (!p.type) throw errors.mandatory("type");
    const types: OrderType[] = [
      "LIMIT",
      "LIMIT_MAKER",
      "MARKET",
      "STOP_LOSS",
      "STOP_LOSS_LIMIT",
      "TAKE_PROFIT",
      "TAKE_PROFIT_LIMIT",
    ];
    if (!(types as string[]).includes(p.type)) throw errors.badOrderType();
    const type = p.type as OrderType;
    const isLimitLike = type === "LIMIT" || type.endsWith("_LIMIT") || type === "LIMIT_MAKER";
    const isStop = type.startsWith("STOP_LOSS") || type.startsWith("TAKE_PROFIT");
    const needsTif = type === "LIMIT" || type === "STOP_LOSS_LIMIT" || type === "TAKE_PROFIT_LIMIT";

    let timeInForce: TimeInForce = "GTC";
    if (needsTif) {
      if (!p.timeInForce) throw errors.mandatory("timeInForce");
      if (!["GTC", "IOC", "FOK"].includes(p.timeInForce)) throw errors.badTif();
      timeInForce = p.timeInForce as TimeInForce;
    } else if (
      p.timeInForce &&
      (type === "MARKET" || type === "STOP_LOSS" || type === "TAKE_PROFIT")
    ) {
      throw errors.tifNotRequired();
    }

    const price = positiveDecimal("price", p.price);
    if (isLimitLike && !price) throw errors.mandatory("price");
    if (price) checkPrice(m.spec, price);

    const stopPrice = positiveDecimal("stopPrice", p.stopPrice);
    let trailingDelta: number | undefined;
    if (p.trailingDelta !== undefined && p.trailingDelta !== "") {
      if (!isStop) throw errors.badParam("Parameter 'trailingDelta' sent when not required.");
      trailingDelta = Number(p.trailingDelta);
      checkTrailingDelta(trailingDelta);
    }
    if (isStop && !stopPrice && trailingDelta === undefined) throw errors.mandatory("stopPrice");
    if (stopPrice) checkPrice(m.spec, stopPrice);

    let qty = positiveDecimal("quantity", p.quantity);
    const quoteQty = positiveDecimal("quoteOrderQty", p.quoteOrderQty);
    if (type === "MARKET") {
      if (qty && quoteQty) {
        throw errors.badParam("Parameter 'quantity' and 'quoteOrderQty' cannot be sent together.");
      }
      if (!qty && !quoteQty) throw errors.mandatory("quantity");
    } else {
      if (quoteQty) throw errors.badParam("Parameter 'quoteOrderQty' sent when not required.");
      if (!qty) throw errors.mandatory("quantity");
    }
    const touch = side === "BUY" ? m.ask : m.bid;
    const step = new Decimal(m.spec.stepSize);
    if (quoteQty) {
      // the venue converts the quote amount at the touch, down to the lot step
      qty = quoteQty.div(touch).div(step).floor().times(step);
    }
    checkQty(m.spec, qty!);
    const notionalPrice = price ?? (type === "MARKET" ? touch : (stopPrice ?? m.last));
    checkNotional(m.spec, quoteQty ?? qty!.times(notionalPrice));

    const clientOrderId = p.newClientOrderId || randomClientId(external ? "web_" : "");
    if (!CLIENT_ID.test(clientOrderId)) throw errors.illegalChars("newClientOrderId");
    if (
      this.orders.some(
        (o) =>
          o.account === accountName &&
          o.symbol === m.spec.symbol &&
          o.clientOrderId === clientOrderId &&
          isOpen(o),
      )
    ) {
      throw errors.duplicateOrder();
    }

    // stop orders may not be born triggered
    if (isStop && stopPrice) {
      const fires = this.stopCondition(type, side, stopPrice, m.last);
      if (fires) throw errors.wouldTrigger();
    }
    if (type === "LIMIT_MAKER" && this.crosses(side, price!, m)) throw errors.wouldMatch();

    // what the order holds back: quote for a buy, base for a sell
    const base = this.balance(account, m.spec.baseAsset);
    const quote = this.balance(account, m.spec.quoteAsset);
    let lock: Decimal;
    if (side === "SELL") lock = qty!;
    else if (quoteQty) lock = quoteQty;
    else lock = qty!.times(price ?? (type === "MARKET" ? touch : (stopPrice ?? m.last)));
    const funds = side === "SELL" ? base : quote;
    if (funds.free.lt(lock)) throw errors.insufficientBalance();

    const now = this.now();
    const order: Order = {
      account: accountName,
      symbol: m.spec.symbol,
      orderId: this.nextOrderId,
      clientOrderId,
      side,
      type,
      timeInForce,
      price: price ?? ZERO,
      origQty: quoteQty ? ZERO : qty!,
      origQuoteOrderQty: quoteQty ?? ZERO,
      executedQty: ZERO,
      cumQuote: ZERO,
      status: "NEW",
      stopPrice: stopPrice ?? ZERO,
      trailingDelta,
      trailingTime: -1,
      time: now,
      updateTime: now,
      isWorking: !isStop,
      workingTime: isStop ? -1 : now,
      lockedAmount: lock,
      external,
      trailActive: trailingDelta !== undefined && !stopPrice,
      trailExtreme: trailingDelta !== undefined && !stopPrice ? m.last : undefined,
    };
    if (quoteQty) order.origQty = qty!;
    if (test) return order;
    this.nextOrderId++;
    funds.free = funds.free.minus(lock);
    funds.locked = funds.locked.plus(lock);
    this.orders.push(order);

    if (order.isWorking) this.work(order, m);
    return order;
  }

  private crosses(side: Side, price: Decimal, m: SymbolMarket): boolean {
    return side === "BUY" ? m.ask.lte(price) : m.bid.gte(price);
  }

  /** Whether a plain (non-trailing) stop of `type` fires at `last`. */
  private stopCondition(type: OrderType, side: Side, stop: Decimal, last: Decimal): boolean {
    const stopLoss = type.startsWith("STOP_LOSS");
    const firesUp = stopLoss ? side === "BUY" : side === "SELL";
    return firesUp ? last.gte(stop) : last.lte(stop);
  }

  /** A working order at its first chance: takes liquidity at the touch, rests or expires. */
  private work(order: Order, m: SymbolMarket): void {
    if (order.type === "MARKET" || order.type === "STOP_LOSS" || order.type === "TAKE_PROFIT") {
      const price = order.side === "BUY" ? m.ask : m.bid;
      if (order.side === "BUY" && order.origQuoteOrderQty.gt(0)) {
        this.fill(order, m, order.origQty, price, false);
      } else {
        const needed = order.origQty.times(price);
        const quote = this.balance(this.account(order.account), m.spec.quoteAsset);
        if (order.side === "BUY" && quote.free.plus(order.lockedAmount).lt(needed)) {
          this.finish(order, "EXPIRED", m);
          return;
        }
        this.fill(order, m, order.origQty, price, false);
      }
      return;
    }
    if (this.crosses(order.side, order.price, m)) {
      const price = order.side === "BUY" ? m.ask : m.bid;
      this.fill(order, m, order.origQty.minus(order.executedQty), price, false);
      return;
    }
    if (order.timeInForce === "IOC" || order.timeInForce === "FOK")
      this.finish(order, "EXPIRED", m);
  }

  private fill(order: Order, m: SymbolMarket, qty: Decimal, price: Decimal, maker: boolean): void {
    const account = this.account(order.account);
    const base = this.balance(account, m.spec.baseAsset);
    const quote = this.balance(account, m.spec.quoteAsset);
    const remaining = order.origQty.minus(order.executedQty);
    const quoteQty = qty.times(price);
    const now = this.now();
    // the share of the lock this fill uses; the last fill takes all that is left
    const lockShare = qty.eq(remaining)
      ? order.lockedAmount
      : order.lockedAmount.times(qty).div(remaining).toDecimalPlaces(8, Decimal.ROUND_DOWN);
    let commission: Decimal;
    let commissionAsset: string;
    const inBnb = this.bnbCommission(account, m, quoteQty);
    if (inBnb) {
      commission = inBnb;
      commissionAsset = "BNB";
      const bnb = this.balance(account, "BNB");
      bnb.free = bnb.free.minus(commission);
      if (order.side === "BUY") {
        quote.locked = quote.locked.minus(lockShare);
        quote.free = quote.free.plus(lockShare).minus(quoteQty);
        base.free = base.free.plus(qty);
      } else {
        base.locked = base.locked.minus(lockShare);
        base.free = base.free.plus(lockShare).minus(qty);
        quote.free = quote.free.plus(quoteQty);
      }
    } else if (order.side === "BUY") {
      // Binance takes a buy's commission from the bought asset
      commission = qty.times(account.commissionRate).toDecimalPlaces(8, Decimal.ROUND_UP);
      commissionAsset = m.spec.baseAsset;
      quote.locked = quote.locked.minus(lockShare);
      quote.free = quote.free.plus(lockShare).minus(quoteQty);
      base.free = base.free.plus(qty).minus(commission);
    } else {
      commission = quoteQty.times(account.commissionRate).toDecimalPlaces(8, Decimal.ROUND_UP);
      commissionAsset = m.spec.quoteAsset;
      base.locked = base.locked.minus(lockShare);
      base.free = base.free.plus(lockShare).minus(qty);
      quote.free = quote.free.plus(quoteQty).minus(commission);
    }
    order.lockedAmount = order.lockedAmount.minus(lockShare);
    order.executedQty = order.executedQty.plus(qty);
    order.cumQuote = order.cumQuote.plus(quoteQty);
    order.status = order.executedQty.gte(order.origQty) ? "FILLED" : "PARTIALLY_FILLED";
    order.updateTime = now;
    account.updateTime = now;
    this.trades.push({
      id: this.nextTradeId++,
      account: order.account,
      symbol: order.symbol,
      orderId: order.orderId,
      price,
      qty,
      quoteQty,
      commission,
      commissionAsset,
      time: now,
      isBuyer: order.side === "BUY",
      isMaker: maker,
      ...(order.orderListId !== undefined ? { orderListId: order.orderListId } : {}),
    });
    m.recordTrade(now, qty);
  }

  /**
   * The commission in BNB when the account pays fees in BNB, a BNB/quote market prices it and
   * the account holds enough free BNB; null otherwise (the usual asset pays). A fill of BNB
   * itself is charged the usual way.
   */
  private bnbCommission(account: Account, m: SymbolMarket, quoteQty: Decimal): Decimal | null {
    if (!account.payFeesInBnb || m.spec.baseAsset === "BNB" || m.spec.quoteAsset === "BNB") {
      return null;
    }
    const bnbMarket = this.markets.get(`BNB${m.spec.quoteAsset}`);
    if (!bnbMarket || !bnbMarket.last.gt(0)) return null;
    const commission = quoteQty
      .times(account.commissionRate)
      .times("0.75")
      .div(bnbMarket.last)
      .toDecimalPlaces(8, Decimal.ROUND_UP);
    const bnb = this.balance(account, "BNB");
    return bnb.free.gte(commission) ? commission : null;
  }

  /** Ends an order and gives back what it still held. */
  private finish(order: Order, status: OrderStatus, m: SymbolMarket): void {
    const account = this.account(order.account);
    const asset = order.side === "BUY" ? m.spec.quoteAsset : m.spec.baseAsset;
    const b = this.balance(account, asset);
    b.locked = b.locked.minus(order.lockedAmount);
    b.free = b.free.plus(order.lockedAmount);
    order.lockedAmount = ZERO;
    order.status = status;
    order.updateTime = this.now();
    account.updateTime = order.updateTime;
  }

  // ---- the price moves -----------------------------------------------------------------------

  /** Triggers stops and fills resting orders of `symbol` after a price move. */
  onPriceMove(symbol: string, maxFillQty?: Decimal): void {
    const m = this.market(symbol);
    for (const order of this.orders) {
      if (order.symbol !== symbol || !isOpen(order)) continue;
      if (!order.isWorking) {
        if (!this.triggered(order, m)) continue;
        if (order.orderListId !== undefined) this.contingency?.activated(order, this.now());
        order.isWorking = true;
        order.workingTime = this.now();
        order.updateTime = order.workingTime;
        this.work(order, m);
        continue;
      }
      if (order.type === "MARKET") continue;
      const reached =
        order.side === "BUY"
          ? m.last.lte(order.price) || m.ask.lte(order.price)
          : m.last.gte(order.price) || m.bid.gte(order.price);
      if (!reached) continue;
      let qty = order.origQty.minus(order.executedQty);
      if (maxFillQty && maxFillQty.lt(qty)) qty = maxFillQty;
      if (order.orderListId !== undefined) this.contingency?.activated(order, this.now());
      this.fill(order, m, qty, order.price, true);
    }
  }

  private triggered(order: Order, m: SymbolMarket): boolean {
    if (order.trailingDelta === undefined) {
      return this.stopCondition(order.type, order.side, order.stopPrice, m.last);
    }
    const stopLoss = order.type.startsWith("STOP_LOSS");
    // sell stop-losses and sell take-profits trail the highest price; buys trail the lowest
    const trailsPeak = order.side === "SELL";
    if (!order.trailActive) {
      const activatesUp = stopLoss ? order.side === "BUY" : order.side === "SELL";
      const active = activatesUp ? m.last.gte(order.stopPrice) : m.last.lte(order.stopPrice);
      if (!active) return false;
      order.trailActive = true;
      order.trailExtreme = m.last;
      order.trailingTime = this.now();
      return false;
    }
    const extreme = order.trailExtreme ?? m.last;
    order.trailExtreme = trailsPeak ? Decimal.max(extreme, m.last) : Decimal.min(extreme, m.last);
    if (order.trailingTime < 0) order.trailingTime = this.now();
    const delta = new Decimal(order.trailingDelta).div(10_000);
    return trailsPeak
      ? m.last.lte(order.trailExtreme.times(new Decimal(1).minus(delta)))
      : m.last.gte(order.trailExtreme.times(new Decimal(1).plus(delta)));
  }

  // ---- looking up and canceling --------------------------------------------------------------

  find(
    account: string,
    symbol: string,
    orderId?: string | null,
    clientId?: string | null,
  ): Order | undefined {
    if (orderId) {
      if (!/^\d{1,20}$/.test(orderId)) throw errors.illegalChars("orderId");
      return this.orders.find(
        (o) => o.account === account && o.symbol === symbol && o.orderId === Number(orderId),
      );
    }
    if (clientId) {
      // the most recent order carrying that client id
      for (let i = this.orders.length - 1; i >= 0; i--) {
        const o = this.orders[i]!;
        if (o.account === account && o.symbol === symbol && o.clientOrderId === clientId) return o;
      }
      return undefined;
    }
    throw new BinanceError(
      400,
      -1102,
      "Param 'origClientOrderId' or 'orderId' must be sent, but both were empty/null!",
    );
  }

  cancel(order: Order): void {
    if (!isOpen(order)) throw errors.cancelUnknown();
    if (order.orderListId !== undefined) this.contingency?.canceled(order, this.now());
    this.finish(order, "CANCELED", this.market(order.symbol));
  }

  openOrders(account: string, symbol?: string): Order[] {
    return this.orders.filter(
      (o) => o.account === account && isOpen(o) && (symbol === undefined || o.symbol === symbol),
    );
  }
}

// ---- wire shapes ---------------------------------------------------------------------------

export function orderJson(o: Order): Record<string, unknown> {
  const json: Record<string, unknown> = {
    symbol: o.symbol,
    orderId: o.orderId,
    orderListId: o.orderListId ?? -1,
    clientOrderId: o.clientOrderId,
    price: fmt8(o.price),
    origQty: fmt8(o.origQty),
    executedQty: fmt8(o.executedQty),
    cummulativeQuoteQty: fmt8(o.cumQuote),
    status: o.status,
    timeInForce: o.timeInForce,
    type: o.type,
    side: o.side,
    stopPrice: fmt8(o.stopPrice),
    icebergQty: "0.00000000",
    time: o.time,
    updateTime: o.updateTime,
    isWorking: o.isWorking,
    workingTime: o.workingTime,
    origQuoteOrderQty: fmt8(o.origQuoteOrderQty),
    selfTradePreventionMode: "EXPIRE_MAKER",
  };
  if (o.trailingDelta !== undefined) {
    json.trailingDelta = o.trailingDelta;
    json.trailingTime = o.trailingTime;
  }
  return json;
}

export function newOrderJson(o: Order, respType: string, fills: Trade[]): Record<string, unknown> {
  const ack = {
    symbol: o.symbol,
    orderId: o.orderId,
    orderListId: o.orderListId ?? -1,
    clientOrderId: o.clientOrderId,
    transactTime: o.time,
  };
  if (respType === "ACK") return ack;
  const result: Record<string, unknown> = {
    ...ack,
    price: fmt8(o.price),
    origQty: fmt8(o.origQty),
    executedQty: fmt8(o.executedQty),
    origQuoteOrderQty: fmt8(o.origQuoteOrderQty),
    cummulativeQuoteQty: fmt8(o.cumQuote),
    status: o.status,
    timeInForce: o.timeInForce,
    type: o.type,
    side: o.side,
    workingTime: o.workingTime,
    selfTradePreventionMode: "EXPIRE_MAKER",
  };
  if (o.stopPrice.gt(0)) result.stopPrice = fmt8(o.stopPrice);
  if (o.trailingDelta !== undefined) result.trailingDelta = o.trailingDelta;
  if (respType === "RESULT") return result;
  result.fills = fills.map((t) => ({
    price: fmt8(t.price),
    qty: fmt8(t.qty),
    commission: fmt8(t.commission),
    commissionAsset: t.commissionAsset,
    tradeId: t.id,
  }));
  return result;
}

export function tradeJson(t: Trade): Record<string, unknown> {
  return {
    symbol: t.symbol,
    id: t.id,
    orderId: t.orderId,
    orderListId: t.orderListId ?? -1,
    price: fmt8(t.price),
    qty: fmt8(t.qty),
    quoteQty: fmt8(t.quoteQty),
    commission: fmt8(t.commission),
    commissionAsset: t.commissionAsset,
    time: t.time,
    isBuyer: t.isBuyer,
    isMaker: t.isMaker,
    isBestMatch: true,
  };
}
