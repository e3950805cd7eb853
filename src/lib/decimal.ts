// Exact decimal arithmetic for money and quantities. Never use JS numbers for either.
//
// One configured decimal.js constructor for the whole app: 60 significant digits (enough that
// price × quantity and averages of 18-decimal values stay exact before the final rounding), no
// exponent notation in strings, banker's rounding when a value must be cut.
//
// Storage rule (see README "Exact money on SQLite"): every stored value is rounded to
// STORAGE_SCALE decimal places and written as a canonical plain string. SQLite keeps that string
// as TEXT; PostgreSQL keeps it in NUMERIC(38, 18). Both give back the same digits.
import { Decimal as DecimalJs } from "decimal.js";

export const Decimal = DecimalJs.clone({
  precision: 60,
  rounding: DecimalJs.ROUND_HALF_EVEN,
  toExpNeg: -60,
  toExpPos: 60,
});
export type Decimal = DecimalJs;

/** Decimal places every stored money or quantity value is rounded to. */
export const STORAGE_SCALE = 18;
/** Largest absolute value NUMERIC(38, 18) can hold: 20 integer digits. */
const STORAGE_MAX = new Decimal("1e20");

export type DecimalLike = Decimal | string | number | bigint | { toString(): string };

export const ZERO = new Decimal(0);
export const ONE = new Decimal(1);

/** Any decimal-ish value (including Prisma's own Decimal objects) as our Decimal. */
export function dec(value: DecimalLike): Decimal {
  if (value instanceof Decimal) return value;
  if (typeof value === "number" && !Number.isFinite(value)) {
    throw new RangeError(`not a finite number: ${value}`);
  }
  return new Decimal(value.toString());
}

export function decOrNull(value: DecimalLike | null | undefined): Decimal | null {
  return value === null || value === undefined ? null : dec(value);
}

/** Rounds to the storage scale; what every stored value goes through. */
export function roundForStorage(value: Decimal): Decimal {
  return value.toDecimalPlaces(STORAGE_SCALE, Decimal.ROUND_HALF_EVEN);
}

/** The canonical string stored in the database: rounded, plain notation, no trailing zeros. */
export function toDb(value: DecimalLike): string {
  const d = roundForStorage(dec(value));
  if (d.abs().gte(STORAGE_MAX)) throw new RangeError(`value out of storable range: ${d.toFixed()}`);
  // toFixed() never uses exponent notation; -0 is written as 0
  return d.isZero() ? "0" : d.toFixed();
}

export function toDbOrNull(value: DecimalLike | null | undefined): string | null {
  return value === null || value === undefined ? null : toDb(value);
}

/** A value read back from either database (TEXT on SQLite, Prisma Decimal on PostgreSQL). */
export function fromDb(value: DecimalLike): Decimal {
  return dec(value);
}

export function fromDbOrNull(value: DecimalLike | null | undefined): Decimal | null {
  return decOrNull(value);
}

/** Plain decimal literal as people type it: optional sign, digits, optional fraction. */
const PLAIN_DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

/**
 * Parses user or file input strictly: no exponents, no NaN/Infinity, no thousands separators
 * (a comma as the decimal separator is accepted, as many locales type it). Returns null when the
 * text is not a number, so callers can name the offending field.
 */
export function parseDecimal(text: string): Decimal | null {
  const trimmed = text.trim().replace(/_/g, "");
  const normalized = /^[+-]?\d*,\d+$/.test(trimmed) ? trimmed.replace(",", ".") : trimmed;
  if (!PLAIN_DECIMAL.test(normalized)) return null;
  return new Decimal(normalized);
}

/** Number of decimal places a step such as a tick or lot size implies (0.01 → 2, 5 → 0). */
export function scaleOf(step: Decimal): number {
  return Math.max(0, step.decimalPlaces());
}

/** True when value is an exact multiple of step (step > 0). */
export function isMultipleOf(value: Decimal, step: Decimal): boolean {
  return step.isZero() || value.mod(step).isZero();
}

/** The nearest multiples of step at or below and at or above value. */
export function bracketByStep(value: Decimal, step: Decimal): { down: Decimal; up: Decimal } {
  const steps = value.div(step);
  return { down: steps.floor().mul(step), up: steps.ceil().mul(step) };
}

export function minDec(a: Decimal, b: Decimal): Decimal {
  return a.lte(b) ? a : b;
}

export function maxDec(a: Decimal, b: Decimal): Decimal {
  return a.gte(b) ? a : b;
}

export function sumDec(values: Iterable<Decimal>): Decimal {
  let total = ZERO;
  for (const v of values) total = total.plus(v);
  return total;
}
