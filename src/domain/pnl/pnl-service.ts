// Valuation and PnL for a portfolio: positions marked to market (market value, unrealized PnL
// and its percentage, realized, fees, totals per currency), and PnL over a period in the user's
// time zone computed from trades.
import { TRADE_REPLAY_SELECT } from "../trades/replay-select.ts";
import { type Decimal, ZERO } from "../../lib/decimal.ts";
import { type Period, periodRange } from "../../lib/time.ts";
import type { DomainContext } from "../context.ts";
import type { InstrumentService, InstrumentView } from "../instruments/instrument-service.ts";
import type { PortfolioService, PortfolioView } from "../portfolios/portfolio-service.ts";
import { positionFill, storedTradeFee } from "../positions/fill-fee.ts";
import { type PositionState, unrealizedPnl } from "../positions/position-math.ts";
import type { PositionService, PositionView } from "../positions/position-service.ts";
import { type Actor, assertApproved } from "../users/actor.ts";
import { latestCheckpoint } from "./checkpoints.ts";
import { type InstrumentPnl, type PnlTrade, periodPnl } from "./pnl-calculator.ts";

/** Prices for valuation: the last price now, and the price at a past moment. */
export interface MarkSource {
  lastPrice(symbol: string): Promise<Decimal>;
  /** price at `at` (the close of the minute containing it), null when unknown */
  priceAt(symbol: string, at: Date): Promise<Decimal | null>;
}

export interface ValuedPosition extends PositionView {
  instrument: InstrumentView;
  lastPrice: Decimal | null;
  marketValue: Decimal | null;
  unrealized: Decimal | null;
  /** unrealized as a percentage of the cost basis (|qty| × avg) */
  unrealizedPct: Decimal | null;
}

export interface CurrencyTotals {
  currency: string;
  marketValue: Decimal;
  unrealized: Decimal;
  realized: Decimal;
  fees: Decimal;
  /** unrealized + realized − fees */
  net: Decimal;
}

export interface Valuation {
  portfolio: PortfolioView;
  positions: ValuedPosition[];
  totals: CurrencyTotals[];
  at: Date;
}

export interface PnlRow extends InstrumentPnl {
  instrument: InstrumentView;
  /** the fees as they count in net: −fees */
  feeImpact: Decimal;
}

export interface PnlReport {
  portfolio: PortfolioView;
  period: Period;
  from: Date;
  to: Date;
  rows: PnlRow[];
  totals: Array<{
    currency: string;
    realized: Decimal;
    unrealizedChange: Decimal;
    fees: Decimal;
    /** −fees, as in the rows */
    feeImpact: Decimal;
    net: Decimal;
  }>;
}

export class PnlService {
  constructor(
    private readonly ctx: DomainContext,
    private readonly portfolios: PortfolioService,
    private readonly positions: PositionService,
    private readonly instruments: InstrumentService,
    private readonly marks: MarkSource,
    /** false: always replay every trade (the bench's baseline; results are equal either way) */
    private readonly options: { checkpoints?: boolean } = {},
  ) {}

  async valuation(actor: Actor, portfolioId: number, strategyIds?: number[]): Promise<Valuation> {
    assertApproved(actor);
    const portfolio = await this.portfolios.getPortfolio(actor, portfolioId);
    return this.valuationOf(portfolio, strategyIds);
  }

  /**
   * For jobs (reports, risk watch) that hold the portfolio already. `strategyNames: false`: the
   * positions' strategy names are left null, not read (a caller that only sums their values).
   */
  async valuationOf(
    portfolio: PortfolioView,
    strategyIds?: number[],
    options: { strategyNames?: boolean } = {},
  ): Promise<Valuation> {
    const open = await this.positions.snapshotUnchecked(this.ctx.db, portfolio.id, {
      ...(strategyIds ? { strategyIds } : {}),
      ...(options.strategyNames === false ? { strategyNames: false } : {}),
    });
    const valued: ValuedPosition[] = [];
    for (const p of open) {
      const instrument = await this.instruments.get(p.instrumentId);
      const last = await this.marks.lastPrice(instrument.symbol).catch(() => null);
      const unrealized = last ? unrealizedPnl(p, last) : null;
      const basis = p.quantity.abs().mul(p.avgPrice);
      // field by field: a spread of the position would copy it through V8's slow path, fifty
      // times per /positions
      valued.push({
        id: p.id,
        portfolioId: p.portfolioId,
        instrumentId: p.instrumentId,
        symbol: p.symbol,
        currency: p.currency,
        strategyId: p.strategyId,
        strategyName: p.strategyName,
        strategyVersion: p.strategyVersion,
        openedAt: p.openedAt,
        updatedAt: p.updatedAt,
        quantity: p.quantity,
        avgPrice: p.avgPrice,
        realizedPnl: p.realizedPnl,
        fees: p.fees,
        instrument,
        lastPrice: last,
        marketValue: last ? p.quantity.mul(last) : null,
        unrealized,
        unrealizedPct: unrealized && !basis.isZero() ? unrealized.div(basis).mul(100) : null,
      });
    }
    const totals = new Map<string, CurrencyTotals>();
    for (const p of valued) {
      const t = totals.get(p.currency) ?? {
        currency: p.currency,
        marketValue: ZERO,
        unrealized: ZERO,
        realized: ZERO,
        fees: ZERO,
        net: ZERO,
      };
      t.marketValue = t.marketValue.plus(p.marketValue ?? ZERO);
      t.unrealized = t.unrealized.plus(p.unrealized ?? ZERO);
      t.realized = t.realized.plus(p.realizedPnl);
      t.fees = t.fees.plus(p.fees);
      totals.set(p.currency, t);
    }
    for (const t of totals.values()) t.net = t.unrealized.plus(t.realized).minus(t.fees);
    return { portfolio, positions: valued, totals: [...totals.values()], at: this.ctx.clock.now() };
  }

