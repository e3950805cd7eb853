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
export const STORAGE_MAX = new Decimal("1e20");

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

/**
 * Rounds to the storage scale; what every stored value goes through. A value with no more decimal
 * places than the scale is its own rounding (toDecimalPlaces would hand back a copy with the same
 * sign, exponent and digits), so it is returned as it is.
 */
export function roundForStorage(value: Decimal): Decimal {
  if (value.decimalPlaces() <= STORAGE_SCALE) return value;
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

/** Why typed text is not a number we accept (see parseNumberInput). */
export type NumberInputProblem = "empty" | "not-a-number" | "ambiguous";

export type NumberInput = { ok: true; value: Decimal } | { ok: false; problem: NumberInputProblem };

/** Longer text is not a number anyone means to type (and is not worth the CPU). */
const MAX_NUMBER_INPUT_LENGTH = 100;
/** Spaces people and locales put between digit groups: space, no-break, narrow no-break, thin. */
const GROUP_SPACES = /[ \u00A0\u202F\u2009]/g;
const DIGITS = /^\d+$/;
const COMMA_GROUPED = /^[1-9]\d{0,2}(,\d{3})+$/;
const SPACE_GROUPED = /^[1-9]\d{0,2}( \d{3})+$/;
/** "1,000" or "12,345": a thousands group or a decimal comma, nobody can tell which. */
const AMBIGUOUS_COMMA = /^[1-9]\d{0,2},\d{3}$/;

/** An integer part: plain digits or grouped by thousands (commas or spaces, not both). */
function integerPart(text: string): string | null {
  if (text === "") return "";
  if (DIGITS.test(text)) return text;
  if (COMMA_GROUPED.test(text)) return text.replace(/,/g, "");
  if (SPACE_GROUPED.test(text)) return text.replace(/ /g, "");
  return null;
}

/**
 * THE parser for numbers people type (commands, conversations, JSON configs given as text).
 * Accepted: an optional sign (+, - or the typographic minus −), ASCII digits, one decimal
 * separator, and thousands groups:
 *   "1000.50"  "1,000.50"  "1,000,000"  "1 000.50"  "1 000,50"  "1000,50"  "0,5"  ".5"
 * A single comma is a decimal comma unless it reads as a thousands group too: "1,000" and
 * "12,345" are refused as ambiguous (one thousand, or one?). Refused as not a number: NaN,
 * Infinity, hex, exponents ("1e5"), non-ASCII digits, several dots, mixed or ragged groups.
 * Never rounds: how many decimals a value may have is the caller's rule.
 */
export function parseNumberInput(text: string): NumberInput {
  const trimmed = text.trim();
  if (trimmed === "") return { ok: false, problem: "empty" };
  if (trimmed.length > MAX_NUMBER_INPUT_LENGTH) return { ok: false, problem: "not-a-number" };
  const signMatch = /^[+\-\u2212]/.exec(trimmed);
  const negative = signMatch !== null && signMatch[0] !== "+";
  const body = (signMatch ? trimmed.slice(1) : trimmed).replace(GROUP_SPACES, " ");
  if (!/^[0-9., ]+$/.test(body) || !/\d/.test(body)) return { ok: false, problem: "not-a-number" };
  const dots = body.split(".").length - 1;
  const commas = body.split(",").length - 1;
  let intText: string;
  let fracText: string;
  if (dots > 1) return { ok: false, problem: "not-a-number" };
  if (dots === 1) {
    [intText = "", fracText = ""] = body.split(".");
    if (fracText.includes(",")) return { ok: false, problem: "not-a-number" };
  } else if (commas === 1 && !body.includes(" ") && AMBIGUOUS_COMMA.test(body)) {
    return { ok: false, problem: "ambiguous" };
  } else if (commas === 1 && !COMMA_GROUPED.test(body)) {
    // a decimal comma, as many locales write it
    [intText = "", fracText = ""] = body.split(",");
  } else {
    intText = body;
    fracText = "";
  }
  const int = integerPart(intText);
  if (int === null || !/^\d*$/.test(fracText)) return { ok: false, problem: "not-a-number" };
  if (int === "" && fracText === "") return { ok: false, problem: "not-a-number" };
  const plain = `${negative ? "-" : ""}${int || "0"}${fracText ? `.${fracText}` : ""}`;
  return { ok: true, value: new Decimal(plain) };
}

/** parseNumberInput without the reason: null when the text is not an accepted number. */
export function parseDecimal(text: string): Decimal | null {
  const parsed = parseNumberInput(text);
  return parsed.ok ? parsed.value : null;
}

/** Number of decimal places a step such as a tick or lot size implies (0.01 → 2, 5 → 0). */
export function scaleOf(step: Decimal): number {
  return Math.max(0, step.decimalPlaces());
}

/** True when value is an exact multiple of step (step > 0). */
export function isMultipleOf(value: Decimal, step: Decimal): boolean {
  return step.isZero() || value.mod(step).isZero();
}

/** Decimal places of a step that is a power of ten at most 1 (0.01 → 2, 1 → 0), else null. */
const powerOfTenPlaces = new WeakMap<Decimal, number | null>();

function placesOfPowerOfTen(step: Decimal): number | null {
  let places = powerOfTenPlaces.get(step);
  if (places === undefined) {
    const dp = step.decimalPlaces();
    places = step.isFinite() && step.eq(new Decimal(10).pow(-dp)) ? dp : null;
    powerOfTenPlaces.set(step, places);
  }
  return places;
}

/**
 * The nearest multiples of step at or below and at or above value.
 *
 * Ticks and lots are nearly always powers of ten (0.01, 0.00001), and then the multiples are
 * value rounded to the step's decimal places, floor and ceiling: the same numbers as
 * floor(value / step) × step, without a 60-digit division (five times slower than the rest of a
 * fill). The shortcut is taken only where the two are provably equal — value positive (no signed
 * zero to differ) and of at most 60 significant digits, so value / step, a shift of its exponent,
 * is exact at the configured precision — and a test compares both on random values. A value
 * already on the step's places is both multiples, returned as it is (rounding it to its own
 * places hands back the same sign, exponent and digits).
 */
export function bracketByStep(value: Decimal, step: Decimal): { down: Decimal; up: Decimal } {
  const exact =
    value.s === 1 && value.d && (value.d.length <= 8 || value.sd() <= Decimal.precision);
  const places = exact ? placesOfPowerOfTen(step) : null;
  if (places !== null && places !== undefined) {
    if (value.decimalPlaces() <= places) return { down: value, up: value };
    return {
      down: value.toDecimalPlaces(places, Decimal.ROUND_FLOOR),
      up: value.toDecimalPlaces(places, Decimal.ROUND_CEIL),
    };
  }
  return bracketByDivision(value, step);
}

/**
 * True when decimal.js hands `value` back unchanged from an operation that adds a zero to it
 * (value + 0, value − 0, 0 + value): finite and of at most `precision` significant digits, so
 * the result, rounded to the precision, is value itself (the same digits, exponent and sign
 * for a non-zero value; a zero result's sign can differ).
 */
export function keepsPrecision(value: Decimal): boolean {
  const d = value.d;
  return Boolean(d) && (d.length <= 8 || value.sd() <= Decimal.precision);
}

/**
 * a + b, without the operation when one side is zero and the other is not: decimal.js then hands
 * back the other side, copied and rounded to the precision, which for a value that keepsPrecision
 * is that value (the same sign, exponent and digits). A property test compares it with plus.
 */
export function plusDec(a: Decimal, b: Decimal): Decimal {
  if (b.isZero() && !a.isZero() && keepsPrecision(a)) return a;
  if (a.isZero() && !b.isZero() && keepsPrecision(b)) return b;
  return a.plus(b);
}

/** bracketByStep(value, step).down, without computing the multiple above. */
export function downByStep(value: Decimal, step: Decimal): Decimal {
  return oneSideByStep(value, step, Decimal.ROUND_FLOOR) ?? bracketByDivision(value, step).down;
}

/** bracketByStep(value, step).up, without computing the multiple below. */
export function upByStep(value: Decimal, step: Decimal): Decimal {
  return oneSideByStep(value, step, Decimal.ROUND_CEIL) ?? bracketByDivision(value, step).up;
}

/**
 * One side of bracketByStep by the shortcut bracketByStep takes (rounding to the step's places,
 * or the value itself when it is on them already), null where the shortcut does not apply.
 */
function oneSideByStep(
  value: Decimal,
  step: Decimal,
  rounding: typeof Decimal.ROUND_FLOOR | typeof Decimal.ROUND_CEIL,
): Decimal | null {
  const exact =
    value.s === 1 && value.d && (value.d.length <= 8 || value.sd() <= Decimal.precision);
  const places = exact ? placesOfPowerOfTen(step) : null;
  if (places === null || places === undefined) return null;
  return value.decimalPlaces() <= places ? value : value.toDecimalPlaces(places, rounding);
}

/** 10n ** n, kept per n (a run divides by the same few powers over and over). */
const bigPowersOfTen: bigint[] = [];
const bigPow10 = (n: number): bigint => (bigPowersOfTen[n] ??= 10n ** BigInt(n));

/** A finite non-zero Decimal as coefficient × 10^exponent, the coefficient its digits. */
function scaledDigitsOf(x: Decimal): { coefficient: bigint; exponent: number } {
  const d = x.d;
  const first = d[0]!;
  let digits = 1;
  for (let w = first; w >= 10; w = (w - (w % 10)) / 10) digits++;
  digits += 7 * (d.length - 1);
  const exponent = x.e - (digits - 1);
  // two words (under 10^14, an exact integer) without the text; longer ones through it
  if (d.length === 1) return { coefficient: BigInt(first), exponent };
  if (d.length === 2) return { coefficient: BigInt(first * 1e7 + d[1]!), exponent };
  let text = String(first);
  for (let i = 1; i < d.length; i++) text += String(d[i]).padStart(7, "0");
  return { coefficient: BigInt(text), exponent };
}

/**
 * downByStep(dividend.div(divisor), step) — what a quantity bought for an amount at a price is on
 * the lot grid — without the division to `precision` digits (a backtest sizes every entry so,
 * and decimal.js's long division, ~4 kB of garbage each, was a tenth of B8's run).
 *
 * For positive operands and a power-of-ten step 10^-k, the quotient over the step is X / D for
 * integers X and D (the operands' digits, scaled), and N = floor(X / D) is its floor. The quotient
 * lies in [N, N + 1) steps; if it is not N exactly, it is at least 1 / D below N + 1 (a positive
 * integer over D), i.e. at least step / D below (N + 1) × step. The division rounds it to
 * `precision` significant digits, moving it by less than one unit of its last place, at most
 * (N + 1) × step × 10^(1 − precision); so when D × (N + 1) < 10^(precision − 1) the rounded
 * quotient is still in [N × step, (N + 1) × step) (N × step, of fewer digits, is its own
 * rounding), and its floor on the grid is N × step: the Decimal made here (decimal.js keeps one
 * form per value: the same digits, exponent and sign). Anything else (a sign, a zero, a step that
 * is not a power of ten, N = 0, the bound not met) takes the division. A test compares both.
 */
export function downByStepOfQuotient(dividend: Decimal, divisor: Decimal, step: Decimal): Decimal {
  const places =
    dividend.s === 1 && divisor.s === 1 && dividend.d && divisor.d && dividend.d[0] && divisor.d[0]
      ? placesOfPowerOfTen(step)
      : null;
  if (places === null || places === undefined) return downByStep(dividend.div(divisor), step);
  const top = scaledDigitsOf(dividend);
  const bottom = scaledDigitsOf(divisor);
  let x = top.coefficient;
  let d = bottom.coefficient;
  const t = top.exponent - bottom.exponent + places;
  if (t >= 0) x *= bigPow10(t);
  else d *= bigPow10(-t);
  const n = x / d;
  if (n === 0n || d * (n + 1n) >= bigPow10(Decimal.precision - 1))
    return downByStep(dividend.div(divisor), step);
  return new Decimal(places ? `${n}e-${places}` : String(n));
}

/** bracketByStep by its definition: floor and ceiling of value / step, times step. */
export function bracketByDivision(value: Decimal, step: Decimal): { down: Decimal; up: Decimal } {
  const steps = value.div(step);
  return { down: steps.floor().mul(step), up: steps.ceil().mul(step) };
}

/**
 * a.cmp(b) without the copy of b decimal.js makes on every comparison (a Decimal and its digit
 * array, garbage at once: a fill compares a dozen times). decimal.js copies its argument to
 * coerce numbers and strings and to clamp an exponent beyond minE/maxE; a Decimal of this
 * constructor was clamped when it was made, so its copy has its very sign, exponent and digits
 * and the comparison below, decimal.js's own for finite values, answers as cmp does (NaN and
 * ±Infinity are left to cmp). A property test compares both.
 */
export function compareDec(a: Decimal, b: Decimal): number {
  const ad = a.d;
  const bd = b.d;
  if (!ad || !bd) return a.cmp(b);
  const as = a.s;
  const bs = b.s;
  if (!ad[0] || !bd[0]) return ad[0] ? as : bd[0] ? -bs : 0;
  if (as !== bs) return as;
  if (a.e !== b.e) return a.e > b.e !== as < 0 ? 1 : -1;
  const al = ad.length;
  const bl = bd.length;
  for (let i = 0, j = al < bl ? al : bl; i < j; ++i)
    if (ad[i] !== bd[i]) return ad[i]! > bd[i]! !== as < 0 ? 1 : -1;
  return al === bl ? 0 : al > bl !== as < 0 ? 1 : -1;
}

export function minDec(a: Decimal, b: Decimal): Decimal {
  return compareDec(a, b) <= 0 ? a : b;
}

export function maxDec(a: Decimal, b: Decimal): Decimal {
  return compareDec(a, b) >= 0 ? a : b;
}

export function sumDec(values: Iterable<Decimal>): Decimal {
  let total = ZERO;
  for (const v of values) total = total.plus(v);
  return total;
}
