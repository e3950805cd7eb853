// Turns an order request into a normalized order, or throws a ValidationError naming the field:
// enums, the fields each order type needs (and only those), tick and lot grids, minimum quantity
// and notional, stop prices on the right side of the market, trailing distances, DAY expiry.
import { randomUUID } from "node:crypto";
import { type Decimal, STORAGE_SCALE } from "../../lib/decimal.ts";
import { endOfDay } from "../../lib/time.ts";
import { ValidationError } from "../errors.ts";
import type { InstrumentView } from "../instruments/instrument-service.ts";
import { checkNotional, checkPrice, checkQuantity } from "../instruments/trading-rules.ts";
import {
  type NormalizedOrder,
  ORDER_SIDES,
  ORDER_TYPES,
  type OrderRequest,
  TIME_IN_FORCE,
} from "./order-types.ts";

export interface NormalizeContext {
  instrument: InstrumentView;
  /** last traded price of the instrument */
  marketPrice: Decimal;
  now: Date;
  timeZone: string;
}

const MAX_CLIENT_ORDER_ID = 36;

export function newClientOrderId(): string {
  return `td-${randomUUID().replace(/-/g, "").slice(0, 24)}`;
}

function requireField(value: Decimal | null | undefined, field: string, type: string): Decimal {
  if (value === null || value === undefined)
    throw new ValidationError(field, "error-field-required", { type });
  return value;
}

function forbidField(value: Decimal | null | undefined, field: string, type: string): void {
  if (value !== null && value !== undefined)
    throw new ValidationError(field, "error-field-not-allowed", { type });
}

export function normalizeOrder(req: OrderRequest, ctx: NormalizeContext): NormalizedOrder {
  const { instrument, marketPrice } = ctx;
  const rules = instrument.rules;
  if (!ORDER_SIDES.includes(req.side))
    throw new ValidationError("side", "error-invalid-side", { value: String(req.side) });
  if (!ORDER_TYPES.includes(req.type))
    throw new ValidationError("type", "error-invalid-type", { value: String(req.type) });
  const timeInForce = req.timeInForce ?? "GTC";
  if (!TIME_IN_FORCE.includes(timeInForce)) {
    throw new ValidationError("timeInForce", "error-invalid-tif", { value: String(timeInForce) });
  }
  const quantity = checkQuantity(rules, req.quantity);
  const type = req.type;
  let price: Decimal | null = null;
  let stopPrice: Decimal | null = null;
  let trailAmount: Decimal | null = null;
  let trailPercent: Decimal | null = null;

  if (type === "LIMIT" || type === "STOP_LIMIT")
    price = checkPrice(rules, requireField(req.price, "price", type));
  else forbidField(req.price, "price", type);

  if (type === "STOP" || type === "STOP_LIMIT") {
    stopPrice = checkPrice(rules, requireField(req.stopPrice, "stopPrice", type), "stopPrice");
    // a buy stop triggers when the price rises to it, a sell stop when it falls to it
    const wrongSide = req.side === "BUY" ? stopPrice.lte(marketPrice) : stopPrice.gte(marketPrice);
    if (wrongSide) {
      throw new ValidationError(
        "stopPrice",
        req.side === "BUY" ? "error-buy-stop-below-market" : "error-sell-stop-above-market",
        {
          stop: stopPrice.toFixed(),
          market: marketPrice.toFixed(),
        },
      );
    }
    if (price) {
      // the limit of a stop-limit must leave room to fill once triggered
      const bad = req.side === "BUY" ? price.lt(stopPrice) : price.gt(stopPrice);
      if (bad) {
        throw new ValidationError(
          "price",
          req.side === "BUY" ? "error-buy-limit-below-stop" : "error-sell-limit-above-stop",
          {
            price: price.toFixed(),
            stop: stopPrice.toFixed(),
          },
        );
      }
    }
  } else forbidField(req.stopPrice, "stopPrice", type);

  if (type === "TRAILING") {
    const hasAmount = req.trailAmount !== null && req.trailAmount !== undefined;
    const hasPercent = req.trailPercent !== null && req.trailPercent !== undefined;
    if (hasAmount === hasPercent) throw new ValidationError("trail", "error-trail-one-of");
    if (hasAmount) trailAmount = checkPrice(rules, req.trailAmount as Decimal, "trailAmount");
    else {
      trailPercent = req.trailPercent as Decimal;
      if (!trailPercent.gt(0) || !trailPercent.lt(100) || trailPercent.decimalPlaces() > 4) {
        throw new ValidationError("trailPercent", "error-trail-percent-range", {
          value: trailPercent.toFixed(),
        });
      }
    }
  } else {
    forbidField(req.trailAmount, "trailAmount", type);
    forbidField(req.trailPercent, "trailPercent", type);
  }

  // notional at the price the order would most plausibly execute
  const referencePrice = price ?? stopPrice ?? marketPrice;
  checkNotional(rules, quantity, referencePrice);
  if (quantity.decimalPlaces() > STORAGE_SCALE)
    throw new ValidationError("quantity", "error-too-many-decimals", { max: STORAGE_SCALE });

  const clientOrderId = req.clientOrderId?.trim() || newClientOrderId();
  if (clientOrderId.length > MAX_CLIENT_ORDER_ID || !/^[A-Za-z0-9._:-]+$/.test(clientOrderId)) {
    throw new ValidationError("clientOrderId", "error-client-order-id-invalid", {
      max: MAX_CLIENT_ORDER_ID,
    });
  }

  return {
    portfolioId: req.portfolioId,
    instrumentId: instrument.id,
    symbol: instrument.symbol,
    currency: instrument.currency,
    side: req.side,
    type,
    timeInForce,
    quantity,
    price,
    stopPrice,
    trailAmount,
    trailPercent,
    strategyId: req.strategyId ?? null,
    clientOrderId,
    expiresAt: timeInForce === "DAY" ? endOfDay(ctx.now, ctx.timeZone) : null,
    referencePrice,
  };
}
