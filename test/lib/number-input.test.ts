// The one parser for numbers people type (parseNumberInput): what it accepts round-trips to the
// exact value, in every shape the bot itself prints numbers in (en and ru grouping, decimal comma)
// and the plain ones people type; everything else is refused with the reason — exponent, hex,
// NaN/Infinity, non-ASCII digits, ragged groups — and "1,000" (a thousand, or one?) as ambiguous.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatNumber } from "../../src/bot/format/numbers.ts";
import { Decimal, parseDecimal, parseNumberInput } from "../../src/lib/decimal.ts";

const digits = (min: number, max: number) =>
  fc
    .array(fc.constantFrom(..."0123456789"), { minLength: min, maxLength: max })
    .map((a) => a.join(""));

/** Any value a person might give: up to 20 integer digits and 18 decimals, either sign. */
const values = fc
  .record({ negative: fc.boolean(), int: digits(1, 20), frac: digits(0, 18) })
  .map(({ negative, int, frac }) => new Decimal(`${negative ? "-" : ""}${int}.${frac || "0"}`));

function accepted(text: string): Decimal {
  const parsed = parseNumberInput(text);
  if (!parsed.ok) throw new Error(`refused “${text}”: ${parsed.problem}`);
  return parsed.value;
}

describe("parseNumberInput", () => {
  it("accepts the forms people type", () => {
    const cases: Array<[string, string]> = [
      ["1000.50", "1000.5"],
      ["1,000.50", "1000.5"],
      ["1,000,000", "1000000"],
      ["12,345,678.9", "12345678.9"],
      ["1 000.50", "1000.5"],
      ["1 000,50", "1000.5"],
      ["1\u00a0000,50", "1000.5"],
      ["1\u202f000\u202f000", "1000000"],
      ["1000,50", "1000.5"],
      ["0,5", "0.5"],
      ["0,500", "0.5"],
      ["1,0000", "1"],
      ["1234,567", "1234.567"],
      [".5", "0.5"],
      ["5.", "5"],
      ["+7", "7"],
      ["-0.02", "-0.02"],
      ["−1,250.5", "-1250.5"],
      ["  42  ", "42"],
      ["007", "7"],
      ["0.000000000000000001", "0.000000000000000001"],
      ["99999999999999999999999999999999", "99999999999999999999999999999999"],
    ];
    for (const [text, value] of cases) expect(accepted(text).toFixed(), text).toBe(value);
  });

  it("refuses a comma that may be a thousands group or a decimal comma as ambiguous", () => {
    for (const text of ["1,000", "12,345", "999,999", "-1,000", "+250,000"]) {
      expect(parseNumberInput(text), text).toEqual({ ok: false, problem: "ambiguous" });
    }
  });

  it("refuses what is not a number a person types", () => {
    const bad = [
      "NaN",
      "nan",
      "Infinity",
      "-Infinity",
      "∞",
      "1e5",
      "1E-3",
      "0x10",
      "0b101",
      "1_000",
      "١٢٣",
      "１２３",
      "१२३",
      "1.000.000",
      "1.000,50",
      "1,00,000",
      "1,000,50",
      "1 00",
      "12 3456",
      "1 000,000.5",
      "1,000 000",
      "0,500,000",
      "--5",
      "+-5",
      "5-",
      "$5",
      "5%",
      ".",
      ",",
      "-",
      "1.2.3",
      "12a",
      "1" + "0".repeat(100),
    ];
    for (const text of bad) {
      expect(parseNumberInput(text), text).toEqual({ ok: false, problem: "not-a-number" });
      expect(parseDecimal(text), text).toBeNull();
    }
    expect(parseNumberInput("   ")).toEqual({ ok: false, problem: "empty" });
  });

  it("reads back every number as the bot prints it (en, ru) and as people type it (property)", () => {
    // one digit group after a single comma, nothing else: the one shape refused as ambiguous
    const ambiguousShape = /^[−-]?[1-9]\d{0,2},\d{3}$/;
    const readsBack = (text: string, v: Decimal) => {
      const parsed = parseNumberInput(text);
      if (ambiguousShape.test(text))
        expect(parsed, text).toEqual({ ok: false, problem: "ambiguous" });
      else expect(parsed.ok && parsed.value.eq(v), text).toBe(true);
    };
    fc.assert(
      fc.property(values, (v) => {
        // plain, and with a decimal comma
        readsBack(v.toFixed(), v);
        readsBack(v.toFixed().replace(".", ","), v);
        // Russian: narrow no-break space groups, decimal comma, typographic minus
        readsBack(formatNumber(v, "ru"), v);
        // English: comma groups and a dot
        readsBack(formatNumber(v, "en"), v);
        // with two decimals, as money is printed, nothing is ambiguous in English
        const cents = v.toDecimalPlaces(2);
        expect(accepted(formatNumber(cents, "en", { minDecimals: 2 })).eq(cents)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it("refuses any text with a character outside digits, separators and a sign (property)", () => {
    const foreign = fc
      .string({ minLength: 1, maxLength: 3 })
      .filter((s) => /[^0-9.,+\-\u2212 \u00a0\u202f\u2009]/.test(s));
    fc.assert(
      fc.property(values, foreign, fc.nat(40), (v, junk, at) => {
        const text = v.toFixed();
        const i = Math.min(at, text.length);
        const mixed = `${text.slice(0, i)}${junk}${text.slice(i)}`;
        expect(parseNumberInput(mixed).ok, mixed).toBe(false);
      }),
      { numRuns: 500 },
    );
  });
});
