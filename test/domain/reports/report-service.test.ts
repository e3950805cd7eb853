// ReportService on SQLite and PostgreSQL with a small portfolio whose every figure is worked out
// by hand: 10 000 USDT deposited; buy 0.1 BTC at 40 100 (fee 4.01) at 01:00, buy 1 ETH at 2 980
// (fee 2.98) at 02:00, sell 0.05 BTC at 40 500 (fee 2.025) at 05:00; the report runs at 10:00 UTC
// with BTC at 41 000 and ETH at 2 900 (see support.ts for the price lines).
import { describe, expect, it } from "vitest";
import { cashBalance } from "../../../src/domain/cash/cash-ledger.ts";
import { NotFoundError, StateError } from "../../../src/domain/errors.ts";
import { PnlService } from "../../../src/domain/pnl/pnl-service.ts";
import { resolutionFor, resolutionMs } from "../../../src/domain/reports/equity-curve.ts";
import { ReportService } from "../../../src/domain/reports/report-service.ts";
import type { ScreenerRunner } from "../../../src/domain/reports/screener-runner.ts";
import { SYSTEM } from "../../../src/domain/users/actor.ts";
import type { Actor } from "../../../src/domain/users/actor.ts";
import { Decimal, ZERO } from "../../../src/lib/decimal.ts";
import { periodRange } from "../../../src/lib/time.ts";
import { PROVIDERS, type TestDatabase } from "../../support/db.ts";
import { type TestWorld, approvedUser, paperPortfolio } from "../../support/fixtures.ts";
import { LinearMarket, futureDayStart } from "./support.ts";
import { useTestWorld } from "../../support/test-world.ts";

const HOUR = 3_600_000;
const d = (v: string) => new Decimal(v);
const fixed = (v: Decimal) => v.toFixed();

interface Fill {
  symbol: "BTCUSDT" | "ETHUSDT";
  side: "BUY" | "SELL";
  qty: string;
  price: string;
  fee: string;
  hour: number;
}
const FILLS: Fill[] = [
  { symbol: "BTCUSDT", side: "BUY", qty: "0.1", price: "40100", fee: "4.01", hour: 1 },
  { symbol: "ETHUSDT", side: "BUY", qty: "1", price: "2980", fee: "2.98", hour: 2 },
  { symbol: "BTCUSDT", side: "SELL", qty: "0.05", price: "40500", fee: "2.025", hour: 5 },
];

