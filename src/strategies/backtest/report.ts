// A backtest result as plain JSON: what the CLI prints with --json, what a worker thread posts
// back (Decimal objects do not survive structured cloning) and what the bot formats. Stable by
// construction — fixed key order, Decimals as plain strings rounded the same way every time,
// floats rounded to fixed places, dates as ISO strings — so the same inputs give byte-identical
// JSON.
import { type Decimal, Decimal as D } from "../../lib/decimal.ts";
import type { BacktestResult } from "./types.ts";

const MONEY_PLACES = 8;
const PCT_PLACES = 4;
const RATIO_PLACES = 4;

const money = (v: Decimal) => v.toDecimalPlaces(MONEY_PLACES, D.ROUND_HALF_EVEN).toFixed();
const percent = (v: Decimal) => v.toDecimalPlaces(PCT_PLACES, D.ROUND_HALF_EVEN).toFixed();
const maybe = <T>(v: T | null, f: (x: T) => string) => (v === null ? null : f(v));
const ratio = (v: number | null) => (v === null ? null : Number(v.toFixed(RATIO_PLACES)));
const iso = (d: Date) => d.toISOString();

export interface BacktestReportTrade {
  direction: "LONG" | "SHORT";
  openedAt: string;
  closedAt: string;
  quantity: string;
  realized: string;
  fees: string;
  net: string;
}

export interface BacktestReportFill {
  time: string;
  side: "BUY" | "SELL";
  quantity: string;
  price: string;
  fee: string;
  liquidity: "MAKER" | "TAKER";
  intentId: string;
  reason: string;
}

export interface BacktestReport {
  symbol: string;
  timeframe: string;
  from: string;
  to: string;
  candles: number;
  metrics: {
    initialCash: string;
    finalEquity: string;
    totalReturnPct: string;
    buyHoldReturnPct: string;
    cagrPct: string | null;
    maxDrawdownPct: string;
    maxDrawdownAmount: string;
    sharpe: number | null;
    sortino: number | null;
    trades: number;
    wins: number;
    losses: number;
    winRatePct: string | null;
    averageWin: string | null;
    averageLoss: string | null;
    exposurePct: string;
    feesPaid: string;
    fills: number;
    skippedIntents: number;
  };
  trades: BacktestReportTrade[];
  openTrade: Omit<BacktestReportTrade, "closedAt" | "net"> | null;
  fills: BacktestReportFill[];
  /** for charts: sampled equity and buy-and-hold, and where the fills were (present on request) */
  series?: { times: number[]; equity: number[]; buyHold: number[]; fillIndex: number[] };
}

export function toReport(result: BacktestResult, withSeries = false): BacktestReport {
  const m = result.metrics;
  const { stride } = result.series;
  return {
    symbol: result.symbol,
    timeframe: result.timeframe,
    from: iso(result.from),
    to: iso(result.to),
    candles: result.candles,
    metrics: {
      initialCash: money(m.initialCash),
      finalEquity: money(m.finalEquity),
      totalReturnPct: percent(m.totalReturnPct),
      buyHoldReturnPct: percent(m.buyHoldReturnPct),
      cagrPct: maybe(m.cagrPct, percent),
      maxDrawdownPct: percent(m.maxDrawdownPct),
      maxDrawdownAmount: money(m.maxDrawdownAmount),
      sharpe: ratio(m.sharpe),
      sortino: ratio(m.sortino),
      trades: m.trades,
      wins: m.wins,
      losses: m.losses,
      winRatePct: maybe(m.winRatePct, percent),
      averageWin: maybe(m.averageWin, money),
      averageLoss: maybe(m.averageLoss, money),
      exposurePct: percent(m.exposurePct),
      feesPaid: money(m.feesPaid),
      fills: m.fills,
      skippedIntents: m.skippedIntents,
    },
    trades: result.trades.map((t) => ({
      direction: t.direction,
      openedAt: iso(t.openedAt),
      closedAt: iso(t.closedAt),
      quantity: t.quantity.toFixed(),
      realized: money(t.realized),
      fees: money(t.fees),
      net: money(t.net),
    })),
    openTrade: result.openTrade
      ? {
          direction: result.openTrade.direction,
          openedAt: iso(result.openTrade.openedAt),
          quantity: result.openTrade.quantity.toFixed(),
          realized: money(result.openTrade.realized),
          fees: money(result.openTrade.fees),
        }
      : null,
    fills: result.fills.map((f) => ({
      time: iso(f.time),
      side: f.side,
      quantity: f.quantity.toFixed(),
      price: f.price.toFixed(),
      fee: f.fee.toFixed(),
      liquidity: f.liquidity,
      intentId: f.intentId,
      reason: f.reason,
    })),
    ...(withSeries
      ? {
          series: {
            times: [...result.series.times],
            equity: [...result.series.equity],
            buyHold: [...result.series.buyHold],
            // the sampled point each fill falls on, for entry/exit markers
            fillIndex: result.fills.map((f) =>
              Math.min(result.series.times.length - 1, Math.floor(f.candleIndex / stride)),
            ),
          },
        }
      : {}),
  };
}
