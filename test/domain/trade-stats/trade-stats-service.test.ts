// Trade statistics from the database, on SQLite and PostgreSQL, every figure worked out by hand.
// Alice starts with 100,000 USDT. Day 0: BTC buy 1 @ 100 and 1 @ 110 (average 105), sell 0.5 @
// 120 (+7.5), the risk watch sells the other 1.5 @ 100 (−7.5): realized 0, fees 1+1+0.5+1.5 →
// −4 after 10 h. Day 1: ETH buy 2 @ 50 (fee 0.1), a take-profit sells 3 @ 60 (fee 0.3) — the 2
// that close realize +20 and take 0.2 of the fee: +19.7 after 2 h — and the short 1 @ 60 (with
// the other 0.1) is bought back by a stop @ 55 (fee 0.05) at 22:00: +5 − 0.15 = +4.85 after 9 h.
// Every position is flat at each midnight, so each day's profit is its trades' net PnL.
import { describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { NotFoundError } from "../../../src/domain/errors.ts";
import { PnlService } from "../../../src/domain/pnl/pnl-service.ts";
import { ExportService } from "../../../src/domain/exports/export-service.ts";
import { TradeStatsService } from "../../../src/domain/trade-stats/trade-stats-service.ts";
import { SYSTEM } from "../../../src/domain/users/actor.ts";
import type { Actor } from "../../../src/domain/users/actor.ts";
import { Decimal } from "../../../src/lib/decimal.ts";
import { PROVIDERS } from "../../support/db.ts";
import { type TestWorld, approvedUser, paperPortfolio } from "../../support/fixtures.ts";
import { LinearMarket, futureDayStart } from "../reports/support.ts";
import { useTestWorld } from "../../support/test-world.ts";

const HOUR = 3_600_000;
const d = (v: string) => new Decimal(v);

describe.each(PROVIDERS)("trade statistics on %s", (provider) => {
  let world: TestWorld;
  let stats: TradeStatsService;
  let exports: ExportService;
  let alice: Actor;
  let bob: Actor;
  let portfolioId: number;
  let bobPortfolioId: number;
  const T0 = futureDayStart();
  const at = (day: number, hour: number) => new Date(T0.getTime() + (day * 24 + hour) * HOUR);

  async function order(
    symbol: string,
    side: "BUY" | "SELL",
    quantity: string,
    type: "LIMIT" | "STOP",
    extra: { clientOrderId?: string; meta?: object } = {},
  ): Promise<number> {
    const instrument = await world.services.ctx.db.instrument.findFirstOrThrow({
      where: { symbol },
    });
    const row = await world.services.ctx.db.order.create({
      data: {
        uid: randomUUID(),
        portfolioId,
        instrumentId: instrument.id,
        side,
        type,
        status: "NEW",
        quantity,
        price: type === "LIMIT" ? "1" : null,
        stopPrice: type === "STOP" ? "1" : null,
        clientOrderId: extra.clientOrderId ?? randomUUID(),
        meta: extra.meta ?? {},
      },
    });
    return row.id;
  }

  let n = 0;
  async function fill(
    symbol: string,
    side: "BUY" | "SELL",
    quantity: string,
    price: string,
    fee: string,
    time: Date,
    orderId?: number,
  ) {
    await world.services.trades.ingestFill(SYSTEM, {
      portfolioId,
      symbol,
      side,
      quantity: d(quantity),
      price: d(price),
      fee: d(fee),
      execTime: time,
      brokerTradeId: `F-${++n}`,
      ...(orderId ? { orderId } : {}),
    });
  }

  useTestWorld(provider, async (t) => {
    ({ world } = t);
    world.clock.set(T0);
    const market = new LinearMarket(T0, world.clock);
    const s = world.services;
    const pnl = new PnlService(s.ctx, s.portfolios, s.positions, s.instruments, market);
    stats = new TradeStatsService(s.ctx, {
      portfolios: s.portfolios,
      pnl,
      history: market,
      marks: market,
    });
    exports = new ExportService(s.ctx, s.portfolios);
    alice = await approvedUser(world, "Alice");
    alice = { ...alice, timeZone: "UTC" };
    bob = await approvedUser(world, "Bob");
    portfolioId = (await paperPortfolio(world, alice, { cash: "100000" })).id;
    bobPortfolioId = (await paperPortfolio(world, bob, { cash: "1000" })).id;

    await fill("BTCUSDT", "BUY", "1", "100", "1", at(0, 10));
    await fill("BTCUSDT", "BUY", "1", "110", "1", at(0, 12));
    await fill("BTCUSDT", "SELL", "0.5", "120", "0.5", at(0, 14));
    const risk = await order("BTCUSDT", "SELL", "1.5", "LIMIT", { clientOrderId: "rw-1-1" });
    await fill("BTCUSDT", "SELL", "1.5", "100", "1.5", at(0, 20), risk);
    await fill("ETHUSDT", "BUY", "2", "50", "0.1", at(1, 11));
    const tp = await order("ETHUSDT", "SELL", "3", "LIMIT", {
      meta: { exitReason: "take-profit" },
    });
    await fill("ETHUSDT", "SELL", "3", "60", "0.3", at(1, 13), tp);
    const stop = await order("ETHUSDT", "BUY", "1", "STOP");
    await fill("ETHUSDT", "BUY", "1", "55", "0.05", at(1, 22), stop);
    world.clock.set(at(2, 12));
  });

  it("counts round trips, wins, losses, averages, holding times and exit reasons", async () => {
    const report = await stats.stats(alice, portfolioId, "all");
    expect(report.currencies).toHaveLength(1);
    const s = report.currencies[0]!;
    expect({
      trades: s.trades,
      wins: s.wins,
      losses: s.losses,
      realized: s.realized.toFixed(),
      profitFactor: s.profitFactor!.toFixed(),
      averageWin: s.averageWin!.toFixed(),
      averageLoss: s.averageLoss!.toFixed(),
      hold: s.averageHoldMs! / HOUR,
      winHold: s.averageWinHoldMs! / HOUR,
      lossHold: s.averageLossHoldMs! / HOUR,
      reasons: s.exitReasons.map((r) => [r.reason, r.trades, r.net.toFixed()]),
    }).toEqual({
      trades: 3,
      wins: 2,
      losses: 1,
      realized: "20.55",
      profitFactor: "6.1375",
      averageWin: "12.275",
      averageLoss: "-4",
      hold: 7,
      winHold: 5.5,
      lossHold: 10,
      // in the order of EXIT_REASONS
      reasons: [
        ["stop", 1, "4.85"],
        ["take-profit", 1, "19.7"],
        ["risk", 1, "-4"],
      ],
    });
  });

  it("per symbol: realized PnL after fees, trades and win rate, the best first", async () => {
    const report = await stats.performance(alice, portfolioId, "all");
    expect(
      report.symbols.map((p) => [p.symbol, p.realized.toFixed(), p.trades, p.winRate?.toFixed()]),
    ).toEqual([
      ["ETHUSDT", "24.55", 2, "100"],
      ["BTCUSDT", "-4", 1, "0"],
    ]);
    // today (day 2) nothing happened
    expect((await stats.performance(alice, portfolioId, "today")).symbols).toEqual([]);
  });

  it("/profit: realized, nothing open, the value's profit and return net of the start", async () => {
    const report = await stats.profit(alice, portfolioId, "all");
    const usdt = report.currencies.find((c) => c.currency === "USDT")!;
    expect(usdt.trades?.realized.toFixed()).toBe("20.55");
    expect(usdt.unrealized.toFixed()).toBe("0");
    expect(usdt.openPositions).toBe(0);
    // flat at the end: the value is cash, 100,000 + 20.55
    expect(usdt.performance?.end.toFixed()).toBe("100020.55");
    expect(usdt.performance?.profit.toFixed()).toBe("20.55");
    expect(usdt.performance?.twr?.toDecimalPlaces(12).toFixed()).toBe("0.0002055");
    expect(usdt.drawdown).not.toBeNull();
  });

  it("the last days: each day's profit, return and closed trades", async () => {
    const history = await stats.history(alice, portfolioId, "day", 3, "UTC");
    expect(history.currencies).toEqual(["USDT"]);
    expect(
      history.buckets.map((b) => ({
        from: b.from.toISOString(),
        profit: b.currencies[0]!.profit.toFixed(),
        twr: b.currencies[0]!.twr?.toDecimalPlaces(15).toFixed(),
        trades: b.currencies[0]!.trades,
      })),
    ).toEqual([
      { from: at(0, 0).toISOString(), profit: "-4", twr: "-0.00004", trades: 1 },
      {
        from: at(1, 0).toISOString(),
        profit: "24.55",
        twr: d("24.55").div("99996").toDecimalPlaces(15).toFixed(),
        trades: 2,
      },
      { from: at(2, 0).toISOString(), profit: "0", twr: "0", trades: 0 },
    ]);
    await expect(stats.history(alice, portfolioId, "day", 61)).rejects.toMatchObject({
      key: "error-history-periods-range",
    });
  });

  it("exports exact digits, and never someone else's portfolio", async () => {
    const file = await exports.export(alice, portfolioId, "trades", "all", { timeZone: "UTC" });
    const lines = file.csv.toString("utf8").split("\r\n");
    expect(file.rows).toBe(7);
    expect(lines[4]!.split(",").slice(3, 10)).toEqual([
      "BTCUSDT",
      "SELL",
      "1.5",
      "100",
      "1.5",
      "USDT",
      expect.stringMatching(/^\d+$/),
    ]);
    const capped = await exports.export(alice, portfolioId, "orders", "all", { maxRows: 2 });
    expect([capped.rows, capped.total]).toEqual([2, 3]);
    // by placement time: the risk watch's sell first, with its exact quantity
    expect(capped.csv.toString("utf8").split("\r\n")[1]!.split(",").slice(3, 8)).toEqual([
      "BTCUSDT",
      "SELL",
      "LIMIT",
      "GTC",
      "1.5",
    ]);

    await expect(stats.profit(alice, bobPortfolioId, "all")).rejects.toBeInstanceOf(NotFoundError);
    await expect(stats.history(bob, portfolioId, "week", 2)).rejects.toBeInstanceOf(NotFoundError);
    await expect(exports.export(bob, portfolioId, "trades", "all")).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });

  it("reads an archived portfolio by name: its history stays exportable", async () => {
    const { portfolios, cash } = world.services;
    await cash.withdraw(alice, portfolioId, d("100020.55"));
    const result = await portfolios.deletePortfolio(alice, portfolioId);
    expect(result).toMatchObject({ outcome: "ARCHIVED" });
    await expect(portfolios.resolvePortfolio(alice, "main")).rejects.toBeInstanceOf(NotFoundError);
    const archived = await portfolios.resolveForReading(alice, "main");
    expect(archived.id).toBe(portfolioId);
    const file = await exports.export(alice, archived.id, "trades", "all");
    expect(file.rows).toBe(7);
    await expect(portfolios.resolveForReading(alice, "Nope")).rejects.toMatchObject({
      key: "error-unknown-portfolio",
    });
    await expect(portfolios.resolveForReading(bob, "main")).resolves.toMatchObject({
      id: bobPortfolioId,
    });
  });
});
