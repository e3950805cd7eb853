// The performance calculator, pure: hand-computed scenarios (the withdrawal that looked
// like an 81.65 % loss, a deposit doubling the capital between two +10 % moves, a period that
// starts empty, a portfolio withdrawn to zero, flows between samples, at one instant, outside the
// period, several currencies) and properties: flows never change the return when prices do not
// move, a flow invested at the current price never changes it when they do, and without flows the
// return is end / start − 1.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { EquityPoint } from "../../../src/domain/reports/equity-curve.ts";
import {
  type CurrencyPerformance,
  type ExternalFlow,
  computePerformance,
  seriesPerformance,
} from "../../../src/domain/reports/performance.ts";
import { Decimal, ZERO } from "../../../src/lib/decimal.ts";

const d = (v: string | number) => new Decimal(v);
const HOUR = 3_600_000;
const T0 = Date.parse("2026-03-02T00:00:00Z");
const at = (hour: number) => new Date(T0 + hour * HOUR);
const points = (values: Array<[hour: number, value: string]>): EquityPoint[] =>
  values.map(([hour, value]) => ({ at: at(hour), value: d(value) }));
const flow = (hour: number, amount: string, currency = "USD"): ExternalFlow => ({
  currency,
  amount: d(amount),
  at: at(hour),
});

/** The figures as plain strings, for exact comparison. */
function figures(p: CurrencyPerformance | null) {
  if (!p) return null;
  return {
    start: p.start.toFixed(),
    end: p.end.toFixed(),
    deposits: p.deposits.toFixed(),
    withdrawals: p.withdrawals.toFixed(),
    netFlows: p.netFlows.toFixed(),
    profit: p.profit.toFixed(),
    twr: p.twr?.toFixed() ?? null,
  };
}

