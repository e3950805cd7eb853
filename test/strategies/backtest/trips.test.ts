// The backtest's one-pass round trips (trips.ts) against trade-stats' roundTrips and
// tradeStatistics, the definition /stats uses: the same Decimals on whole backtests and on fills
// that add, reduce, cross zero and go short, which a long-only backtest never makes but the
// one-pass path must still follow.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { roundTrips } from "../../../src/domain/trade-stats/round-trips.ts";
import { tradeStatistics } from "../../../src/domain/trade-stats/statistics.ts";
import { Decimal, ZERO, dec } from "../../../src/lib/decimal.ts";
import { entryPrice, tripsByDecimal, tripsOf } from "../../../src/strategies/backtest/trips.ts";
import { tripsInUnits } from "../../../src/strategies/backtest/trips-in-units.ts";
import type { BacktestFill } from "../../../src/strategies/backtest/types.ts";
import { maCross } from "../../../src/strategies/kinds/ma-cross.ts";
import type { StrategyDefinition } from "../../../src/strategies/types.ts";
import { backtestWith, generateCandles } from "../../../scripts/bench/b8-backtest.ts";

/** What summarize took from trade-stats before trips.ts, as plain text to compare. */
function viaTradeStats(fills: readonly BacktestFill[]) {
  const trips = roundTrips(
    fills.map((f) => ({
      instrumentId: 0,
      symbol: "X",
      currency: "",
      strategyId: null,
      side: f.side,
      quantity: f.quantity,
      price: f.price,
      fee: f.fee,
      execTime: f.time,
      exitReason: "strategy" as const,
    })),
    new Date(0),
    new Date(8.64e15),
  );
  const stats = tradeStatistics(trips.closed, trips.realized)[0];
  const open = trips.open[0];
  return text({
    closed: trips.closed.map((r) => ({
      direction: r.direction,
      openedAt: r.openedAt,
      closedAt: r.closedAt,
      quantity: r.peakQuantity,
      realized: r.realized,
      fees: r.fees,
      net: r.net,
    })),
    open: open
      ? {
          direction: open.direction,
          openedAt: open.openedAt,
          quantity: open.quantity.abs(),
          realized: open.realized,
          fees: open.fees,
        }
      : null,
    trades: stats?.trades ?? 0,
    wins: stats?.wins ?? 0,
    losses: stats?.losses ?? 0,
    winRatePct: stats?.winRate ?? null,
    averageWin: stats?.averageWin ?? null,
    averageLoss: stats?.averageLoss ?? null,
    feesPaid: fills.reduce((s, f) => s.plus(f.fee), ZERO),
  });
}

/** Decimals as their full digits (toJSON would do, but this shows them in a failure). */
const text = (value: unknown) =>
  JSON.parse(
    JSON.stringify(value, function (this: unknown, _key, v: unknown) {
      return v && typeof v === "object" && "toFixed" in v ? (v as Decimal).toFixed() : v;
    }),
  ) as unknown;

const viaTrips = (fills: readonly BacktestFill[]) => text(tripsOf(fills));

let minute = 0;
function fill(side: "BUY" | "SELL", quantity: string, price: string, fee: string): BacktestFill {
  minute++;
  return {
    intentId: "x",
    reason: "signal",
    side,
    quantity: dec(quantity),
    price: dec(price),
    fee: dec(fee),
    time: new Date(Date.UTC(2025, 0, 1) + minute * 60_000),
    liquidity: "TAKER",
    candleIndex: minute,
  };
}

