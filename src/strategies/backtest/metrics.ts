// The figures of a finished backtest. Closed trades come from trade-stats' round trips over the
// backtest's fills (the same definition /stats uses for live trading: average cost, a trade from
// flat to flat, its PnL net of every fee it paid), win rate and averages from its statistics.
import { Decimal, ZERO } from "../../lib/decimal.ts";
import type { Candle, Interval } from "../../market/types.ts";
import { type StatTrade, roundTrips } from "../../domain/trade-stats/round-trips.ts";
import { tradeStatistics } from "../../domain/trade-stats/statistics.ts";
import type { DrawdownTracker } from "./drawdown.ts";
import type { ReturnStats } from "./returns.ts";
import type {
  BacktestFill,
  BacktestResult,
  BacktestTrade,
  EquitySeries,
  SkippedIntent,
} from "./types.ts";

const YEAR_MS = 365.25 * 86_400_000;
const HUNDRED = new Decimal(100);

export interface RunTotals {
  symbol: string;
  timeframe: Interval;
  firstCandle: Candle;
  lastCandle: Candle;
  evaluated: number;
  initialCash: Decimal;
  finalEquity: Decimal;
  startClose: Decimal;
  drawdown: DrawdownTracker;
  returns: ReturnStats;
  periods: number;
  exposed: number;
  fills: BacktestFill[];
  skipped: SkippedIntent[];
  series: EquitySeries;
}

function statTrades(symbol: string, fills: readonly BacktestFill[]): StatTrade[] {
  return fills.map((f) => ({
    instrumentId: 0,
    symbol,
    currency: "",
    strategyId: null,
    side: f.side,
    quantity: f.quantity,
    price: f.price,
    fee: f.fee,
    execTime: f.time,
    exitReason: "strategy",
  }));
}

const pct = (ratio: Decimal) => ratio.mul(HUNDRED);

export function summarize(t: RunTotals): BacktestResult {
  const { initialCash, finalEquity } = t;
  const trips = roundTrips(statTrades(t.symbol, t.fills), new Date(0), new Date(8.64e15));
  const stats = tradeStatistics(trips.closed, trips.realized)[0];
  const trades: BacktestTrade[] = trips.closed.map((r) => ({
    direction: r.direction,
    openedAt: r.openedAt,
    closedAt: r.closedAt,
    quantity: r.peakQuantity,
    realized: r.realized,
    fees: r.fees,
    net: r.net,
  }));
  const open = trips.open[0];
  // the span the equity curve covers: from the first evaluated close to the last close
  const spanMs = t.lastCandle.closeTime.getTime() - t.firstCandle.closeTime.getTime();
  const growth = initialCash.gt(0) ? finalEquity.div(initialCash) : null;
  let cagrPct: Decimal | null = null;
  if (growth !== null && spanMs > 0)
    cagrPct = growth.lte(0)
      ? new Decimal(-100)
      : pct(growth.pow(new Decimal(YEAR_MS).div(spanMs)).minus(1));
  const feesPaid = t.fills.reduce((s, f) => s.plus(f.fee), ZERO);
  return {
    symbol: t.symbol,
    timeframe: t.timeframe,
    from: t.firstCandle.openTime,
    to: t.lastCandle.openTime,
    candles: t.evaluated,
    metrics: {
      initialCash,
      finalEquity,
      totalReturnPct: growth === null ? ZERO : pct(growth.minus(1)),
      buyHoldReturnPct: pct(t.lastCandle.close.div(t.startClose).minus(1)),
      cagrPct,
      maxDrawdownPct: t.drawdown.percent,
      maxDrawdownAmount: t.drawdown.amount,
      sharpe: t.returns.sharpe(t.periods),
      sortino: t.returns.sortino(t.periods),
      trades: stats?.trades ?? 0,
      wins: stats?.wins ?? 0,
      losses: stats?.losses ?? 0,
      winRatePct: stats?.winRate ?? null,
      averageWin: stats?.averageWin ?? null,
      averageLoss: stats?.averageLoss ?? null,
      exposurePct: pct(new Decimal(t.exposed).div(t.evaluated)),
      feesPaid,
      fills: t.fills.length,
      skippedIntents: t.skipped.length,
    },
    trades,
    openTrade: open
      ? {
          direction: open.direction,
          openedAt: open.openedAt,
          quantity: open.quantity.abs(),
          realized: open.realized,
          fees: open.fees,
        }
      : null,
    fills: t.fills,
    skipped: t.skipped,
    series: t.series,
  };
}
