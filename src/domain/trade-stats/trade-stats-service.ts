// The figures behind /profit, /performance, /stats and /daily, /weekly, /monthly: closed trades
// and realized PnL from the portfolio's fills (round-trips.ts says what a closed trade is), the
// unrealized PnL of what is open now, and the value's return net of deposits and withdrawals
// (time-weighted, performance.ts) with its deepest fall (drawdown.ts). Every call takes the acting
// user and checks that the portfolio is theirs; periods follow the given time zone.
import { TRADE_REPLAY_SELECT } from "../trades/replay-select.ts";
import type { Db } from "../../db/client.ts";
import { type Decimal, ZERO, fromDb } from "../../lib/decimal.ts";
import { type BucketUnit, lastBuckets } from "../../lib/period-buckets.ts";
import { type Period, periodRange } from "../../lib/time.ts";
import type { DomainContext } from "../context.ts";
import { ValidationError } from "../errors.ts";
import type { MarkSource, PnlService } from "../pnl/pnl-service.ts";
import type { PortfolioService, PortfolioView } from "../portfolios/portfolio-service.ts";
import { positionFill, storedTradeFee } from "../positions/fill-fee.ts";
import {
  type EquityCashMove,
  type EquityTrade,
  reconstructEquity,
} from "../reports/equity-curve.ts";
import {
  type PriceHistory,
  loadEquityCurve,
  loadExternalFlows,
} from "../reports/equity-history.ts";
import { type CurrencyPerformance, seriesPerformance } from "../reports/performance.ts";
import { type Actor, assertApproved } from "../users/actor.ts";
import { type Drawdown, maxDrawdown } from "./drawdown.ts";
import { exitReasonOf } from "./exit-reason.ts";
import { type RoundTrip, type StatTrade, roundTrips } from "./round-trips.ts";
import {
  type CurrencyTradeStats,
  type SymbolPerformance,
  symbolPerformance,
  tradeStatistics,
} from "./statistics.ts";

/** The most periods /daily, /weekly and /monthly show at once. */
export const MAX_HISTORY_PERIODS = 60;

export interface TradeStatsDeps {
  portfolios: PortfolioService;
  pnl: PnlService;
  history: PriceHistory;
  marks: MarkSource;
}

interface PeriodScope {
  portfolio: PortfolioView;
  period: Period;
  from: Date;
  to: Date;
}

export interface CurrencyProfit {
  currency: string;
  /** closed trades and realized PnL in the period (null: no fill and no closed trade) */
  trades: CurrencyTradeStats | null;
  /** unrealized PnL of the positions open now */
  unrealized: Decimal;
  openPositions: number;
  /** value at both ends, flows, profit and time-weighted return (null: nothing held) */
  performance: CurrencyPerformance | null;
  drawdown: Drawdown | null;
}

/**
 * Set for a live portfolio: its deposits, withdrawals and cash are at the exchange, not in the
 * ledger, so the value over time (and the return and drawdown built on it) is not computed —
 * rebuilt from fills alone, every purchase would read as profit.
 */
export interface ExchangeHeld {
  broker: string;
}

export interface ProfitReport extends PeriodScope {
  currencies: CurrencyProfit[];
  /** live portfolios: performance and drawdown are null, for the reason above */
  exchangeHeld: ExchangeHeld | null;
}

export interface SymbolReport extends PeriodScope {
  symbols: SymbolPerformance[];
}

export interface StatsReport extends PeriodScope {
  currencies: CurrencyTradeStats[];
}

export interface HistoryBucket {
  from: Date;
  to: Date;
  currencies: Array<{
    currency: string;
    /**
     * value change net of deposits and withdrawals; for a live portfolio (`exchangeHeld`), the
     * realized PnL of the bucket's fills net of their fees
     */
    profit: Decimal;
    /** time-weighted return as a fraction; null when nothing was invested */
    twr: Decimal | null;
    /** round trips closed in the bucket */
    trades: number;
  }>;
}

export interface HistoryReport {
  portfolio: PortfolioView;
  unit: BucketUnit;
  /** the oldest first */
  buckets: HistoryBucket[];
  /** the currencies with anything in them over the whole span */
  currencies: string[];
  /** live portfolios: each bucket's profit is realized PnL, its return null */
  exchangeHeld: ExchangeHeld | null;
}

