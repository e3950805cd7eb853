// Binance's native OCO (POST /api/v3/orderList/oco) through ccxt's implicit API: ccxt has no
// unified call for it. Prices and the quantity go out as the exact decimal text the domain holds
// (already on the tick and lot steps), never through a float.
import type { Exchange, MarketInterface as Market, Order } from "ccxt";
import type { PlaceOcoRequest } from "../types.ts";

/** The one ccxt method used here (generated from Binance's endpoint list, not in the types). */
interface OrderListApi {
  privatePostOrderListOco(params: Record<string, string>): Promise<unknown>;
}

/** The request's parameters: for a SELL the take-profit is the "above" leg, for a BUY "below". */
export function ocoParams(market: Market, req: PlaceOcoRequest): Record<string, string> {
  const tp = req.side === "SELL" ? "above" : "below";
  const sl = req.side === "SELL" ? "below" : "above";
  const limit = req.stopLoss.limitPrice ?? null;
  const params: Record<string, string> = {
    symbol: String(market.id),
    side: req.side,
    quantity: req.quantity.toFixed(),
    listClientOrderId: req.listClientOrderId,
    [`${tp}Type`]: "LIMIT_MAKER",
    [`${tp}Price`]: req.takeProfit.price.toFixed(),
    [`${tp}ClientOrderId`]: req.takeProfit.clientOrderId,
    [`${sl}Type`]: limit ? "STOP_LOSS_LIMIT" : "STOP_LOSS",
    [`${sl}StopPrice`]: req.stopLoss.stopPrice.toFixed(),
    [`${sl}ClientOrderId`]: req.stopLoss.clientOrderId,
    newOrderRespType: "FULL",
  };
  if (limit) {
    params[`${sl}Price`] = limit.toFixed();
    params[`${sl}TimeInForce`] = "GTC";
  }
  return params;
}

export async function sendOcoList(ex: Exchange, params: Record<string, string>): Promise<unknown> {
  return (ex as unknown as OrderListApi).privatePostOrderListOco(params);
}

/** The legs of the venue's answer as ccxt orders (their `info` keeps the exchange's strings). */
export function legsOfResponse(ex: Exchange, market: Market, raw: unknown): Order[] {
  const reports = (raw as { orderReports?: unknown } | null)?.orderReports;
  if (!Array.isArray(reports)) return [];
  return reports.map((r) => ex.parseOrder(r as Record<string, unknown>, market) as Order);
}
