// A Decimal as an integer count of 10^-scale (60012.34 at scale 2 is 6001234), exact or not at
// all: used where many values must cross a thread boundary cheaply (a backtest's candles move to
// their worker as one Float64Array, see worker-protocol.ts). The digits are read from decimal.js's
// documented `d`, `e`, `s` (base-1e7 words, the base-10 exponent of the first digit, the sign), as
// decimal-float.ts reads them; nothing is rounded: a value whose significant digits or scaled
// integer do not fit a double exactly (beyond 2^53 − 1) is refused, and the caller keeps text.
import { Decimal as DecimalCtor } from "./decimal.ts";
import type { Decimal } from "./decimal.ts";

/** 10^0 … 10^22: the powers of ten a double holds exactly. */
export const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);

const MAX = Number.MAX_SAFE_INTEGER;

/**
 * True while an integer result is exact: at most 2^53 − 1 either way. The exact sum, difference
 * or product of two such integers beyond it rounds to at least 2^53 (rounding is monotonic, 2^53
 * a double), which this sees; arithmetic on scaled integers checks each step with it.
 */
export const safeInteger = (x: number): boolean => x <= MAX && x >= -MAX;

/** ⌊a / b⌋ and ⌈a / b⌉ of safe integers a ≥ 0 and b > 0, exactly (the remainder taken first). */
export const floorDiv = (a: number, b: number): number => (a - (a % b)) / b;
export const ceilDiv = (a: number, b: number): number => {
  const r = a % b;
  return (a - r) / b + (r > 0 ? 1 : 0);
};

/**
 * x as coefficient × 10^exponent, the coefficient its significant digits without trailing zeros
 * (0 for zero), written to coefficients[at] and exponents[at]; false, and nothing written, when x
 * is not finite or its coefficient is beyond 2^53 − 1. Arrays rather than an object per value: a
 * year of one-minute candles has 2.6 million values.
 */
export function splitDigits(
  x: Decimal,
  coefficients: Float64Array,
  exponents: Int32Array,
  at: number,
): boolean {
  const d = x.d;
  if (!d || !d.length) return false; // NaN or ±Infinity
  if (!d[0]) {
    coefficients[at] = 0;
    exponents[at] = 0;
    return true;
  }
  let firstDigits = 1;
  for (let w = d[0]; w >= 10; w = (w - (w % 10)) / 10) firstDigits++;
  const n = d.length;
  // every word but the last in full; the last without its trailing zeros
  let m = 0;
  for (let i = 0; i < n - 1; i++) m = m * 1e7 + d[i]!;
  let last = d[n - 1]!;
  let zeros = 0;
  while (last % 10 === 0) {
    last /= 10;
    zeros++;
  }
  m = n === 1 ? last : m * POW10[7 - zeros]! + last;
  // a result beyond 2^53 − 1 rounds to at least 2^53, so this test sees it
  if (m > Number.MAX_SAFE_INTEGER) return false;
  coefficients[at] = x.s < 0 ? -m : m;
  exponents[at] = x.e - (firstDigits - 1) - 7 * (n - 1) + zeros;
  return true;
}

/**
 * coefficient × 10^(exponent + scale) as an exact integer, or NaN when the shift is negative (the
 * value has more places than scale) or the integer is beyond 2^53 − 1.
 */
export function scaleDigits(coefficient: number, exponent: number, scale: number): number {
  const shift = exponent + scale;
  if (coefficient === 0) return 0;
  if (shift < 0 || shift > 22) return NaN;
  // an exact integer times an exact power of ten: the product is exact while it is safe
  const value = coefficient * POW10[shift]!;
  return safeInteger(value) ? value : NaN;
}

const one = { coefficients: new Float64Array(1), exponents: new Int32Array(1) };

/**
 * x × 10^scale as an exact integer (a double holding a whole number of at most 2^53 − 1), or NaN
 * when x is not finite, has more than `scale` places, or its scaled integer is beyond 2^53 − 1:
 * splitDigits and scaleDigits for one value.
 */
export function scaledOf(x: Decimal, scale: number): number {
  if (!splitDigits(x, one.coefficients, one.exponents, 0)) return NaN;
  return scaleDigits(one.coefficients[0]!, one.exponents[0]!, scale);
}

/** The decimal text of integer × 10^-scale ("6001234", 2 → "60012.34"). */
export function scaledText(integer: number, scale: number): string {
  let text = String(Math.abs(integer));
  if (scale > 0) {
    text = text.padStart(scale + 1, "0");
    text = `${text.slice(0, -scale)}.${text.slice(-scale)}`;
  }
  return integer < 0 ? `-${text}` : text;
}

/** decimalOfScaled's words below the first (a safe integer has at most 16 digits: 3 words). */
const spare = new Float64Array(4);

/**
 * The Decimal of integer × 10^-scale, the very one `new Decimal(scaledText(integer, scale))`
 * gives (the same sign, exponent and base-1e7 words: a test compares both), made from the digits
 * without the text and its parse — a backtest's worker makes half a million of them. The integer
 * must be safe (as scaleDigits makes them).
 */
export function decimalOfScaled(integer: number, scale: number): Decimal {
  // a Decimal of this constructor, its fields then set in the order the constructor sets them
  const x = new DecimalCtor(0);
  if (integer === 0) return x;
  let c = Math.abs(integer);
  let k = scale;
  while (c % 10 === 0) {
    c /= 10;
    k--;
  }
  let n = 1;
  while (n < 16 && c >= POW10[n]!) n++;
  const e = n - 1 - k;
  // decimal.js's words: the first holds the digits down to a multiple of 7 places below e
  const firstLen = (((e % 7) + 7) % 7) + 1;
  // Words are written as small integers (`| 0`: each is under 10^7), so the array keeps the
  // small-integer elements decimal.js's own arrays have. A word written as a double would turn it
  // (and, through the constructor's `[0]` literal, every later Decimal(0)'s array in the process)
  // into a double array: the same values, but every decimal.js read of `d` then meets arrays of two
  // kinds, slower, and code compiled for one kind is thrown away when it meets the other. The
  // arrays are exactly as long as their words: a worker makes millions of these (one grown by
  // push would hold 17 slots).
  if (n <= firstLen) {
    // the constructor made x's words [0]: a one-word value takes that array (no garbage)
    (x.d as number[])[0] = (c * POW10[firstLen - n]!) | 0;
  } else {
    // the words from the last up: at most three after the first (a safe integer has 16 digits)
    const rest = n - firstLen;
    const words = Math.ceil(rest / 7);
    const r = rest - 7 * (words - 1);
    const last = c % POW10[r]!;
    spare[words] = last * POW10[7 - r]!;
    c = (c - last) / POW10[r]!;
    for (let w = words - 1; w >= 1; w--) {
      const part = c % 1e7;
      spare[w] = part;
      c = (c - part) / 1e7;
    }
    const first = c | 0;
    (x as unknown as { d: number[] }).d =
      words === 1
        ? [first, spare[1]! | 0]
        : words === 2
          ? [first, spare[1]! | 0, spare[2]! | 0]
          : [first, spare[1]! | 0, spare[2]! | 0, spare[3]! | 0];
  }
  // the typings mark the fields read-only; the constructor writes them as plain fields, and so
  // does this, once, before anyone reads the value
  const fields = x as unknown as { s: number; e: number };
  fields.s = integer < 0 ? -1 : 1;
  fields.e = e;
  return x;
}
