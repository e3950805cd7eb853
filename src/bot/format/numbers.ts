// Decimal numbers for people: grouped and with the decimal separator of the user's locale, at a
// precision that suits what the number is (a price on its tick, a quantity on its lot, money in
// cents). Works on Decimal strings, never through floats.
import { type Decimal, dec, scaleOf } from "../../lib/decimal.ts";

interface Separators {
  group: string;
  decimal: string;
}

const separatorCache = new Map<string, Separators>();

function separators(locale: string): Separators {
  const cached = separatorCache.get(locale);
  if (cached) return cached;
  const parts = new Intl.NumberFormat(locale).formatToParts(12345.6);
  const found = {
    // narrow no-break space is what ru uses; keep it (it does not wrap)
    group: parts.find((p) => p.type === "group")?.value ?? ",",
    decimal: parts.find((p) => p.type === "decimal")?.value ?? ".",
  };
  separatorCache.set(locale, found);
  return found;
}

export interface NumberStyle {
  /** at least this many decimals (pads with zeros) */
  minDecimals?: number;
  /** at most this many decimals (rounds half-even) */
  maxDecimals?: number;
  /** prefix a "+" on positive numbers (PnL) */
  signed?: boolean;
}

export function formatNumber(
  value: Decimal | string,
  locale: string,
  style: NumberStyle = {},
): string {
  const d = dec(value);
  const min = style.minDecimals ?? 0;
  const max = style.maxDecimals ?? Math.max(min, d.decimalPlaces());
  // rounded (half-even) at `max` decimals in one step, then trailing zeros dropped down to `min`:
  // the same digits as rounding to a Decimal first, without allocating two more (/positions
  // formats hundreds of numbers per message)
  const fixed = d.toFixed(max);
  const negative = fixed.startsWith("-");
  const digits = negative ? fixed.slice(1) : fixed;
  const point = digits.indexOf(".");
  const intPart = point < 0 ? digits : digits.slice(0, point);
  let fracPart = point < 0 ? "" : digits.slice(point + 1);
  const keep = Math.min(min, max);
  let end = fracPart.length;
  while (end > keep && fracPart.charCodeAt(end - 1) === 48 /* 0 */) end--;
  fracPart = fracPart.slice(0, end);
  const zero = /^[0.]*$/.test(digits);
  const { group, decimal } = separators(locale);
  const grouped = intPart.length > 3 ? intPart.replace(/\B(?=(\d{3})+(?!\d))/g, group) : intPart;
  const sign = zero ? "" : negative ? "−" : style.signed ? "+" : "";
  return `${sign}${grouped}${fracPart ? decimal + fracPart : ""}`;
}

/** Money in a currency: two decimals for fiat and stablecoins, more for tiny amounts. */
export function formatMoney(
  value: Decimal | string,
  currency: string,
  locale: string,
  signed = false,
): string {
  return `${formatAmount(value, locale, signed)} ${currency}`;
}

/** A money amount without its currency (for texts that name the currency themselves). */
export function formatAmount(value: Decimal | string, locale: string, signed = false): string {
  const d = dec(value);
  // |d| ≥ 1 exactly when its exponent is ≥ 0; below 1, three significant digits
  const decimals = d.isZero() || d.e >= 0 ? 2 : Math.min(8, Math.max(2, -d.e + 3));
  return formatNumber(d, locale, { minDecimals: 2, maxDecimals: decimals, signed });
}

/** A price at its instrument's tick precision. */
export function formatPrice(value: Decimal | string, tickSize: Decimal, locale: string): string {
  const places = scaleOf(tickSize);
  return formatNumber(value, locale, { minDecimals: places, maxDecimals: Math.max(places, 2) });
}

/** A quantity at its instrument's lot precision (trailing zeros trimmed). */
export function formatQuantity(
  value: Decimal | string,
  lotSize: Decimal,
  locale: string,
  signed = false,
): string {
  return formatNumber(value, locale, { maxDecimals: scaleOf(lotSize), signed });
}

export function formatPercent(value: Decimal | string, locale: string, signed = true): string {
  return `${formatNumber(value, locale, { minDecimals: 2, maxDecimals: 2, signed })} %`;
}
