// Stop-loss and take-profit, shared by the kinds that hold one position (ma-cross, rules): checked
// against each closed candle's close, relative to the entry price. The close is what a strategy
// evaluated at the candle's close can act on; the order is a market sell of the whole position.
import type { Decimal } from "../../lib/decimal.ts";
import type { StrategyIntent, StrategyPosition } from "../types.ts";
import { decimalOf, isLong } from "./fields.ts";

export interface ExitLevels {
  stopLossPct?: Decimal | undefined;
  takeProfitPct?: Decimal | undefined;
}

/**
 * The price the open long was entered at: the position's average when the runtime knows it,
 * otherwise what the strategy remembered (the close it bought at, or the fill it was told), as
 * its persisted text or, in an evaluator's working state, as the Decimal itself.
 */
export function entryPriceOf(
  position: StrategyPosition,
  remembered: Decimal | string | null,
): Decimal | null {
  if (!isLong(position.quantity)) return null;
  return (
    position.averagePrice ?? (typeof remembered === "string" ? decimalOf(remembered) : remembered)
  );
}

// not a closure inside protectiveExit: see running-averages.ts on closures made per candle
function sell(reason: string): StrategyIntent {
  return { id: "exit", action: "sell", size: { kind: "all" }, orderType: "MARKET", reason };
}

/** A sell-all intent when the close reached the stop or the target, else null. */
export function protectiveExit(
  levels: ExitLevels,
  entry: Decimal | null,
  close: Decimal,
): StrategyIntent | null {
  if (entry === null) return null;
  if (levels.stopLossPct && close.lte(entry.mul(levels.stopLossPct.neg().div(100).add(1))))
    return sell("stop-loss");
  if (levels.takeProfitPct && close.gte(entry.mul(levels.takeProfitPct.div(100).add(1))))
    return sell("take-profit");
  return null;
}

/**
 * protectiveExit for an open position: the entry price is looked up only when there is a stop
 * or a target to measure from (reading a position's average can cost a division, see
 * backtest/book.ts; most strategies have neither).
 */
export function positionExit(
  levels: ExitLevels,
  position: StrategyPosition,
  remembered: Decimal | string | null,
  close: Decimal,
): StrategyIntent | null {
  if (!levels.stopLossPct && !levels.takeProfitPct) return null;
  return protectiveExit(levels, entryPriceOf(position, remembered), close);
}
