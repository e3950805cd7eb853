// The figures behind /profit, /performance, /stats and /daily, /weekly, /monthly: closed trades
// and realized PnL from the portfolio's fills (round-trips.ts says what a closed trade is), the
// unrealized PnL of what is open now, and the value's return net of deposits and withdrawals
// (time-weighted, performance.ts) with its deepest fall (drawdown.ts). Every call takes the acting
// user and checks that the portfolio is theirs; periods follow the given time zone.
import { ZERO } from "../../lib/decimal.ts";
import { type BucketUnit, lastBuckets } from "../../lib/period-buckets.ts";
import { type Period, periodRange } from "../../lib/time.ts";
import type { DomainContext } from "../context.ts";
import { ValidationError } from "../errors.ts";
import type { MarkSource, PnlService } from "../pnl/pnl-service.ts";
import type { PortfolioService, PortfolioView } from "../portfolios/portfolio-service.ts";
import { loadCashMoves } from "../reports/cash-moves.ts";
import {
  type PriceHistory,
  loadEquityCurve,
  loadExternalFlows,
} from "../reports/equity-history.ts";
import { type Actor, assertApproved } from "../users/actor.ts";
import { maxDrawdown } from "./drawdown.ts";
import { realizedBuckets, valueBuckets } from "./history-buckets.ts";
import { type RoundTrip, roundTrips } from "./round-trips.ts";
import { loadStatTrades } from "./stat-trades.ts";
import { symbolPerformance, tradeStatistics } from "./statistics.ts";
import type {
  ExchangeHeld,
  HistoryReport,
  PeriodScope,
  ProfitReport,
  StatsReport,
  SymbolReport,
} from "./trade-stats-types.ts";

export type { HistoryReport } from "./trade-stats-types.ts";

/** The most periods /daily, /weekly and /monthly show at once. */
export const MAX_HISTORY_PERIODS = 60;

export interface TradeStatsDeps {
  portfolios: PortfolioService;
  pnl: PnlService;
  history: PriceHistory;
  marks: MarkSource;
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
    const [trades, cash, flows] = await Promise.all([
      loadStatTrades(this.ctx.db, portfolio.id, end),
      loadCashMoves(this.ctx.db, portfolio.id, { to: now }),
      loadExternalFlows(this.ctx.db, portfolio, { from: start, to: now }),
    ]);
    return {
      portfolio,
      unit,
      exchangeHeld: null,
      ...(await valueBuckets({ trades, cash, flows, buckets, now, end, marks: this.deps.marks })),
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
}
