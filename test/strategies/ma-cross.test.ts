// ma-cross against crossovers computed by hand. With SMA(2) and SMA(3) over the closes
//   i:      0   1   2   3    4    5    6    7     8   9   10
//   close: 10  10  10   9    8    9   11   12    10   8    7
//   SMA2:   -  10  10  9.5  8.5  8.5  10  11.5   11   9   7.5
//   SMA3:   -   -  10  9.67  9  8.67 9.33 10.67  11  10  8.33
// the fast average is equal at 2, below from 3 to 5, crosses above at 6 (golden), stays above at
// 7, touches at 8 and crosses below at 9 (death). At 3 it crosses below too, while flat.
import { describe, expect, it } from "vitest";
import { Decimal } from "../../src/lib/decimal.ts";
import { ValidationError } from "../../src/domain/errors.ts";
import { maCross } from "../../src/strategies/kinds/ma-cross.ts";
import {
  RESUM_EVERY,
  type RunningAverages,
  advanceAverages,
} from "../../src/strategies/kinds/running-averages.ts";
import type { Candle } from "../../src/market/types.ts";
import { canonicalParams, parseStoredParams } from "../../src/strategies/params.ts";
import { strategyDefinition } from "../../src/strategies/registry.ts";
import { candlesOf, runStrategy, summary } from "./strategy-harness.ts";

const CLOSES = [10, 10, 10, 9, 8, 9, 11, 12, 10, 8, 7];
const BASE = { kind: "ma-cross", type: "SMA", fast: 2, slow: 3, timeframe: "1h" };

function errorOf(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ValidationError) return e;
    throw e;
  }
  throw new Error("expected a ValidationError");
}

describe("ma-cross", () => {
  it("is registered under its kind", () => {
    expect(strategyDefinition("ma-cross")).toBe(maCross);
  });

  it("buys at the golden cross (candle 6) and sells all at the death cross (candle 9)", () => {
    const run = runStrategy(maCross, BASE, candlesOf(CLOSES));
    expect(summary(run.events)).toEqual(["buy@6 signal", "sell@9 signal"]);
    const [buy, sell] = run.events;
    // 10 % of the 10 000 equity at the close of 11
    expect(buy!.intent.size).toEqual({ kind: "equity-pct", value: new Decimal(10) });
    expect(buy!.intent.id).toBe("entry");
    expect(sell!.intent.size).toEqual({ kind: "all" });
    expect(run.position.quantity.isZero()).toBe(true);
    expect(run.state.entryPrice).toBeNull();
  });

  it("does not sell at a death cross while flat, nor buy twice", () => {
    // candle 3 is a death cross while flat; a second golden cross while long would not buy again
    const run = runStrategy(maCross, BASE, candlesOf(CLOSES.slice(0, 9)));
    expect(summary(run.events)).toEqual(["buy@6 signal"]);
    expect(run.state.entryPrice).toBe("11");
  });

  it("buys a quote amount when one is given", () => {
    const run = runStrategy(maCross, { ...BASE, quote: "250" }, candlesOf(CLOSES));
    expect(run.events[0]!.intent.size).toEqual({ kind: "quote", value: new Decimal(250) });
  });

  it("stops out on the close at or below entry − stop % (candle 8: 10 ≤ 11 × 0.95)", () => {
    const run = runStrategy(maCross, { ...BASE, stopLossPct: 5 }, candlesOf(CLOSES));
    expect(summary(run.events)).toEqual(["buy@6 signal", "sell@8 stop-loss"]);
  });

  it("a wider stop waits (10 > 11 × 0.9) and wins over the cross on the same candle (8 ≤ 9.9)", () => {
    const run = runStrategy(maCross, { ...BASE, stopLossPct: "10" }, candlesOf(CLOSES));
    expect(summary(run.events)).toEqual(["buy@6 signal", "sell@9 stop-loss"]);
    const loose = runStrategy(maCross, { ...BASE, stopLossPct: "30" }, candlesOf(CLOSES));
    expect(summary(loose.events)).toEqual(["buy@6 signal", "sell@9 signal"]);
  });

  it("takes profit at entry + take % (candle 7: 12 ≥ 11 × 1.08)", () => {
    const run = runStrategy(maCross, { ...BASE, takeProfitPct: 8 }, candlesOf(CLOSES));
    expect(summary(run.events)).toEqual(["buy@6 signal", "sell@7 take-profit"]);
  });

  it("takes the entry price from the fill it is told about", () => {
    const params = maCross.params.parse(BASE);
    const state = maCross.onFill!(
      params,
      { entryPrice: "11" },
      {
        intentId: "entry",
        side: "BUY",
        quantity: new Decimal(1),
        price: new Decimal("11.05"),
        time: new Date(),
      },
    );
    expect(state.entryPrice).toBe("11.05");
  });

  it("works on EMAs: a fall then a jump crosses at the jump", () => {
    const closes = [20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 10, 10, 10, 10, 10, 14, 15];
    const run = runStrategy(maCross, { ...BASE, type: "ema" }, candlesOf(closes));
    expect(summary(run.events)).toEqual(["buy@16 signal"]);
  });

  it("says nothing before it has enough candles", () => {
    const run = runStrategy(maCross, BASE, candlesOf([10, 12]));
    expect(run.events).toEqual([]);
    expect(maCross.lookback(maCross.params.parse(BASE))).toBe(4);
  });

  it("fills defaults and stores canonical JSON that reads back the same", () => {
    const stored = canonicalParams("ma-cross", { type: "ema", stopLossPct: 2.5 });
    expect(stored).toEqual({
      kind: "ma-cross",
      type: "EMA",
      fast: 20,
      slow: 50,
      timeframe: "1h",
      stopLossPct: "2.5",
    });
    const again = parseStoredParams(stored);
    expect(again.definition).toBe(maCross);
    expect(again.definition.timeframe(again.params)).toBe("1h");
  });

  it("names the parameter that is wrong", () => {
    const order = errorOf(() => canonicalParams("ma-cross", { fast: 50, slow: 20 }));
    expect(order.key).toBe("error-strategy-ma-order");
    expect(order.params).toMatchObject({ param: "fast", fast: 50, slow: 20 });

    const unknown = errorOf(() => canonicalParams("ma-cross", { fsat: 5 }));
    expect(unknown.key).toBe("error-strategy-param-unknown");
    expect(unknown.params).toMatchObject({ param: "fsat", suggestion: "fast" });

    const type = errorOf(() => canonicalParams("ma-cross", { type: "wma" }));
    expect(type.key).toBe("error-strategy-param-choice");
    expect(type.params).toMatchObject({ param: "type", value: "WMA", options: "SMA, EMA" });

    const big = errorOf(() => canonicalParams("ma-cross", { slow: 5000 }));
    expect(big.key).toBe("error-strategy-param-max");
    expect(big.params).toMatchObject({ param: "slow", limit: 1000 });

    const stop = errorOf(() => canonicalParams("ma-cross", { stopLossPct: "150" }));
    expect(stop.key).toBe("error-strategy-param-range-above");
    expect(stop.params).toMatchObject({ param: "stopLossPct", min: "0", max: "100" });

    const tf = errorOf(() => canonicalParams("ma-cross", { timeframe: "2h" }));
    expect(tf.key).toBe("error-strategy-param-interval");

    const both = errorOf(() => canonicalParams("ma-cross", { quote: 100, equityPct: 5 }));
    expect(both.key).toBe("error-strategy-size-both");

    const kind = errorOf(() => parseStoredParams({ kind: "ma-cros" }));
    expect(kind.key).toBe("error-strategy-kind-unknown");
    expect(kind.suggestions).toEqual(["ma-cross"]);
  });
});

