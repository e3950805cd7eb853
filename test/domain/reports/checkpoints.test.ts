// Daily checkpoints change how much /pnl replays, never what it answers: on SQLite and PostgreSQL,
// 40 days of random fills (through the real ingestion path) and deposits, then every period in
// three time zones is compared, figure by figure, between the report (and the equity history
// with its performance) that starts from the latest checkpoint and the full recompute — after the job wrote the checkpoints, after a late fill
// dated into a checkpointed day (which deletes the checkpoints from that day on), after the job
// wrote them again, and after a late cash row.
import { describe, expect, it } from "vitest";
import { appendCash } from "../../../src/domain/cash/cash-ledger.ts";
import { DAY_MS, latestCheckpoint, utcDay } from "../../../src/domain/pnl/checkpoints.ts";
import { PnlService, type PnlReport } from "../../../src/domain/pnl/pnl-service.ts";
import type { PortfolioView } from "../../../src/domain/portfolios/portfolio-service.ts";
import { SYSTEM, type Actor } from "../../../src/domain/users/actor.ts";
import { Decimal } from "../../../src/lib/decimal.ts";
import { loadEquityCurve } from "../../../src/domain/reports/equity-history.ts";
import { PERIODS, periodRange } from "../../../src/lib/time.ts";
import { PROVIDERS, type TestDatabase } from "../../support/db.ts";
import { type TestWorld, approvedUser, paperPortfolio } from "../../support/fixtures.ts";
import { LinearMarket, futureDayStart } from "./support.ts";
import { useTestWorld } from "../../support/test-world.ts";

const HOUR = 3_600_000;
const DAYS = 40;
const ZONES = ["UTC", "Asia/Tokyo", "America/New_York"];

/** Prices that wander up and down (a line would drift ETH below zero over 40 days). */
class WavyMarket extends LinearMarket {
  override price(symbol: string, at: Date): Decimal {
    const hours = (at.getTime() - this.base.getTime()) / HOUR;
    const [start, swing] = symbol === "BTCUSDT" ? [40000, 3000] : [3000, 400];
    return new Decimal(start + swing * Math.sin(hours / 37)).toDecimalPlaces(2);
  }
}

