// One set of bounds for every number a person gives us (commands, conversations, JSON configs).
//
// Storage holds NUMERIC(38, 18) on PostgreSQL and the same digits as text on SQLite (toDb): at
// most 20 integer digits and 18 decimals. Bounds are chosen so that what is derived from accepted
// inputs stays far inside that: the largest quantity times the largest price is 1e19 (storable),
// an order's value is at most 1e15, and a cash balance a deposit leads to at most 1e18 — so fees,
// PnL, averages and the sums of many fills or deposits never reach the storage limit. Instruments
// carry no maximum quantity or price of their own yet (only tick, lot, minimums); when they do,
// the smaller of theirs and these applies.
//
// Each check throws a ValidationError naming the field, with an i18n key and the limit as a JS
// number: a display parameter only (exact: every limit is a small power of ten), which Fluent
// renders with the reader's digit grouping ("1,000,000,000" / "1 000 000 000").
import {
  Decimal,
  type NumberInput,
  STORAGE_MAX,
  STORAGE_SCALE,
  parseNumberInput,
} from "../lib/decimal.ts";
import { ValidationError } from "./errors.ts";

export const NUMBER_BOUNDS = {
  /** money typed by a person: deposits, withdrawals, cash to spend, money limits, PnL thresholds */
  amount: new Decimal("1e15"),
  /** a price per unit: limit, stop, trailing distance, alert price level */
  price: new Decimal("1e9"),
  /** an order quantity */
  quantity: new Decimal("1e10"),
  /** a percent of something (trailing stop, risk limits, drawdown) */
  percent: new Decimal(100),
} as const;

export type NumberKind = keyof typeof NUMBER_BOUNDS;

/** An order's value (quantity × price) at its reference price. */
export const MAX_NOTIONAL = NUMBER_BOUNDS.amount;
/** The cash balance a deposit may lead to. */
export const MAX_BALANCE = new Decimal("1e18");
/** Decimal places any typed number may have (what storage keeps). */
export const MAX_INPUT_DECIMALS = STORAGE_SCALE;

// the promises above, checked when this module loads: a future edit cannot silently break them
if (
  !NUMBER_BOUNDS.quantity.mul(NUMBER_BOUNDS.price).lt(STORAGE_MAX) ||
  !MAX_BALANCE.mul(10).lte(STORAGE_MAX) ||
  !MAX_NOTIONAL.lte(MAX_BALANCE)
) {
  throw new Error("number bounds must keep derived values storable");
}

/** A limit as a display parameter (see the header). */
export function displayLimit(limit: Decimal): number {
  return limit.toNumber();
}

/** The typed text as shown back in an error: short, on one line. */
function echo(text: string): string {
  const line = text.trim().replace(/\s+/g, " ");
  return line.length > 40 ? `${line.slice(0, 39)}…` : line;
}

/**
 * A number within the bound of its kind (absolute value at most `max`) and with at most 18
 * decimals; otherwise a ValidationError on `field` ("error-number-too-large" with the limit,
 * "error-too-many-decimals"). Sign and zero are the caller's rule.
 */
export function checkBound(
  field: string,
  value: Decimal,
  kind: NumberKind,
  max: Decimal = NUMBER_BOUNDS[kind],
): Decimal {
  if (!value.isFinite())
    throw new ValidationError(field, "error-not-a-number", { value: value.toString() });
  if (value.abs().gt(max))
    throw new ValidationError(field, "error-number-too-large", { max: displayLimit(max) });
  if (value.decimalPlaces() > MAX_INPUT_DECIMALS)
    throw new ValidationError(field, "error-too-many-decimals", { max: MAX_INPUT_DECIMALS });
  return value;
}

/** The reason typed text is not a number, as a ValidationError on `field`. */
export function numberInputError(field: string, text: string, parsed: NumberInput): never {
  if (parsed.ok) throw new RangeError("numberInputError needs a failed parse");
  throw new ValidationError(
    field,
    parsed.problem === "ambiguous" ? "error-number-ambiguous" : "error-not-a-number",
    { value: echo(text) },
  );
}

/** Typed text as a number (parseNumberInput), or a ValidationError naming what is wrong. */
export function parseNumberOrThrow(field: string, text: string): Decimal {
  const parsed = parseNumberInput(text);
  if (!parsed.ok) numberInputError(field, text, parsed);
  return parsed.value;
}

/** Typed text as a number within the bound of its kind (see checkBound). */
export function readNumber(
  field: string,
  text: string,
  kind: NumberKind,
  max: Decimal = NUMBER_BOUNDS[kind],
): Decimal {
  return checkBound(field, parseNumberOrThrow(field, text), kind, max);
}

/** Typed text as a positive number within the bound of its kind. */
export function readPositive(field: string, text: string, kind: NumberKind): Decimal {
  const value = readNumber(field, text, kind);
  if (!value.gt(0))
    throw new ValidationError(field, "error-must-be-positive", { value: value.toFixed() });
  return value;
}
