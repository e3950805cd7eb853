// The figures a strategy run is measured by: the portfolio's equity (cash + positions at the last
// price, in the portfolio's currency) and the strategy version's own net PnL in the portfolio
// (realized + unrealized − fees over its positions, closed ones included). A run stores the PnL
// it started from, so a restarted version counts only what the new run earned.
import type { DbOrTx } from "../../db/client.ts";
import { type Decimal, ZERO, fromDb, maxDec, toDb } from "../../lib/decimal.ts";
import type { CashService, PortfolioBalances } from "../cash/cash-service.ts";
import type { PriceReference } from "../orders/order-types.ts";
import type { PortfolioView } from "../portfolios/portfolio-service.ts";
import type { PositionService, PositionView } from "../positions/position-service.ts";
import type { StrategyRunView } from "./instance-types.ts";

export interface StrategyMetricsDeps {
  cash: Pick<CashService, "portfolioBalances" | "portfolioHoldings" | "funds">;
  positions: Pick<PositionService, "snapshotUnchecked">;
  prices: PriceReference;
}

export class StrategyMetrics {
  constructor(private readonly deps: StrategyMetricsDeps) {}

  /**
   * Cash + positions in `currency` (the portfolio's base currency when not given): what
   * cashAndEquity's equity is, without the free cash it also works out (a paper portfolio's
   * open orders and their reserves are not read).
   */
  async equity(portfolio: PortfolioView, currency = portfolio.baseCurrency): Promise<Decimal> {
    const holdings = (await this.deps.cash.portfolioHoldings(portfolio)).find(
      (h) => h.currency === currency,
    );
    if (portfolio.isPaper) return holdings ? holdings.cash.plus(holdings.positions) : ZERO;
    const cash = await this.deps.cash.funds.portfolioCashIn(portfolio, currency);
    return cash.total.plus(holdings?.positions ?? ZERO);
  }

  /**
   * Free cash and equity in `currency`: the portfolio's positions at market plus its cash from
   * the funds source (paper: the ledger; live: the account's balance at the exchange, as
   * pre-trade risk counts it, since a live account's ledger holds no cash).
   */
  async cashAndEquity(
    portfolio: PortfolioView,
    currency: string,
  ): Promise<{ cash: Decimal; equity: Decimal }> {
    return this.cashAndEquityFrom(portfolio, await this.balances(portfolio), currency);
  }

  /** The portfolio's balance lines, which cashAndEquityFrom reads (one read, several currencies). */
  balances(portfolio: PortfolioView): Promise<PortfolioBalances> {
    return this.deps.cash.portfolioBalances(portfolio);
  }

  /** cashAndEquity from balance lines read before (see CycleCache). */
  async cashAndEquityFrom(
    portfolio: PortfolioView,
    balances: PortfolioBalances,
    currency: string,
  ): Promise<{ cash: Decimal; equity: Decimal }> {
    const line = balances.lines.find((l) => l.currency === currency);
    if (portfolio.isPaper) {
      return line
        ? { cash: line.free, equity: line.cash.plus(line.positions) }
        : { cash: ZERO, equity: ZERO };
    }
    const cash = await this.deps.cash.funds.portfolioCashIn(portfolio, currency);
    return { cash: cash.free, equity: cash.total.plus(line?.positions ?? ZERO) };
  }

  /**
   * The strategy version's positions in the portfolio, flat ones included (what strategyNet
   * sums), in one read; not named (strategyName null): the caller knows the strategy. Several
   * versions: all their positions in the one read (the runtime's, per portfolio and cycle).
   */
  strategyPositions(
    db: DbOrTx,
    portfolioId: number,
    strategyId: number | readonly number[],
  ): Promise<PositionView[]> {
    return this.deps.positions.snapshotUnchecked(db, portfolioId, {
      includeFlat: true,
      strategyIds: typeof strategyId === "number" ? [strategyId] : [...strategyId],
      strategyNames: false,
    });
  }

  /**
   * strategyPositions() of several versions in the portfolio, in one read: each version's
   * positions (an empty list for one that has none).
   */
  async positionsByStrategy(
    db: DbOrTx,
    portfolioId: number,
    strategyIds: readonly number[],
  ): Promise<Map<number, PositionView[]>> {
    const out = new Map<number, PositionView[]>(strategyIds.map((id) => [id, []]));
    for (const p of await this.strategyPositions(db, portfolioId, [...out.keys()]))
      if (p.strategyId !== null) out.get(p.strategyId)?.push(p);
    return out;
  }

  /**
   * The strategy version's net PnL in the portfolio: realized + unrealized − fees. `read`: its
   * positions as strategyPositions just read them, when nothing has moved them since (the
   * runtime's evaluation that placed no order); absent, they are read.
   */
  async strategyNet(
    db: DbOrTx,
    portfolioId: number,
    strategyId: number,
    read?: readonly PositionView[],
  ): Promise<Decimal> {
    const positions = read ?? (await this.strategyPositions(db, portfolioId, strategyId));
    let net = ZERO;
    for (const p of positions) {
      net = net.plus(p.realizedPnl).minus(p.fees);
      if (!p.quantity.isZero()) {
        const last = await this.deps.prices.lastPrice(p.symbol).catch(() => null);
        if (last) net = net.plus(last.minus(p.avgPrice).mul(p.quantity));
      }
    }
    return net;
  }
}

/** A run's figures after one more look at equity and PnL (peak and drawdown carried on). */
export function advanceRun(
  run: { peakEquity: string; maxDrawdown: string; pnlBase: string },
  equity: Decimal,
  net: Decimal,
): { peakEquity: string; maxDrawdown: string; pnl: string; capitalEnd: string } {
  const peak = maxDec(fromDb(run.peakEquity), equity);
  const drawdown = peak.gt(0) ? peak.minus(equity).div(peak) : ZERO;
  return {
    peakEquity: toDb(peak),
    maxDrawdown: toDb(maxDec(fromDb(run.maxDrawdown), drawdown).toDecimalPlaces(8)),
    pnl: toDb(net.minus(fromDb(run.pnlBase))),
    capitalEnd: toDb(equity),
  };
}

export function toRunView(r: {
  id: number;
  instanceId: number;
  strategyId: number;
  status: "RUNNING" | "FINISHED";
  startedAt: Date;
  endedAt: Date | null;
  capitalStart: string;
  capitalEnd: string | null;
  orders: number;
  successfulOrders: number;
  pnl: string;
  maxDrawdown: string;
}): StrategyRunView {
  return {
    id: r.id,
    instanceId: r.instanceId,
    strategyId: r.strategyId,
    status: r.status,
    startedAt: r.startedAt,
    endedAt: r.endedAt,
    capitalStart: fromDb(r.capitalStart),
    capitalEnd: r.capitalEnd === null ? null : fromDb(r.capitalEnd),
    orders: r.orders,
    successfulOrders: r.successfulOrders,
    pnl: fromDb(r.pnl),
    maxDrawdown: fromDb(r.maxDrawdown),
  };
}