/** A small seeded generator (mulberry32): the same fills on every run and both databases. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function figures(report: PnlReport) {
  return {
    from: report.from.toISOString(),
    to: report.to.toISOString(),
    rows: report.rows.map((r) => ({
      symbol: r.instrument.symbol,
      realized: r.realized.toFixed(),
      fees: r.fees.toFixed(),
      unrealizedChange: r.unrealizedChange.toFixed(),
      net: r.net.toFixed(),
      quantity: r.position.quantity.toFixed(),
      avgPrice: r.position.avgPrice.toFixed(),
      trades: r.trades,
    })),
    totals: report.totals.map((t) => ({
      currency: t.currency,
      realized: t.realized.toFixed(),
      unrealizedChange: t.unrealizedChange.toFixed(),
      fees: t.fees.toFixed(),
      net: t.net.toFixed(),
    })),
  };
}

describe.each(PROVIDERS)("PnL with daily checkpoints on %s", (provider) => {
  let tdb: TestDatabase;
  let world: TestWorld;
  let alice: Actor;
  let portfolio: PortfolioView;
  let withCheckpoints: PnlService;
  let fullRecompute: PnlService;
  const T0 = futureDayStart();
  const next = random(20261205);
  let fillNo = 0;
  let market: WavyMarket;

  const fill = (symbol: string, execTime: Date) => {
    const side = next() < 0.55 ? ("BUY" as const) : ("SELL" as const);
    const quantity =
      symbol === "BTCUSDT"
        ? new Decimal(Math.ceil(next() * 50)).div(1000)
        : new Decimal(Math.ceil(next() * 40)).div(100);
    return world.services.trades.ingestFill(SYSTEM, {
      portfolioId: portfolio.id,
      symbol,
      side,
      quantity,
      price: market
        .price(symbol, execTime)
        .mul(0.995 + next() / 100)
        .toDecimalPlaces(2),
      fee: new Decimal(next() * 3).toDecimalPlaces(4),
      execTime,
      brokerTradeId: `CK-${++fillNo}`,
    });
  };

  /** Every period in every zone: equal to the full recompute, figure by figure. */
  const now = () => world.clock.now();
  const deps = () => ({ history: market, marks: market });
  const expectEqualReports = async () => {
    let fromCheckpoint = 0;
    for (const zone of ZONES) {
      for (const period of PERIODS) {
        const full = await fullRecompute.periodReportOf(portfolio, period, zone);
        const fast = await withCheckpoints.periodReportOf(portfolio, period, zone);
        expect(figures(fast), `${period} in ${zone}`).toEqual(figures(full));
        // the equity history behind /report and the performance figures, likewise
        const range = { ...periodRange(period, now(), zone) };
        const closed = { ...range, closed: range.to < now() };
        const fullCurve = await loadEquityCurve(tdb.db.prisma, portfolio, closed, deps(), {
          checkpoints: false,
        });
        const fastCurve = await loadEquityCurve(tdb.db.prisma, portfolio, closed, deps());
        expect(JSON.stringify(fastCurve), `equity ${period} in ${zone}`).toBe(
          JSON.stringify(fullCurve),
        );
        if (await latestCheckpoint(tdb.db.prisma, portfolio.id, full.from)) fromCheckpoint++;
      }
    }
    return fromCheckpoint;
  };

  useTestWorld(provider, async (t) => {
    ({ tdb, world } = t);
    world.clock.set(T0);
    const s = world.services;
    market = new WavyMarket(T0, world.clock);
    withCheckpoints = new PnlService(s.ctx, s.portfolios, s.positions, s.instruments, market);
    fullRecompute = new PnlService(s.ctx, s.portfolios, s.positions, s.instruments, market, {
      checkpoints: false,
    });
    alice = await approvedUser(world, "Alice");
    portfolio = await paperPortfolio(world, alice, { cash: "1000000" });
    for (let day = 0; day < DAYS; day++) {
      const times = Array.from({ length: 5 }, () => next() * 24 * HOUR).sort((a, b) => a - b);
      for (const offset of times) {
        const at = new Date(T0.getTime() + day * DAY_MS + Math.floor(offset));
        world.clock.set(at);
        await fill(next() < 0.6 ? "BTCUSDT" : "ETHUSDT", at);
      }
      if (day % 9 === 4) await s.cash.deposit(alice, portfolio.accountId, new Decimal("2500"));
    }
    // read on day 40 at 13:00 UTC: every zone's "month", "week" and "today" start after a close
    world.clock.set(new Date(T0.getTime() + DAYS * DAY_MS + 13 * HOUR));
  });

  it("answers every period exactly as the full recompute, before and after the job wrote the checkpoints", async () => {
    expect(await expectEqualReports()).toBe(0);
    const run = await world.services.checkpoints.writeClosedDays();
    expect(run.days).toBe(DAYS);
    // a second run has nothing left to write
    expect((await world.services.checkpoints.writeClosedDays()).days).toBe(0);
    const latest = await latestCheckpoint(tdb.db.prisma, portfolio.id, world.clock.now());
    expect(latest?.day.toISOString()).toBe(
      new Date(T0.getTime() + (DAYS - 1) * DAY_MS).toISOString(),
    );
    // every period but "all" (and the zones' "today" that started before the last close) reads one
    expect(await expectEqualReports()).toBeGreaterThanOrEqual(ZONES.length * 4);
  }, 120_000);

  it("a late fill dated into a checkpointed day deletes the checkpoints from that day on, and the reports stay equal", async () => {
    const lateAt = new Date(T0.getTime() + (DAYS - 6) * DAY_MS + 7 * HOUR);
    await fill("BTCUSDT", lateAt);
    const latest = await latestCheckpoint(tdb.db.prisma, portfolio.id, world.clock.now());
    expect(latest?.day.toISOString()).toBe(
      new Date(utcDay(lateAt).getTime() - DAY_MS).toISOString(),
    );
    await expectEqualReports();
    // the job writes the six days again; the late fill is then before their closes but after
    // their trades in ingestion order, and the replay still follows ingestion order
    expect((await world.services.checkpoints.writeClosedDays()).days).toBe(6);
    expect(await expectEqualReports()).toBeGreaterThanOrEqual(ZONES.length * 4);
    // one more, dated before the month started in every zone
    await fill("ETHUSDT", new Date(T0.getTime() + 3 * DAY_MS + 5 * HOUR));
    expect(await latestCheckpoint(tdb.db.prisma, portfolio.id, world.clock.now())).toMatchObject({
      day: new Date(T0.getTime() + 2 * DAY_MS),
    });
    await expectEqualReports();
    expect((await world.services.checkpoints.writeClosedDays()).days).toBe(DAYS - 3);
    await expectEqualReports();
  }, 120_000);

  it("a cash row dated into a checkpointed day deletes the checkpoints from that day on", async () => {
    const at = new Date(T0.getTime() + (DAYS - 2) * DAY_MS + 1 * HOUR);
    await world.services.ctx.db.$transaction((tx) =>
      appendCash(tx, provider, {
        accountId: portfolio.accountId,
        portfolioId: portfolio.id,
        type: "DEPOSIT",
        currency: "USDT",
        amount: new Decimal("100"),
        at,
      }),
    );
    const latest = await latestCheckpoint(tdb.db.prisma, portfolio.id, world.clock.now());
    expect(latest?.day.toISOString()).toBe(new Date(utcDay(at).getTime() - DAY_MS).toISOString());
    expect((await world.services.checkpoints.writeClosedDays()).days).toBe(2);
    const rewritten = await latestCheckpoint(tdb.db.prisma, portfolio.id, world.clock.now());
    // the rewritten close counts the deposit: cash = every ledger row dated before that close
    const rows = await tdb.db.prisma.cashTransaction.findMany({
      where: { portfolioId: portfolio.id, currency: "USDT", createdAt: { lt: rewritten!.at } },
      select: { amount: true },
    });
    const cash = rows.reduce((sum, r) => sum.plus(r.amount.toString()), new Decimal(0));
    expect(rewritten!.currencies.get("USDT")!.cash.toFixed()).toBe(cash.toFixed());
    await expectEqualReports();
  }, 120_000);
});