export class TradeStatsService {
  constructor(
    private readonly ctx: DomainContext,
    private readonly deps: TradeStatsDeps,
  ) {}

  async profit(
    actor: Actor,
    portfolioId: number,
    period: Period,
    timeZone?: string,
  ): Promise<ProfitReport> {
    const scope = await this.scope(actor, portfolioId, period, timeZone);
    const { portfolio, from, to } = scope;
    const exchangeHeld = await this.exchangeHeld(actor, portfolio);
    const [trades, valuation, equity] = await Promise.all([
      loadStatTrades(this.ctx.db, portfolio.id, to),
      this.deps.pnl.valuationOf(portfolio),
      exchangeHeld ? null : loadEquityCurve(this.ctx.db, portfolio, { from, to }, this.deps),
    ]);
    const flows = equity
      ? await loadExternalFlows(this.ctx.db, portfolio, { from: equity.from, to: equity.to })
      : [];
    const result = roundTrips(trades, from, to);
    const stats = tradeStatistics(result.closed, result.realized);
    const currencies = new Set<string>([
      ...stats.map((s) => s.currency),
      ...valuation.totals.map((t) => t.currency),
      ...(equity?.performance.map((p) => p.currency) ?? []),
    ]);
    return {
      ...scope,
      exchangeHeld,
      currencies: [...currencies].sort().map((currency) => {
        const series = equity?.series.find((s) => s.currency === currency);
        return {
          currency,
          trades: stats.find((s) => s.currency === currency) ?? null,
          unrealized: valuation.totals.find((t) => t.currency === currency)?.unrealized ?? ZERO,
          openPositions: valuation.positions.filter((p) => p.currency === currency).length,
          performance: equity?.performance.find((p) => p.currency === currency) ?? null,
          drawdown: series
            ? maxDrawdown(
                series.points,
                flows.filter((f) => f.currency === currency),
              )
            : null,
        };
      }),
    };
  }

  /** Per symbol: realized PnL, closed trades and win rate, the best first. */
  async performance(
    actor: Actor,
    portfolioId: number,
    period: Period,
    timeZone?: string,
  ): Promise<SymbolReport> {
    const scope = await this.scope(actor, portfolioId, period, timeZone);
    const trades = await loadStatTrades(this.ctx.db, scope.portfolio.id, scope.to);
    const result = roundTrips(trades, scope.from, scope.to);
    return { ...scope, symbols: symbolPerformance(result.closed, result.realized) };
  }

  /** Wins and losses, their averages and holding times, and why positions were closed. */
  async stats(
    actor: Actor,
    portfolioId: number,
    period: Period,
    timeZone?: string,
  ): Promise<StatsReport> {
    const scope = await this.scope(actor, portfolioId, period, timeZone);
    const trades = await loadStatTrades(this.ctx.db, scope.portfolio.id, scope.to);
    const result = roundTrips(trades, scope.from, scope.to);
    return { ...scope, currencies: tradeStatistics(result.closed, result.realized) };
  }

  /** The closed trades of a period, for tests and exports that want them one by one. */
  async closedTrades(
    actor: Actor,
    portfolioId: number,
    period: Period,
    timeZone?: string,
  ): Promise<RoundTrip[]> {
    const scope = await this.scope(actor, portfolioId, period, timeZone);
    const trades = await loadStatTrades(this.ctx.db, scope.portfolio.id, scope.to);
    return roundTrips(trades, scope.from, scope.to).closed;
  }

