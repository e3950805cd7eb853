// What an order is expected to cost before it is placed: the execution price (the quote side a
// taker trades at, with slippage; a limit's own price when it would rest), notional, fee and the
// cash it takes or gives. The same estimate values open buy orders when paper cash is reserved.
import { ceilToTick, floorToTick, slipped, takerPrice } from "../../brokers/pricing.ts";
import type { CostModel } from "../../brokers/types.ts";
import type { OrderSide, OrderType } from "../../db/generated/sqlite/enums.ts";
import { type Decimal, maxDec, minDec } from "../../lib/decimal.ts";
import type { Quote } from "../../market/types.ts";

export interface EstimateInput {
  side: OrderSide;
  type: OrderType;
  quantity: Decimal;
  price: Decimal | null;
  stopPrice: Decimal | null;
  /** a trailing stop's distance: an amount in the quote currency, or a percent of the price */
  trailAmount?: Decimal | null;
  trailPercent?: Decimal | null;
}

/**
 * Where a trailing stop would trigger if the price turned now: a full trail away from the last
 * price (below it for a sell, above for a buy), on the tick grid, as the venue tracks it.
 */
export function trailingTrigger(
  order: Pick<EstimateInput, "side" | "trailAmount" | "trailPercent">,
  last: Decimal,
  tickSize: Decimal,
): Decimal | null {
  const distance =
    order.trailAmount ?? (order.trailPercent ? last.mul(order.trailPercent).div(100) : null);
  if (!distance) return null;
  return order.side === "SELL"
    ? floorToTick(last.minus(distance), tickSize)
    : ceilToTick(last.plus(distance), tickSize);
}

export interface OrderEstimate {
  quote: Quote;
  /** the price the order is expected to execute at */
  price: Decimal;
  quantity: Decimal;
  notional: Decimal;
  fee: Decimal;
  feeRate: Decimal;
  /** fees are charged in the instrument's quote currency */
  currency: string;
  /** buys: notional + fee (cash spent); sells: notional − fee (cash received) */
  total: Decimal;
  /** expected to execute on placement (market, marketable limit) rather than rest or wait */
  immediate: boolean;
  /** a trailing stop's trigger level if the price turned now (null for other types) */
  trigger: Decimal | null;
}

export function estimateExecution(
  order: EstimateInput,
  quote: Quote,
  cost: CostModel,
  tickSize: Decimal,
  currency: string,
): OrderEstimate {
  const atQuote = takerPrice(order.side, quote, cost.slippageRate, tickSize);
  let price: Decimal;
  let immediate = false;
  let maker = false;
  let trigger: Decimal | null = null;
  switch (order.type) {
    case "MARKET":
      price = atQuote;
      immediate = true;
      break;
    case "TRAILING": {
      // it executes when the price turns by the trail: at the trigger, slipped, not at today's quote
      trigger = trailingTrigger(order, quote.last, tickSize);
      price = trigger ? slipped(order.side, trigger, cost.slippageRate, tickSize) : atQuote;
      break;
    }
    case "STOP":
      price = slipped(order.side, order.stopPrice ?? quote.last, cost.slippageRate, tickSize);
      break;
    case "STOP_LIMIT":
      price = order.price ?? atQuote;
      break;
    case "LIMIT": {
      const limit = order.price ?? atQuote;
      immediate = order.side === "BUY" ? quote.ask.lte(limit) : quote.bid.gte(limit);
      maker = !immediate;
      price = immediate
        ? order.side === "BUY"
          ? minDec(atQuote, limit)
          : maxDec(atQuote, limit)
        : limit;
      break;
    }
  }
  const notional = order.quantity.mul(price);
  const feeRate = maker ? cost.makerFeeRate : cost.takerFeeRate;
  const fee = notional.mul(feeRate);
  return {
    quote,
    price,
    quantity: order.quantity,
    notional,
    fee,
    feeRate,
    currency,
    total: order.side === "BUY" ? notional.plus(fee) : notional.minus(fee),
    immediate,
    trigger,
  };
}
