// A strategy intent as an order request: the side from the action and the position, the size
// converted to a quantity on the instrument's lot grid, all in Decimal. Sizes in quote currency
// or equity percent go through TradingService.quantityForCash for market orders (the quote, fee
// and slippage the order will meet) and divide by the limit price for limit orders.
import { type Decimal, bracketByStep, minDec } from "../../lib/decimal.ts";
import type { StrategyIntent, StrategyPosition } from "../../strategies/types.ts";
import type { OrderRequest } from "../orders/order-types.ts";
import type { PortfolioView } from "../portfolios/portfolio-service.ts";
import type { TradingService } from "../trading/trading-service.ts";
import type { Actor } from "../users/actor.ts";

export interface IntentTarget {
  actor: Actor;
  portfolioId: number;
  symbol: string;
  lotSize: Decimal;
  position: StrategyPosition;
  /** portfolio equity in the instrument's currency (for equity-pct sizes) */
  equity: Decimal;
  strategyId: number;
  clientOrderId: string;
  /** the portfolio as the runtime read it (owner checked): quantityForCash does not read it again */
  portfolio?: PortfolioView;
}

export function intentSide(
  intent: StrategyIntent,
  position: StrategyPosition,
): "BUY" | "SELL" | null {
  if (intent.action === "buy") return "BUY";
  if (intent.action === "sell") return "SELL";
  if (position.quantity.isZero()) return null;
  return position.quantity.gt(0) ? "SELL" : "BUY";
}

/** The order for an intent, or null when there is nothing to trade (flat, or below one lot). */
export async function intentOrder(
  trading: Pick<TradingService, "quantityForCash">,
  intent: StrategyIntent,
  target: IntentTarget,
): Promise<OrderRequest | null> {
  const side = intentSide(intent, target.position);
  if (!side) return null;
  const held = target.position.quantity.abs();
  const size = intent.size;
  let quantity: Decimal;
  if (size.kind === "all") {
    quantity = held;
  } else if (size.kind === "quantity") {
    quantity = size.value;
  } else {
    const amount = size.kind === "quote" ? size.value : target.equity.mul(size.value).div(100);
    if (!amount.gt(0)) return null;
    quantity =
      intent.orderType === "LIMIT" && intent.limitPrice
        ? amount.div(intent.limitPrice)
        : (
            await trading.quantityForCash(
              target.actor,
              target.portfolioId,
              target.symbol,
              amount,
              side,
              target.portfolio,
            )
          ).quantity;
  }
  // a close never trades more than the position it closes
  if (intent.action === "close") quantity = minDec(quantity, held);
  quantity = bracketByStep(quantity, target.lotSize).down;
  if (!quantity.gt(0)) return null;
  return {
    portfolioId: target.portfolioId,
    symbol: target.symbol,
    side,
    type: intent.orderType,
    quantity,
    price: intent.orderType === "LIMIT" ? (intent.limitPrice ?? null) : null,
    strategyId: target.strategyId,
    clientOrderId: target.clientOrderId,
  };
}
