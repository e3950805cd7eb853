// Indicator values rounded for people: comparisons use the full float, what is stored in a
// notification or shown in a table is rounded to what the value means (RSI 2 decimals, a
// ratio 2, %B 3, a price-like level 6 significant digits so 0.00000850 and 91,250.5 both read
// right, volumes whole above a million).
import type { ValueStyle } from "./indicator-spec.ts";

export function roundSignificant(value: number, digits: number): number {
  if (value === 0 || !Number.isFinite(value)) return value;
  return Number(value.toPrecision(digits));
}

export function roundTo(value: number, decimals: number): number {
  const f = 10 ** decimals;
  // Math.round rounds half up toward +∞; mirror it for negatives so −1.005 and 1.005 match
  return (Math.sign(value) * Math.round(Math.abs(value) * f)) / f;
}

export function roundForDisplay(value: number, style: ValueStyle, pctB = false): number {
  switch (style) {
    case "percent":
      return roundTo(value, 2);
    case "ratio":
      return roundTo(value, pctB ? 3 : 2);
    case "volume":
      return Math.abs(value) >= 1e6 ? Math.round(value) : roundSignificant(value, 6);
    case "price":
      return roundSignificant(value, 6);
  }
}

/** A rounded value as a plain decimal string (never exponent notation), for JSON and Decimal. */
export function plainNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const text = String(value);
  if (!/e/i.test(text)) return text;
  // toFixed keeps up to 20 decimals: enough for the tiniest tick sizes in the catalog
  return value.toFixed(20).replace(/\.?0+$/, "");
}
