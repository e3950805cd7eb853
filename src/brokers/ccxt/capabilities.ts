// What a live exchange accepts, declared so the domain refuses the rest before an order is
// stored (TradingService.preview → error-order-type-unsupported / error-tif-unsupported).
import type { BrokerCapabilities } from "../types.ts";

/**
 * Binance spot: MARKET, LIMIT, STOP (→ STOP_LOSS, or TAKE_PROFIT with the trigger on the profit
 * side), STOP_LIMIT (→ STOP_LOSS_LIMIT / TAKE_PROFIT_LIMIT), TRAILING (→ trailingDelta in basis
 * points: percentages only); GTC, IOC, FOK. No DAY orders, no short selling on spot. Native OCO
 * order lists (POST /api/v3/orderList/oco) for bracket exits.
 */
export const BINANCE_SPOT_CAPABILITIES: BrokerCapabilities = Object.freeze({
  orderTypes: Object.freeze(["MARKET", "LIMIT", "STOP", "STOP_LIMIT", "TRAILING"] as const),
  timeInForce: Object.freeze(["GTC", "IOC", "FOK"] as const),
  shortSelling: false,
  partialFills: true,
  externalOrders: true,
  nativeOco: true,
});

/** Any other ccxt exchange through the unified API: what every spot venue offers. */
export const UNIFIED_SPOT_CAPABILITIES: BrokerCapabilities = Object.freeze({
  orderTypes: Object.freeze(["MARKET", "LIMIT"] as const),
  timeInForce: Object.freeze(["GTC", "IOC"] as const),
  shortSelling: false,
  partialFills: true,
  externalOrders: true,
});

export function capabilitiesFor(exchangeId: string): BrokerCapabilities {
  return exchangeId === "binance" || exchangeId === "binanceus"
    ? BINANCE_SPOT_CAPABILITIES
    : UNIFIED_SPOT_CAPABILITIES;
}