  /**
   * The last `count` days, weeks or months in the time zone: per currency the value's change net
   * of deposits and withdrawals, its time-weighted return, and the round trips closed.
   */
  async history(
    actor: Actor,
    portfolioId: number,
    unit: BucketUnit,
    count: number,
    timeZone?: string,
  ): Promise<HistoryReport> {
    assertApproved(actor);
    if (!Number.isInteger(count) || count < 1 || count > MAX_HISTORY_PERIODS) {
      throw new ValidationError("periods", "error-history-periods-range", {
        max: MAX_HISTORY_PERIODS,
      });
    }
    const portfolio = await this.deps.portfolios.getPortfolio(actor, portfolioId);
    const now = this.ctx.clock.now();
    const buckets = lastBuckets(unit, count, now, timeZone ?? actor.timeZone);
    const start = buckets[0]!.from;
    // the last bucket ends at now, included
    const end = new Date(now.getTime() + 1);
    const exchangeHeld = await this.exchangeHeld(actor, portfolio);
    if (exchangeHeld) {
      const trades = await loadStatTrades(this.ctx.db, portfolio.id, end);
      return { portfolio, unit, exchangeHeld, ...realizedBuckets(trades, buckets, end) };
    }
    const [trades, cashRows, flows] = await Promise.all([
      loadStatTrades(this.ctx.db, portfolio.id, end),
      loadCash(this.ctx.db, portfolio.id, now),
      loadExternalFlows(this.ctx.db, portfolio, { from: start, to: now }),
    ]);
    const closed = roundTrips(trades, start, end).closed;
    const boundaries = [...buckets.map((b) => b.from), now];
    const times = uniqueTimes([
      ...boundaries,
      ...flows.map((f) => f.at).filter((at) => at > start),
    ]);
    const prices = await this.pricesAt(trades, times);
    const series = reconstructEquity({
      times,
      // the value follows execution time (a fill recorded late still counts when it happened)
      trades: [...trades]
        .sort((a, b) => a.execTime.getTime() - b.execTime.getTime())
        .map(toEquityTrade),
      cash: cashRows,
      priceAt: (instrumentId, index) => prices.get(instrumentId)?.[index] ?? null,
    });
    const currencies = series
      .filter(
        (s) =>
          s.points.some((p) => !p.value.isZero()) ||
          flows.some((f) => f.currency === s.currency) ||
          closed.some((t) => t.currency === s.currency),
      )
      .map((s) => s.currency);
    return {
      portfolio,
      unit,
      currencies,
      exchangeHeld: null,
      buckets: buckets.map((b, k) => {
        const last = k === buckets.length - 1;
        return {
          from: b.from,
          to: b.to,
          currencies: currencies.map((currency) => {
            const points = series.find((s) => s.currency === currency)!.points;
            const mine = flows.filter((f) => f.currency === currency);
            const inside = (at: Date) => at >= b.from && (last ? at <= b.to : at < b.to);
            const bucketFlows = mine.filter((f) => inside(f.at));
            // the bucket ends just before a flow at its last instant: that flow opens the next
            const atEnd = last
              ? ZERO
              : mine
                  .filter((f) => f.at.getTime() === b.to.getTime())
                  .reduce((s, f) => s.plus(f.amount), ZERO);
            const slice = points
              .filter((p) => p.at >= b.from && p.at <= b.to)
              .map((p) =>
                p.at.getTime() === b.to.getTime() ? { at: p.at, value: p.value.minus(atEnd) } : p,
              );
            const perf = seriesPerformance(currency, slice, bucketFlows);
            return {
              currency,
              profit: perf?.profit ?? ZERO,
              twr: perf?.twr ?? null,
              trades: closed.filter(
                (t) =>
                  t.currency === currency && t.closedAt >= b.from && (last || t.closedAt < b.to),
              ).length,
            };
          }),
        };
      }),
    };
  }

  /** A live portfolio's broker (its money is at the exchange); null for a paper one. */
  private async exchangeHeld(actor: Actor, portfolio: PortfolioView): Promise<ExchangeHeld | null> {
    if (portfolio.isPaper) return null;
    const account = await this.deps.portfolios.getAccount(actor, portfolio.accountId);
    return { broker: account.brokerName };
  }

  private async scope(
    actor: Actor,
    portfolioId: number,
    period: Period,
    timeZone?: string,
  ): Promise<PeriodScope> {
    assertApproved(actor);
    const portfolio = await this.deps.portfolios.getPortfolio(actor, portfolioId);
    const { from, to } = periodRange(period, this.ctx.clock.now(), timeZone ?? actor.timeZone);
    return { portfolio, period, from, to };
  }

