// One matching step of one paper order against the market: pure, so every rule of the simulated
// venue is visible here and unit-tested without a database.
//
// Rules, as a venue applies them:
// - an order whose expiresAt (DAY orders) has passed expires unfilled for the rest;
// - STOP / STOP_LIMIT trigger when the last price reaches the stop (buy: last ≥ stop, sell:
//   last ≤ stop) and then act as a market / limit order; TRAILING tracks the best last price
//   since placement (highest for a sell, lowest for a buy), its trigger level is that best price
//   minus (sell) or plus (buy) the trail amount or percent, and it acts as a market order once
//   the last price retraces to the level;
// - a market order (and a triggered STOP/TRAILING) takes the quote: buys at the ask, sells at the
//   bid, moved by slippage and rounded to the tick against the taker;
// - a limit order fills when the market crosses it (buy: ask ≤ limit, sell: bid ≥ limit): on the
//   step it becomes active (placement, or the trigger of a stop-limit) as a taker at the quote but
//   never beyond its limit, afterwards as a resting maker at its limit price;
// - each step fills at most the liquidity available to the account in this minute;
// - IOC fills what it can on its first active step and expires the rest; FOK fills entirely on
//   its first active step or expires unfilled (Binance reports EXPIRED for both); GTC and DAY rest.
import type { OrderSide, OrderStatus, OrderType, TimeInForce } from "../types.ts";
import {
  Decimal,
  ZERO,
  compareDec,
  downByStep,
  keepsPrecision,
  maxDec,
  minDec,
} from "../../lib/decimal.ts";
import { ceilToTick, floorToTick, takerPrice } from "../pricing.ts";

export type MatchPhase = "placement" | "resting";
export type Liquidity = "MAKER" | "TAKER";

export interface MatchableOrder {
  side: OrderSide;
  type: OrderType;
  timeInForce: TimeInForce;
  status: OrderStatus;
  quantity: Decimal;
  filledQuantity: Decimal;
  price: Decimal | null;
  stopPrice: Decimal | null;
  trailAmount: Decimal | null;
  trailPercent: Decimal | null;
  bestPrice: Decimal | null;
  triggered: boolean;
  expiresAt: Date | null;
}

export interface MarketSnapshot {
  bid: Decimal;
  ask: Decimal;
  last: Decimal;
}

export interface MatchInput {
  order: MatchableOrder;
  market: MarketSnapshot;
  now: Date;
  phase: MatchPhase;
  /** base quantity the account may still trade in this symbol this minute */
  liquidity: Decimal;
  tickSize: Decimal;
  lotSize: Decimal;
  slippageRate: Decimal;
}

export interface MatchFill {
  quantity: Decimal;
  price: Decimal;
  liquidity: Liquidity;
}

export interface MatchOutcome {
  fill: MatchFill | null;
  status: OrderStatus;
  triggered: boolean;
  bestPrice: Decimal | null;
  /** the stop, or a trailing stop's current trigger level */
  stopPrice: Decimal | null;
  /** why the order ended without filling completely ("expired-day", "expired-ioc", ...) */
  reason: string | null;
}

const STOP_TYPES: readonly OrderType[] = ["STOP", "STOP_LIMIT", "TRAILING"];
const OPEN: readonly OrderStatus[] = ["NEW", "PARTIALLY_FILLED"];

export function isStopType(type: OrderType): boolean {
  return STOP_TYPES.includes(type);
}

/** The best last price since placement, from a trailing stop's point of view. */
export function trackBest(side: OrderSide, best: Decimal | null, last: Decimal): Decimal {
  if (best === null) return last;
  return side === "SELL" ? maxDec(best, last) : minDec(best, last);
}

/** A trailing stop's trigger level: the best price moved back by the trail, on the tick grid. */
export function trailingLevel(
  order: { side: OrderSide; trailAmount?: Decimal | null; trailPercent?: Decimal | null },
  best: Decimal,
  tick: Decimal,
): Decimal {
  const distance = order.trailAmount ?? best.mul(order.trailPercent ?? ZERO).div(100);
  // the level sits a full trail away: rounded down for a sell, up for a buy
  return order.side === "SELL"
    ? floorToTick(best.minus(distance), tick)
    : ceilToTick(best.plus(distance), tick);
}

function reached(side: OrderSide, last: Decimal, stop: Decimal): boolean {
  return side === "BUY" ? last.gte(stop) : last.lte(stop);
}