describe("seriesPerformance", () => {
  it("the issue's case: 81,650 withdrawn with the market flat is a 0 % return, not −81.65 %", () => {
    // 100,000 held at the start; 81,650 taken out at 12:00; nothing moves
    const p = seriesPerformance(
      "USD",
      points([
        [0, "100000"],
        [6, "100000"],
        [12, "18350"],
        [24, "18350"],
      ]),
      [flow(12, "-81650")],
    );
    expect(figures(p)).toEqual({
      start: "100000",
      end: "18350",
      deposits: "0",
      withdrawals: "81650",
      netFlows: "-81650",
      profit: "0",
      twr: "0",
    });
  });

  it("the issue's case from the deposit: 100,000 in and 81,650 out of an account opened in the period", () => {
    // the deposit is the period's first instant: the period opens just before it, from zero
    const p = seriesPerformance(
      "USD",
      points([
        [0, "100000"],
        [12, "18350"],
        [24, "18350"],
      ]),
      [flow(0, "100000"), flow(12, "-81650")],
    );
    expect(figures(p)).toEqual({
      start: "0",
      end: "18350",
      deposits: "100000",
      withdrawals: "81650",
      netFlows: "18350",
      profit: "0",
      twr: "0",
    });
  });

  it("chains +0.1 % before a withdrawal and +0.1 % after it into +0.2001 %", () => {
    // 100,000 → 100,100 (+0.1 %); 81,650 out leaves 18,450; → 18,468.45 (+0.1 %)
    const p = seriesPerformance(
      "USD",
      points([
        [0, "100000"],
        [12, "18450"],
        [24, "18468.45"],
      ]),
      [flow(12, "-81650")],
    );
    // 1.001 × 1.001 − 1; profit 100 + 18.45
    expect(figures(p)).toMatchObject({ profit: "118.45", twr: "0.002001", netFlows: "-81650" });
  });

  it("a deposit doubling the capital between two +10 % moves is +21 %, whatever the money did", () => {
    // 100 → 110 (+10 %); 110 deposited → 220; → 242 (+10 %)
    const p = seriesPerformance(
      "USD",
      points([
        [0, "100"],
        [5, "105"],
        [10, "220"],
        [15, "231"],
        [20, "242"],
      ]),
      [flow(10, "110")],
    );
    expect(figures(p)).toEqual({
      start: "100",
      end: "242",
      deposits: "110",
      withdrawals: "0",
      netFlows: "110",
      // 10 on the first 100, 22 on the 220
      profit: "32",
      twr: "0.21",
    });
  });

  it("a period that starts empty measures from its first deposit", () => {
    const p = seriesPerformance(
      "USD",
      points([
        [0, "0"],
        [1, "0"],
        [2, "1000"],
        [3, "1050"],
      ]),
      [flow(2, "1000")],
    );
    expect(figures(p)).toEqual({
      start: "0",
      end: "1050",
      deposits: "1000",
      withdrawals: "0",
      netFlows: "1000",
      profit: "50",
      twr: "0.05",
    });
  });

  it("skips the time a portfolio spent withdrawn to zero, without dividing by it", () => {
    // 1000 → 1100 (+10 %), all 1100 out; empty; 500 in → 450 (−10 %)
    const p = seriesPerformance(
      "USD",
      points([
        [0, "1000"],
        [1, "0"],
        [2, "0"],
        [3, "500"],
        [4, "450"],
      ]),
      [flow(1, "-1100"), flow(3, "500")],
    );
    expect(figures(p)).toEqual({
      start: "1000",
      end: "450",
      deposits: "500",
      withdrawals: "1100",
      netFlows: "-600",
      profit: "50",
      twr: "-0.01", // 1.1 × 0.9 − 1
    });
    // withdrawn to zero and left empty: the return is what it made while it held money
    const gone = seriesPerformance(
      "USD",
      points([
        [0, "1000"],
        [1, "0"],
        [2, "0"],
      ]),
      [flow(1, "-1100")],
    );
    expect(figures(gone)).toMatchObject({ end: "0", profit: "100", twr: "0.1" });
  });

  it("has no return to give when the portfolio never held anything", () => {
    const p = seriesPerformance(
      "USD",
      points([
        [0, "0"],
        [1, "0"],
      ]),
      [],
    );
    expect(p!.twr).toBeNull();
    expect(p!.profit.isZero()).toBe(true);
    expect(seriesPerformance("USD", [], [])).toBeNull();
  });

  it("counts several flows at one instant as one, and a flow at the last instant as the period's", () => {
    // at 1:00: +500 and −200 together (value 1300 with them, 1000 just before); at 2:00 +100
    // arrives with the end sample (1430 with it)
    const p = seriesPerformance(
      "USD",
      points([
        [0, "1000"],
        [1, "1300"],
        [2, "1430"],
      ]),
      [flow(1, "500"), flow(1, "-200"), flow(2, "100")],
    );
    // 1000 → 1000 (0 %), 1300 → 1330 (+30 / 1300); the end's own flow is not a gain
    expect(p!.twr!.toFixed()).toBe(d(1330).div(1300).minus(1).toFixed());
    expect(figures(p)).toMatchObject({
      deposits: "600",
      withdrawals: "200",
      netFlows: "400",
      profit: "30",
    });
  });

  it("takes a flow between two samples at the next sample and ignores flows outside the period", () => {
    const p = seriesPerformance(
      "USD",
      points([
        [1, "1000"],
        [2, "1100"],
        [3, "2310"],
      ]),
      // before the period (already in the first value), inside between 2:00 and 3:00, after it
      [flow(0, "1000"), flow(2.5, "1000"), flow(4, "-50")],
    );
    // 1000 → 1100 (+10 %), then 2310 − 1000 = 1310 just before vs 1100 (+19.0909…%)
    expect(p!.twr!.toFixed()).toBe(d(1.1).mul(d(1310).div(1100)).minus(1).toFixed());
    expect(figures(p)).toMatchObject({ start: "1000", netFlows: "1000", profit: "310" });
  });
});

describe("computePerformance", () => {
  it("keeps currencies apart and leaves out one with nothing in the period", () => {
    const result = computePerformance(
      [
        {
          currency: "EUR",
          points: points([
            [0, "500"],
            [1, "1550"],
          ]),
        },
        {
          currency: "USD",
          points: points([
            [0, "100000"],
            [1, "18350"],
          ]),
        },
        {
          currency: "GBP",
          points: points([
            [0, "0"],
            [1, "0"],
          ]),
        },
      ],
      [flow(1, "1000", "EUR"), flow(1, "-81650", "USD")],
    );
    expect(result.map((p) => [p.currency, figures(p)])).toEqual([
      [
        "EUR",
        {
          start: "500",
          end: "1550",
          deposits: "1000",
          withdrawals: "0",
          netFlows: "1000",
          profit: "50",
          twr: "0.1",
        },
      ],
      [
        "USD",
        {
          start: "100000",
          end: "18350",
          deposits: "0",
          withdrawals: "81650",
          netFlows: "-81650",
          profit: "0",
          twr: "0",
        },
      ],
    ]);
  });
});

// ---- properties ----

/** A deposit of `cents`, or a withdrawal of `share` percent of what is there (100 = all of it). */
type FlowSpec = { kind: "deposit"; cents: number } | { kind: "withdraw"; share: number };
const flowArb: fc.Arbitrary<FlowSpec> = fc.oneof(
  fc.record({
    kind: fc.constant("deposit" as const),
    cents: fc.integer({ min: 1, max: 100_000_000 }),
  }),
  fc.record({
    kind: fc.constant("withdraw" as const),
    share: fc.integer({ min: 1, max: 100 }),
  }),
);

