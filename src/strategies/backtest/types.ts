// What a backtest takes and what it gives back. Money and quantities are Decimal; ratios computed
// from per-candle returns (Sharpe, Sortino) are plain numbers, as statistics of floats are.
import type { Decimal } from "../../lib/decimal.ts";
import type { Candle, Interval } from "../../market/types.ts";
import type { AnyStrategyDefinition } from "../registry.ts";
import type { StrategyIntent } from "../types.ts";

/** The trading rules of the symbol the backtest trades (as the venue would enforce them). */
export interface BacktestInstrument {
  symbol: string;
  tickSize: Decimal;
  lotSize: Decimal;
  minQty: Decimal;
}

/** The paper venue's cost model (src/brokers/paper/paper-options.ts), in basis points. */
export interface BacktestCosts {
  takerFeeBps: Decimal;
  makerFeeBps: Decimal;
  slippageBps: Decimal;
  feeDecimals: number;
}

export interface BacktestInput {
  definition: AnyStrategyDefinition;
  /** validated parameters (definition.params already applied) */
  params: unknown;
  instrument: BacktestInstrument;
  /** closed candles of the strategy's timeframe, ascending; the first lookback−1 are warm-up */
  candles: readonly Candle[];
  initialCash: Decimal;
  costs: BacktestCosts;
  timeZone?: string;
  /** called every `progressEvery` candles with the share done (0..1) */
  onProgress?: (done: number) => void;
  progressEvery?: number;
}

export interface BacktestFill {
  intentId: string;
  reason: string;
  side: "BUY" | "SELL";
  quantity: Decimal;
  price: Decimal;
  fee: Decimal;
  time: Date;
  liquidity: "MAKER" | "TAKER";
  /** index of the candle the fill happened in (for charts) */
  candleIndex: number;
}

/** An intent the venue would have refused or that sized to nothing (no cash, below minQty). */
export interface SkippedIntent {
  intent: StrategyIntent;
  time: Date;
  why: "no-cash" | "no-position" | "below-min-qty" | "invalid";
}

export interface BacktestTrade {
  direction: "LONG" | "SHORT";
  openedAt: Date;
  closedAt: Date;
  quantity: Decimal;
  /** gross realized, fees, and realized − fees */
  realized: Decimal;
  fees: Decimal;
  net: Decimal;
}

export interface BacktestMetrics {
  initialCash: Decimal;
  finalEquity: Decimal;
  totalReturnPct: Decimal;
  buyHoldReturnPct: Decimal;
  cagrPct: Decimal | null;
  maxDrawdownPct: Decimal;
  maxDrawdownAmount: Decimal;
  /** annualized from the timeframe, risk-free rate 0; null when returns do not vary */
  sharpe: number | null;
  sortino: number | null;
  /** closed round trips */
  trades: number;
  wins: number;
  losses: number;
  winRatePct: Decimal | null;
  averageWin: Decimal | null;
  averageLoss: Decimal | null;
  /** share of the evaluated candles that ended with an open position */
  exposurePct: Decimal;
  feesPaid: Decimal;
  fills: number;
  skippedIntents: number;
}

/** Equity and buy-and-hold per evaluated candle, as floats for charts (exact figures are above). */
export interface EquitySeries {
  /** every stride-th evaluated candle is kept, and the last one */
  stride: number;
  times: Float64Array;
  equity: Float64Array;
  buyHold: Float64Array;
}

export interface BacktestResult {
  symbol: string;
  timeframe: Interval;
  /** the first and last evaluated candles' open times */
  from: Date;
  to: Date;
  candles: number;
  metrics: BacktestMetrics;
  trades: BacktestTrade[];
  /** the round trip still open at the end, if any (valued in finalEquity at the last close) */
  openTrade: Omit<BacktestTrade, "closedAt" | "net"> | null;
  fills: BacktestFill[];
  skipped: SkippedIntent[];
  series: EquitySeries;
}