describe("backtest round trips (trips.ts)", () => {
  it("equal trade-stats' on fills that add, reduce, cross zero and go short", () => {
    const fills = [
      fill("BUY", "1.5", "100.01", "0.15"),
      fill("BUY", "0.7", "103.37", "0.07238"), // adds
      fill("SELL", "0.2", "101", "0.0202"), // reduces
      fill("SELL", "2", "99.5", "0.199"), // closes: a loss
      fill("BUY", "1", "100", "0.1"),
      fill("SELL", "1.5", "104.99", "0.157485"), // crosses: a win, and a short of 0.5
      fill("SELL", "3", "110", "0.33"), // adds to the short
      fill("BUY", "1", "111.11", "0.111"), // reduces it
      fill("BUY", "4", "108.333", "0.433332"), // crosses: a long of 1.5
      fill("SELL", "1.5", "90", "0"), // closes, fee-free: a loss
      fill("BUY", "0.333", "95", "0.0316"), // left open
    ];
    const summary = tripsOf(fills);
    expect([summary.trades, summary.wins, summary.losses]).toEqual([4, 1, 3]);
    expect(summary.open?.quantity.toFixed()).toBe("0.333");
    expect(viaTrips(fills)).toEqual(viaTradeStats(fills));
    expect(viaTrips([])).toEqual(viaTradeStats([]));
    expect(viaTrips(fills.slice(0, 2))).toEqual(viaTradeStats(fills.slice(0, 2)));
  });

  it.each([
    { type: "SMA", fast: 5, slow: 30, quote: "2500" },
    { type: "EMA", fast: 12, slow: 26, stopLossPct: "0.5", takeProfitPct: "1" },
    { type: "SMA", fast: 3, slow: 7, equityPct: "100" },
  ])("equal trade-stats' on a backtest's fills (%o)", (stored) => {
    const definition = maCross as unknown as StrategyDefinition<unknown, unknown>;
    const params = maCross.params.parse({ ...stored, timeframe: "1m" });
    const { fills } = backtestWith(definition, params, generateCandles(6_000, 3));
    expect(fills.length).toBeGreaterThan(50);
    expect(viaTrips(fills)).toEqual(viaTradeStats(fills));
  });
});

