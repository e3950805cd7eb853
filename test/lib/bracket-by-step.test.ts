// bracketByStep rounds to a power-of-ten step's decimal places instead of dividing by it: the
// result must be the very same Decimal (digits, exponent, sign) as the division-based definition.
import { describe, expect, it } from "vitest";
import {
  Decimal,
  bracketByDivision,
  bracketByStep,
  compareDec,
  downByStep,
  downByStepOfQuotient,
  maxDec,
  minDec,
  plusDec,
  roundForStorage,
  upByStep,
} from "../../src/lib/decimal.ts";

/** A seeded generator (the test must be reproducible). */
function lcg(seed: number) {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return x / 2 ** 31;
  };
}

function randomDecimal(random: () => number): Decimal {
  const digits = 1 + Math.floor(random() * 62);
  let text = "";
  for (let i = 0; i < digits; i++) text += String(Math.floor(random() * 10));
  const point = Math.floor(random() * (digits + 1));
  const sign = random() < 0.2 ? "-" : "";
  const shift = Math.floor(random() * 30) - 15;
  return new Decimal(`${sign}${text.slice(0, point) || "0"}.${text.slice(point) || "0"}e${shift}`);
}

const same = (a: Decimal, b: Decimal) => ({
  text: a.toString() === b.toString() && a.toFixed() === b.toFixed(),
  parts: JSON.stringify([a.s, a.e, a.d]) === JSON.stringify([b.s, b.e, b.d]),
});

describe("bracketByStep", () => {
  const steps = ["1", "0.1", "0.01", "0.00001", "1e-8", "1e-18", "5", "0.05", "0.25", "10", "100"];

  it("gives the same Decimals as floor/ceil of the division, for random values", () => {
    const random = lcg(13);
    let fast = 0;
    for (let i = 0; i < 20_000; i++) {
      const value = randomDecimal(random);
      const step = new Decimal(steps[i % steps.length]!);
      const got = bracketByStep(value, step);
      const want = bracketByDivision(value, step);
      if (value.s === 1 && value.sd() <= 60 && step.lte(1)) fast++;
      expect(same(got.down, want.down), `${value} down to ${step}`).toEqual({
        text: true,
        parts: true,
      });
      expect(same(got.up, want.up), `${value} up to ${step}`).toEqual({ text: true, parts: true });
      expect(same(downByStep(value, step), want.down), `${value} downByStep ${step}`).toEqual({
        text: true,
        parts: true,
      });
      expect(same(upByStep(value, step), want.up), `${value} upByStep ${step}`).toEqual({
        text: true,
        parts: true,
      });
    }
    // most of them went through the shortcut
    expect(fast).toBeGreaterThan(5_000);
  });

  it("gives the same Decimals for values already on the step's places (returned as they are)", () => {
    const random = lcg(31);
    let onGrid = 0;
    for (let i = 0; i < 5_000; i++) {
      const step = new Decimal(steps[i % steps.length]!);
      const places = step.decimalPlaces();
      const digits = String(Math.floor(random() * 1e12));
      const value = new Decimal(`${digits}e-${Math.floor(random() * (places + 3))}`);
      if (value.decimalPlaces() <= places) onGrid++;
      const want = bracketByDivision(value, step);
      const got = bracketByStep(value, step);
      expect(same(got.down, want.down), `${value} down to ${step}`).toEqual({
        text: true,
        parts: true,
      });
      expect(same(got.up, want.up), `${value} up to ${step}`).toEqual({ text: true, parts: true });
      expect(same(downByStep(value, step), want.down)).toEqual({ text: true, parts: true });
      expect(same(upByStep(value, step), want.up)).toEqual({ text: true, parts: true });
    }
    expect(onGrid).toBeGreaterThan(1_000);
  });

  it("gives the same on prices and quantities as a venue sees them, and on edge values", () => {
    const values = ["0", "0.000001", "61234.565", "61234.56", "0.00099999", "1", "9.999999999"];
    for (const v of values)
      for (const s of steps) {
        const got = bracketByStep(new Decimal(v), new Decimal(s));
        const want = bracketByDivision(new Decimal(v), new Decimal(s));
        expect([got.down.toString(), got.up.toString()]).toEqual([
          want.down.toString(),
          want.up.toString(),
        ]);
      }
    expect(bracketByStep(new Decimal("61234.565"), new Decimal("0.01"))).toEqual({
      down: new Decimal("61234.56"),
      up: new Decimal("61234.57"),
    });
  });
});

