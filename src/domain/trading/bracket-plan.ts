// An entry's take-profit and stop-loss, resolved from what the user gave (a price, or a percent
// away from the entry price) into prices on the tick grid, checked to sit on the right sides of
// the entry — above and below it for a buy, mirrored for a sell — with what each exit would
// make or lose: the price move times the quantity, less the entry's fee and the exit's.
import { ceilToTick, floorToTick } from "../../brokers/pricing.ts";
import type { CostModel } from "../../brokers/types.ts";
import { type Decimal, ONE } from "../../lib/decimal.ts";
import { checkBound } from "../bounds.ts";
import { ValidationError } from "../errors.ts";
import type { BracketLevel, BracketRequest } from "../orders/bracket-types.ts";
import type { NormalizedOrder } from "../orders/order-types.ts";
import type { OrderEstimate } from "./order-estimate.ts";

export interface ResolvedBracket {
  /** the entry price the levels are measured from */
  entryPrice: Decimal;
  takeProfit: Decimal | null;
  stopLoss: Decimal | null;
  /** expected PnL if the whole quantity exits at the take-profit / the stop-loss, fees included */
  takeProfitPnl: Decimal | null;
  stopLossPnl: Decimal | null;
}

function level(
  given: BracketLevel | null | undefined,
  field: "takeProfit" | "stopLoss",
  entry: Decimal,
  /** +1: the level lies above the entry, −1: below */
  direction: 1 | -1,
  tickSize: Decimal,
): Decimal | null {
  if (!given || (!given.price && !given.percent)) return null;
  if (given.percent) {
    const pct = checkBound(field, given.percent, "percent");
    if (!pct.gt(0) || (direction < 0 && !pct.lt(100)))
      throw new ValidationError(field, "error-bracket-percent", { value: pct.toFixed() });
    const raw = entry.mul(ONE.plus(pct.div(100).mul(direction)));
    // rounded away from the entry, so a small percent never lands on the entry itself
    return direction > 0 ? ceilToTick(raw, tickSize) : floorToTick(raw, tickSize);
  }
  const price = checkBound(field, given.price!, "price");
  if (!price.gt(0))
    throw new ValidationError(field, "error-must-be-positive", { value: price.toFixed() });
  return price;
}

export function resolveBracket(
  request: BracketRequest | null | undefined,
  order: NormalizedOrder,
  estimate: OrderEstimate,
  cost: CostModel,
  tickSize: Decimal,
): ResolvedBracket | null {
  if (!request) return null;
  // what the entry is expected to fill at: its limit, else its trigger, else the estimate
  const entry = order.price ?? order.stopPrice ?? estimate.price;
  const up: 1 | -1 = order.side === "BUY" ? 1 : -1;
  const takeProfit = level(request.takeProfit, "takeProfit", entry, up, tickSize);
  const stopLoss = level(request.stopLoss, "stopLoss", entry, up === 1 ? -1 : 1, tickSize);
  if (!takeProfit && !stopLoss) return null;
  const params = (p: Decimal) => ({
    price: p.toFixed(),
    entry: entry.toFixed(),
    side: order.side,
  });
  if (takeProfit && (up > 0 ? !takeProfit.gt(entry) : !takeProfit.lt(entry)))
    throw new ValidationError(
      "takeProfit",
      up > 0 ? "error-bracket-tp-below-entry" : "error-bracket-tp-above-entry",
      params(takeProfit),
    );
  if (stopLoss && (up > 0 ? !stopLoss.lt(entry) : !stopLoss.gt(entry)))
    throw new ValidationError(
      "stopLoss",
      up > 0 ? "error-bracket-sl-above-entry" : "error-bracket-sl-below-entry",
      params(stopLoss),
    );
  const pnl = (exit: Decimal | null, exitFeeRate: Decimal) =>
    exit
      ? exit
          .minus(entry)
          .mul(order.quantity)
          .mul(up)
          .minus(estimate.fee)
          .minus(exit.mul(order.quantity).mul(exitFeeRate))
      : null;
  return {
    entryPrice: entry,
    takeProfit,
    stopLoss,
    // the take-profit rests (maker), the stop-loss takes liquidity when triggered (taker)
    takeProfitPnl: pnl(takeProfit, cost.makerFeeRate),
    stopLossPnl: pnl(stopLoss, cost.takerFeeRate),
  };
}