describe("round trips in integer units (trips-in-units.ts)", () => {
  /** A text of `digits` with `places` of them after the point. */
  const num = (digits: number, places: number) => new Decimal(`${digits}e-${places}`).toFixed();

  /** Trips opened from flat by one fill and closed by one to three fills that reduce them. */
  const trips = fc.array(
    fc.record({
      short: fc.boolean(),
      lots: fc.integer({ min: 1, max: 10 ** 5 }),
      entry: fc.integer({ min: 1, max: 10 ** 6 }),
      exits: fc.array(fc.integer({ min: 0, max: 10 ** 6 }), { minLength: 1, maxLength: 3 }),
      fees: fc.array(fc.integer({ min: 0, max: 10 ** 4 }), { minLength: 4, maxLength: 4 }),
      open: fc.boolean(),
    }),
    { minLength: 0, maxLength: 12 },
  );
  const places = fc.record({
    quantity: fc.integer({ min: 0, max: 8 }),
    price: fc.integer({ min: 0, max: 8 }),
    fee: fc.integer({ min: 0, max: 10 }),
  });

  function fillsOf(
    list: Array<{
      short: boolean;
      lots: number;
      entry: number;
      exits: number[];
      fees: number[];
      open: boolean;
    }>,
    p: { quantity: number; price: number; fee: number },
  ): BacktestFill[] {
    const fills: BacktestFill[] = [];
    list.forEach((t, i) => {
      const last = i === list.length - 1;
      const [opening, closing] = t.short ? (["SELL", "BUY"] as const) : (["BUY", "SELL"] as const);
      fills.push(
        fill(opening, num(t.lots, p.quantity), num(t.entry, p.price), num(t.fees[0]!, p.fee)),
      );
      // the exits split the quantity; the last trip may stay open, partly reduced
      let left = t.lots;
      t.exits.forEach((price, k) => {
        const out = k === t.exits.length - 1 ? left : Math.max(1, Math.floor(left / 2));
        if (out <= 0 || (last && t.open && k === t.exits.length - 1)) return;
        left -= out;
        fills.push(
          fill(closing, num(out, p.quantity), num(price, p.price), num(t.fees[k + 1]!, p.fee)),
        );
      });
    });
    return fills;
  }

  it("gives the Decimal path's figures for trips that open from flat and reduce to it", () => {
    let taken = 0;
    fc.assert(
      fc.property(trips, places, (list, p) => {
        const fills = fillsOf(list, p);
        const inUnits = tripsInUnits(fills);
        // beyond 2^53 units at the net's places (long prices beside many fee places): declined
        if (!inUnits) return;
        taken++;
        expect(text(inUnits)).toEqual(text(tripsByDecimal(fills)));
      }),
      { numRuns: 400 },
    );
    expect(taken).toBeGreaterThan(300);
  });

  it("leaves to the Decimal path what it does not take: adding to a trip, crossing zero, long digits", () => {
    const adds = [fill("BUY", "1", "100", "0.1"), fill("BUY", "1", "101", "0.1")];
    const crosses = [fill("BUY", "1", "100", "0.1"), fill("SELL", "2", "101", "0.2")];
    const long = [fill("BUY", "1.000000000000000001", "100", "0"), fill("SELL", "1", "1", "0")];
    for (const fills of [adds, crosses, long]) {
      expect(tripsInUnits(fills)).toBeNull();
      expect(text(tripsOf(fills))).toEqual(text(tripsByDecimal(fills)));
    }
    // a trip whose fees eat its gain exactly is neither a win nor a loss, and a short's gain is
    // its entry minus its exit
    const even = [
      fill("BUY", "1", "100", "0.25"),
      fill("SELL", "1", "100.5", "0.25"),
      fill("SELL", "2", "50", "0.1"),
      fill("BUY", "2", "49", "0"),
    ];
    const summary = tripsInUnits(even)!;
    expect([summary.trades, summary.wins, summary.losses]).toEqual([2, 1, 0]);
    expect(summary.closed.map((t) => [t.direction, String(t.net)])).toEqual([
      ["LONG", "0"],
      ["SHORT", "1.9"],
    ]);
    expect(text(summary)).toEqual(text(tripsByDecimal(even)));
    // a backtest's fills are its case
    const definition = maCross as unknown as StrategyDefinition<unknown, unknown>;
    const params = maCross.params.parse({ fast: 5, slow: 30, timeframe: "1m" });
    const { fills } = backtestWith(definition, params, generateCandles(6_000, 3));
    expect(fills.length).toBeGreaterThan(50);
    expect(text(tripsInUnits(fills))).toEqual(text(tripsByDecimal(fills)));
  });
});

describe("entryPrice", () => {
  const byDivision = (q: Decimal, p: Decimal) => q.mul(p).div(q);
  const parts = (d: Decimal) => JSON.stringify([d.s, d.e, d.d, d.toString()]);

  it("is quantity × price / quantity on a backtest's fills, and on long and odd values", () => {
    const definition = maCross as unknown as StrategyDefinition<unknown, unknown>;
    const params = maCross.params.parse({ fast: 3, slow: 7, equityPct: "100", timeframe: "1m" });
    const { fills } = backtestWith(definition, params, generateCandles(3_000, 5));
    const pairs = fills.map((f) => [f.quantity, f.price] as const);
    const odd: Array<[string, string]> = [
      ["0.00001", "61234.56"],
      ["3", "0.1"],
      ["1e-30", "123456789012345678901234567890.123456789"],
      // 60 digits between them: the product is still exact
      ["1234567890123456789012345678.9", "0.12345678901234567890123456789012"],
      // more than 60: the division is taken
      ["1234567890123456789012345678.91", "0.123456789012345678901234567890129"],
      ["7", "0"],
      ["-2", "5.5"],
      ["2", "-5.5"],
      ["0", "5"],
    ];
    for (const [q, p] of odd) pairs.push([new Decimal(q), new Decimal(p)]);
    expect(pairs.length).toBeGreaterThan(100);
    for (const [q, p] of pairs)
      expect(parts(entryPrice(q, p)), `${q} × ${p}`).toBe(parts(byDivision(q, p)));
  });
});
