// Execution price arithmetic shared by the paper venue and the domain's estimates: slippage
// against the taker, and rounding to the tick in the direction that never flatters the taker.
import { Decimal, ONE, bracketByStep, maxDec } from "../lib/decimal.ts";
import type { OrderSide } from "./types.ts";

/** Basis points in one. */
export const BPS = new Decimal(10_000);

/** Basis points as a fraction: 10 → 0.001. */
export function bpsToRate(bps: Decimal): Decimal {
  return bps.div(BPS);
}

/** Up to the next tick (buys pay at least this much). */
export function ceilToTick(price: Decimal, tick: Decimal): Decimal {
  return tick.isZero() ? price : bracketByStep(price, tick).up;
}

/** Down to the tick below, but never below one tick (sells get at most this much). */
export function floorToTick(price: Decimal, tick: Decimal): Decimal {
  return tick.isZero() ? price : maxDec(bracketByStep(price, tick).down, tick);
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
  const raw =
    side === "BUY" ? quote.ask.mul(ONE.plus(slippageRate)) : quote.bid.mul(ONE.minus(slippageRate));
  return roundAgainstTaker(side, raw, tick);
}

/** A price moved by slippage against the taker (stop orders execute around their stop). */
export function slipped(
  side: OrderSide,
  price: Decimal,
  slippageRate: Decimal,
  tick: Decimal,
): Decimal {
  const raw =
    side === "BUY" ? price.mul(ONE.plus(slippageRate)) : price.mul(ONE.minus(slippageRate));
  return roundAgainstTaker(side, raw, tick);
}
