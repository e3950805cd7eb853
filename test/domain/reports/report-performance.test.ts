// A portfolio's performance from the database, on SQLite and PostgreSQL, net of deposits and
// withdrawals, every figure worked out by hand on the straight price lines of support.ts (BTC
// 40 000 + 100 an hour): 10 000 USDT deposited at 00:00; buy 0.1 BTC at 40 100 (fee 4.01) at
// 01:00; 5 000 deposited at 03:00, 8 000 withdrawn at 05:00, 1 000 deposited at 05:06 (between
// two quarter-hour samples); read at 10:00 UTC with BTC at 41 000.
import { describe, expect, it } from "vitest";
import { NotFoundError } from "../../../src/domain/errors.ts";
import { PnlService } from "../../../src/domain/pnl/pnl-service.ts";
import {
  EXTERNAL_FLOW_TYPES,
  loadExternalFlows,
} from "../../../src/domain/reports/equity-history.ts";
import { loadCashMoves } from "../../../src/domain/reports/cash-moves.ts";
import { ReportService } from "../../../src/domain/reports/report-service.ts";
import { SYSTEM } from "../../../src/domain/users/actor.ts";
import type { Actor } from "../../../src/domain/users/actor.ts";
import { Decimal } from "../../../src/lib/decimal.ts";
import { PROVIDERS, type TestDatabase } from "../../support/db.ts";
import { type TestWorld, approvedUser, paperPortfolio } from "../../support/fixtures.ts";
import { LinearMarket, futureDayStart } from "./support.ts";
import { useTestWorld } from "../../support/test-world.ts";

const HOUR = 3_600_000;
const MINUTE = 60_000;
const d = (v: string) => new Decimal(v);

