// The position calculator: pure functions, no database (kept apart from persistence so the
// materialized positions, the recompute audit and the replay tool share exactly one definition).
//
// Rules (DESIGN.md §2):
// - quantity is signed: long > 0, short < 0, flat = 0 (and a flat position's average is 0);
// - a fill in the direction of the position (or opening one) moves the weighted average cost;
// - a fill against it realizes (fill price − average) × closed quantity × sign(position);
// - a fill that crosses zero closes the old side and opens the new one at the fill price;
// - fees accumulate in their own field (quote currency) and never move the average, so realized
//   PnL is gross and net = realized − fees.
// Averages and realized PnL are rounded to the storage scale after each fill, the same way
// everywhere, so a recompute from trades reproduces the materialized row digit for digit.
import { type Decimal, ZERO, minDec, roundForStorage } from "../../lib/decimal.ts";

export type Side = "BUY" | "SELL";

export interface PositionState {
  quantity: Decimal;
  avgPrice: Decimal;
  realizedPnl: Decimal;
  fees: Decimal;
}

export interface FillInput {
  side: Side;
  quantity: Decimal;
  price: Decimal;
  fee: Decimal;
}

export interface FillEffect {
  next: PositionState;
  /** PnL realized by this fill (gross of its fee) */
  realized: Decimal;
  /** true when this fill brought the position from flat to open, or across zero */
  opened: boolean;
  /** true when this fill left the position flat */
  closed: boolean;
}

export const FLAT: PositionState = Object.freeze({
  quantity: ZERO,
  avgPrice: ZERO,
  realizedPnl: ZERO,
  fees: ZERO,
});

export function signedQuantity(side: Side, quantity: Decimal): Decimal {
  return side === "BUY" ? quantity : quantity.neg();
}

export function applyFill(state: PositionState, fill: FillInput): FillEffect {
  if (!fill.quantity.gt(0)) throw new RangeError("fill quantity must be positive");
  if (!fill.price.gt(0)) throw new RangeError("fill price must be positive");
  if (fill.fee.isNeg()) throw new RangeError("fill fee must not be negative");

  const delta = signedQuantity(fill.side, fill.quantity);
  const qty = state.quantity;
  const fees = state.fees.plus(fill.fee);

  // Opening from flat, or adding in the same direction: weighted average cost.
  if (qty.isZero() || qty.isNeg() === delta.isNeg()) {
    const nextQty = qty.plus(delta);
    const cost = qty.abs().mul(state.avgPrice).plus(fill.quantity.mul(fill.price));
    return {
      next: {
        quantity: nextQty,
        avgPrice: roundForStorage(cost.div(nextQty.abs())),
        realizedPnl: state.realizedPnl,
        fees,
      },
      realized: ZERO,
      opened: qty.isZero(),
      closed: false,
    };
  }

  // Reducing, closing or crossing: realize against the average on the closed part.
  const closedQty = minDec(qty.abs(), fill.quantity);
  const direction = qty.isNeg() ? -1 : 1;
  const realized = roundForStorage(fill.price.minus(state.avgPrice).mul(closedQty).mul(direction));
  const nextQty = qty.plus(delta);
  let avgPrice: Decimal;
  if (nextQty.isZero()) avgPrice = ZERO;
  else if (nextQty.isNeg() === qty.isNeg()) avgPrice = state.avgPrice;
  else avgPrice = fill.price; // crossed zero: the remainder opens at the fill price
  return {
    next: {
      quantity: nextQty,
      avgPrice,
      realizedPnl: state.realizedPnl.plus(realized),
      fees,
    },
    realized,
    opened: !nextQty.isZero() && nextQty.isNeg() !== qty.isNeg(),
    closed: nextQty.isZero(),
  };
}

/** Folds fills in order from flat: the recompute used by audits and the replay tool. */
export function replayFills(fills: Iterable<FillInput>): PositionState {
  let state = FLAT;
  for (const fill of fills) state = applyFill(state, fill).next;
  return state;
}

export function samePosition(a: PositionState, b: PositionState): boolean {
  return (
    a.quantity.eq(b.quantity) &&
    a.avgPrice.eq(b.avgPrice) &&
    a.realizedPnl.eq(b.realizedPnl) &&
    a.fees.eq(b.fees)
  );
}

/** Unrealized PnL at a mark price: (mark − average) × quantity (sign included). */
export function unrealizedPnl(state: PositionState, mark: Decimal): Decimal {
  return mark.minus(state.avgPrice).mul(state.quantity);
}
