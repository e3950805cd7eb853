// The words of /backtest, read before the domain is asked (dates in the user's zone, a day as TO
// counting whole, the timeframe anywhere after the symbol), and the throttle that keeps the
// progress message to one edit per interval and never the same figure twice.
import { describe, expect, it } from "vitest";
import { parseBacktestArgs } from "../../src/bot/features/backtests/backtest-args.ts";
import { ProgressThrottle } from "../../src/bot/features/backtests/backtests.ts";

describe("/backtest arguments", () => {
  it("reads strategy, symbol, dates in the user's zone and a timeframe", () => {
    expect(parseBacktestArgs("Dip btcusdt 1h 2026-03-01 2026-03-05", "Europe/Moscow")).toEqual({
      ok: true,
      strategy: "Dip",
      symbol: "btcusdt",
      timeframe: "1h",
      from: new Date("2026-02-28T21:00:00Z"),
      // the whole of March 5th in Moscow
      to: new Date("2026-03-05T21:00:00Z"),
    });
    expect(parseBacktestArgs('"My cross" ETHUSDT 2026-03-01T12:00', "UTC")).toEqual({
      ok: true,
      strategy: "My cross",
      symbol: "ETHUSDT",
      from: new Date("2026-03-01T12:00:00Z"),
    });
  });

  it("names the word at fault", () => {
    expect(parseBacktestArgs("Dip", "UTC")).toEqual({ ok: false, problem: "usage" });
    expect(parseBacktestArgs("Dip BTC 2026-13-01", "UTC")).toEqual({
      ok: false,
      problem: "date",
      word: "2026-13-01",
    });
    expect(parseBacktestArgs("Dip BTC 2h", "UTC")).toMatchObject({ problem: "timeframe" });
    expect(parseBacktestArgs("Dip BTC 1h 4h", "UTC")).toMatchObject({
      problem: "timeframe",
      word: "4h",
    });
    expect(parseBacktestArgs("Dip BTC 2026-01-01 2026-01-02 2026-01-03", "UTC")).toMatchObject({
      problem: "dates",
      word: "2026-01-03",
    });
    expect(parseBacktestArgs("Dip BTC yesterday", "UTC")).toMatchObject({
      problem: "word",
      word: "yesterday",
    });
  });
});

describe("progress throttle", () => {
  it("admits one new figure per interval", () => {
    let now = 1_000;
    const throttle = new ProgressThrottle(2_000, () => now);
    expect(throttle.admit("running:10")).toBe(false); // too soon after the message was sent
    now += 2_000;
    expect(throttle.admit("running:10")).toBe(true);
    now += 500;
    expect(throttle.admit("running:40")).toBe(false);
    now += 1_500;
    expect(throttle.admit("running:40")).toBe(true);
    now += 5_000;
    expect(throttle.admit("running:40")).toBe(false); // the same figure again
    expect(throttle.admit("running:90")).toBe(true);
  });
});
