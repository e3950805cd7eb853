// formatNumber rounds and trims with string work on one toFixed() (it runs hundreds of times per
// /positions message). Its meaning is the plain Decimal recipe below — round half-even to the
// maximum, keep at least the minimum decimals, sign only a non-zero result — and this checks the
// two agree on any value, style and locale, including the values that round to zero.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type NumberStyle, formatNumber } from "../../src/bot/format/numbers.ts";
import { Decimal } from "../../src/lib/decimal.ts";

function byDecimals(value: Decimal, locale: string, style: NumberStyle): string {
  let d = value;
  const max = style.maxDecimals ?? Math.max(style.minDecimals ?? 0, d.decimalPlaces());
  d = d.toDecimalPlaces(max);
  const min = Math.min(style.minDecimals ?? 0, max);
  const places = Math.max(min, d.decimalPlaces());
  const [intPart = "0", fracPart = ""] = d.abs().toFixed(places).split(".");
  const parts = new Intl.NumberFormat(locale).formatToParts(12345.6);
  const group = parts.find((p) => p.type === "group")?.value ?? ",";
  const decimal = parts.find((p) => p.type === "decimal")?.value ?? ".";
  const grouped = intPart.replace(/\B(?=(\d{3})+(?!\d))/g, group);
  const sign = d.isNeg() && !d.isZero() ? "−" : style.signed && d.gt(0) ? "+" : "";
  return `${sign}${grouped}${fracPart ? decimal + fracPart : ""}`;
}

const digits = (min: number, max: number) =>
  fc
    .array(fc.constantFrom(..."0123456789"), { minLength: min, maxLength: max })
    .map((a) => a.join(""));

const values = fc
  .record({ negative: fc.boolean(), int: digits(1, 16), frac: digits(0, 18) })
  .map(({ negative, int, frac }) => new Decimal(`${negative ? "-" : ""}${int}.${frac || "0"}`));

const styles = fc.record(
  {
    minDecimals: fc.integer({ min: 0, max: 10 }),
    maxDecimals: fc.integer({ min: 0, max: 12 }),
    signed: fc.boolean(),
  },
  { requiredKeys: [] },
);

describe("formatNumber", () => {
  it("writes the digits the Decimal recipe writes, for any value, style and locale", () => {
    fc.assert(
      fc.property(values, styles, fc.constantFrom("en", "ru", "de"), (value, style, locale) => {
        expect(formatNumber(value, locale, style)).toBe(byDecimals(value, locale, style));
        expect(formatNumber(value.toString(), locale, style)).toBe(
          byDecimals(value, locale, style),
        );
      }),
      { numRuns: 3_000 },
    );
  });

  it("rounds half to even and never signs what rounds to zero", () => {
    expect(formatNumber("2.345", "en", { maxDecimals: 2 })).toBe("2.34");
    expect(formatNumber("2.355", "en", { maxDecimals: 2 })).toBe("2.36");
    expect(formatNumber("-0.004", "en", { minDecimals: 2, maxDecimals: 2, signed: true })).toBe(
      "0.00",
    );
    expect(formatNumber("0.004", "en", { minDecimals: 2, maxDecimals: 2, signed: true })).toBe(
      "0.00",
    );
    expect(formatNumber("-1234567.5", "en", { maxDecimals: 0 })).toBe("−1,234,568");
    expect(formatNumber("1234.5", "en", { minDecimals: 2, signed: true })).toBe("+1,234.50");
    expect(formatNumber("1.10000", "en", {})).toBe("1.1");
  });
});