/**
 * An outcome without a fill. A module function, not a closure made per step: the app runs under
 * tsx, whose keepNames names every closure it creates with a call of its own, and a backtest
 * steps thousands of orders.
 */
function noFill(
  status: OrderStatus,
  triggered: boolean,
  bestPrice: Decimal | null,
  stopPrice: Decimal | null,
  reason: string | null,
): MatchOutcome {
  return { fill: null, status, triggered, bestPrice, stopPrice, reason };
}

// Comparisons go through compareDec (a.cmp(b) without the copy decimal.js makes of b).
export function matchStep(input: MatchInput): MatchOutcome {
  const { order, market } = input;
  let triggered = order.triggered;
  let bestPrice = order.bestPrice;
  let stopPrice = order.stopPrice;
  if (!OPEN.includes(order.status))
    return noFill(order.status, triggered, bestPrice, stopPrice, null);
  if (order.expiresAt && input.now.getTime() >= order.expiresAt.getTime()) {
    return noFill("EXPIRED", triggered, bestPrice, stopPrice, "expired-day");
  }

  // Is the order live on the book this step, and is this the step it became live?
  let activatedNow = input.phase === "placement";
  if (isStopType(order.type)) {
    if (!triggered) {
      if (order.type === "TRAILING") {
        bestPrice = trackBest(order.side, bestPrice, market.last);
        stopPrice = trailingLevel(order, bestPrice, input.tickSize);
      }
      if (stopPrice === null || !reached(order.side, market.last, stopPrice))
        return noFill(order.status, triggered, bestPrice, stopPrice, null);
      triggered = true;
      activatedNow = true;
    } else activatedNow = false;
  }
  const immediate = order.timeInForce === "IOC" || order.timeInForce === "FOK";
  // an IOC/FOK order is judged on its first active step, even if placement could not match it
  const taker = activatedNow || immediate;

  // an order not filled yet (nearly always): quantity − 0 and 0 + fill are the operands
  // themselves (keepsPrecision), the zero being skipped rather than added
  const unfilled = order.filledQuantity.isZero();
  const remaining =
    unfilled && !order.quantity.isZero() && keepsPrecision(order.quantity)
      ? order.quantity
      : order.quantity.minus(order.filledQuantity);
  const limit = order.type === "LIMIT" || order.type === "STOP_LIMIT" ? order.price : null;
  const quotePrice = takerPrice(order.side, market, input.slippageRate, input.tickSize);
  let price: Decimal | null;
  if (limit === null) price = quotePrice;
  else {
    const crossing =
      order.side === "BUY"
        ? compareDec(market.ask, limit) <= 0
        : compareDec(market.bid, limit) >= 0;
    if (!crossing) price = null;
    else if (taker)
      price = order.side === "BUY" ? minDec(quotePrice, limit) : maxDec(quotePrice, limit);
    else price = limit;
  }
  const available = maxDec(downByStep(input.liquidity, input.lotSize), ZERO);
  const quantity = price === null ? ZERO : minDec(remaining, available);

  if (order.timeInForce === "FOK" && compareDec(quantity, remaining) < 0) {
    return noFill("EXPIRED", triggered, bestPrice, stopPrice, "expired-fok");
  }
  // only compared below, where a zero's sign does not count
  const filledAfter =
    unfilled && keepsPrecision(quantity) ? quantity : order.filledQuantity.plus(quantity);
  let status: OrderStatus =
    compareDec(filledAfter, order.quantity) === 0
      ? "FILLED"
      : compareDec(filledAfter, ZERO) > 0
        ? "PARTIALLY_FILLED"
        : "NEW";
  let reason: string | null = null;
  if (immediate && status !== "FILLED") {
    status = "EXPIRED";
    reason = "expired-ioc";
  }
  return {
    fill:
      price !== null && compareDec(quantity, ZERO) > 0
        ? { quantity, price, liquidity: taker || limit === null ? "TAKER" : "MAKER" }
        : null,
    status,
    triggered,
    bestPrice,
    stopPrice,
    reason,
  };
}

/** The fee of a fill: notional × rate, rounded up to the venue's fee precision. */
export function feeFor(
  quantity: Decimal,
  price: Decimal,
  rate: Decimal,
  decimals: number,
): Decimal {
  return feeOfNotional(quantity.mul(price), rate, decimals);
}

/** feeFor from the fill's notional (quantity × price), for a caller that has it already. */
export function feeOfNotional(notional: Decimal, rate: Decimal, decimals: number): Decimal {
  return notional.mul(rate).toDecimalPlaces(decimals, Decimal.ROUND_UP);
}
