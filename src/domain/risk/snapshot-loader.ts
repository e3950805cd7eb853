// Loads a portfolio's risk snapshot (risk-snapshot.ts explains every figure and the currency
// assumption): positions valued through PnlService, the portfolio's cash from the funds source
// (its own ledger cash for paper accounts, the account's exchange balance for live ones), the
// day's PnL from the period report in the user's zone, the day's deposits, withdrawals and
// transfers, and today's orders.
import { EXTERNAL_FLOW_TYPES } from "../reports/equity-history.ts";
import { type Decimal, ZERO, fromDb, sumDec } from "../../lib/decimal.ts";
import { startOfDay } from "../../lib/time.ts";
import { cashBalance } from "../cash/cash-ledger.ts";
import type { DomainContext } from "../context.ts";
import type { FundsSource } from "../funds/funds-source.ts";
import type { PnlService } from "../pnl/pnl-service.ts";
import type { PortfolioView } from "../portfolios/portfolio-service.ts";
import type { AssetExposure, PortfolioRiskSnapshot } from "./risk-snapshot.ts";

export interface SnapshotOwner {
  userId: number;
  timeZone: string;
}

export class RiskSnapshotLoader {
  constructor(
    private readonly ctx: DomainContext,
    private readonly pnl: PnlService,
    /** the funds source (ledger or exchange); without one, the portfolio's ledger cash */
    private readonly funds?: Pick<FundsSource, "portfolioCash">,
  ) {}

  async load(
    portfolio: PortfolioView,
    owner: SnapshotOwner,
    at: Date,
  ): Promise<PortfolioRiskSnapshot> {
    const currency = portfolio.baseCurrency;
    const dayStart = startOfDay(at, owner.timeZone);
    const [valuation, cash, report, flows, ordersToday] = await Promise.all([
      this.pnl.valuationOf(portfolio),
      // paper: the portfolio's ledger cash; live: the account's balance at the exchange
      this.funds
        ? this.funds.portfolioCash(portfolio)
        : cashBalance(this.ctx.db, portfolio.id, currency),
      this.pnl.periodReportOf(portfolio, "today", owner.timeZone),
      this.ctx.db.cashTransaction.findMany({
        // the ledger stamps rows with the database's clock: rows after `at` are not "today" yet
        where: {
          portfolioId: portfolio.id,
          currency,
          // transfers between the user's portfolios move this portfolio's equity like deposits
          type: { in: [...EXTERNAL_FLOW_TYPES] },
          createdAt: { gte: dayStart, lte: at },
        },
        select: { amount: true },
      }),
      this.ctx.db.order.count({
        where: { portfolioId: portfolio.id, placedAt: { gte: dayStart, lte: at } },
      }),
    ]);

    const byInstrument = new Map<number, AssetExposure>();
    const excluded: PortfolioRiskSnapshot["excluded"] = [];
    const unpriced = new Set<string>();
    for (const p of valuation.positions) {
      if (p.quantity.isZero()) continue;
      if (p.currency !== currency) {
        excluded.push({ symbol: p.symbol, currency: p.currency, quantity: p.quantity });
        continue;
      }
      if (!p.lastPrice) unpriced.add(p.symbol);
      const mark = p.lastPrice ?? p.avgPrice;
      const seen = byInstrument.get(p.instrumentId);
      const quantity = (seen?.quantity ?? ZERO).plus(p.quantity);
      const value = (seen?.value ?? ZERO).plus(p.quantity.mul(mark));
      byInstrument.set(p.instrumentId, {
        instrumentId: p.instrumentId,
        symbol: p.symbol,
        quantity,
        // one price per instrument: the mark, or the value-weighted cost without one
        price: p.lastPrice ?? (quantity.isZero() ? mark : value.div(quantity)),
        value,
        strategyIds: [...(seen?.strategyIds ?? []), p.strategyId],
      });
    }
    const assets = [...byInstrument.values()].filter((a) => !a.quantity.isZero());
    const positionsValue = sumDec(assets.map((a) => a.value));
    const grossExposure = sumDec(assets.map((a) => a.value.abs()));
    const equity = cash.plus(positionsValue);
    const dayPnl = report.totals.find((t) => t.currency === currency)?.net ?? ZERO;
    const dayFlows: Decimal = sumDec(flows.map((f) => fromDb(f.amount)));
    return {
      portfolioId: portfolio.id,
      portfolioName: portfolio.name,
      userId: owner.userId,
      currency,
      timeZone: owner.timeZone,
      at,
      dayStart,
      cash,
      positionsValue,
      equity,
      grossExposure,
      assets,
      excluded,
      unpriced: [...unpriced],
      dayPnl,
      dayFlows,
      // the day's base: what the trader worked with today (start-of-day equity plus the day's
      // deposits less withdrawals), so an account funded this morning has a base too
      dayStartEquity: equity.minus(dayPnl),
      ordersToday,
    };
  }
}
