// A Decimal as an integer count of 10^-scale (src/lib/decimal-scaled.ts): exact or refused. Every
// value split and scaled must come back as the very same Decimal (digits, exponent and sign) its
// text gives, and a value whose digits a double cannot hold exactly must be refused.
import { execFileSync } from "node:child_process";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Decimal } from "../../src/lib/decimal.ts";
import {
  decimalOfScaled,
  scaleDigits,
  scaledOf,
  scaledText,
  splitDigits,
} from "../../src/lib/decimal-scaled.ts";

/** A decimal text of 1 to 20 significant digits, with its point anywhere (or trailing zeros). */
const decimalText = fc
  .record({
    negative: fc.boolean(),
    digits: fc.stringMatching(/^[1-9][0-9]{0,19}$/),
    shift: fc.integer({ min: -25, max: 12 }),
    zerosAfter: fc.integer({ min: 0, max: 8 }),
  })
  .map(({ negative, digits, shift, zerosAfter }) => {
    const body = `${digits}${"0".repeat(zerosAfter)}e${shift}`;
    return new Decimal(negative ? `-${body}` : body).toFixed();
  });

/** decimal.js's one form of a value: sign, exponent and base-1e7 words. */
const form = (x: Decimal) => ({ s: x.s, e: x.e, d: x.d });

function split(x: Decimal): { coefficient: number; exponent: number } | null {
  const coefficients = new Float64Array(1);
  const exponents = new Int32Array(1);
  return splitDigits(x, coefficients, exponents, 0)
    ? { coefficient: coefficients[0]!, exponent: exponents[0]! }
    : null;
}

describe("splitDigits", () => {
  it("splits a value into its digits without trailing zeros and their power of ten, or refuses it", () => {
    fc.assert(
      fc.property(decimalText, (text) => {
        const x = new Decimal(text);
        const parts = split(x);
        // sd() counts the significant digits without the trailing zeros of an integer
        if (x.sd() > 15) {
          if (parts)
            expect(Math.abs(parts.coefficient)).toBeLessThanOrEqual(Number.MAX_SAFE_INTEGER);
          return;
        }
        expect(parts).not.toBeNull();
        const { coefficient, exponent } = parts!;
        expect(Number.isSafeInteger(coefficient)).toBe(true);
        expect(coefficient % 10).not.toBe(0);
        expect(new Decimal(`${coefficient}e${exponent}`).eq(x)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it("refuses what a double cannot hold exactly, and not finite values", () => {
    expect(split(new Decimal("12345678901234567"))).toBeNull();
    expect(split(new Decimal("0.12345678901234567"))).toBeNull();
    expect(split(new Decimal(NaN))).toBeNull();
    expect(split(new Decimal(Infinity))).toBeNull();
    expect(split(new Decimal("9007199254740991"))).toEqual({
      coefficient: 9007199254740991,
      exponent: 0,
    });
    expect(split(new Decimal("9007199254740993"))).toBeNull();
    expect(split(new Decimal(0))).toEqual({ coefficient: 0, exponent: 0 });
    expect(split(new Decimal("-60012.30"))).toEqual({ coefficient: -600123, exponent: -1 });
    expect(split(new Decimal("1200000"))).toEqual({ coefficient: 12, exponent: 5 });
  });
});

describe("scaleDigits and scaledText", () => {
  it("give back the very Decimal at any scale that holds it, and refuse the others", () => {
    fc.assert(
      fc.property(decimalText, fc.integer({ min: 0, max: 30 }), (text, extra) => {
        const x = new Decimal(text);
        const parts = split(x);
        if (!parts) return;
        const places = Math.max(0, -parts.exponent);
        const scale = places + extra;
        const integer = scaleDigits(parts.coefficient, parts.exponent, scale);
        const exact = x.mul(new Decimal(10).pow(scale));
        if (exact.abs().gt(Number.MAX_SAFE_INTEGER)) {
          expect(integer).toBeNaN();
          return;
        }
        expect(integer).toBe(exact.toNumber());
        const back = new Decimal(scaledText(integer, scale));
        expect(form(back)).toEqual(form(x));
        // made without the text: the very same Decimal, an instance of the app's constructor
        const made = decimalOfScaled(integer, scale);
        expect(form(made)).toEqual(form(x));
        expect(made).toBeInstanceOf(Decimal);
        expect(made.toFixed()).toBe(x.toFixed());
        expect(made.plus(1).minus(1).eq(x)).toBe(true);
        // scaledOf: the two in one call
        expect(scaledOf(x, scale)).toBe(integer);
        // a scale below the value's places would round: refused
        if (places > 0 && parts.coefficient !== 0) {
          expect(scaleDigits(parts.coefficient, parts.exponent, places - 1)).toBeNaN();
          expect(scaledOf(x, places - 1)).toBeNaN();
        }
      }),
      { numRuns: 3000 },
    );
  });

  it("makes the Decimal of zero, of integers with trailing zeros and of every word length", () => {
    expect(form(decimalOfScaled(0, 2))).toEqual(form(new Decimal("0.00")));
    for (const [integer, scale] of [
      [1200000, 0],
      [5, 3],
      [123456789123, 3],
      [-9007199254740991, 9],
      [100, 7],
      [1, 22],
      [9007199254740991, 0],
    ] as const)
      expect(form(decimalOfScaled(integer, scale))).toEqual(
        form(new Decimal(scaledText(integer, scale))),
      );
  });

  it("holds its words in small-integer arrays of their own length, as decimal.js's own Decimals", () => {
    // V8's test functions need a flag of their own, so the check runs in a process of its own
    const root = path.resolve(import.meta.dirname, "../..");
    const out = execFileSync(
      process.execPath,
      [
        "--allow-natives-syntax",
        "--expose-gc",
        "--import",
        "tsx",
        "test/support/decimal-words-kind.ts",
      ],
      { cwd: root, encoding: "utf8", timeout: 45_000 },
    );
    expect(JSON.parse(out)).toEqual({
      first: [true, true, true, true],
      optimized: [true, true, true, true],
      decimalZero: true,
      sink: true,
      secondWordLean: true,
    });
  }, 60_000);

  it("writes the point, the leading zeros and the sign", () => {
    expect(scaledText(6001234, 2)).toBe("60012.34");
    expect(scaledText(5, 3)).toBe("0.005");
    expect(scaledText(-5, 3)).toBe("-0.005");
    expect(scaledText(0, 2)).toBe("0.00");
    expect(scaledText(42, 0)).toBe("42");
  });
});