describe("downByStepOfQuotient", () => {
  const steps = ["1", "0.1", "0.00001", "1e-8", "1e-18", "0.05", "10", "0"];
  const check = (a: Decimal, b: Decimal, step: Decimal) => {
    const want = downByStep(a.div(b), step);
    expect(same(downByStepOfQuotient(a, b, step), want), `${a} / ${b} down to ${step}`).toEqual({
      text: true,
      parts: true,
    });
  };

  it("gives the same Decimal as downByStep of the division, for random operands", () => {
    const random = lcg(47);
    for (let i = 0; i < 20_000; i++) {
      const a = randomDecimal(random);
      const b = randomDecimal(random);
      if (b.isZero()) continue;
      check(a, b, new Decimal(steps[i % steps.length]!));
    }
  });

  it("gives the same on amounts and prices as a backtest sizes them, and on edge quotients", () => {
    const random = lcg(53);
    const lot = new Decimal("0.00001");
    for (let i = 0; i < 20_000; i++) {
      const amount = new Decimal((random() * 20_000).toFixed(Math.floor(random() * 10)));
      const price = new Decimal((1 + random() * 100_000).toFixed(Math.floor(random() * 3)));
      check(amount, price, lot);
      // exactly on the grid, and a hair either side of it
      const onGrid = price.mul(new Decimal(Math.floor(random() * 1e6)).mul(lot));
      check(onGrid, price, lot);
      check(onGrid.plus("1e-40"), price, lot);
      check(onGrid.minus("1e-40"), price, lot);
    }
    // a quotient within a unit of the 60th digit of the next lot: the division rounds it up
    const third = new Decimal(`0.${"9".repeat(62)}`);
    check(third, new Decimal(1), new Decimal("0.1"));
    check(new Decimal(1), new Decimal(3), new Decimal("1e-59"));
    check(new Decimal("2"), new Decimal(`1.${"0".repeat(55)}1`), new Decimal("0.00001"));
  });
});

describe("compareDec", () => {
  const special = ["0", "-0", "NaN", "Infinity", "-Infinity", "1e-9000000000000001", "1e-60"];

  it("answers as decimal.js's cmp on random values, zeros, NaN and infinities", () => {
    const random = lcg(29);
    const values = special.map((v) => new Decimal(v));
    for (let i = 0; i < 4_000; i++) values.push(randomDecimal(random));
    // near neighbours too: equal values and values one digit apart
    for (let i = 0; i < 500; i++) {
      const v = values[values.length - 1 - i]!;
      values.push(new Decimal(v.toString()), v.plus(new Decimal(1).div(1e9)), v.neg());
    }
    let equal = 0;
    for (let i = 0; i < 40_000; i++) {
      const a = values[Math.floor(random() * values.length)]!;
      const b =
        i % 7 === 0 ? new Decimal(a.toString()) : values[Math.floor(random() * values.length)]!;
      const want = a.cmp(b);
      if (want === 0) equal++;
      expect(
        Object.is(compareDec(a, b), want) || (isNaN(want) && isNaN(compareDec(a, b))),
        `${a} vs ${b}`,
      ).toBe(true);
      expect(minDec(a, b)).toBe(a.lte(b) ? a : b);
      expect(maxDec(a, b)).toBe(a.gte(b) ? a : b);
    }
    expect(equal).toBeGreaterThan(1_000);
  });
});

describe("roundForStorage", () => {
  it("is toDecimalPlaces(18, half even), a value within 18 places coming back as it is", () => {
    const random = lcg(37);
    const values = ["0", "-0", "NaN", "Infinity", "-Infinity", "1e-18", "1e-19", "-2.5e-19"].map(
      (v) => new Decimal(v),
    );
    for (let i = 0; i < 6_000; i++) values.push(randomDecimal(random));
    let kept = 0;
    for (const value of values) {
      const want = value.toDecimalPlaces(18, Decimal.ROUND_HALF_EVEN);
      const got = roundForStorage(value);
      if (got === value) kept++;
      expect(same(got, want), `${value}`).toEqual({ text: true, parts: true });
    }
    expect(kept).toBeGreaterThan(1_000);
  });
});

describe("plusDec", () => {
  it("is plus, zeros of either sign and values beyond the precision included", () => {
    const random = lcg(41);
    const values = ["0", "-0", "NaN", "Infinity", "-Infinity"].map((v) => new Decimal(v));
    for (let i = 0; i < 3_000; i++) values.push(randomDecimal(random));
    let skipped = 0;
    for (let i = 0; i < 30_000; i++) {
      const a = values[Math.floor(random() * values.length)]!;
      // a zero on one side half the time
      const b = i % 2 ? values[i % 5]! : values[Math.floor(random() * values.length)]!;
      const [x, y] = i % 4 < 2 ? [a, b] : [b, a];
      const got = plusDec(x, y);
      if (got === x || got === y) skipped++;
      expect(same(got, x.plus(y)), `${x} + ${y}`).toEqual({ text: true, parts: true });
    }
    expect(skipped).toBeGreaterThan(3_000);
  });
});
