import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { softBound } from "../../../src/market/offline/price-scale.ts";

describe("softBound", () => {
  it("leaves ordinary deviations untouched", () => {
    for (const x of [0, 0.1, -0.5, Math.log(2.5), -Math.log(2.5)]) expect(softBound(x)).toBe(x);
  });

  it("is monotone and stays within ln 4.5 of the reference", () => {
    const x = fc.double({ min: -50, max: 50, noNaN: true });
    fc.assert(
      fc.property(x, x, (a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        return softBound(lo) <= softBound(hi) && Math.abs(softBound(a)) < Math.log(4.5) + 1e-12;
      }),
    );
  });
});