  async periodReport(
    actor: Actor,
    portfolioId: number,
    period: Period,
    strategyIds?: number[],
  ): Promise<PnlReport> {
    assertApproved(actor);
    const portfolio = await this.portfolios.getPortfolio(actor, portfolioId);
    return this.periodReportOf(portfolio, period, actor.timeZone, strategyIds);
  }

  async periodReportOf(
    portfolio: PortfolioView,
    period: Period,
    timeZone: string,
    strategyIds?: number[],
  ): Promise<PnlReport> {
    const now = this.ctx.clock.now();
    const { from, to } = periodRange(period, now, timeZone);
    const closed = to < now;
    // a checkpoint closed at or before the period's start folds every trade before it; it covers
    // the whole portfolio, so a report on some strategies replays their trades in full
    const checkpoint =
      this.options.checkpoints === false || strategyIds
        ? null
        : await latestCheckpoint(this.ctx.db, portfolio.id, from);
    const rows = await this.ctx.db.trade.findMany({
      where: {
        portfolioId: portfolio.id,
        execTime: { lt: to },
        ...(checkpoint ? { id: { gte: checkpoint.tradeIdBound } } : {}),
        ...(strategyIds ? { strategyId: { in: strategyIds } } : {}),
      },
      select: TRADE_REPLAY_SELECT,
      orderBy: { id: "asc" },
    });
    const initial = new Map<number, PositionState>(
      [...(checkpoint?.instruments.values() ?? [])].map((i) => [i.instrumentId, i.position]),
    );
    const instruments = new Map<number, InstrumentView>();
    for (const id of new Set([...initial.keys(), ...rows.map((r) => r.instrumentId)]))
      instruments.set(id, await this.instruments.get(id));
    // as on the position: the fee by the asset it was charged in (fill-fee.ts)
    const trades: PnlTrade[] = rows.map((r) => ({
      instrumentId: r.instrumentId,
      execTime: r.execTime,
      ...positionFill(storedTradeFee(r), instruments.get(r.instrumentId)!),
    }));
    const startMarks = new Map<number, Decimal | null>();
    const endMarks = new Map<number, Decimal | null>();
    for (const [id, instrument] of instruments) {
      startMarks.set(
        id,
        period === "all"
          ? null
          : await this.marks.priceAt(instrument.symbol, from).catch(() => null),
      );
      // a period that ended before now (yesterday) is valued at its own end, not at the last price
      endMarks.set(
        id,
        await (
          closed
            ? this.marks.priceAt(instrument.symbol, to)
            : this.marks.lastPrice(instrument.symbol)
        ).catch(() => null),
      );
    }
    const result = periodPnl(
      trades,
      from,
      to,
      {
        start: (id) => startMarks.get(id) ?? null,
        end: (id) => endMarks.get(id) ?? null,
      },
      initial,
    );
    const pnlRows = result.map((r) => ({
      ...r,
      instrument: instruments.get(r.instrumentId)!,
      feeImpact: r.fees.neg(),
    }));
    const totals = new Map<string, PnlReport["totals"][number]>();
    for (const r of pnlRows) {
      const c = r.instrument.currency;
      const t = totals.get(c) ?? {
        currency: c,
        realized: ZERO,
        unrealizedChange: ZERO,
        fees: ZERO,
        feeImpact: ZERO,
        net: ZERO,
      };
      t.realized = t.realized.plus(r.realized);
      t.unrealizedChange = t.unrealizedChange.plus(r.unrealizedChange);
      t.fees = t.fees.plus(r.fees);
      t.feeImpact = t.fees.neg();
      t.net = t.net.plus(r.net);
      totals.set(c, t);
    }
    return { portfolio, period, from, to, rows: pnlRows, totals: [...totals.values()] };
  }
}
