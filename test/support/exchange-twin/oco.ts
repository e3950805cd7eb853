// Binance's one-cancels-the-other order list (POST /api/v3/orderList/oco): one LIMIT_MAKER leg
// and one STOP_LOSS(_LIMIT) leg for the same quantity, holding the balance ONCE for the pair.
// When one leg starts to execute (the stop triggers, the limit fills, even partly) the other is
// canceled at that instant; canceling either leg cancels the list. The balance the pair holds
// is carried by the leg that acts, so nothing is ever held or released twice.
import { Decimal } from "../../../src/lib/decimal.ts";
import { BinanceError, errors } from "./errors.ts";
import { type Order, type OrderBook, orderJson, randomClientId } from "./orders.ts";

const ZERO = new Decimal(0);

interface OrderList {
  orderListId: number;
  listClientOrderId: string;
  symbol: string;
  legs: Order[];
  transactionTime: number;
  status: "EXECUTING" | "ALL_DONE";
}

const lists = new WeakMap<OrderBook, OrderList[]>();

function listsOf(book: OrderBook): OrderList[] {
  let l = lists.get(book);
  if (!l) {
    l = [];
    lists.set(book, l);
    book.contingency = {
      activated: (order, now) => endSibling(book, order, now),
      canceled: (order, now) => endSibling(book, order, now),
    };
  }
  return l;
}

let nextListId = 9_100_001;

/** Moves what the sibling holds onto `order` and cancels the sibling: the list is done. */
function endSibling(book: OrderBook, order: Order, now: number): void {
  const list = listsOf(book).find((l) => l.orderListId === order.orderListId);
  if (!list) return;
  for (const other of list.legs) {
    if (other === order) continue;
    if (other.status === "NEW" || other.status === "PARTIALLY_FILLED") {
      order.lockedAmount = order.lockedAmount.plus(other.lockedAmount);
      other.lockedAmount = ZERO;
      other.status = "CANCELED";
      other.updateTime = now;
    }
  }
  list.status = "ALL_DONE";
}

const relationError = () =>
  new BinanceError(400, -2010, "The relationship of the prices for the orders is not correct.");

/** The handler of POST /api/v3/orderList/oco. */
export function newOcoList(book: OrderBook, account: string, p: URLSearchParams): unknown {
  const get = (k: string): string | undefined => p.get(k) ?? undefined;
  const symbol = get("symbol");
  const m = book.market(symbol);
  const side = get("side");
  if (!side) throw errors.mandatory("side");
  if (side !== "BUY" && side !== "SELL") throw errors.badSide();
  for (const k of ["quantity", "aboveType", "belowType"]) if (!get(k)) throw errors.mandatory(k);
  const leg = (pos: "above" | "below") => ({
    symbol: m.spec.symbol,
    side,
    type: get(`${pos}Type`)!,
    quantity: get("quantity"),
    price: get(`${pos}Price`),
    stopPrice: get(`${pos}StopPrice`),
    timeInForce: get(`${pos}TimeInForce`),
    newClientOrderId: get(`${pos}ClientOrderId`) || randomClientId(""),
  });
  const above = leg("above");
  const below = leg("below");
  // SELL: the take-profit (LIMIT_MAKER) above, the stop-loss below; BUY the other way round
  const [limitLeg, stopLeg] = side === "SELL" ? [above, below] : [below, above];
  if (limitLeg.type !== "LIMIT_MAKER") throw errors.badOrderType();
  if (stopLeg.type !== "STOP_LOSS" && stopLeg.type !== "STOP_LOSS_LIMIT")
    throw errors.badOrderType();
  if (!limitLeg.price) throw errors.mandatory(`${side === "SELL" ? "above" : "below"}Price`);
  if (!stopLeg.stopPrice) throw errors.mandatory(`${side === "SELL" ? "below" : "above"}StopPrice`);
  const limitPrice = new Decimal(limitLeg.price);
  const stopPrice = new Decimal(stopLeg.stopPrice);
  const ok =
    side === "SELL"
      ? limitPrice.gt(m.last) && m.last.gt(stopPrice)
      : limitPrice.lt(m.last) && m.last.lt(stopPrice);
  if (!ok) throw relationError();
  const listClientOrderId = get("listClientOrderId") || randomClientId("");
  const all = listsOf(book);
  if (
    all.some(
      (l) =>
        l.symbol === m.spec.symbol &&
        l.listClientOrderId === listClientOrderId &&
        l.status === "EXECUTING" &&
        l.legs[0]!.account === account,
    )
  )
    throw new BinanceError(400, -2010, "Order list's listClientOrderId is already in use.");

  // both legs validated (filters, balance for ONE leg, duplicates) before either is placed
  const stopFirst = [stopLeg, limitLeg];
  for (const l of stopFirst) book.create(account, l, false, true);
  const orderListId = nextListId++;
  const asset = side === "SELL" ? m.spec.baseAsset : m.spec.quoteAsset;
  const b = book.balance(book.account(account), asset);
  const placed: Order[] = [];
  for (const l of stopFirst) {
    // what an earlier leg holds is the pair's: released before the next leg takes it, so the
    // pair needs the balance once and the last leg placed carries it
    const prev = placed.at(-1);
    if (prev) {
      b.locked = b.locked.minus(prev.lockedAmount);
      b.free = b.free.plus(prev.lockedAmount);
      prev.lockedAmount = ZERO;
    }
    const order = book.create(account, l, false, false);
    order.orderListId = orderListId;
    placed.push(order);
  }
  const first = placed[0]!;
  const list: OrderList = {
    orderListId,
    listClientOrderId,
    symbol: m.spec.symbol,
    legs: placed,
    transactionTime: first.time,
    status: "EXECUTING",
  };
  all.push(list);
  return {
    orderListId,
    contingencyType: "OCO",
    listStatusType: "EXEC_STARTED",
    listOrderStatus: "EXECUTING",
    listClientOrderId,
    transactionTime: list.transactionTime,
    symbol: m.spec.symbol,
    orders: placed.map((o) => ({
      symbol: o.symbol,
      orderId: o.orderId,
      clientOrderId: o.clientOrderId,
    })),
    orderReports: placed.map((o) => orderJson(o)),
  };
}