describe.each(PROVIDERS)("portfolio performance on %s", (provider) => {
  let tdb: TestDatabase;
  let world: TestWorld;
  let reports: ReportService;
  let alice: Actor;
  let portfolioId: number;
  let accountId: number;
  const T0 = futureDayStart();
  const at = (hour: number, minute = 0) => new Date(T0.getTime() + hour * HOUR + minute * MINUTE);

  useTestWorld(provider, async (t) => {
    ({ tdb, world } = t);
    world.clock.set(T0);
    const market = new LinearMarket(T0, world.clock);
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
    accountId = portfolio.accountId;
    await s.trades.ingestFill(SYSTEM, {
      portfolioId,
      symbol: "BTCUSDT",
      side: "BUY",
      quantity: d("0.1"),
      price: d("40100"),
      fee: d("4.01"),
      execTime: at(1),
      brokerTradeId: "P-1",
    });
    world.clock.set(at(3));
    await s.cash.deposit(alice, accountId, d("5000"));
    world.clock.set(at(5));
    await s.cash.withdraw(alice, accountId, d("8000"));
    world.clock.set(at(5, 6));
    await s.cash.deposit(alice, accountId, d("1000"));
    world.clock.set(at(10));
  });

  // value = cash + 0.1 BTC at the line's price; each flow splits the day:
  //   00:00 opens at 10 000 (the deposit itself)
  //   03:00 10 015.99 before +5 000 (5 985.99 + 4 030), 15 015.99 with it
  //   05:00 15 035.99 before −8 000 (10 985.99 + 4 050), 7 035.99 with it
  //   05:06 7 036.99 before +1 000 (2 985.99 + 4 051), 8 036.99 with it
  //   10:00 8 085.99 (3 985.99 + 4 100)
  const expectedTwr = d("10015.99")
    .div("10000")
    .mul(d("15035.99").div("15015.99"))
    .mul(d("7036.99").div("7035.99"))
    .mul(d("8085.99").div("8036.99"))
    .minus(1);

  it("measures the day net of the three flows: time-weighted return and the profit the trade made", async () => {
    const perf = await reports.performance(alice, portfolioId, "today", "UTC");
    expect(perf.from.getTime()).toBe(T0.getTime());
    expect(perf.to.getTime()).toBe(at(10).getTime());
    expect(perf.currencies).toHaveLength(1);
    const [usdt] = perf.currencies;
    expect({
      currency: usdt!.currency,
      start: usdt!.start.toFixed(),
      end: usdt!.end.toFixed(),
      deposits: usdt!.deposits.toFixed(),
      withdrawals: usdt!.withdrawals.toFixed(),
      netFlows: usdt!.netFlows.toFixed(),
      profit: usdt!.profit.toFixed(),
    }).toEqual({
      currency: "USDT",
      // the account was opened at the period's first instant: it starts from nothing
      start: "0",
      end: "8085.99",
      deposits: "16000",
      withdrawals: "8000",
      netFlows: "8000",
      // 0.1 × (41 000 − 40 100) − 4.01
      profit: "85.99",
    });
    expect(usdt!.twr!.toFixed()).toBe(expectedTwr.toFixed());
    // about +0.92 %, where the value alone went from 10 000 to 8 085.99 (−19.14 %)
    expect(usdt!.twr!.mul(100).toDecimalPlaces(2).toFixed()).toBe("0.92");
  });

  it("gives the summary and the PnL report the same figures, and keeps the chart on its grid", async () => {
    const summary = await reports.portfolioSummary(alice, portfolioId, {
      period: "today",
      timeZone: "UTC",
    });
    const pnl = await reports.pnlReport(alice, portfolioId, "today", "UTC");
    for (const curve of [summary.equity, pnl.equity]) {
      expect(curve.performance[0]!.twr!.toFixed()).toBe(expectedTwr.toFixed());
      expect(curve.performance[0]!.profit.toFixed()).toBe("85.99");
      const [usdt] = curve.series;
      // every quarter-hour from 00:00 to 10:00; the 05:06 flow is sampled but not drawn
      expect(usdt!.points).toHaveLength(41);
      expect(usdt!.points.every((p) => p.at.getTime() % (15 * MINUTE) === 0)).toBe(true);
      const value = (h: number) =>
        usdt!.points.find((p) => p.at.getTime() === at(h).getTime())!.value.toFixed();
      expect([value(3), value(5), value(10)]).toEqual(["15015.99", "7035.99", "8085.99"]);
    }
  });

  it("a period that opens after the flows has none and measures the market alone", async () => {
    // the next day at 10:00: today has no flows, the previous day's are in its opening value
    world.clock.set(at(24 + 10));
    const perf = await reports.performance(alice, portfolioId, "today", "UTC");
    const [usdt] = perf.currencies;
    // 00:00 the next day: 3 985.99 + 0.1 × 42 400; 10:00: + 0.1 × 43 400
    expect(usdt!.start.toFixed()).toBe("8225.99");
    expect(usdt!.end.toFixed()).toBe("8325.99");
    expect(usdt!.netFlows.toFixed()).toBe("0");
    expect(usdt!.profit.toFixed()).toBe("100");
    expect(usdt!.twr!.toFixed()).toBe(d("8325.99").div("8225.99").minus(1).toFixed());
    world.clock.set(at(10));
  });

  it("loads deposits, withdrawals and transfers as the flows, not trade settlements or fees", async () => {
    expect([...EXTERNAL_FLOW_TYPES]).toEqual(["DEPOSIT", "WITHDRAWAL", "TRANSFER"]);
    const flows = await loadExternalFlows(
      tdb.db.prisma,
      { id: portfolioId },
      { from: T0, to: at(10) },
    );
    expect(flows.map((f) => [f.at.getTime() - T0.getTime(), f.amount.toFixed()])).toEqual([
      [0, "10000"],
      [3 * HOUR, "5000"],
      [5 * HOUR, "-8000"],
      [5 * HOUR + 6 * MINUTE, "1000"],
    ]);
    // the ledger also holds the trade's settlement and fee, which are not flows
    expect(await tdb.db.prisma.cashTransaction.count({ where: { accountId } })).toBe(6);
  });

  it("counts a trade's cash at the trade's execution time, whether the caller holds the trade or not", async () => {
    const db = tdb.db.prisma;
    const trade = await db.trade.findFirstOrThrow({ where: { portfolioId } });
    // the settlement and fee written an hour after the fill (a late write, a replay)
    const settled = { portfolioId, tradeId: trade.id };
    await db.cashTransaction.updateMany({ where: settled, data: { createdAt: at(2) } });
    try {
      const view = (moves: Awaited<ReturnType<typeof loadCashMoves>>) =>
        moves.map((m) => [m.at.getTime() - T0.getTime(), m.amount.toFixed()]);
      const all = [
        [0, "10000"],
        [HOUR, "-4010"],
        [HOUR, "-4.01"],
        [3 * HOUR, "5000"],
        [5 * HOUR, "-8000"],
        [5 * HOUR + 6 * MINUTE, "1000"],
      ];
      const known = Promise.resolve(new Map([[trade.id, trade.execTime]]));
      // read by id, or taken from the trades the caller read: the same moves
      expect(view(await loadCashMoves(db, portfolioId, { to: at(10) }))).toEqual(all);
      expect(view(await loadCashMoves(db, portfolioId, { to: at(10), tradeTimes: known }))).toEqual(
        all,
      );
      const none = Promise.resolve(new Map<number, Date>());
      expect(view(await loadCashMoves(db, portfolioId, { to: at(10), tradeTimes: none }))).toEqual(
        all,
      );
      // written after `since` but executed before it: not in the window
      const since = at(1, 30);
      expect(
        view(await loadCashMoves(db, portfolioId, { since, to: at(10), tradeTimes: known })),
      ).toEqual(all.slice(3));
    } finally {
      await db.cashTransaction.updateMany({ where: settled, data: { createdAt: trade.execTime } });
    }
  });

  it("refuses another user's portfolio", async () => {
    const bob = await approvedUser(world, "Bob");
    await expect(reports.performance(bob, portfolioId, "today")).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });
});