  /**
   * Each instrument's price at each sample while it is held: the market's price at that moment
   * (the last price at the final sample), else the last trade price before it.
   */
  private async pricesAt(
    trades: readonly StatTrade[],
    times: readonly Date[],
  ): Promise<Map<number, Array<Decimal | null>>> {
    const out = new Map<number, Array<Decimal | null>>();
    const byInstrument = new Map<number, StatTrade[]>();
    for (const t of trades) {
      const list = byInstrument.get(t.instrumentId) ?? [];
      list.push(t);
      byInstrument.set(t.instrumentId, list);
    }
    for (const [instrumentId, list] of byInstrument) {
      const symbol = list[0]!.symbol;
      const prices: Array<Decimal | null> = [];
      for (const [index, at] of times.entries()) {
        let held = ZERO;
        let tradePrice: Decimal | null = null;
        for (const t of list) {
          if (t.execTime > at) continue;
          held = t.side === "BUY" ? held.plus(t.quantity) : held.minus(t.quantity);
          tradePrice = t.price;
        }
        if (held.isZero()) {
          prices.push(null);
          continue;
        }
        const mark =
          index === times.length - 1
            ? await this.deps.marks.lastPrice(symbol).catch(() => null)
            : await this.deps.marks.priceAt(symbol, at).catch(() => null);
        prices.push(mark ?? tradePrice);
      }
      out.set(instrumentId, prices);
    }
    return out;
  }
}

/**
 * A live portfolio's buckets: the realized PnL of each bucket's fills net of their fees, and the
 * round trips closed in it (no return: the capital invested is at the exchange).
 */
function realizedBuckets(
  trades: readonly StatTrade[],
  buckets: ReadonlyArray<{ from: Date; to: Date }>,
  end: Date,
): Pick<HistoryReport, "buckets" | "currencies"> {
  const per = buckets.map((b, k) => {
    const last = k === buckets.length - 1;
    return { bucket: b, result: roundTrips(trades, b.from, last ? end : b.to) };
  });
  const currencies = [
    ...new Set(
      per.flatMap(({ result }) => [
        ...result.realized.map((r) => r.currency),
        ...result.closed.map((t) => t.currency),
      ]),
    ),
  ].sort();
  return {
    currencies,
    buckets: per.map(({ bucket, result }) => ({
      from: bucket.from,
      to: bucket.to,
      currencies: currencies.map((currency) => ({
        currency,
        profit: result.realized
          .filter((r) => r.currency === currency)
          .reduce((sum, r) => sum.plus(r.net), ZERO),
        twr: null,
        trades: result.closed.filter((t) => t.currency === currency).length,
      })),
    })),
  };
}

function uniqueTimes(times: Date[]): Date[] {
  return [...new Set(times.map((t) => t.getTime()))].sort((a, b) => a - b).map((t) => new Date(t));
}

function toEquityTrade(t: StatTrade): EquityTrade {
  return {
    instrumentId: t.instrumentId,
    currency: t.currency,
    side: t.side,
    quantity: t.quantity,
    execTime: t.execTime,
  };
}

/**
 * The portfolio's fills executed before `to`, as the position calculator needs them: in
 * ingestion order (the order the positions applied them).
 */
export async function loadStatTrades(db: Db, portfolioId: number, to: Date): Promise<StatTrade[]> {
  const rows = await db.trade.findMany({
    where: { portfolioId, execTime: { lt: to } },
    select: {
      ...TRADE_REPLAY_SELECT,
      strategyId: true,
      instrument: { select: { symbol: true, currency: true, baseAsset: true } },
      order: { select: { type: true, strategyId: true, clientOrderId: true, meta: true } },
    },
    orderBy: { id: "asc" },
  });
  return rows.map((r) => ({
    instrumentId: r.instrumentId,
    symbol: r.instrument.symbol,
    currency: r.instrument.currency,
    strategyId: r.strategyId,
    // as on the position: the fee by the asset it was charged in (fill-fee.ts)
    ...positionFill(storedTradeFee(r), r.instrument),
    execTime: r.execTime,
    exitReason: exitReasonOf(r.order),
  }));
}

/** The portfolio's cash ledger up to `to`; a trade's settlement counts at its execution time. */
async function loadCash(db: Db, portfolioId: number, to: Date): Promise<EquityCashMove[]> {
  const rows = await db.cashTransaction.findMany({
    where: { portfolioId },
    select: {
      currency: true,
      amount: true,
      createdAt: true,
      trade: { select: { execTime: true } },
    },
    orderBy: { id: "asc" },
  });
  return rows
    .map((r) => ({
      currency: r.currency,
      amount: fromDb(r.amount),
      at: r.trade?.execTime ?? r.createdAt,
    }))
    .filter((m) => m.at.getTime() <= to.getTime())
    .sort((a, b) => a.at.getTime() - b.at.getTime());
}
