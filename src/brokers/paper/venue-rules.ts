// What the paper venue refuses, as exchanges do (Binance's filters and order-type parameters):
// a refusal is a reason code stored on a REJECTED order, never an exception.
import { type Decimal, dec, isMultipleOf } from "../../lib/decimal.ts";
import type { InstrumentSpec } from "../../market/types.ts";
import type { PlaceOrderRequest } from "../types.ts";

export interface VenueInstrument {
  symbol: string;
  baseAsset: string;
  currency: string;
  tickSize: Decimal;
  lotSize: Decimal;
  minQty: Decimal;
}

export function toVenueInstrument(spec: InstrumentSpec): VenueInstrument {
  return {
    symbol: spec.symbol,
    baseAsset: spec.baseAsset,
    currency: spec.currency,
    tickSize: dec(spec.tickSize),
    lotSize: dec(spec.lotSize),
    minQty: dec(spec.minQty),
  };
}

const present = (v: Decimal | null | undefined): v is Decimal => v !== null && v !== undefined;

function onTick(v: Decimal, tick: Decimal): boolean {
  return v.isFinite() && v.gt(0) && isMultipleOf(v, tick);
}

/** The reason the venue refuses the request, or null when it accepts it. */
export function rejectionReason(
  req: PlaceOrderRequest,
  instrument: VenueInstrument | undefined,
): string | null {
  if (!instrument) return "unknown-symbol";
  const q = req.quantity;
  if (!q.isFinite() || !q.gt(0) || !isMultipleOf(q, instrument.lotSize) || q.lt(instrument.minQty))
    return "invalid-quantity";
  const needsPrice = req.type === "LIMIT" || req.type === "STOP_LIMIT";
  if (
    needsPrice ? !present(req.price) || !onTick(req.price, instrument.tickSize) : present(req.price)
  )
    return "invalid-price";
  const needsStop = req.type === "STOP" || req.type === "STOP_LIMIT";
  if (
    needsStop
      ? !present(req.stopPrice) || !onTick(req.stopPrice, instrument.tickSize)
      : present(req.stopPrice)
  )
    return "invalid-stop-price";
  if (req.type === "TRAILING") {
    const amount = present(req.trailAmount);
    const percent = present(req.trailPercent);
    if (amount === percent) return "invalid-trail";
    if (amount && !onTick(req.trailAmount as Decimal, instrument.tickSize)) return "invalid-trail";
    if (percent) {
      const p = req.trailPercent as Decimal;
      if (!p.gt(0) || !p.lt(100)) return "invalid-trail";
    }
  } else if (present(req.trailAmount) || present(req.trailPercent)) return "invalid-trail";
  if (req.timeInForce === "DAY" && !req.expiresAt) return "missing-expiry";
  return null;
}
