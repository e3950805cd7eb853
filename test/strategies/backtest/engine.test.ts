import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_PAPER_OPTIONS } from "../../../src/brokers/paper/paper-options.ts";
import { maxDrawdown } from "../../../src/domain/trade-stats/drawdown.ts";
import { Decimal, ONE, ZERO, dec } from "../../../src/lib/decimal.ts";
import { toFloat } from "../../../src/strategies/backtest/float.ts";
import {
  BacktestInputError,
  runBacktest,
  toReport,
} from "../../../src/strategies/backtest/index.ts";
import { DrawdownTracker } from "../../../src/strategies/backtest/drawdown.ts";
import type { BacktestInput } from "../../../src/strategies/backtest/types.ts";
import {
  candlesOf,
  scriptedParams,
  scriptedStrategy,
  smaCrossParams,
  smaCrossStrategy,
  wavyCandles,
} from "./scripted-strategy.ts";

const instrument = {
  symbol: "TESTUSDT",
  tickSize: dec("0.01"),
  lotSize: dec("0.001"),
  minQty: dec("0.001"),
};
const costs = { takerFeeBps: dec(10), makerFeeBps: dec(10), slippageBps: dec(0), feeDecimals: 8 };

function scripted(at: object, rows: Array<[number, number, number, number]>): BacktestInput {
  return {
    definition: scriptedStrategy,
    params: scriptedParams.parse({ at }),
    instrument,
    candles: candlesOf(rows),
    initialCash: dec(10_000),
    costs,
  };
}

const ROWS: Array<[number, number, number, number]> = [
  [100, 101, 99, 100],
  [100, 102, 99, 101],
  [102, 105, 101, 104],
  [104, 111, 103, 110],
  [108, 109, 105, 106],
];

