import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Decimal } from "../../../src/lib/decimal.ts";
import { StepGrid } from "../../../src/market/offline/step-grid.ts";

describe("StepGrid", () => {
  it("formats whole steps exactly", () => {
    expect(new StepGrid("0.01").format(9125001)).toBe("91250.01");
    expect(new StepGrid("0.00000001").format(850)).toBe("0.00000850");
    expect(new StepGrid("0.25").format(3)).toBe("0.75");
    expect(new StepGrid("5").format(7)).toBe("35");
    expect(new StepGrid("1").format(0)).toBe("0");
  });

  it("equals count × step for any count, beyond 2^53 products too", () => {
    const steps = fc.constantFrom("0.01", "0.0001", "0.00000001", "0.25", "1", "5", "0.5");
    fc.assert(
      fc.property(steps, fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (step, count) => {
        const grid = new StepGrid(step);
        expect(grid.toDecimal(count).eq(new Decimal(count).mul(step))).toBe(true);
      }),
    );
  });

  it("rejects steps that are not positive numbers", () => {
    for (const bad of ["0", "-0.01", "abc", "NaN"])
      expect(() => new StepGrid(bad)).toThrow(RangeError);
  });
});
