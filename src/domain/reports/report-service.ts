// The figures behind scheduled reports and /report: a portfolio summary (positions marked to
// market, cash, value per currency, PnL today and over a period, the biggest movers of the day,
// open orders, the equity curve and the allocation), a PnL report for a period, and a screener's
// ranked results. Every call takes the acting user (a schedule's owner when a job runs it) and
// checks ownership; periods follow the given time zone.
import { type Period, periodRange } from "../../lib/time.ts";
import { cashBalances } from "../cash/cash-ledger.ts";
import type { DomainContext } from "../context.ts";
import { fundsErrorOf } from "../funds/funds-error.ts";
import type { FundsSource } from "../funds/funds-source.ts";
import { StateError, ValidationError } from "../errors.ts";
import { orderInclude, toOrderView } from "../orders/order-mapper.ts";
import { OPEN_STATUSES } from "../orders/order-status.ts";
import type { MarkSource, PnlService } from "../pnl/pnl-service.ts";
import type { PortfolioService, PortfolioView } from "../portfolios/portfolio-service.ts";
import type { ScheduleTarget } from "../schedules/schedule-types.ts";
import { type Actor, assertApproved } from "../users/actor.ts";
import { resolutionFor } from "./equity-curve.ts";
import { type EquityCurve, type PriceHistory, loadEquityCurve } from "./equity-history.ts";
import type {
  CashBalance,
  ExchangeFundsView,
  PeriodPerformance,
  PnlPeriodReport,
  PortfolioSummary,
  ReportData,
  ScreenerReport,
} from "./report-types.ts";
import { allocations, dailyMovers, valueTotals } from "./portfolio-figures.ts";
import type { ScreenerRunner } from "./screener-runner.ts";

export interface ReportServiceDeps {
  portfolios: PortfolioService;
  pnl: PnlService;
  /** historical candles (equity curve, daily movers) */
  history: PriceHistory;
  /** last prices and prices at a moment (the same source valuation uses) */
  marks: MarkSource;
  screeners?: ScreenerRunner | null;
  /**
   * where a portfolio's cash and equity come from (the ledger for paper, the exchange for live
   * accounts); without one, every portfolio's cash is its ledger's
   */
  funds?: Pick<FundsSource, "accountFunds">;
}

/** Open orders listed in a summary (the count is always given). */
export const MAX_SUMMARY_ORDERS = 20;

export class ReportService {
  constructor(
    private readonly ctx: DomainContext,
    private readonly deps: ReportServiceDeps,
  ) {}

  async portfolioSummary(
    actor: Actor,
    portfolioId: number,
    options: { period?: Period; timeZone?: string } = {},
  ): Promise<PortfolioSummary> {
    assertApproved(actor);
    const portfolio = await this.deps.portfolios.getPortfolio(actor, portfolioId);
    const period = options.period ?? "month";
    const timeZone = options.timeZone ?? actor.timeZone;
    const at = this.ctx.clock.now();
    const [valuation, cashMap, exchange, pnlToday, openOrders, equity] = await Promise.all([
      this.deps.pnl.valuationOf(portfolio),
      // the portfolio's own cash; the account's other portfolios have theirs
      cashBalances(this.ctx.db, portfolio.id),
      this.exchangeFunds(actor, portfolio),
      this.deps.pnl.periodReportOf(portfolio, "today", timeZone),
      this.openOrders(portfolio.id),
      this.equity(portfolio, period, at, timeZone),
    ]);
    const pnlPeriod =
      period === "today"
        ? pnlToday
        : await this.deps.pnl.periodReportOf(portfolio, period, timeZone);
    // a live account's cash is at the exchange (its ledger records none)
    const cash: CashBalance[] = (
      exchange
        ? exchange.funds
          ? [{ currency: exchange.funds.currency, amount: exchange.funds.cash }]
          : []
        : [...cashMap].map(([currency, amount]) => ({ currency, amount }))
    ).filter((c) => !c.amount.isZero());
    return {
      kind: "PORTFOLIO_SUMMARY",
      portfolio,
      at,
      timeZone,
      period,
      valuation,
      cash,
      exchange,
      totals: valueTotals(valuation, cash),
      pnlToday,
      pnlPeriod,
      movers: await dailyMovers(this.deps.history, valuation),
      openOrders,
      equity,
      allocation: allocations(valuation, cash),
    };
  }

