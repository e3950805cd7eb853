// Closed trades and their statistics on a small series worked out by hand (fees included, a
// partial close, a fill that crosses zero, a loser and two winners, holding times), and the
// property that per-symbol realized PnL sums to the total whatever the fills.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { exitReasonOf } from "../../../src/domain/trade-stats/exit-reason.ts";
import { maxDrawdown } from "../../../src/domain/trade-stats/drawdown.ts";
import { type StatTrade, roundTrips } from "../../../src/domain/trade-stats/round-trips.ts";
import { symbolPerformance, tradeStatistics } from "../../../src/domain/trade-stats/statistics.ts";
import { Decimal } from "../../../src/lib/decimal.ts";
import { lastBuckets } from "../../../src/lib/period-buckets.ts";

const d = (v: string) => new Decimal(v);
const t = (iso: string) => new Date(iso);
const HOUR = 3_600_000;

function fill(
  symbol: "BTCUSDT" | "ETHUSDT",
  side: "BUY" | "SELL",
  quantity: string,
  price: string,
  fee: string,
  at: string,
  exitReason: StatTrade["exitReason"] = "manual",
): StatTrade {
  return {
    instrumentId: symbol === "BTCUSDT" ? 1 : 2,
    symbol,
    currency: "USDT",
    strategyId: null,
    side,
    quantity: d(quantity),
    price: d(price),
    fee: d(fee),
    execTime: t(at),
    exitReason,
  };
}

// BTC: buy 1 @ 100 and 1 @ 110 (average 105), sell 0.5 @ 120 (+7.5), sell 1.5 @ 100 (−7.5):
//   flat after 24 h with realized 0 and fees 1 + 1 + 0.5 + 1.5 = 4 → a loser, −4.
// ETH: buy 2 @ 50 (fee 0.1), sell 3 @ 60 (fee 0.3) crosses zero: the 2 that close realize +20
//   and take 0.2 of the fee → a winner, 20 − 0.3 = 19.7 after 2 h; the short 1 @ 60 opens with
//   the other 0.1 and is bought back by a stop at 55 (fee 0.05) 21 h later: +5 − 0.15 = 4.85.
const SERIES: StatTrade[] = [
  fill("BTCUSDT", "BUY", "1", "100", "1", "2026-03-01T10:00:00Z"),
  fill("BTCUSDT", "BUY", "1", "110", "1", "2026-03-01T12:00:00Z"),
  fill("BTCUSDT", "SELL", "0.5", "120", "0.5", "2026-03-01T14:00:00Z"),
  fill("BTCUSDT", "SELL", "1.5", "100", "1.5", "2026-03-02T10:00:00Z", "strategy"),
  fill("ETHUSDT", "BUY", "2", "50", "0.1", "2026-03-02T11:00:00Z"),
  fill("ETHUSDT", "SELL", "3", "60", "0.3", "2026-03-02T13:00:00Z", "take-profit"),
  fill("ETHUSDT", "BUY", "1", "55", "0.05", "2026-03-03T10:00:00Z", "stop"),
];
const ALL = [t("1970-01-01T00:00:00Z"), t("2026-03-10T00:00:00Z")] as const;

describe("round trips", () => {
  it("closes a round trip when the position returns to zero, fees of every fill included", () => {
    const { closed, open } = roundTrips(SERIES, ...ALL);
    expect(open).toEqual([]);
    expect(
      closed.map((c) => ({
        symbol: c.symbol,
        direction: c.direction,
        realized: c.realized.toFixed(),
        fees: c.fees.toFixed(),
        net: c.net.toFixed(),
        hours: (c.closedAt.getTime() - c.openedAt.getTime()) / HOUR,
        peak: c.peakQuantity.toFixed(),
        reason: c.exitReason,
      })),
    ).toEqual([
      {
        symbol: "BTCUSDT",
        direction: "LONG",
        realized: "0",
        fees: "4",
        net: "-4",
        hours: 24,
        peak: "2",
        reason: "strategy",
      },
      {
        symbol: "ETHUSDT",
        direction: "LONG",
        realized: "20",
        fees: "0.3",
        net: "19.7",
        hours: 2,
        peak: "2",
        reason: "take-profit",
      },
      {
        symbol: "ETHUSDT",
        direction: "SHORT",
        realized: "5",
        fees: "0.15",
        net: "4.85",
        hours: 21,
        peak: "1",
        reason: "stop",
      },
    ]);
  });

  it("counts a round trip in the period it closes in; realized is the period's fills only", () => {
    const from = t("2026-03-02T00:00:00Z");
    const { closed, realized } = roundTrips(SERIES, from, ALL[1]);
    expect(closed.map((c) => c.net.toFixed())).toEqual(["-4", "19.7", "4.85"]);
    // BTC's fills in the period: the sell of 1.5 only (−7.5, fee 1.5)
    expect(
      realized.map((r) => [r.symbol, r.realized.toFixed(), r.fees.toFixed(), r.fills]),
    ).toEqual([
      ["BTCUSDT", "-7.5", "1.5", 1],
      ["ETHUSDT", "25", "0.45", 3],
    ]);
    const day3 = roundTrips(SERIES, t("2026-03-03T00:00:00Z"), ALL[1]);
    expect(day3.closed.map((c) => c.net.toFixed())).toEqual(["4.85"]);
    expect(day3.realized[0]!.net.toFixed()).toBe("4.95");
  });

  it("keeps a position still open out of the closed trades", () => {
    const { closed, open, realized } = roundTrips(SERIES.slice(0, 3), ...ALL);
    expect(closed).toEqual([]);
    expect(open).toHaveLength(1);
    expect(open[0]!.quantity.toFixed()).toBe("1.5");
    expect(open[0]!.realized.toFixed()).toBe("7.5");
    expect(realized[0]!.net.toFixed()).toBe("5");
  });
});

