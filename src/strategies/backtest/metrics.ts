// The figures of a finished backtest. Closed trades are trade-stats' round trips over the
// backtest's fills (the same definition /stats uses for live trading: average cost, a trade from
// flat to flat, its PnL net of every fee it paid), win rate and averages its statistics; both
// computed in one pass by trips.ts.
import { Decimal, ZERO } from "../../lib/decimal.ts";
import type { Candle, Interval } from "../../market/types.ts";
import type { DrawdownTracker } from "./drawdown.ts";
import type { ReturnStats } from "./returns.ts";
import { tripsOf } from "./trips.ts";
import type { FillUnits } from "./trips-in-units.ts";
import type { BacktestFill, BacktestResult, EquitySeries, SkippedIntent } from "./types.ts";

const YEAR_MS = 365.25 * 86_400_000;
const HUNDRED = new Decimal(100);

/**
 * Where the compound annual growth rate is computed: 25 significant digits, far beyond the four
 * places of a percentage a report shows. A power to a fractional exponent is exp(y × ln x); at the
 * 60 digits of money math it took 3–14 ms of a backtest that takes ~200 (it runs once per run,
 * before the code is warm).
 */
const GrowthMath = Decimal.clone({ precision: 25 });

/** (growth^(1 / years) − 1) × 100 for a span of `spanMs`; −100 when nothing is left. */
export function cagrPercent(growth: Decimal, spanMs: number): Decimal {
  if (growth.lte(0)) return new Decimal(-100);
  const perYear = new GrowthMath(growth).pow(new GrowthMath(YEAR_MS).div(spanMs));
  return pct(new Decimal(perYear).minus(1));
}

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
  /** the fills' units, when the integer lane made every one of them */
  fillUnits: FillUnits | null;
  skipped: SkippedIntent[];
  series: EquitySeries;
}

const pct = (ratio: Decimal) => ratio.mul(HUNDRED);

export function summarize(t: RunTotals): BacktestResult {
  const { initialCash, finalEquity } = t;
  const trips = tripsOf(t.fills, t.fillUnits);
  // the span the equity curve covers: from the first evaluated close to the last close
  const spanMs = t.lastCandle.closeTime.getTime() - t.firstCandle.closeTime.getTime();
  const growth = initialCash.gt(0) ? finalEquity.div(initialCash) : null;
  const cagrPct = growth !== null && spanMs > 0 ? cagrPercent(growth, spanMs) : null;
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
      trades: trips.trades,
      wins: trips.wins,
      losses: trips.losses,
      winRatePct: trips.winRatePct,
      averageWin: trips.averageWin,
      averageLoss: trips.averageLoss,
      exposurePct: pct(new Decimal(t.exposed).div(t.evaluated)),
      feesPaid: trips.feesPaid,
      fills: t.fills.length,
      skippedIntents: t.skipped.length,
    },
    trades: trips.closed,
    openTrade: trips.open,
    fills: t.fills,
    skipped: t.skipped,
    series: t.series,
  };
}
