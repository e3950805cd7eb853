// Execution price arithmetic shared by the paper venue and the domain's estimates: slippage
// against the taker, and rounding to the tick in the direction that never flatters the taker.
import { Decimal, ONE, downByStep, maxDec, upByStep } from "../lib/decimal.ts";
import type { OrderSide } from "./types.ts";

/** Basis points in one. */
export const BPS = new Decimal(10_000);

/** Basis points as a fraction: 10 → 0.001. */
export function bpsToRate(bps: Decimal): Decimal {
  return bps.div(BPS);
}

// The tick roundings take the one multiple they need (upByStep / downByStep: bracketByStep's up
// and down, each without computing the other).

/** Up to the next tick (buys pay at least this much). */
export function ceilToTick(price: Decimal, tick: Decimal): Decimal {
  return tick.isZero() ? price : upByStep(price, tick);
}

/** Down to the tick below, but never below one tick (sells get at most this much). */
export function floorToTick(price: Decimal, tick: Decimal): Decimal {
  return tick.isZero() ? price : maxDec(downByStep(price, tick), tick);
}

/**
 * 1 + rate and 1 − rate per rate Decimal: a venue's slippage rate is the same object on every
 * fill, and the sums are the same Decimals whenever they are computed.
 */
const slipFactors = new WeakMap<Decimal, { up: Decimal; down: Decimal }>();
function slipFactorsOf(rate: Decimal): { up: Decimal; down: Decimal } {
  let factors = slipFactors.get(rate);
  if (!factors) {
    factors = { up: ONE.plus(rate), down: ONE.minus(rate) };
    slipFactors.set(rate, factors);
  }
  return factors;
}

/** Rounds against the taker: up for buys, down for sells. */
export function roundAgainstTaker(side: OrderSide, price: Decimal, tick: Decimal): Decimal {
  return side === "BUY" ? ceilToTick(price, tick) : floorToTick(price, tick);
}

/** The quote side a taker trades at, moved by slippage and rounded against the taker. */
export function takerPrice(
  side: OrderSide,
  quote: { bid: Decimal; ask: Decimal },
  slippageRate: Decimal,
  tick: Decimal,
): Decimal {
  const factors = slipFactorsOf(slippageRate);
  const raw = side === "BUY" ? quote.ask.mul(factors.up) : quote.bid.mul(factors.down);
  return roundAgainstTaker(side, raw, tick);
}

/** A price moved by slippage against the taker (stop orders execute around their stop). */
export function slipped(
  side: OrderSide,
  price: Decimal,
  slippageRate: Decimal,
  tick: Decimal,
): Decimal {
  const factors = slipFactorsOf(slippageRate);
  const raw = side === "BUY" ? price.mul(factors.up) : price.mul(factors.down);
  return roundAgainstTaker(side, raw, tick);
}
