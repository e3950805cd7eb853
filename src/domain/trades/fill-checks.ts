// What makes a fill acceptable before anything is written: well-formed values, a fee that leaves
// something bought, and an order it can belong to.
import { type Decimal, STORAGE_SCALE, ZERO } from "../../lib/decimal.ts";
import { ValidationError } from "../errors.ts";
import type { InstrumentView } from "../instruments/instrument-service.ts";
import { feeKind } from "../positions/fill-fee.ts";
import type { FillOrder } from "./fill-lookups.ts";
import type { FillReport } from "./fill-types.ts";

/** Why a fill cannot belong to its order (side, instrument, overfill), or null when it can. */
export function orderMismatch(
  order: FillOrder,
  fill: FillReport,
  instrument: InstrumentView,
): ValidationError | null {
  if (order.side !== fill.side) return new ValidationError("side", "error-fill-side-mismatch");
  if (order.instrumentId !== instrument.id)
    return new ValidationError("symbol", "error-fill-instrument-mismatch");
  const filled = order.filledQuantity.plus(fill.quantity);
  if (filled.gt(order.quantity)) {
    return new ValidationError("quantity", "error-overfill", {
      order: order.id,
      filled: filled.toFixed(),
      quantity: order.quantity.toFixed(),
    });
  }
  return null;
}

/** A buy's fee taken from the coin bought must leave something bought. */
export function validateFee(fill: FillReport, instrument: InstrumentView): void {
  const fee = fill.fee ?? ZERO;
  const asset = fill.feeCurrency?.trim().toUpperCase() || instrument.currency;
  if (fill.side === "BUY" && feeKind(asset, instrument) === "base" && fee.gte(fill.quantity)) {
    throw new ValidationError("fee", "error-fee-exceeds-quantity", {
      fee: fee.toFixed(),
      quantity: fill.quantity.toFixed(),
      asset,
    });
  }
  if (fill.feeValue && (!fill.feeValue.isFinite() || fill.feeValue.isNeg())) {
    throw new ValidationError("feeValue", "error-must-not-be-negative", {
      value: fill.feeValue.toFixed(),
    });
  }
}

/** Required fields present, quantities and prices positive and storable, a valid time. */
export function validateFill(fill: FillReport): void {
  if (!fill.brokerTradeId?.trim())
    throw new ValidationError("brokerTradeId", "error-field-required", { type: "fill" });
  if (fill.brokerTradeId.length > 128)
    throw new ValidationError("brokerTradeId", "error-too-long", { max: 128 });
  if (fill.side !== "BUY" && fill.side !== "SELL")
    throw new ValidationError("side", "error-invalid-side", { value: String(fill.side) });
  const check = (field: string, v: Decimal, allowZero: boolean) => {
    if (!v.isFinite() || (allowZero ? v.isNeg() : !v.gt(0))) {
      throw new ValidationError(
        field,
        allowZero ? "error-must-not-be-negative" : "error-must-be-positive",
        { value: v.toFixed() },
      );
    }
    if (v.decimalPlaces() > STORAGE_SCALE)
      throw new ValidationError(field, "error-too-many-decimals", { max: STORAGE_SCALE });
  };
  check("quantity", fill.quantity, false);
  check("price", fill.price, false);
  if (fill.fee) check("fee", fill.fee, true);
  if (!(fill.execTime instanceof Date) || Number.isNaN(fill.execTime.getTime())) {
    throw new ValidationError("execTime", "error-invalid-time");
  }
}
