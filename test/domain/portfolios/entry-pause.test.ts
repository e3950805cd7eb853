// Which orders a paused portfolio refuses: those that open or grow a position (either way), never
// those that reduce one.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isEntry } from "../../../src/domain/portfolios/entry-pause.ts";
import { Decimal } from "../../../src/lib/decimal.ts";

const d = (v: string | number) => new Decimal(v);

describe("isEntry", () => {
  it("buys into a long or flat position, and sells into a flat or short one, are entries", () => {
    expect(isEntry("BUY", d(1), d(0))).toBe(true);
    expect(isEntry("BUY", d(1), d(5))).toBe(true);
    expect(isEntry("SELL", d(1), d(0))).toBe(true);
    expect(isEntry("SELL", d(1), d(-2))).toBe(true);
  });

  it("reducing a position is an exit; going through zero is an entry", () => {
    expect(isEntry("SELL", d(5), d(5))).toBe(false);
    expect(isEntry("SELL", d("0.5"), d(5))).toBe(false);
    expect(isEntry("SELL", d("5.00000001"), d(5))).toBe(true);
    expect(isEntry("BUY", d(2), d(-2))).toBe(false);
    expect(isEntry("BUY", d(3), d(-2))).toBe(true);
  });

  it("an order is an exit exactly when it leaves the position smaller and on the same side", () => {
    const amount = fc.integer({ min: -1_000_000, max: 1_000_000 }).map((n) => d(n).div(1000));
    fc.assert(
      fc.property(
        fc.constantFrom("BUY" as const, "SELL" as const),
        amount,
        amount,
        (side, q, held) => {
          const quantity = q.abs().plus("0.001");
          const after = side === "BUY" ? held.plus(quantity) : held.minus(quantity);
          const reduces =
            !held.isZero() && after.abs().lt(held.abs()) && (after.isZero() || after.s === held.s);
          expect(isEntry(side, quantity, held)).toBe(!reduces);
        },
      ),
    );
  });
});
