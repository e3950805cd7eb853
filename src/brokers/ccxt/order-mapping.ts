// Orders and trades between the domain and ccxt. Requests go out through ccxt's unified
// createOrder; answers come back from the exchange's own strings (`info`) where the exchange is
// Binance-shaped, and from ccxt's unified numbers (turned back into their shortest exact decimal
// text) for any other exchange. Never a float into a Decimal directly.
import type { Exchange, Order, Trade } from "ccxt";
import { Decimal } from "../../lib/decimal.ts";
import type {
  GatewayFill,
  GatewayOrder,
  OrderSide,
  OrderStatus,
  OrderType,
  PlaceOrderRequest,
  TimeInForce,
} from "../types.ts";

type Info = Record<string, unknown>;

/** Binance accepts a trailing distance of 10 to 2000 basis points (0.1 % to 20 %). */
export const TRAILING_DELTA_BIPS = { min: 10, max: 2000 } as const;

/** The ccxt call for one order, or why it cannot be sent. */
export type CreateArgs =
  | {
      ok: true;
      type: "market" | "limit";
      side: "buy" | "sell";
      amount: number;
      price: number | undefined;
      params: Record<string, unknown>;
    }
  | { ok: false; reason: string };

function num(d: Decimal): number {
  // the domain already holds quantities and prices on the lot and tick steps, a handful of
  // digits that a double carries exactly; ccxt formats them back to text from these numbers
  return Number(d.toFixed());
}

/**
 * The createOrder arguments for a request. `lastPrice` (stop orders only) decides whether a
 * trigger sits on the loss side (Binance STOP_LOSS_LIMIT) or the profit side (TAKE_PROFIT_LIMIT).
 */
export function createArgs(req: PlaceOrderRequest, lastPrice: Decimal | null): CreateArgs {
  const side = req.side === "BUY" ? "buy" : "sell";
  const base = { ok: true as const, side: side as "buy" | "sell", amount: num(req.quantity) };
  const params: Record<string, unknown> = { clientOrderId: req.clientOrderId };
  const tif = () => {
    if (req.timeInForce !== "GTC") params.timeInForce = req.timeInForce;
  };
  /** a buy's trigger above the market, a sell's below it: a stop-loss; otherwise take-profit */
  const lossSide = (stop: Decimal) =>
    lastPrice === null || (req.side === "BUY" ? stop.gte(lastPrice) : stop.lte(lastPrice));
  switch (req.type) {
    case "MARKET":
      return { ...base, type: "market", price: undefined, params };
    case "LIMIT":
      if (!req.price) return { ok: false, reason: "missing-price" };
      tif();
      return { ...base, type: "limit", price: num(req.price), params };
    case "STOP": {
      if (!req.stopPrice) return { ok: false, reason: "missing-stop" };
      const key = lossSide(req.stopPrice) ? "stopLossPrice" : "takeProfitPrice";
      params[key] = num(req.stopPrice);
      return { ...base, type: "market", price: undefined, params };
    }
    case "STOP_LIMIT": {
      if (!req.stopPrice || !req.price) return { ok: false, reason: "missing-stop" };
      const key = lossSide(req.stopPrice) ? "stopLossPrice" : "takeProfitPrice";
      params[key] = num(req.stopPrice);
      tif();
      return { ...base, type: "limit", price: num(req.price), params };
    }
    case "TRAILING": {
      // Binance trails by a percentage only (trailingDelta, in basis points)
      if (!req.trailPercent) return { ok: false, reason: "trail-amount-unsupported" };
      const bips = req.trailPercent.times(100);
      if (!bips.isInteger()) return { ok: false, reason: "trailing-delta" };
      if (bips.lt(TRAILING_DELTA_BIPS.min) || bips.gt(TRAILING_DELTA_BIPS.max))
        return { ok: false, reason: "trailing-delta" };
      params.trailingPercent = num(req.trailPercent);
      params.stopLossOrTakeProfit = "stopLoss";
      return { ...base, type: "market", price: undefined, params };
    }
  }
}

function str(v: unknown): string | undefined {
  if (typeof v === "string" && v.trim() !== "") return v;
  if (typeof v === "number" && Number.isFinite(v)) return String(v);
  return undefined;
}

/** An exact decimal from the exchange's text, or from a unified number through ccxt's formatter. */
function dec(ex: Exchange, text: unknown, unified: number | undefined | null): Decimal | null {
  const s = str(text);
  if (s !== undefined) return new Decimal(s);
  if (unified === undefined || unified === null || !Number.isFinite(unified)) return null;
  return new Decimal(ex.numberToString(unified));
}

function positive(d: Decimal | null): Decimal | null {
  return d && d.gt(0) ? d : null;
}

const BINANCE_STATUS: Record<string, OrderStatus> = {
  NEW: "NEW",
  PENDING_NEW: "NEW",
  PARTIALLY_FILLED: "PARTIALLY_FILLED",
  FILLED: "FILLED",
  CANCELED: "CANCELED",
  // a cancel requested but not yet done: still working as far as fills go
  PENDING_CANCEL: "PARTIALLY_FILLED",
  REJECTED: "REJECTED",
  EXPIRED: "EXPIRED",
  EXPIRED_IN_MATCH: "EXPIRED",
};

