// The fixed-point fold (position-fixed.ts) must give applyFill's results digit for digit: random
// fill sequences (shorts, zero crossings, fees, up to 18 decimals, values large enough to leave
// the fixed-point range), and quotients built to sit right at the ties where decimal.js's two
// roundings (60 significant digits, then 18 places) differ from a single rounding.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  FixedPositionFold,
  divHalfEven,
  formatScaled,
  parseScaled,
  replayFillsFixed,
  storageQuotient,
} from "../../../src/domain/positions/position-fixed.ts";
import {
  type FillInput,
  type PositionState,
  replayFills,
} from "../../../src/domain/positions/position-math.ts";
import { Decimal, ZERO, roundForStorage, toDb } from "../../../src/lib/decimal.ts";

/** A decimal of `units` at `scale` places, as the database would hand it back. */
const scaled = (units: bigint, scale: number) =>
  new Decimal(units.toString()).div(new Decimal(10).pow(scale));

/** Any stored-looking decimal: 0 to 18 places, magnitudes from 10^-18 to about 10^19. */
const storedArb = (maxDigits: number) =>
  fc
    .record({
      units: fc.bigInt({ min: 1n, max: 10n ** BigInt(maxDigits) - 1n }),
      scale: fc.integer({ min: 0, max: 18 }),
    })
    .map(({ units, scale }) => scaled(units, scale));

const fillArb: fc.Arbitrary<FillInput> = fc.record({
  side: fc.constantFrom("BUY" as const, "SELL" as const),
  quantity: fc.oneof(
    // realistic lots, so positions often cross and return to zero
    fc.integer({ min: 1, max: 50 }).map((n) => new Decimal(n)),
    fc.integer({ min: 1, max: 5_000_000 }).map((n) => scaled(BigInt(n), 5)),
    storedArb(22),
    storedArb(37),
  ),
  price: fc.oneof(
    fc.integer({ min: 1, max: 10_000_000 }).map((n) => scaled(BigInt(n), 2)),
    storedArb(20),
    storedArb(37),
  ),
  fee: fc.oneof(fc.constant(ZERO), storedArb(12), storedArb(30)),
});

/** Each sequence mostly flips between a few lot sizes, so shorts and zero crossings are common. */
const fillsArb = fc.array(fillArb, { minLength: 1, maxLength: 80 });

const digits = (s: PositionState) => ({
  quantity: s.quantity.toFixed(),
  avgPrice: s.avgPrice.toFixed(),
  realizedPnl: s.realizedPnl.toFixed(),
  fees: s.fees.toFixed(),
});

