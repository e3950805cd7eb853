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
  let d = dec(value);
  const max = style.maxDecimals ?? Math.max(style.minDecimals ?? 0, d.decimalPlaces());
  d = d.toDecimalPlaces(max);
  const min = Math.min(style.minDecimals ?? 0, max);
  const places = Math.max(min, d.decimalPlaces());
  const [intPart = "0", fracPart = ""] = d.abs().toFixed(places).split(".");
  const { group, decimal } = separators(locale);
  const grouped = intPart.replace(/\B(?=(\d{3})+(?!\d))/g, group);
  const sign = d.isNeg() && !d.isZero() ? "−" : style.signed && d.gt(0) ? "+" : "";
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
  const abs = d.abs();
  const decimals = abs.isZero() || abs.gte(1) ? 2 : Math.min(8, Math.max(2, -abs.e + 3));
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