describe("performance properties", () => {
  it("with prices still, any deposits and withdrawals at any instants give a 0 % return and no profit", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100_000_000 }),
        fc.integer({ min: 1, max: 12 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 12 * 60 }), flowArb), { maxLength: 10 }),
        (startCents, hours, rawFlows) => {
          const startValue = d(startCents).div(100);
          // flows at any minute of the period, on a sample or between two
          const timed = rawFlows
            .filter(([minute]) => minute <= hours * 60)
            .sort((a, b) => a[0] - b[0]);
          let value = startValue;
          const flows: ExternalFlow[] = [];
          for (const [minute, f] of timed) {
            const amount =
              f.kind === "deposit" ? d(f.cents).div(100) : value.mul(f.share).div(100).neg();
            if (amount.isZero()) continue;
            value = value.plus(amount);
            flows.push({ currency: "USD", amount, at: new Date(T0 + minute * 60_000) });
          }
          const samples: EquityPoint[] = [];
          for (let h = 0; h <= hours; h++) {
            const t = T0 + h * HOUR;
            const held = flows
              .filter((f) => f.at.getTime() <= t)
              .reduce((s, f) => s.plus(f.amount), startValue);
            samples.push({ at: new Date(t), value: held });
          }
          const p = seriesPerformance("USD", samples, flows)!;
          expect(p.profit.isZero()).toBe(true);
          if (p.twr !== null) expect(p.twr.isZero()).toBe(true);
          // something was measured whenever the period opened with money in it
          if (samples[0]!.value.gt(0)) expect(p.twr).not.toBeNull();
          expect(p.end.toFixed()).toBe(p.start.plus(p.netFlows).toFixed());
        },
      ),
      { numRuns: 300 },
    );
  });

  it("money moved in or out at the current price never changes the return: it is the price's change", () => {
    // a fund: the value is units × price; a flow buys or sells units at the price of its instant
    // (at a sample, or between two samples where the price stands still)
    const step = fc.record({
      // the price's move to this sample, in basis points; null: it stands still
      moveBp: fc.option(fc.integer({ min: -3000, max: 3000 }), { nil: null }),
      atSample: fc.option(flowArb, { nil: null }),
      between: fc.option(flowArb, { nil: null }),
    });
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.option(flowArb, { nil: null }),
        fc.array(step, { minLength: 1, maxLength: 12 }),
        (startUnits, startPriceCents, firstFlow, steps) => {
          let price = d(startPriceCents).div(100);
          let units = d(startUnits);
          const startPrice = price;
          const flows: ExternalFlow[] = [];
          const move = (f: FlowSpec | null, t: number) => {
            if (!f) return;
            // a withdrawal keeps at least one unit-hundredth in, so the fund is never empty
            const delta =
              f.kind === "deposit"
                ? d(f.cents).div(100).div(price)
                : units.mul(Math.min(f.share, 99)).div(100).neg();
            units = units.plus(delta);
            flows.push({ currency: "USD", amount: delta.mul(price), at: new Date(t) });
          };
          move(firstFlow, T0);
          const samples: EquityPoint[] = [{ at: new Date(T0), value: units.mul(price) }];
          steps.forEach((s, i) => {
            const t = T0 + (i + 1) * HOUR;
            if (s.moveBp === null) move(s.between, t - HOUR / 2);
            else price = price.mul(d(10_000 + s.moveBp).div(10_000));
            move(s.atSample, t);
            samples.push({ at: new Date(t), value: units.mul(price) });
          });
          const p = seriesPerformance("USD", samples, flows)!;
          const expected = price.div(startPrice).minus(1);
          expect(p.twr!.minus(expected).abs().lt("1e-40"), `${p.twr} vs ${expected}`).toBe(true);
          expect(p.end.minus(p.start).minus(p.netFlows).toFixed()).toBe(p.profit.toFixed());
        },
      ),
      { numRuns: 300 },
    );
  });

  it("without flows the return is end / start − 1, exactly", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 1_000_000_000 }), { minLength: 2, maxLength: 30 }),
        (cents) => {
          const samples = cents.map((c, i) => ({ at: at(i), value: d(c).div(100) }));
          const p = seriesPerformance("USD", samples, [])!;
          const start = samples[0]!.value;
          const end = samples[samples.length - 1]!.value;
          expect(p.twr!.toFixed()).toBe(end.div(start).minus(1).toFixed());
          expect(p.profit.toFixed()).toBe(end.minus(start).toFixed());
          expect(p.netFlows.isZero() && p.deposits.isZero() && p.withdrawals.eq(ZERO)).toBe(true);
        },
      ),
    );
  });
});