describe("trade statistics", () => {
  it("win rate, profit factor, averages, holding times, best and worst, exit reasons", () => {
    const { closed, realized } = roundTrips(SERIES, ...ALL);
    const [s] = tradeStatistics(closed, realized);
    expect(s).toBeDefined();
    expect({
      trades: s!.trades,
      wins: s!.wins,
      losses: s!.losses,
      even: s!.even,
      winRate: s!.winRate!.toDecimalPlaces(4).toFixed(),
      realized: s!.realized.toFixed(),
      grossProfit: s!.grossProfit.toFixed(),
      grossLoss: s!.grossLoss.toFixed(),
      profitFactor: s!.profitFactor!.toFixed(),
      averageWin: s!.averageWin!.toFixed(),
      averageLoss: s!.averageLoss!.toFixed(),
      holdH: s!.averageHoldMs! / HOUR,
      winHoldH: s!.averageWinHoldMs! / HOUR,
      lossHoldH: s!.averageLossHoldMs! / HOUR,
      best: s!.best!.symbol,
      worst: s!.worst!.symbol,
    }).toEqual({
      trades: 3,
      wins: 2,
      losses: 1,
      even: 0,
      winRate: "66.6667",
      realized: "20.55",
      grossProfit: "24.55",
      grossLoss: "4",
      profitFactor: "6.1375",
      averageWin: "12.275",
      averageLoss: "-4",
      holdH: (24 + 2 + 21) / 3,
      winHoldH: 11.5,
      lossHoldH: 24,
      best: "ETHUSDT",
      worst: "BTCUSDT",
    });
    expect(s!.exitReasons.map((r) => [r.reason, r.trades, r.wins, r.net.toFixed()])).toEqual([
      ["stop", 1, 1, "4.85"],
      ["take-profit", 1, 1, "19.7"],
      ["strategy", 1, 0, "-4"],
    ]);
  });

  it("per symbol, sorted by realized PnL", () => {
    const { closed, realized } = roundTrips(SERIES, ...ALL);
    expect(
      symbolPerformance(closed, realized).map((p) => [
        p.symbol,
        p.realized.toFixed(),
        p.trades,
        p.winRate?.toFixed(),
      ]),
    ).toEqual([
      ["ETHUSDT", "24.55", 2, "100"],
      ["BTCUSDT", "-4", 1, "0"],
    ]);
  });

  it("has no profit factor without a loser, and no figures without trades", () => {
    const { closed, realized } = roundTrips(SERIES.slice(4), ...ALL);
    expect(tradeStatistics(closed, realized)[0]!.profitFactor).toBeNull();
    expect(tradeStatistics([], [])).toEqual([]);
  });

  it("per-symbol realized PnL sums to the total, and flat positions' round trips to it too", () => {
    const fillArb = fc.record({
      symbol: fc.constantFrom("BTCUSDT" as const, "ETHUSDT" as const),
      side: fc.constantFrom("BUY" as const, "SELL" as const),
      quantity: fc.integer({ min: 1, max: 500 }),
      price: fc.integer({ min: 1, max: 100_000 }),
      fee: fc.integer({ min: 0, max: 300 }),
      minutes: fc.integer({ min: 0, max: 60 * 24 * 10 }),
    });
    fc.assert(
      fc.property(
        fc.array(fillArb, { maxLength: 40 }),
        fc.integer({ min: 0, max: 10 }),
        (raw, day) => {
          const base = t("2026-03-01T00:00:00Z").getTime();
          const trades = raw
            .map((r) =>
              fill(
                r.symbol,
                r.side,
                new Decimal(r.quantity).div(100).toFixed(),
                new Decimal(r.price).div(10).toFixed(),
                new Decimal(r.fee).div(100).toFixed(),
                new Date(base + r.minutes * 60_000).toISOString(),
              ),
            )
            .sort((a, b) => a.execTime.getTime() - b.execTime.getTime());
          const from = new Date(base + day * 86_400_000);
          const { closed, realized } = roundTrips(trades, from, ALL[1]);
          const stats = tradeStatistics(closed, realized);
          const total = realized.reduce((s, r) => s.plus(r.realized).minus(r.fees), d("0"));
          const bySymbol = symbolPerformance(closed, realized).reduce(
            (s, p) => s.plus(p.realized),
            d("0"),
          );
          expect(bySymbol.toFixed()).toBe(total.toFixed());
          expect((stats[0]?.realized ?? d("0")).toFixed()).toBe(total.toFixed());
          expect(stats.reduce((n, s) => n + s.trades, 0)).toBe(closed.length);
          // from the first fill on, with every position flat at the end, closed trades are all of it
          const everything = roundTrips(trades, ALL[0], ALL[1]);
          if (everything.open.length === 0) {
            const closedNet = everything.closed.reduce((s, c) => s.plus(c.net), d("0"));
            const realizedNet = everything.realized.reduce((s, r) => s.plus(r.net), d("0"));
            expect(closedNet.toFixed()).toBe(realizedNet.toFixed());
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("exit reasons", () => {
  const order = (over: Partial<Parameters<typeof exitReasonOf>[0] & object>) => ({
    type: "MARKET" as const,
    strategyId: null,
    clientOrderId: "td-1",
    meta: {},
    ...over,
  });
  it("reads the stamp first, then the risk watch, the type, the strategy", () => {
    expect(exitReasonOf(null)).toBe("external");
    expect(exitReasonOf(order({}))).toBe("manual");
    expect(exitReasonOf(order({ meta: { exitReason: "take-profit" }, type: "LIMIT" }))).toBe(
      "take-profit",
    );
    expect(exitReasonOf(order({ meta: { exitReason: "nonsense" } }))).toBe("manual");
    expect(exitReasonOf(order({ clientOrderId: "rw-4-9" }))).toBe("risk");
    expect(exitReasonOf(order({ type: "TRAILING" }))).toBe("trailing-stop");
    expect(exitReasonOf(order({ type: "STOP_LIMIT" }))).toBe("stop");
    expect(exitReasonOf(order({ type: "LIMIT", strategyId: 3 }))).toBe("strategy");
  });
});

describe("max drawdown", () => {
  const p = (hour: number, value: string) => ({
    at: new Date(Date.UTC(2026, 2, 1, hour)),
    value: d(value),
  });
  it("falls from a peak to a later trough; a withdrawal is not a fall", () => {
    // 1000 → 1200 (peak) → 900 (−25 %) → withdraw 400 at 3h: 500 is 900 − 400, no fall → 600
    const dd = maxDrawdown(
      [p(0, "1000"), p(1, "1200"), p(2, "900"), p(3, "500"), p(4, "600")],
      [{ amount: d("-400"), at: new Date(Date.UTC(2026, 2, 1, 3)) }],
    );
    expect(dd.percent.toFixed()).toBe("25");
    expect(dd.amount.toFixed()).toBe("300");
    expect(dd.peakAt?.getUTCHours()).toBe(1);
    expect(dd.troughAt?.getUTCHours()).toBe(2);
    expect(maxDrawdown([p(0, "10"), p(1, "11")], []).percent.toFixed()).toBe("0");
  });
});

describe("last periods in the user's zone", () => {
  it("cuts days at the user's midnight and ends the last at now", () => {
    const now = t("2026-03-10T09:30:00Z");
    const days = lastBuckets("day", 3, now, "Europe/Berlin");
    expect(days.map((b) => [b.from.toISOString(), b.to.toISOString()])).toEqual([
      ["2026-03-07T23:00:00.000Z", "2026-03-08T23:00:00.000Z"],
      ["2026-03-08T23:00:00.000Z", "2026-03-09T23:00:00.000Z"],
      ["2026-03-09T23:00:00.000Z", "2026-03-10T09:30:00.000Z"],
    ]);
    const months = lastBuckets("month", 2, now, "UTC");
    expect(months[0]!.from.toISOString()).toBe("2026-02-01T00:00:00.000Z");
    const weeks = lastBuckets("week", 2, now, "UTC");
    expect(weeks[1]!.from.toISOString()).toBe("2026-03-09T00:00:00.000Z");
  });
});