describe("the fixed-point fold", () => {
  it("equals the decimal.js calculator digit for digit on random fill sequences", () => {
    fc.assert(
      fc.property(fillsArb, (fills) => {
        expect(digits(replayFillsFixed(fills))).toEqual(digits(replayFills(fills)));
      }),
      { numRuns: 3000 },
    );
  });

  it("equals it after every fill, including the prefix where a position crosses zero", () => {
    const lot = fc.integer({ min: 1, max: 9 }).map((n) => scaled(BigInt(n), 1));
    const crossingArb = fc.array(
      fc.record({
        side: fc.constantFrom("BUY" as const, "SELL" as const),
        quantity: lot,
        price: storedArb(8),
        fee: fc.oneof(fc.constant(ZERO), storedArb(6)),
      }),
      { minLength: 1, maxLength: 40 },
    );
    fc.assert(
      fc.property(crossingArb, (fills) => {
        const fold = new FixedPositionFold();
        fills.forEach((fill, i) => {
          fold.apply(fill);
          expect(digits(fold.result())).toEqual(digits(replayFills(fills.slice(0, i + 1))));
        });
      }),
      { numRuns: 300 },
    );
  });

  it("rounds averages exactly like decimal.js right at the double-rounding ties", () => {
    // cost / quantity = t + ½ ± δ/n in units of 10^-18: a tie after 60 significant digits but not
    // before, where rounding twice (as decimal.js does) and rounding once disagree
    const tieArb = fc
      .oneof(
        fc.bigInt({ min: 1n, max: 10n ** 22n }),
        fc.bigInt({ min: 10n ** 38n, max: 10n ** 45n }),
      )
      .chain((t) =>
        fc.record({
          t: fc.constant(t),
          // keeps the cost c = t·n + … under 10^60, where decimal.js holds it exactly
          half: fc.bigInt({
            min: 1n,
            max: 10n ** 59n / t < 10n ** 38n ? 10n ** 59n / t : 10n ** 38n,
          }),
          delta: fc.bigInt({ min: -3n, max: 3n }),
        }),
      );
    fc.assert(
      fc.property(tieArb, ({ t, half, delta }) => {
        const n = 2n * half;
        const c = t * n + half + delta;
        fc.pre(c > 0n && c < 10n ** 60n);
        const expected = roundForStorage(
          new Decimal(`${c}e-36`).div(new Decimal(`${n}e-18`)),
        ).toFixed();
        const got = storageQuotient(c, n);
        if (got !== null) expect(formatScaled(got)).toBe(expected);
        // null only where the fold hands the fill to decimal.js: a quotient below one unit of
        // 10^-18 (t = 1 with a small half and a negative delta) or past the 60th digit
        else expect(c / n === 0n || c / n >= 10n ** 60n).toBe(true);
      }),
      { numRuns: 5000 },
    );
  });

  it("catches the case where rounding twice differs from rounding once", () => {
    // t of 41 digits: decimal.js keeps 19 places past the 18th. The quotient is t + ½ − 10^-21:
    // rounding once gives t; rounding to 19 extra places first gives t + ½, which half-even then
    // takes to t when t is even but up to t + 1 when it is odd.
    for (const t of [10n ** 40n, 10n ** 40n + 1n]) {
      const n = 2n * 10n ** 21n;
      const c = t * n + 10n ** 21n - 2n;
      const expected = roundForStorage(
        new Decimal(`${c}e-36`).div(new Decimal(`${n}e-18`)),
      ).toFixed();
      expect(formatScaled(storageQuotient(c, n)!)).toBe(expected);
      expect(storageQuotient(c, n)).toBe(t % 2n === 0n ? t : t + 1n);
    }
  });

  it("leaves a quotient below one unit of 10^-18 to decimal.js", () => {
    // CI's counterexample of the tie property: t = 1, half = 2, delta = −3 gives c = 3, n = 4
    expect(storageQuotient(3n, 4n)).toBeNull();
    expect(storageQuotient(4n, 4n)).toBe(1n);
  });

  it("rounds half-even like toDecimalPlaces, on both signs", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }),
        fc.integer({ min: 0, max: 20 }),
        (n, places) => {
          const expected = new Decimal(n.toString())
            .div(new Decimal(10).pow(places))
            .toDecimalPlaces(0, Decimal.ROUND_HALF_EVEN);
          expect(divHalfEven(n, 10n ** BigInt(places)).toString()).toBe(
            expected.isZero() ? "0" : expected.toFixed(),
          );
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("parses and prints the stored form, and refuses anything else", () => {
    // NUMERIC(38, 18): at most 20 integer digits and 18 places
    const storable = fc.integer({ min: 0, max: 18 }).chain((scale) =>
      fc.tuple(
        fc.bigInt({
          min: -(10n ** BigInt(20 + scale)) + 1n,
          max: 10n ** BigInt(20 + scale) - 1n,
        }),
        fc.constant(scale),
      ),
    );
    fc.assert(
      fc.property(storable, ([units, scale]) => {
        const value = scaled(units, scale);
        const text = toDb(value);
        expect(formatScaled(parseScaled(text)!)).toBe(text);
        // PostgreSQL's NUMERIC(38,18)::text pads to 18 places
        expect(formatScaled(parseScaled(value.toFixed(18))!)).toBe(text);
      }),
      { numRuns: 1000 },
    );
    for (const bad of ["1e-8", "0.1234567890123456789", "", ".", "1.", "0x10", " 1", "1,5"]) {
      expect(parseScaled(bad)).toBeNull();
    }
  });

  it("falls back to decimal.js for what it cannot represent, and keeps its errors", () => {
    // 19 decimals: not a stored value, but replayFills accepts it, so the fold must too
    const odd: FillInput[] = [
      {
        side: "BUY",
        quantity: new Decimal("0.0000000000000000001"),
        price: new Decimal(3),
        fee: ZERO,
      },
      { side: "BUY", quantity: new Decimal(2), price: new Decimal("1e-7"), fee: ZERO },
      { side: "SELL", quantity: new Decimal(1), price: new Decimal(5), fee: new Decimal("0.1") },
    ];
    expect(digits(replayFillsFixed(odd))).toEqual(digits(replayFills(odd)));
    // products past 60 significant digits: decimal.js rounds them, so the fold must defer to it
    const huge: FillInput[] = [
      {
        side: "BUY",
        quantity: new Decimal("12345678901234567890.123456789012345678"),
        price: new Decimal("98765432109876543210.987654321098765432"),
        fee: ZERO,
      },
      {
        side: "BUY",
        quantity: new Decimal("3.000000000000000001"),
        price: new Decimal("7.7"),
        fee: ZERO,
      },
      {
        side: "SELL",
        quantity: new Decimal("12345678901234567891.5"),
        price: new Decimal("0.000000000000000001"),
        fee: ZERO,
      },
    ];
    expect(digits(replayFillsFixed(huge))).toEqual(digits(replayFills(huge)));
    const fold = new FixedPositionFold();
    expect(() => fold.applyStored("BUY", "0", "1", "0")).toThrow(RangeError);
    expect(() => fold.applyStored("BUY", "1", "0", "0")).toThrow(RangeError);
    expect(() => fold.applyStored("BUY", "1", "1", "-0.1")).toThrow(RangeError);
  });
});
