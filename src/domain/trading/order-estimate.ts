// What an order is expected to cost before it is placed: the execution price (the quote side a
// taker trades at, with slippage; a limit's own price when it would rest), notional, fee and the
// cash it takes or gives. The same estimate values open buy orders when paper cash is reserved.
import { slipped, takerPrice } from "../../brokers/pricing.ts";
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
  switch (order.type) {
    case "MARKET":
      price = atQuote;
      immediate = true;
      break;
    case "TRAILING":
      price = atQuote;
      break;
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
  };
}
