// Loads what the equity curve is reconstructed from: the portfolio's trades, its own cash
// ledger (a trade's settlement and fee count at the trade's execution time, so cash and position
// move together) and historical marks from the market's candles; and the external flows (money
// put in or taken out) that the period's performance is measured net of.
import { TRADE_REPLAY_SELECT } from "../trades/replay-select.ts";
import type { Db } from "../../db/client.ts";
import type { CashTxType } from "../../db/generated/sqlite/enums.ts";
import { fromDb, toDb } from "../../lib/decimal.ts";
import type { Candle, CandleRange, Interval } from "../../market/types.ts";
import type { PortfolioView } from "../portfolios/portfolio-service.ts";
import { latestCheckpoint } from "../pnl/checkpoints.ts";
import type { MarkSource } from "../pnl/pnl-service.ts";
import { positionFill } from "../positions/fill-fee.ts";
import { loadCashMoves } from "./cash-moves.ts";
import {
  type EquityResolution,
  type EquitySeries,
  type EquityTrade,
  reconstructEquity,
  resolutionFor,
  sampleTimes,
} from "./equity-curve.ts";
import { type CurrencyPerformance, type ExternalFlow, computePerformance } from "./performance.ts";
import { type StartHolding, type TradeRow, samplePrices } from "./sampled-prices.ts";

/**
 * The cash movements that cross the portfolio's boundary: its performance is measured net of
 * them. Trade settlements and fees are not here (they are the performance).
 */
export const EXTERNAL_FLOW_TYPES = [
  "DEPOSIT",
  "WITHDRAWAL",
  // cash moved in from or out to another portfolio of the account: outside this portfolio
  "TRANSFER",
] as const satisfies readonly CashTxType[];

/** The external flows of a portfolio from `from` to `to`, both included, in time order. */
export async function loadExternalFlows(
  db: Db,
  portfolio: Pick<PortfolioView, "id">,
  range: { from: Date; to: Date },
): Promise<ExternalFlow[]> {
  const rows = await db.cashTransaction.findMany({
    where: {
      portfolioId: portfolio.id,
      type: { in: [...EXTERNAL_FLOW_TYPES] },
      createdAt: { gte: range.from, lte: range.to },
    },
    select: { id: true, currency: true, amount: true, createdAt: true },
  });
  // ordered here, not in SQL: an ORDER BY createdAt made SQLite walk the (portfolioId, createdAt)
  // index through every trade's two rows of the window (a month: 12,000 rows, 31 ms at B5's full
  // size) instead of seeking the few flows on (portfolioId, type, createdAt)
  return rows
    .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id - b.id)
    .map((r) => ({ currency: r.currency, amount: fromDb(r.amount), at: r.createdAt }));
}

/** Historical candles, as every market data source provides them. */
export interface PriceHistory {
  candles(symbol: string, interval: Interval, range?: CandleRange): Promise<Candle[]>;
}

export interface EquityCurve {
  from: Date;
  to: Date;
  resolution: EquityResolution;
  /** one line per currency the portfolio holds value in; empty when it never held anything */
  series: EquitySeries[];
  /** per currency, net of deposits and withdrawals (see performance.ts) */
  performance: CurrencyPerformance[];
}