describe("ma-cross running averages", () => {
  // a seeded walk with cents, long enough to cross the periodic re-summing of the SMA sums
  function walk(n: number): Candle[] {
    let x = 12345;
    const closes: string[] = [];
    let cents = 1_000_000;
    for (let i = 0; i < n; i++) {
      x = (x * 1103515245 + 12345) % 2147483648;
      cents += (x % 2001) - 1000;
      closes.push((cents / 100).toFixed(2));
    }
    return candlesOf(closes, "1m");
  }

  it.each(["SMA", "EMA"] as const)(
    "%s carried candle to candle equals a fresh computation and gives the same signals",
    (type) => {
      const spec = { type, fast: 5, slow: 12 };
      const candles = walk(RESUM_EVERY + 400);
      let carried: RunningAverages | null = null;
      for (let i = 0; i < candles.length; i++) {
        const seen = candles.slice(Math.max(0, i - 60), i + 1);
        carried = advanceAverages(
          { candles: type === "EMA" ? candles.slice(0, i + 1) : seen },
          spec,
          carried,
        );
        if (i % 97 !== 0 && i !== candles.length - 1) continue;
        const fresh = advanceAverages({ candles: candles.slice(0, i + 1) }, spec, null);
        if (!fresh) {
          expect(carried).toBeNull();
          continue;
        }
        expect(carried!.at).toBe(fresh!.at);
        expect(carried!.fast).toBeCloseTo(fresh!.fast, 6);
        expect(carried!.slow).toBeCloseTo(fresh!.slow, 6);
      }
      // the strategy's signals over the whole walk: carried (runStrategy keeps the state) and
      // computed afresh on every candle (the state's averages dropped each time)
      const params = { ...BASE, type, fast: 5, slow: 12, timeframe: "1m" };
      const carriedRun = runStrategy(maCross, params, candles);
      const stateless = {
        ...maCross,
        onCandle: (input: Parameters<typeof maCross.onCandle>[0]) =>
          maCross.onCandle({ ...input, state: { ...input.state, averages: null } }),
      };
      const freshRun = runStrategy(stateless, params, candles);
      expect(carriedRun.events.length).toBeGreaterThan(20);
      expect(summary(carriedRun.events)).toEqual(summary(freshRun.events));
    },
  );

  it("starts afresh when the candles do not continue its state (a gap, a restart)", () => {
    const candles = walk(200);
    const spec = { type: "SMA" as const, fast: 5, slow: 12 };
    const early = advanceAverages({ candles: candles.slice(0, 100) }, spec, null);
    const late = advanceAverages({ candles: candles.slice(0, 150) }, spec, early);
    const fresh = advanceAverages({ candles: candles.slice(0, 150) }, spec, null);
    expect(late).toEqual(fresh);
    expect(advanceAverages({ candles: candles.slice(0, 8) }, spec, null)).toBeNull();
  });
});
