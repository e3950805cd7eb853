// Property-based tests of the position calculator: random sequences of buys, sells, partial
// fills, shorts and zero crossings against independent formulations of the same accounting.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Decimal, ZERO } from "../../../src/lib/decimal.ts";
import {
  FLAT,
  type FillInput,
  applyFill,
  replayFills,
  signedQuantity,
  unrealizedPnl,
} from "../../../src/domain/positions/position-math.ts";

/** A decimal with up to `scale` places between 1 unit of the last place and `max`. */
const decimalArb = (scale: number, maxUnits: number) =>
  fc
    .integer({ min: 1, max: maxUnits })
    .map((units) => new Decimal(units).div(new Decimal(10).pow(scale)));

const fillArb: fc.Arbitrary<FillInput> = fc.record({
  side: fc.constantFrom("BUY" as const, "SELL" as const),
  quantity: fc.oneof(decimalArb(8, 500_000_000), decimalArb(0, 1000), decimalArb(3, 2_000_000)),
  price: fc.oneof(decimalArb(2, 10_000_000), decimalArb(8, 100_000_000), decimalArb(4, 99_999)),
  fee: fc.oneof(fc.constant(ZERO), decimalArb(6, 5_000_000)),
});

const fillsArb = fc.array(fillArb, { minLength: 1, maxLength: 60 });

describe("applyFill", () => {
  it("keeps quantity and fees exact to the last digit of the inputs", () => {
    fc.assert(
      fc.property(fillsArb, (fills) => {
        const state = replayFills(fills);
        const qty = fills.reduce((s, f) => s.plus(signedQuantity(f.side, f.quantity)), ZERO);
        const fees = fills.reduce((s, f) => s.plus(f.fee), ZERO);
        expect(state.quantity.toFixed()).toBe(qty.toFixed());
        expect(state.fees.toFixed()).toBe(fees.toFixed());
      }),
      { numRuns: 500 },
    );
  });

  it("conserves value: realized + unrealized equals the cash flows plus the marked position", () => {
    // an independent formulation of average-cost accounting: whatever the path, total PnL at a
    // mark is what was received minus what was paid plus what is held, at that mark
    fc.assert(
      fc.property(fillsArb, decimalArb(2, 10_000_000), (fills, mark) => {
        const state = replayFills(fills);
        const cash = fills.reduce(
          (s, f) => s.minus(signedQuantity(f.side, f.quantity).mul(f.price)),
          ZERO,
        );
        const expected = cash.plus(state.quantity.mul(mark));
        const actual = state.realizedPnl.plus(unrealizedPnl(state, mark));
        // averages and realized amounts are rounded to 18 places once per fill
        const tolerance = new Decimal("1e-9")
          .mul(fills.length + 1)
          .mul(Decimal.max(1, state.quantity.abs()));
        expect(actual.minus(expected).abs().lte(tolerance)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it("moves the average only when adding, realizes only when reducing", () => {
    fc.assert(
      fc.property(fillsArb, fillArb, (fills, fill) => {
        const before = replayFills(fills);
        const { next, realized } = applyFill(before, fill);
        const delta = signedQuantity(fill.side, fill.quantity);
        const adding = before.quantity.isZero() || before.quantity.isNeg() === delta.isNeg();
        if (adding) {
          expect(realized.isZero()).toBe(true);
          const cost = before.quantity
            .abs()
            .mul(before.avgPrice)
            .plus(fill.quantity.mul(fill.price));
          expect(next.avgPrice.toFixed()).toBe(
            cost.div(next.quantity.abs()).toDecimalPlaces(18, Decimal.ROUND_HALF_EVEN).toFixed(),
          );
        } else {
          const closed = Decimal.min(before.quantity.abs(), fill.quantity);
          const direction = before.quantity.isNeg() ? -1 : 1;
          expect(realized.toFixed()).toBe(
            fill.price
              .minus(before.avgPrice)
              .mul(closed)
              .mul(direction)
              .toDecimalPlaces(18)
              .toFixed(),
          );
          if (next.quantity.isZero()) expect(next.avgPrice.isZero()).toBe(true);
          else if (next.quantity.isNeg() === before.quantity.isNeg())
            expect(next.avgPrice.eq(before.avgPrice)).toBe(true);
          else expect(next.avgPrice.eq(fill.price)).toBe(true);
        }
        expect(next.realizedPnl.eq(before.realizedPnl.plus(realized))).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it("flat positions have a zero average and keep their realized PnL", () => {
    fc.assert(
      fc.property(fillsArb, (fills) => {
        const state = replayFills(fills);
        if (state.quantity.isZero()) expect(state.avgPrice.isZero()).toBe(true);
        else expect(state.avgPrice.gt(0)).toBe(true);
      }),
    );
  });

  it("matches worked examples", () => {
    const buy = (q: string, p: string, fee = "0"): FillInput => ({
      side: "BUY",
      quantity: new Decimal(q),
      price: new Decimal(p),
      fee: new Decimal(fee),
    });
    const sell = (q: string, p: string, fee = "0"): FillInput => ({
      ...buy(q, p, fee),
      side: "SELL",
    });
    // long: average moves on adds, realizes on reduce
    let s = replayFills([buy("1", "100"), buy("3", "200")]);
    expect(s.quantity.toFixed()).toBe("4");
    expect(s.avgPrice.toFixed()).toBe("175");
    s = applyFill(s, sell("1", "205", "0.5")).next;
    expect(s.realizedPnl.toFixed()).toBe("30");
    expect(s.fees.toFixed()).toBe("0.5");
    expect(s.avgPrice.toFixed()).toBe("175");
    // crossing zero: close 3 long at 150 (-75), open 2 short at 150
    const crossed = applyFill(s, sell("5", "150"));
    expect(crossed.next.quantity.toFixed()).toBe("-2");
    expect(crossed.next.avgPrice.toFixed()).toBe("150");
    expect(crossed.realized.toFixed()).toBe("-75");
    expect(crossed.opened).toBe(true);
    // short covered at a lower price gains
    const covered = applyFill(crossed.next, buy("2", "140"));
    expect(covered.realized.toFixed()).toBe("20");
    expect(covered.closed).toBe(true);
    expect(covered.next.avgPrice.toFixed()).toBe("0");
    expect(covered.next.realizedPnl.toFixed()).toBe("-25");
    // a third of something: rounded to 18 places, half-even
    const third = replayFills([buy("1", "1"), buy("2", "1.000000000000000001")]);
    expect(third.avgPrice.toFixed()).toBe("1.000000000000000001");
    const odd = replayFills([buy("3", "1"), buy("3", "2"), buy("3", "2")]);
    expect(odd.avgPrice.toFixed()).toBe("1.666666666666666667");
  });

  it("rejects impossible fills", () => {
    const bad =
      (q: string, p: string, fee = "0") =>
      () =>
        applyFill(FLAT, {
          side: "BUY",
          quantity: new Decimal(q),
          price: new Decimal(p),
          fee: new Decimal(fee),
        });
    expect(bad("0", "1")).toThrow(RangeError);
    expect(bad("-1", "1")).toThrow(RangeError);
    expect(bad("1", "0")).toThrow(RangeError);
    expect(bad("1", "1", "-0.1")).toThrow(RangeError);
  });
});
