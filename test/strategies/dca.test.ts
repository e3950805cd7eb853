// DCA: firings of a cron in the owner's zone, each bought once at the first candle closing at or
// after it. Europe/Berlin moves to summer time on 2026-03-29 (02:00 → 03:00): 09:00 local is
// 08:00 UTC before that day and 07:00 UTC from it on.
import { describe, expect, it } from "vitest";
import { Decimal } from "../../src/lib/decimal.ts";
import { ValidationError } from "../../src/domain/errors.ts";
import { dca } from "../../src/strategies/kinds/dca.ts";
import { canonicalParams } from "../../src/strategies/params.ts";
import { strategyDefinition } from "../../src/strategies/registry.ts";
import { candlesOf, runStrategy } from "./strategy-harness.ts";

const closeOf = (candle: { closeTime: Date }) =>
  new Date(candle.closeTime.getTime() + 1).toISOString();

function errorOf(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ValidationError) return e;
    throw e;
  }
  throw new Error("expected a ValidationError");
}

describe("dca", () => {
  it("is registered under its kind", () => {
    expect(strategyDefinition("dca")).toBe(dca);
  });

  it("buys at 09:00 Berlin time every day across the spring DST change", () => {
    const start = Date.UTC(2026, 2, 27, 0, 0);
    const candles = candlesOf(new Array(5 * 24).fill(100), "1h", start);
    const run = runStrategy(dca, { cron: "0 9 * * *", quote: "100", timeframe: "1h" }, candles, {
      timeZone: "Europe/Berlin",
    });
    expect(run.events.map((e) => closeOf(candles[e.at]!))).toEqual([
      "2026-03-27T08:00:00.000Z",
      "2026-03-28T08:00:00.000Z",
      "2026-03-29T07:00:00.000Z",
      "2026-03-30T07:00:00.000Z",
      "2026-03-31T07:00:00.000Z",
    ]);
    expect(run.events[0]!.intent).toMatchObject({
      id: "dca",
      action: "buy",
      size: { kind: "quote", value: new Decimal(100) },
      reason: "dca",
    });
    expect(run.state).toMatchObject({ buys: 5, dipBuys: 0, lastFire: "2026-03-31T07:00:00.000Z" });
  });

  it("in New York across the autumn change (2026-11-01) on 4h candles: once a day", () => {
    // 10:00 New York is 14:00 UTC in summer time and 15:00 UTC after: the 12:00–16:00 candle
    const start = Date.UTC(2026, 9, 30, 0, 0);
    const candles = candlesOf(new Array(4 * 6).fill(50), "4h", start);
    const run = runStrategy(dca, { cron: "0 10 * * *", quote: 20, timeframe: "4h" }, candles, {
      timeZone: "America/New_York",
    });
    expect(run.events.map((e) => closeOf(candles[e.at]!))).toEqual([
      "2026-10-30T16:00:00.000Z",
      "2026-10-31T16:00:00.000Z",
      "2026-11-01T16:00:00.000Z",
      "2026-11-02T16:00:00.000Z",
    ]);
  });

  it("buys once per candle however many firings it holds, and never twice for one candle", () => {
    const candles = candlesOf([10, 10, 10], "1d");
    const run = runStrategy(dca, { cron: "0 * * * *", quote: 5, timeframe: "1d" }, candles);
    expect(run.events.map((e) => e.at)).toEqual([0, 1, 2]);
    // the same candle evaluated again (a restart) with the state it left: nothing
    const params = dca.params.parse({ cron: "0 * * * *", quote: 5, timeframe: "1d" });
    const again = dca.onCandle({
      symbol: "BTCUSDT",
      timeframe: "1d",
      candles,
      position: { quantity: new Decimal(1), averagePrice: new Decimal(10) },
      cash: new Decimal(100),
      equity: new Decimal(110),
      timeZone: "UTC",
      params,
      state: run.state,
    });
    expect(again.intents).toEqual([]);
  });

  it("buys dipMultiplier × the amount when the close is dipPct below the reference", () => {
    const candles = candlesOf([100, 95, 90, 89], "1d");
    const run = runStrategy(
      dca,
      {
        cron: "0 0 * * *",
        quote: 10,
        timeframe: "1d",
        dipPct: 10,
        dipMultiplier: 3,
        reference: 100,
      },
      candles,
    );
    expect(run.events.map((e) => e.intent.size)).toEqual([
      { kind: "quote", value: new Decimal(10) },
      { kind: "quote", value: new Decimal(10) },
      { kind: "quote", value: new Decimal(30) }, // 90 ≤ 100 × 0.9
      { kind: "quote", value: new Decimal(30) },
    ]);
    expect(run.state).toMatchObject({ buys: 4, dipBuys: 2 });
  });

  it("takes the average entry as the reference when none is given (default ×2)", () => {
    // bought at 100 and 100: average 100; 94 is 6 % below it
    const candles = candlesOf([100, 100, 94], "1d");
    const run = runStrategy(
      dca,
      { cron: "0 0 * * *", quote: 10, timeframe: "1d", dipPct: 5 },
      candles,
    );
    expect(run.events.map((e) => e.intent.size)).toEqual([
      { kind: "quote", value: new Decimal(10) },
      { kind: "quote", value: new Decimal(10) },
      { kind: "quote", value: new Decimal(20) },
    ]);
  });

  it("refuses a bad schedule or a multiplier without a dip, naming the parameter", () => {
    const cron = errorOf(() => canonicalParams("dca", { cron: "0 9 * *", quote: 10 }));
    expect(cron.key).toBe("error-schedule-cron-invalid");
    expect(cron.params).toMatchObject({ param: "cron", problem: "count", count: 4 });
    const often = errorOf(() => canonicalParams("dca", { cron: "* * * * *", quote: 10 }));
    expect(often.key).toBe("error-schedule-cron-too-frequent");
    const missing = errorOf(() => canonicalParams("dca", { cron: "0 9 * * 1" }));
    expect(missing.key).toBe("error-strategy-param-required");
    expect(missing.params).toMatchObject({ param: "quote" });
    const dip = errorOf(() =>
      canonicalParams("dca", { cron: "0 9 * * 1", quote: 1, dipMultiplier: 2 }),
    );
    expect(dip.key).toBe("error-strategy-dca-dip-missing");
    expect(canonicalParams("dca", { cron: " 0  9 * * 1 ", quote: 25 })).toEqual({
      kind: "dca",
      cron: "0 9 * * 1",
      quote: "25",
      timeframe: "1h",
    });
  });
});