describe.each(PROVIDERS)("ReportService on %s", (provider) => {
  let tdb: TestDatabase;
  let world: TestWorld;
  let market: LinearMarket;
  let reports: ReportService;
  let alice: Actor;
  let portfolioId: number;
  let depositAt: Date;
  const T0 = futureDayStart();
  const at = (hour: number) => new Date(T0.getTime() + hour * HOUR);

  useTestWorld(provider, async (t) => {
    ({ tdb, world } = t);
    // the account is funded at the start of the day; the reports are read at 10:00
    world.clock.set(T0);
    market = new LinearMarket(T0, world.clock);
    const s = world.services;
    const pnl = new PnlService(s.ctx, s.portfolios, s.positions, s.instruments, market);
    reports = new ReportService(s.ctx, {
      portfolios: s.portfolios,
      pnl,
      history: market,
      marks: market,
    });
    alice = await approvedUser(world, "Alice");
    const portfolio = await paperPortfolio(world, alice, { cash: "10000" });
    portfolioId = portfolio.id;
    depositAt = (await tdb.db.prisma.cashTransaction.findFirstOrThrow({
      where: { accountId: portfolio.accountId },
    }))!.createdAt;
    let n = 0;
    for (const f of FILLS) {
      await s.trades.ingestFill(SYSTEM, {
        portfolioId,
        symbol: f.symbol,
        side: f.side,
        quantity: d(f.qty),
        price: d(f.price),
        fee: d(f.fee),
        execTime: at(f.hour),
        brokerTradeId: `R-${++n}`,
      });
    }
    world.clock.set(at(10));
    await s.orders.place(alice, {
      portfolioId,
      symbol: "BTCUSDT",
      side: "BUY",
      type: "LIMIT",
      quantity: d("0.01"),
      price: d("35000"),
    });
  });

  /** The portfolio's value at `t`, worked out from the fills, the deposit and the price lines. */
  function expectedValue(t: Date): Decimal {
    let value = depositAt.getTime() <= t.getTime() ? d("10000") : ZERO;
    for (const f of FILLS) {
      if (at(f.hour).getTime() > t.getTime()) continue;
      const notional = d(f.qty).mul(f.price);
      value = value.plus(f.side === "BUY" ? notional.neg() : notional).minus(f.fee);
      const qty = f.side === "BUY" ? d(f.qty) : d(f.qty).neg();
      value = value.plus(qty.mul(market.price(f.symbol, t)));
    }
    return value;
  }

  it("sums value, cash and positions per currency", async () => {
    const r = await reports.portfolioSummary(alice, portfolioId, {
      period: "today",
      timeZone: "UTC",
    });
    // cash: 10000 − 4010 − 4.01 − 2980 − 2.98 + 2025 − 2.025
    expect(r.cash.map((c) => [c.currency, fixed(c.amount)])).toEqual([["USDT", "5025.985"]]);
    expect(fixed(await cashBalance(tdb.db.prisma, r.portfolio.id, "USDT"))).toBe("5025.985");
    // positions: 0.05 × 41000 + 1 × 2900
    expect(
      r.totals.map((t) => [t.currency, fixed(t.positions), fixed(t.cash), fixed(t.total)]),
    ).toEqual([["USDT", "4950", "5025.985", "9975.985"]]);
    expect(r.openOrders.map((o) => [o.symbol, o.side, o.type, fixed(o.quantity)])).toEqual([
      ["BTCUSDT", "BUY", "LIMIT", "0.01"],
    ]);
  });

  it("ranks the day's movers by the size of their move over the daily candle", async () => {
    const r = await reports.portfolioSummary(alice, portfolioId, {
      period: "today",
      timeZone: "UTC",
    });
    // ETH 3000 → 2900 (−3.33 %), BTC 40000 → 41000 (+2.5 %)
    expect(r.movers.map((m) => [m.symbol, fixed(m.open), fixed(m.last)])).toEqual([
      ["ETHUSDT", "3000", "2900"],
      ["BTCUSDT", "40000", "41000"],
    ]);
    expect(r.movers[0]!.changePct.toDecimalPlaces(4).toFixed()).toBe("-3.3333");
    expect(fixed(r.movers[1]!.changePct)).toBe("2.5");
  });

  it("splits the value into an allocation by instrument and cash", async () => {
    const r = await reports.portfolioSummary(alice, portfolioId, {
      period: "today",
      timeZone: "UTC",
    });
    const [usdt] = r.allocation;
    expect(fixed(usdt!.gross)).toBe("9975.985");
    expect(usdt!.items.map((i) => [i.symbol, fixed(i.value), fixed(i.share)])).toEqual([
      [null, "5025.985", "50.38"],
      ["ETHUSDT", "2900", "29.07"],
      ["BTCUSDT", "2050", "20.55"],
    ]);
  });

  it("reports today's PnL: realized 20, unrealized −35, fees 9.015, net −24.015", async () => {
    const r = await reports.portfolioSummary(alice, portfolioId, {
      period: "today",
      timeZone: "UTC",
    });
    const [total] = r.pnlToday.totals;
    expect([
      total!.currency,
      fixed(total!.realized),
      fixed(total!.unrealizedChange),
      fixed(total!.fees),
      fixed(total!.net),
    ]).toEqual(["USDT", "20", "-35", "9.015", "-24.015"]);
    expect(r.pnlPeriod).toBe(r.pnlToday);
  });

  it("reconstructs today's equity curve every quarter-hour, matching a hand computation", async () => {
    const r = await reports.portfolioSummary(alice, portfolioId, {
      period: "today",
      timeZone: "UTC",
    });
    expect(r.equity.resolution).toBe("15m");
    const [usdt] = r.equity.series;
    expect(usdt!.currency).toBe("USDT");
    expect(usdt!.points).toHaveLength(41); // 00:00, 00:15, …, 10:00
    for (const p of usdt!.points)
      expect(fixed(p.value), p.at.toISOString()).toBe(fixed(expectedValue(p.at)));
    const byHour = (h: number) =>
      usdt!.points.find((p) => p.at.getTime() === at(h).getTime())!.value;
    expect(fixed(byHour(0))).toBe("10000");
    expect(fixed(byHour(1))).toBe("9995.99"); // 5985.99 cash + 0.1 × 40100
    expect(fixed(byHour(3))).toBe("10003.01"); // 3003.01 + 0.1 × 40300 + 1 × 2970
    // the last point is the summary's total, and the change over the day is the day's net PnL
    expect(fixed(byHour(10))).toBe("9975.985");
    expect(fixed(byHour(10).minus(byHour(0)))).toBe("-24.015");
  });

  it("draws the month from the later of its start and the first deposit, ending at the total", async () => {
    const r = await reports.pnlReport(alice, portfolioId, "month", "Europe/Berlin");
    expect(r.kind).toBe("PNL_REPORT");
    const monthStart = periodRange("month", at(10), "Europe/Berlin").from;
    expect(r.equity.from.getTime()).toBe(Math.max(monthStart.getTime(), depositAt.getTime()));
    // the step suits the span: hours for a couple of days, days for longer
    expect(r.equity.resolution).toBe(resolutionFor(r.equity.from, r.equity.to));
    const [usdt] = r.equity.series;
    const points = usdt!.points;
    expect(points[points.length - 1]!.at.getTime()).toBe(at(10).getTime());
    expect(fixed(points[points.length - 1]!.value)).toBe("9975.985");
    for (const p of points)
      expect(fixed(p.value), p.at.toISOString()).toBe(fixed(expectedValue(p.at)));
    // interior points sit on the candle grid (UTC-aligned)
    const step = resolutionMs(r.equity.resolution);
    for (const p of points.slice(1, -1)) expect(p.at.getTime() % step).toBe(0);
    expect(fixed(r.pnl.totals[0]!.realized)).toBe("20");
  });

  it("refuses another user's portfolio and screeners without a runner", async () => {
    const bob = await approvedUser(world, "Bob");
    await expect(reports.portfolioSummary(bob, portfolioId)).rejects.toBeInstanceOf(NotFoundError);
    await expect(reports.pnlReport(bob, portfolioId, "week")).rejects.toBeInstanceOf(NotFoundError);
    await expect(reports.screenerReport(bob, 1)).rejects.toBeInstanceOf(StateError);
  });

  it("runs the user's own screener through the runner, and nobody else's", async () => {
    const calls: Array<[number, number]> = [];
    const runner: ScreenerRunner = {
      runForSchedule: async (userId, screenerId) => {
        calls.push([userId, screenerId]);
        return {
          screenerId,
          screenerName: "Oversold",
          at: world.clock.now(),
          scanned: 60,
          columns: ["RSI 14"],
          rows: [{ symbol: "ETHUSDT", values: ["24.5"] }],
        };
      },
    };
    const s = world.services;
    const withScreeners = new ReportService(s.ctx, {
      portfolios: s.portfolios,
      pnl: s.pnl,
      history: market,
      marks: market,
      screeners: runner,
    });
    const screener = await tdb.db.prisma.screener.create({
      data: { uid: `rs-${provider}`, userId: alice.id, name: "Oversold", config: {} },
    });
    const bob = await approvedUser(world, "Bob2");
    await expect(withScreeners.screenerReport(bob, screener.id)).rejects.toMatchObject({
      key: "error-schedule-screener-unknown",
    });
    const report = await withScreeners.forTarget(
      alice,
      { kind: "SCREENER", screenerId: screener.id },
      "UTC",
    );
    expect(report).toMatchObject({
      kind: "SCREENER",
      result: { screenerName: "Oversold", scanned: 60 },
    });
    expect(calls).toEqual([[alice.id, screener.id]]);
  });
});
