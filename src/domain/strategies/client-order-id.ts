// The clientOrderId of a strategy's order, derived from what makes it unique: the instance, the
// symbol, the open time of the candle it answered and the intent's name. Evaluating the same
// candle again (after a crash between placing the order and saving the strategy's state) yields
// the same id, which the orders table holds unique: the second placement never happens.
import { createHash } from "node:crypto";

/** "st-" + 32 hex digits: 35 characters, inside the 36 an order's clientOrderId may have. */
export function strategyClientOrderId(
  instanceId: number,
  symbol: string,
  candleOpenTime: Date,
  intentId: string,
): string {
  const digest = createHash("sha256")
    .update(`${instanceId}|${symbol}|${candleOpenTime.toISOString()}|${intentId}`)
    .digest("hex");
  return `st-${digest.slice(0, 32)}`;
}
