// A Decimal as a float, read straight from decimal.js's digits (its documented `d`, `e`, `s`:
// base-1e7 words, the base-10 exponent of the first digit, the sign). toNumber() goes through a
// string and a parse, which for a year of one-minute candles costs more than the rest of the
// engine; this is a few multiplications. Exact while the value has at most 15 significant
// digits (prices do), otherwise within a few units of the last place — fine for what it feeds:
// returns, ratios and chart points, never money.
import type { Decimal } from "./decimal.ts";

const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);

export function toFloat(x: Decimal): number {
  const d = x.d;
  if (!d || !d.length) return x.toNumber(); // NaN or ±Infinity
  let mantissa = 0;
  for (let i = 0; i < d.length; i++) mantissa = mantissa * 1e7 + d[i]!;
  let firstDigits = 1;
  for (let w = d[0]!; w >= 10; w = Math.floor(w / 10)) firstDigits++;
  const exponent = x.e - (firstDigits - 1) - 7 * (d.length - 1);
  const value =
    exponent >= 0
      ? mantissa * (POW10[exponent] ?? 10 ** exponent)
      : mantissa / (POW10[-exponent] ?? 10 ** -exponent);
  return x.s < 0 ? -value : value;
}