describe("backtest engine", () => {
  it("fills a decision at the next candle's open with the paper fee, and books the round trip", () => {
    // buy 1000 USDT worth on the close of candle 1 (101): 9.900 at the open of candle 2 (102);
    // sell all on the close of candle 3 (110): at the open of candle 4 (108)
    const result = runBacktest(
      scripted({ "1": { action: "buy", quote: "1000" }, "3": { action: "sell" } }, ROWS),
    );
    const r = toReport(result);
    expect(r.fills.map((f) => [f.side, f.quantity, f.price, f.fee, f.time])).toEqual([
      ["BUY", "9.9", "102", "1.0098", "2026-01-01T02:00:00.000Z"],
      ["SELL", "9.9", "108", "1.0692", "2026-01-01T04:00:00.000Z"],
    ]);
    // cash: 10000 − 1009.8 − 1.0098 + 1069.2 − 1.0692
    expect(r.metrics.finalEquity).toBe("10057.321");
    expect(r.metrics.totalReturnPct).toBe("0.5732");
    expect(r.metrics.buyHoldReturnPct).toBe("6"); // 100 → 106
    expect(r.trades).toEqual([
      {
        direction: "LONG",
        openedAt: "2026-01-01T02:00:00.000Z",
        closedAt: "2026-01-01T04:00:00.000Z",
        quantity: "9.9",
        realized: "59.4",
        fees: "2.079",
        net: "57.321",
      },
    ]);
    expect(r.metrics.trades).toBe(1);
    expect(r.metrics.wins).toBe(1);
    expect(r.metrics.winRatePct).toBe("100");
    expect(r.metrics.feesPaid).toBe("2.079");
    // held at the closes of candles 2 and 3 out of 5
    expect(r.metrics.exposurePct).toBe("40");
    // equity at closes: 10000, 10000, 10018.7902 (104), 10078.1902 (110), 10057.321
    expect(r.metrics.maxDrawdownAmount).toBe("20.8692");
    expect(r.openTrade).toBeNull();
  });

  it("applies the paper slippage against the taker and rounds to the tick", () => {
    const result = runBacktest({
      ...scripted({ "0": { action: "buy", quantity: "1" } }, ROWS),
      costs: { ...costs, slippageBps: DEFAULT_PAPER_OPTIONS.slippageBps },
    });
    // 100 × 1.0002 = 100.02 at the open of candle 1
    expect(toReport(result).fills[0]).toMatchObject({ price: "100.02", fee: "0.10002" });
    expect(result.openTrade?.quantity.toFixed()).toBe("1");
  });

  it("rests a limit that does not cross at the open and fills it as a maker when the range reaches it", () => {
    const result = runBacktest(
      scripted({ "0": { action: "buy", quantity: "2", limit: "101.5" } }, ROWS),
    );
    // candle 1 opens at 100 ≤ 101.5: taker at the open, not at the limit
    expect(toReport(result).fills[0]).toMatchObject({ price: "100", liquidity: "TAKER" });
    const rest = runBacktest(
      scripted({ "1": { action: "buy", quantity: "2", limit: "101.5" } }, ROWS),
    );
    // candle 2 opens at 102 (> limit), its low 101 reaches it: maker at 101.5
    expect(toReport(rest).fills[0]).toMatchObject({
      price: "101.5",
      liquidity: "MAKER",
      time: "2026-01-01T02:00:00.000Z",
    });
  });

  it("cuts a buy to the cash it can pay for and skips a sell without a position", () => {
    const result = runBacktest(
      scripted({ "0": { action: "sell" }, "1": { action: "buy", quote: "50000" } }, ROWS),
    );
    const r = toReport(result);
    expect(result.skipped.map((s) => s.why)).toEqual(["no-position"]);
    // (10000 − 1e-8) / (102 × 1.001) = 97.9413…, down to the lot
    expect(r.fills[0]).toMatchObject({ side: "BUY", quantity: "97.941", price: "102" });
    const spent = dec("97.941").mul(102).plus(r.fills[0]!.fee);
    expect(spent.lte(10_000)).toBe(true);
    expect(dec("97.942").mul(102).mul("1.001").gt(10_000)).toBe(true);
  });

  it("never lets a decision see the candle it executes in", () => {
    // the strategy records the last close it saw at each call; the fill happens one candle later
    const seen: string[] = [];
    const spy = {
      ...scriptedStrategy,
      onCandle: (input: Parameters<typeof scriptedStrategy.onCandle>[0]) => {
        seen.push(input.candles.at(-1)!.close.toFixed());
        return scriptedStrategy.onCandle(input);
      },
    };
    const result = runBacktest({
      ...scripted({ "2": { action: "buy", quantity: "1" } }, ROWS),
      definition: spy,
    });
    expect(seen).toEqual(["100", "101", "104", "110", "106"]);
    expect(result.fills[0]!.time.toISOString()).toBe("2026-01-01T03:00:00.000Z");
    expect(result.fills[0]!.price.toFixed()).toBe("104");
  });

  it("passes the lookback window, not the whole history", () => {
    const lengths: number[] = [];
    const result = runBacktest({
      definition: {
        ...smaCrossStrategy,
        onCandle: (input) => {
          lengths.push(input.candles.length);
          return smaCrossStrategy.onCandle(input);
        },
      },
      params: smaCrossParams.parse({ fast: 3, slow: 8 }),
      instrument,
      candles: wavyCandles(40),
      initialCash: dec(1000),
      costs,
    });
    expect(result.candles).toBe(40 - 8);
    expect(new Set(lengths)).toEqual(new Set([9]));
  });

  it("refuses candles out of order or repeated, in the warm-up or after it", () => {
    const params = smaCrossParams.parse({ fast: 3, slow: 8 });
    const attempt = (candles: ReturnType<typeof wavyCandles>) => () =>
      runBacktest({
        definition: smaCrossStrategy,
        params,
        instrument,
        candles,
        initialCash: dec(1000),
        costs,
      });
    const swapped = (at: number) => {
      const candles = wavyCandles(40);
      [candles[at], candles[at + 1]] = [candles[at + 1]!, candles[at]!];
      return candles;
    };
    const repeated = (at: number) => {
      const candles = wavyCandles(40);
      candles[at + 1] = { ...candles[at + 1]!, openTime: candles[at]!.openTime };
      return candles;
    };
    // 8 candles of warm-up (lookback 9), then the run
    for (const candles of [swapped(2), swapped(25), repeated(5), repeated(38)]) {
      const run = attempt(candles);
      expect(run).toThrow(BacktestInputError);
      expect(run).toThrow(/ascending open time/);
      try {
        run();
      } catch (e) {
        expect((e as BacktestInputError).code).toBe("unordered-candles");
      }
    }
    expect(attempt(wavyCandles(40))()).toMatchObject({ candles: 32 });
  });

  it("gives byte-identical JSON for the same inputs", () => {
    const run = () =>
      JSON.stringify(
        toReport(
          runBacktest({
            definition: smaCrossStrategy,
            params: smaCrossParams.parse({ fast: 5, slow: 20 }),
            instrument,
            candles: wavyCandles(600),
            initialCash: dec(10_000),
            costs: { ...costs, slippageBps: dec(2) },
          }),
          true,
        ),
      );
    const a = run();
    const b = run();
    expect(a).toBe(b);
    const parsed = JSON.parse(a) as ReturnType<typeof toReport>;
    expect(parsed.metrics.trades).toBeGreaterThan(5);
    expect(parsed.metrics.sharpe).not.toBeNull();
    expect(parsed.series!.equity.length).toBe(600 - 20);
  });

  it("keeps the same drawdown when fed only the marks it wants", () => {
    let skipped = 0;
    let marks = 0;
    fc.assert(
      fc.property(
        // a walk (as equity moves), its steps in units of the last place
        fc.array(fc.integer({ min: -50, max: 50 }), { minLength: 500, maxLength: 3_000 }),
        fc.integer({ min: 0, max: 4 }),
        (steps, places) => {
          let level = 100_000;
          const values = steps.map((d) => new Decimal(`${(level += d)}e-${places}`));
          const prices = values.map((close) => ({ close }));
          const every = new DrawdownTracker(prices);
          const wanted = new DrawdownTracker(prices);
          values.forEach((v, i) => {
            marks++;
            every.mark(toFloat(v), ZERO, ONE, i);
            if (wanted.wants(toFloat(v))) wanted.mark(toFloat(v), ZERO, ONE, i);
            else skipped++;
          });
          expect(wanted.amount.toFixed()).toBe(every.amount.toFixed());
          expect(wanted.percent.toFixed()).toBe(every.percent.toFixed());
        },
      ),
      { numRuns: 100 },
    );
    // many marks of a curve are neither a peak nor near its deepest fall
    expect(skipped).toBeGreaterThan(marks / 2);
  });

  it("values every mark within the margin exactly, though the floats cannot tell them apart", () => {
    // one peak, then troughs whose floats are all 9000 and whose exact values differ far below a
    // float's last place: the deepest is the one to report, wherever it comes among them
    const deepest = dec("9000.00000000000001");
    const shallower = [dec("9000.00000000000003"), dec("9000.00000000000002")];
    const orders = [
      [deepest, ...shallower],
      [shallower[0]!, deepest, shallower[1]!],
      [...shallower, deepest],
      [dec("9000.0000001"), deepest, ...shallower],
    ];
    for (const troughs of orders) {
      const values = [dec(10_000), ...troughs, dec("9500")];
      const prices = values.map(() => ({ close: ONE }));
      const tracker = new DrawdownTracker(prices);
      values.forEach((v, i) => tracker.mark(toFloat(v), v, ZERO, i));
      expect(tracker.amount.toFixed()).toBe("999.99999999999999");
      expect(tracker.percent.toFixed()).toBe("9.9999999999999999");
    }
  });

  it("tracks the same drawdown as trade-stats' maxDrawdown for a curve without flows", () => {
    let x = 12345;
    const values = Array.from({ length: 300 }, () => {
      x = (x * 1103515245 + 12345) % 2 ** 31;
      return dec(1000 + (x % 400) - 200);
    });
    // each value marked as cash 0 plus one unit at the close of candle i, read by its index
    const tracker = new DrawdownTracker(values.map((close) => ({ close })));
    values.forEach((v, i) => tracker.mark(toFloat(v), ZERO, ONE, i));
    const expected = maxDrawdown(
      values.map((value, i) => ({ at: new Date(i * 1000), value })),
      [],
    );
    expect(tracker.percent.toDecimalPlaces(20).eq(expected.percent.toDecimalPlaces(20))).toBe(true);
    expect(tracker.amount.eq(expected.amount)).toBe(true);
  });
});
