// One-cancels-the-other groups as venues see them. The domain emulates OCO (bracket exits, see
// domain/trading/brackets.ts) and names a group in the client order ids of its legs:
// "br-<entry>-<n>-<role>[-<suffix>]" belongs to group "br-<entry>-<n>". A venue that locks
// holdings for open sells (the paper venue) counts a group once: only one of its legs can fill.
// A venue with native OCO (BrokerCapabilities.nativeOco) takes both legs as one linked pair.
import type { PlaceOcoRequest, PlaceOrderRequest } from "./types.ts";

const LEG = /^(br-\d+-\d+)-[a-z]+(?:-[A-Za-z0-9]+)?$/;

export function ocoGroupOfClientOrderId(clientOrderId: string): string | null {
  return LEG.exec(clientOrderId)?.[1] ?? null;
}

/** The two legs of a native pair as single-order requests (for records and refusals). */
export function ocoLegRequests(req: PlaceOcoRequest): {
  takeProfit: PlaceOrderRequest;
  stopLoss: PlaceOrderRequest;
} {
  const common = {
    symbol: req.symbol,
    side: req.side,
    quantity: req.quantity,
    timeInForce: "GTC" as const,
  };
  const limit = req.stopLoss.limitPrice ?? null;
  return {
    takeProfit: {
      ...common,
      clientOrderId: req.takeProfit.clientOrderId,
      type: "LIMIT",
      price: req.takeProfit.price,
    },
    stopLoss: {
      ...common,
      clientOrderId: req.stopLoss.clientOrderId,
      type: limit ? "STOP_LIMIT" : "STOP",
      price: limit,
      stopPrice: req.stopLoss.stopPrice,
    },
  };
}
