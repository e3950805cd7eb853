// A stored order as the request sent to its broker: the same request every time, so a resubmit
// after an outage is recognised by the broker as the same order (clientOrderId).
import type { PlaceOrderRequest } from "../../brokers/types.ts";
import type { OrderView } from "../orders/order-types.ts";

export function toPlaceOrderRequest(order: OrderView): PlaceOrderRequest {
  return {
    clientOrderId: order.clientOrderId,
    symbol: order.symbol,
    side: order.side,
    type: order.type,
    timeInForce: order.timeInForce,
    quantity: order.quantity,
    price: order.price,
    stopPrice: order.stopPrice,
    trailAmount: order.trailAmount,
    trailPercent: order.trailPercent,
    expiresAt: order.expiresAt,
  };
}