export async function loadEquityCurve(
  db: Db,
  portfolio: PortfolioView,
  /** closed: the period ended before now (yesterday), so its end is priced at `to` */
  range: { from: Date; to: Date; closed?: boolean },
  market: { history: PriceHistory; marks: MarkSource },
  /** false: replay the whole history (results are equal either way; tests and the bench) */
  options: { checkpoints?: boolean } = {},
): Promise<EquityCurve> {
  // the latest daily checkpoint closed at or before the start holds the quantities, cash and
  // last trade prices of everything dated before its close: only what follows is loaded
  const checkpoint =
    options.checkpoints === false ? null : await latestCheckpoint(db, portfolio.id, range.from);
  const since = checkpoint?.at;
  const tradesRead = Promise.resolve(
    db.trade.findMany({
      where: {
        portfolioId: portfolio.id,
        execTime: since ? { gte: since, lte: range.to } : { lte: range.to },
      },
      select: { id: true, ...TRADE_REPLAY_SELECT },
      orderBy: [{ execTime: "asc" }, { id: "asc" }],
    }),
  );
  const [storedTrades, cash, flows] = await Promise.all([
    tradesRead,
    // the cash rows of these trades count at their execution times, known from this read
    loadCashMoves(db, portfolio.id, {
      since,
      to: range.to,
      tradeTimes: tradesRead.then((rows) => new Map(rows.map((r) => [r.id, r.execTime]))),
    }),
    loadExternalFlows(db, portfolio, range),
  ]);
  // the instruments once each (an include sent one parameter per trade)
  const instrumentRows = await db.instrument.findMany({
    where: { id: { in: [...new Set(storedTrades.map((r) => r.instrumentId))] } },
    select: { id: true, symbol: true, currency: true, baseAsset: true },
  });
  const instruments = new Map(
    instrumentRows.map((i) => [
      i.id,
      { symbol: i.symbol, currency: i.currency, baseAsset: i.baseAsset },
    ]),
  );
  // the quantity each fill left held: a fee taken in the base asset is not held (fill-fee.ts)
  const tradeRows: TradeRow[] = storedTrades.map((r) => {
    // a trade's instrument cannot go (trades reference it without cascade)
    const instrument = instruments.get(r.instrumentId)!;
    return {
      ...r,
      instrument,
      quantity: toDb(
        positionFill(
          {
            side: r.side,
            quantity: fromDb(r.quantity),
            price: fromDb(r.price),
            fee: fromDb(r.fee),
            feeCurrency: r.feeCurrency,
            feeValue: null,
          },
          instrument,
        ).quantity,
      ),
    };
  });
  // "all" starts with the first thing that ever happened in the portfolio
  const firstEvent = Math.min(
    checkpoint?.firstEventAt.getTime() ?? Infinity,
    tradeRows[0]?.execTime.getTime() ?? Infinity,
    cash[0]?.at.getTime() ?? Infinity,
  );
  const from = new Date(
    Math.max(range.from.getTime(), Number.isFinite(firstEvent) ? firstEvent : range.to.getTime()),
  );
  const resolution = resolutionFor(from, range.to);
  if (!Number.isFinite(firstEvent)) {
    return { from, to: range.to, resolution, series: [], performance: [] };
  }
  const grid = sampleTimes(from, range.to, resolution);
  // the value is also needed at every flow's instant (just before and with it), for the
  // time-weighted return; the curve itself keeps to the grid
  const onGrid = new Set(grid.map((t) => t.getTime()));
  const times = [
    ...grid,
    ...flows
      .map((f) => f.at)
      .filter((at) => at.getTime() > from.getTime() && !onGrid.has(at.getTime())),
  ]
    .sort((a, b) => a.getTime() - b.getTime())
    .filter((at, i, all) => i === 0 || at.getTime() !== all[i - 1]!.getTime());

  const trades: EquityTrade[] = tradeRows.map((r) => ({
    instrumentId: r.instrumentId,
    currency: r.instrument.currency,
    side: r.side,
    quantity: fromDb(r.quantity),
    execTime: r.execTime,
  }));
  const start = new Map<number, StartHolding>(
    [...(checkpoint?.instruments.values() ?? [])].map((i) => [
      i.instrumentId,
      { symbol: i.symbol, currency: i.currency, held: i.held, lastPrice: i.lastPrice },
    ]),
  );
  const prices = await samplePrices(
    tradeRows,
    start,
    times,
    resolution,
    market,
    onGrid,
    range.closed ?? false,
  );
  const sampled = reconstructEquity({
    times,
    trades,
    cash,
    ...(checkpoint
      ? {
          initial: {
            quantities: new Map(
              [...start].map(([id, h]) => [id, { currency: h.currency, quantity: h.held }]),
            ),
            cash: new Map([...checkpoint.currencies.values()].map((c) => [c.currency, c.cash])),
          },
        }
      : {}),
    priceAt: (instrumentId, index) => prices.get(instrumentId)?.[index] ?? null,
  });
  const series = sampled.map((s) => ({
    currency: s.currency,
    points: s.points.filter((p) => onGrid.has(p.at.getTime())),
  }));
  return {
    from,
    to: range.to,
    resolution,
    series,
    performance: computePerformance(sampled, flows),
  };
}
