// How the backtest turns a strategy's intents into fills, with the paper venue's own rules: the
// order matcher (src/brokers/paper/order-matcher.ts) decides price and liquidity role, pricing.ts
// the slippage and tick rounding, feeOfNotional (feeFor's arithmetic) the fee. Nothing of the
// venue's arithmetic is copied.
//
// Timing (no look-ahead): an intent answered on the close of candle i is sized with that close
// (as the live runtime sizes an order with the last price), and executes at the OPEN of candle
// i+1 — the first price anyone could have traded at after seeing candle i close. A LIMIT intent
// that does not cross at that open rests (GTC, as on the venue) and fills at its limit price as a
// maker in a later part of the candle range that reaches it (low for a buy, high for a sell).
//
// What differs from the live paper venue, on purpose: no per-minute liquidity cap (a candle's
// volume of another timeframe says little about one minute), and the spot venue's guards are
// applied at execution — a buy is cut to the cash it can pay for including its fee, a sell to the
// position held (no short selling), and what ends below the minimum quantity is skipped.
import {
  type MatchableOrder,
  feeOfNotional,
  matchStep,
} from "../../brokers/paper/order-matcher.ts";
import { bpsToRate } from "../../brokers/pricing.ts";
import {
  Decimal,
  ONE,
  ZERO,
  compareDec,
  downByStep,
  downByStepOfQuotient,
  minDec,
} from "../../lib/decimal.ts";
import type { Candle } from "../../market/types.ts";
import type { StrategyIntent } from "../types.ts";
import type { IntegerFills } from "./integer-fills.ts";
import type { BacktestCosts, BacktestInstrument, SkippedIntent } from "./types.ts";

export interface PendingOrder {
  intent: StrategyIntent;
  side: "BUY" | "SELL";
  quantity: Decimal;
  limitPrice: Decimal | null;
  /** false until its first candle: that candle's open is its placement */
  placed: boolean;
  /** the order as the venue's matcher reads it, made on its first match (it never changes) */
  matchable?: MatchableOrder;
}

export interface Rates {
  taker: Decimal;
  maker: Decimal;
  slippage: Decimal;
  feeDecimals: number;
}

export function ratesOf(costs: BacktestCosts): Rates {
  return {
    taker: bpsToRate(costs.takerFeeBps),
    maker: bpsToRate(costs.makerFeeBps),
    slippage: bpsToRate(costs.slippageBps),
    feeDecimals: costs.feeDecimals,
  };
}

const downToLot = (q: Decimal, lot: Decimal) => (lot.isZero() ? q : downByStep(q, lot));

/**
 * downToLot(amount / price): what a buy of `amount` at `price` is on the lot grid, without the
 * 60-digit division where downByStepOfQuotient shows it is not needed (the same Decimal).
 */
const lotsFor = (amount: Decimal, price: Decimal, lot: Decimal) =>
  lot.isZero() ? amount.div(price) : downByStepOfQuotient(amount, price, lot);

/** x > 0, as `gt(0)` answers, without the Decimal it builds for its argument on every call */
const aboveZero = (x: Decimal): boolean => !x.isZero() && x.isPos();

/**
 * A percentage as a fraction (10 → 0.1), kept per Decimal: an entry's size is the same object on
 * every signal of a run. equity × (pct / 100) is the very Decimal (equity × pct) / 100 is: pct /
 * 100 is exact (the same digits, the exponent moved), and rounding the product to the
 * precision's significant digits does not depend on where the decimal point is.
 */
const fractions = new WeakMap<Decimal, Decimal>();
function fractionOf(pct: Decimal): Decimal {
  let fraction = fractions.get(pct);
  if (!fraction) {
    fraction = pct.div(100);
    fractions.set(pct, fraction);
  }
  return fraction;
}

/** What the strategy sees of its book when it decides (for sizing). */
export interface SizingContext {
  price: Decimal;
  position: Decimal;
  equity: Decimal;
  /** the run's integer lane while it is on (integer-fills.ts) */
  lane: IntegerFills | null;
}

/**
 * The order an intent becomes, sized at decision time, or why it cannot be one. Long-only spot:
 * "sell" and "close" reduce the position held; "buy" opens or adds.
 */