function unifiedStatus(o: Order): OrderStatus {
  const filled = o.filled ?? 0;
  switch (o.status) {
    case "closed":
      return "FILLED";
    case "canceled":
      return "CANCELED";
    case "expired":
      return "EXPIRED";
    case "rejected":
      return "REJECTED";
    default:
      return filled > 0 ? "PARTIALLY_FILLED" : "NEW";
  }
}

/** The domain's type for an exchange order type (Binance's names, or ccxt's unified ones). */
function orderType(venueType: string, trailing: boolean, hasTrigger: boolean): OrderType {
  if (trailing) return "TRAILING";
  switch (venueType.toUpperCase()) {
    case "MARKET":
      return hasTrigger ? "STOP" : "MARKET";
    case "LIMIT":
    case "LIMIT_MAKER":
      return hasTrigger ? "STOP_LIMIT" : "LIMIT";
    case "STOP_LOSS":
    case "TAKE_PROFIT":
    case "STOP":
    case "STOP_MARKET":
      return "STOP";
    default:
      return "STOP_LIMIT";
  }
}

function tifOf(v: unknown): TimeInForce {
  const s = typeof v === "string" ? v.toUpperCase() : "GTC";
  return s === "IOC" || s === "FOK" ? s : "GTC";
}

function sideOf(v: unknown): OrderSide {
  return String(v).toUpperCase() === "SELL" ? "SELL" : "BUY";
}

/** Why the venue ended an order without filling it all, as the bot's reason codes. */
function endReason(status: OrderStatus, info: Info, tif: TimeInForce): string | null {
  if (info.status === "EXPIRED_IN_MATCH") return "self-trade-prevention";
  if (status === "EXPIRED") return tif === "FOK" ? "expired-fok" : "expired-ioc";
  if (status === "REJECTED") return "venue-refused";
  return null;
}

/** A ccxt order as the gateway reports it; `symbol` is the domain's symbol of its market. */
export function toGatewayOrder(ex: Exchange, o: Order, symbol: string): GatewayOrder {
  const info = (o.info ?? {}) as Info;
  const binanceStatus = typeof info.status === "string" ? BINANCE_STATUS[info.status] : undefined;
  const status = binanceStatus ?? unifiedStatus(o);
  const trailingDelta = str(info.trailingDelta);
  const stopPrice = positive(dec(ex, info.stopPrice, o.triggerPrice ?? o.stopPrice));
  const tif = tifOf(info.timeInForce ?? o.timeInForce);
  const venueType = str(info.type) ?? o.type ?? "limit";
  const type = orderType(venueType, trailingDelta !== undefined, stopPrice !== null);
  const price =
    type === "LIMIT" || type === "STOP_LIMIT" ? positive(dec(ex, info.price, o.price)) : null;
  const updated = Number(
    info.updateTime ?? info.transactTime ?? o.lastUpdateTimestamp ?? o.timestamp,
  );
  return {
    brokerOrderId: String(info.orderId ?? o.id),
    // a cancel's answer names the original id apart from the cancel request's own
    clientOrderId: String(info.origClientOrderId ?? info.clientOrderId ?? o.clientOrderId ?? ""),
    symbol,
    side: sideOf(info.side ?? o.side),
    type,
    timeInForce: tif,
    quantity: dec(ex, info.origQty, o.amount) ?? new Decimal(0),
    filledQuantity: dec(ex, info.executedQty, o.filled) ?? new Decimal(0),
    price,
    stopPrice,
    trailAmount: null,
    trailPercent: trailingDelta !== undefined ? new Decimal(trailingDelta).div(100) : null,
    status,
    rejectReason: endReason(status, info, tif),
    updatedAt: new Date(Number.isFinite(updated) && updated > 0 ? updated : Date.now()),
  };
}

/** A ccxt trade of ours as a fill; `clientOrderId` comes from the gateway's knowledge of the order. */
export function toGatewayFill(
  ex: Exchange,
  t: Trade,
  symbol: string,
  clientOrderId: string,
): GatewayFill {
  const info = (t.info ?? {}) as Info;
  const isBuyer = info.isBuyer;
  const side: OrderSide =
    typeof isBuyer === "boolean" ? (isBuyer ? "BUY" : "SELL") : sideOf(t.side);
  return {
    brokerTradeId: String(info.id ?? t.id),
    brokerOrderId: String(info.orderId ?? t.order ?? ""),
    clientOrderId,
    symbol,
    side,
    quantity: dec(ex, info.qty, t.amount) ?? new Decimal(0),
    price: dec(ex, info.price, t.price) ?? new Decimal(0),
    fee: dec(ex, info.commission, t.fee?.cost) ?? new Decimal(0),
    feeCurrency: String(info.commissionAsset ?? t.fee?.currency ?? ""),
    execTime: new Date(Number(info.time ?? t.timestamp)),
  };
}

/** The refusal of a request that never reached the venue, or that the venue refused. */
export function rejected(req: PlaceOrderRequest, reason: string, now: Date): GatewayOrder {
  return {
    // the venue gave it no id; an empty one is never stored (see AccountSynchronizer.applyReport)
    brokerOrderId: "",
    clientOrderId: req.clientOrderId,
    symbol: req.symbol,
    side: req.side,
    type: req.type,
    timeInForce: req.timeInForce,
    quantity: req.quantity,
    filledQuantity: new Decimal(0),
    price: req.price ?? null,
    stopPrice: req.stopPrice ?? null,
    trailAmount: req.trailAmount ?? null,
    trailPercent: req.trailPercent ?? null,
    status: "REJECTED",
    rejectReason: reason,
    updatedAt: now,
  };
}