  async pnlReport(
    actor: Actor,
    portfolioId: number,
    period: Period,
    timeZone?: string,
  ): Promise<PnlPeriodReport> {
    assertApproved(actor);
    const portfolio = await this.deps.portfolios.getPortfolio(actor, portfolioId);
    const zone = timeZone ?? actor.timeZone;
    const at = this.ctx.clock.now();
    const [pnl, equity, exchange] = await Promise.all([
      this.deps.pnl.periodReportOf(portfolio, period, zone),
      this.equity(portfolio, period, at, zone),
      this.exchangeFunds(actor, portfolio),
    ]);
    return { kind: "PNL_REPORT", portfolio, at, timeZone: zone, period, pnl, equity, exchange };
  }

  /**
   * The portfolio's performance over a period in the given time zone, per currency: value at both
   * ends, deposits and withdrawals, profit and time-weighted return (what /pnl shows under its
   * table).
   */
  async performance(
    actor: Actor,
    portfolioId: number,
    period: Period,
    timeZone?: string,
  ): Promise<PeriodPerformance> {
    assertApproved(actor);
    const portfolio = await this.deps.portfolios.getPortfolio(actor, portfolioId);
    const at = this.ctx.clock.now();
    const [equity, exchange] = await Promise.all([
      this.equity(portfolio, period, at, timeZone ?? actor.timeZone),
      this.exchangeFunds(actor, portfolio),
    ]);
    return { from: equity.from, to: equity.to, currencies: equity.performance, exchange };
  }

  async screenerReport(actor: Actor, screenerId: number): Promise<ScreenerReport> {
    assertApproved(actor);
    if (!this.deps.screeners) throw new StateError("error-schedule-screeners-unavailable");
    const owned = await this.ctx.db.screener.findFirst({
      where: { id: screenerId, userId: actor.id },
      select: { id: true },
    });
    if (!owned) {
      throw new ValidationError("scheduleScreener", "error-schedule-screener-unknown", {
        ref: screenerId,
      });
    }
    const result = await this.deps.screeners.runForSchedule(actor.id, screenerId);
    return { kind: "SCREENER", at: this.ctx.clock.now(), result };
  }

  /** The report a schedule's target names, in the schedule's time zone. */
  async forTarget(actor: Actor, target: ScheduleTarget, timeZone: string): Promise<ReportData> {
    switch (target.kind) {
      case "PORTFOLIO_SUMMARY":
        return this.portfolioSummary(actor, target.portfolioId, {
          period: target.period,
          timeZone,
        });
      case "PNL_REPORT":
        return this.pnlReport(actor, target.portfolioId, target.period, timeZone);
      case "SCREENER":
        return this.screenerReport(actor, target.screenerId);
    }
  }

  private async equity(
    portfolio: PortfolioView,
    period: Period,
    at: Date,
    timeZone: string,
  ): Promise<EquityCurve> {
    const { from, to } = periodRange(period, at, timeZone);
    if (this.liveFunds(portfolio)) {
      // a live account's value history would need the exchange's deposits, withdrawals and cash
      // over time, none of which the ledger holds: rebuilt from fills alone, every purchase
      // would read as profit. Its cash and equity now come from the exchange instead.
      return { from, to, resolution: resolutionFor(from, to), series: [], performance: [] };
    }
    return loadEquityCurve(this.ctx.db, portfolio, { from, to, closed: to < at }, this.deps);
  }

  /** Cash and equity come from the exchange: a live portfolio, with a funds source to read. */
  private liveFunds(portfolio: PortfolioView): boolean {
    return !portfolio.isPaper && this.deps.funds !== undefined;
  }

  /** A live portfolio's cash and equity at the exchange; null for paper ones. */
  private async exchangeFunds(
    actor: Actor,
    portfolio: PortfolioView,
  ): Promise<ExchangeFundsView | null> {
    const source = this.deps.funds;
    if (portfolio.isPaper || !source) return null;
    const account = await this.deps.portfolios.getAccount(actor, portfolio.accountId);
    try {
      // the exchange's balances are the account's; the portfolio list is the ledger's concern
      const funds = await source.accountFunds(account, []);
      return { broker: account.brokerName, funds, error: null };
    } catch (e) {
      // a report still goes out (scheduled ones too), saying the exchange could not be read
      return { broker: account.brokerName, funds: null, error: fundsErrorOf(e) };
    }
  }

  private async openOrders(portfolioId: number) {
    const rows = await this.ctx.db.order.findMany({
      where: { portfolioId, status: { in: [...OPEN_STATUSES] } },
      include: orderInclude,
      orderBy: [{ placedAt: "desc" }, { id: "desc" }],
    });
    return rows.map(toOrderView);
  }
}