export function orderFor(
  intent: StrategyIntent,
  ctx: SizingContext,
  instrument: BacktestInstrument,
): PendingOrder | SkippedIntent["why"] {
  const side = intent.action === "buy" ? "BUY" : "SELL";
  if (intent.orderType === "LIMIT" && !(intent.limitPrice && intent.limitPrice.gt(0)))
    return "invalid";
  if (side === "SELL" && !aboveZero(ctx.position)) return "no-position";
  const size = intent.size;
  let quantity: Decimal;
  if (intent.action === "close" || size.kind === "all") {
    if (side === "BUY") return "invalid";
    quantity = ctx.position;
  } else if (size.kind === "quantity") quantity = size.value;
  else {
    const price = intent.orderType === "LIMIT" ? intent.limitPrice! : ctx.price;
    // a buy through the integer lane where it can size it (the same quantity)
    const lane = side === "BUY" ? ctx.lane : null;
    const laned = !lane
      ? null
      : size.kind === "quote"
        ? lane.lotsForQuote(size.value, price)
        : lane.lotsForEquityShare(fractionOf(size.value), price);
    if (laned) quantity = laned;
    else {
      const quote = size.kind === "quote" ? size.value : ctx.equity.mul(fractionOf(size.value));
      // a buy is on the lot grid at once (downToLot below hands it back as it is); a sell is
      // first capped at the position, then put on the grid
      quantity = side === "BUY" ? lotsFor(quote, price, instrument.lotSize) : quote.div(price);
    }
  }
  if (side === "SELL") quantity = minDec(quantity, ctx.position);
  quantity = downToLot(quantity, instrument.lotSize);
  if (!aboveZero(quantity) || compareDec(quantity, instrument.minQty) < 0) return "below-min-qty";
  return {
    intent,
    side,
    quantity,
    limitPrice: intent.orderType === "LIMIT" ? intent.limitPrice! : null,
    placed: false,
  };
}

export interface SimFill {
  quantity: Decimal;
  price: Decimal;
  fee: Decimal;
  liquidity: "MAKER" | "TAKER";
  /** quantity × price, computed once for the fee and the books */
  notional: Decimal;
}

function asMatchable(order: PendingOrder): MatchableOrder {
  return {
    side: order.side,
    type: order.limitPrice ? "LIMIT" : "MARKET",
    timeInForce: "GTC",
    status: "NEW",
    quantity: order.quantity,
    filledQuantity: ZERO,
    price: order.limitPrice,
    stopPrice: null,
    trailAmount: null,
    trailPercent: null,
    bestPrice: null,
    triggered: false,
    expiresAt: null,
  };
}

/**
 * One order against one candle: at its open when this is its first candle (placement, taker),
 * then resting against the part of the range that reaches its limit (maker). Null: no fill.
 */
export function matchOnCandle(
  order: PendingOrder,
  candle: Candle,
  instrument: BacktestInstrument,
  rates: Rates,
): SimFill | null {
  const placement = !order.placed;
  order.placed = true;
  // the placement step at the open, then (a limit order) resting against the range
  if (placement) {
    const fill = matchAt(order, candle, "placement", candle.open, instrument, rates);
    if (fill) return fill;
  }
  if (!order.limitPrice) return null;
  const resting = order.side === "BUY" ? candle.low : candle.high;
  return matchAt(order, candle, "resting", resting, instrument, rates);
}

/** One matching step at one price (bid = ask = last), and the fill's fee. */
function matchAt(
  order: PendingOrder,
  candle: Candle,
  phase: "placement" | "resting",
  price: Decimal,
  instrument: BacktestInstrument,
  rates: Rates,
): SimFill | null {
  const outcome = matchStep({
    order: (order.matchable ??= asMatchable(order)),
    market: { bid: price, ask: price, last: price },
    now: candle.openTime,
    phase,
    liquidity: order.quantity,
    tickSize: instrument.tickSize,
    lotSize: instrument.lotSize,
    slippageRate: rates.slippage,
  });
  if (!outcome.fill) return null;
  const { quantity, price: filled, liquidity } = outcome.fill;
  const rate = liquidity === "MAKER" ? rates.maker : rates.taker;
  // feeFor's very operations, its notional kept: the books need quantity × price too
  const notional = quantity.mul(filled);
  return {
    quantity,
    price: filled,
    liquidity,
    fee: feeOfNotional(notional, rate, rates.feeDecimals),
    notional,
  };
}

/**
 * A fill cut to what the book allows at execution: a buy to the cash it can pay for (its fee
 * included), a sell to the position. Null when nothing at or above the minimum quantity is left.
 */
export function affordable(
  fill: SimFill,
  side: "BUY" | "SELL",
  cash: Decimal,
  position: Decimal,
  instrument: BacktestInstrument,
  rates: Rates,
): SimFill | null {
  let quantity = fill.quantity;
  const rate = fill.liquidity === "MAKER" ? rates.maker : rates.taker;
  if (side === "SELL") quantity = minDec(quantity, position);
  else {
    if (compareDec(fill.notional.plus(fill.fee), cash) > 0) {
      // the fee is rounded up to feeDecimals: keep a margin of one unit of it
      const spendable = cash.minus(new Decimal(10).pow(-rates.feeDecimals));
      quantity = downToLot(spendable.div(fill.price.mul(ONE.plus(rate))), instrument.lotSize);
    }
  }
  if (!aboveZero(quantity) || compareDec(quantity, instrument.minQty) < 0) return null;
  if (compareDec(quantity, fill.quantity) === 0) return fill;
  const notional = quantity.mul(fill.price);
  return {
    quantity,
    price: fill.price,
    liquidity: fill.liquidity,
    fee: feeOfNotional(notional, rate, rates.feeDecimals),
    notional,
  };
}
