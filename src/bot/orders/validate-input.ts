import type { Decimal } from "../../lib/decimal.ts";

/** A number a person may type for a quantity or price: positive (the domain checks the rest). */
export function isValidOrderNumber(value: Decimal): boolean {
  return value.isFinite() && value.gt(0);
}
