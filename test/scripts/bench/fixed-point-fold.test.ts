// The BigInt fixed-point fold that B4 measures as a proposal must be the position calculator to
// the digit: random fill sequences (longs, shorts, zero crossings, 18-decimal averages) folded
// both ways give the same canonical strings.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type FillInput, replayFills } from "../../../src/domain/positions/position-math.ts";
import { Decimal, toDb } from "../../../src/lib/decimal.ts";
import {
  FIXED_FLAT,
  applyFixedFill,
  divHalfEven,
  formatFixed,
  parseFixed,
} from "../../../scripts/bench/fixed-point-fold.ts";

const decimalArb = (scale: number, maxUnits: number) =>
  fc
    .integer({ min: 1, max: maxUnits })
    .map((units) => new Decimal(units).div(new Decimal(10).pow(scale)));

const fillArb: fc.Arbitrary<FillInput> = fc.record({
  side: fc.constantFrom("BUY" as const, "SELL" as const),
  quantity: fc.oneof(
    decimalArb(8, 500_000_000),
    decimalArb(0, 1000),
    decimalArb(18, 2_000_000_000),
  ),
  price: fc.oneof(
    decimalArb(2, 10_000_000),
    decimalArb(8, 100_000_000),
    decimalArb(18, 99_999_999),
  ),
  fee: fc.oneof(fc.constant(new Decimal(0)), decimalArb(6, 5_000_000)),
});

describe("fixed-point fold (B4 prototype)", () => {
  it("parses and formats the canonical stored form", () => {
    for (const text of [
      "0",
      "1",
      "-1",
      "0.000000000000000001",
      "-12.5",
      "99999999999999999999.999999999999999999",
    ]) {
      expect(formatFixed(parseFixed(text))).toBe(text);
    }
    expect(formatFixed(parseFixed("1.2300"))).toBe("1.23");
    expect(formatFixed(parseFixed("-0.0"))).toBe("0");
    expect(() => parseFixed("0.0000000000000000001")).toThrow(RangeError);
  });

  it("rounds half to even like decimal.js ROUND_HALF_EVEN", () => {
    const cases: [bigint, bigint, bigint][] = [
      [5n, 2n, 2n],
      [7n, 2n, 4n],
      [-5n, 2n, -2n],
      [-7n, 2n, -4n],
      [10n, 3n, 3n],
      [-10n, 3n, -3n],
      [11n, 3n, 4n],
      [5n, -2n, -2n],
    ];
    for (const [n, d, q] of cases) expect(divHalfEven(n, d), `${n}/${d}`).toBe(q);
  });

  it("gives the decimal.js calculator's digits on random fill sequences (property)", () => {
    fc.assert(
      fc.property(fc.array(fillArb, { minLength: 1, maxLength: 80 }), (fills) => {
        const expected = replayFills(fills);
        let state = FIXED_FLAT;
        for (const f of fills) {
          state = applyFixedFill(
            state,
            f.side,
            parseFixed(toDb(f.quantity)),
            parseFixed(toDb(f.price)),
            parseFixed(toDb(f.fee)),
          );
        }
        expect(
          [state.quantity, state.avgPrice, state.realizedPnl, state.fees].map(formatFixed),
        ).toEqual(
          [expected.quantity, expected.avgPrice, expected.realizedPnl, expected.fees].map((d) =>
            toDb(d),
          ),
        );
      }),
      { numRuns: 1000 },
    );
  });
});
