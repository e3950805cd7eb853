// The reports the trade statistics service answers with.
import type { Decimal } from "../../lib/decimal.ts";
import type { BucketUnit } from "../../lib/period-buckets.ts";
import type { Period } from "../../lib/time.ts";
import type { PortfolioView } from "../portfolios/portfolio-service.ts";
import type { CurrencyPerformance } from "../reports/performance.ts";
import type { Drawdown } from "./drawdown.ts";
import type { CurrencyTradeStats, SymbolPerformance } from "./statistics.ts";

export interface PeriodScope {
  portfolio: PortfolioView;
  period: Period;
  from: Date;
  to: Date;
}

export interface CurrencyProfit {
  currency: string;
  /** closed trades and realized PnL in the period (null: no fill and no closed trade) */
  trades: CurrencyTradeStats | null;
  /** unrealized PnL of the positions open now */
  unrealized: Decimal;
  openPositions: number;
  /** value at both ends, flows, profit and time-weighted return (null: nothing held) */
  performance: CurrencyPerformance | null;
  drawdown: Drawdown | null;
}

/**
 * Set for a live portfolio: its deposits, withdrawals and cash are at the exchange, not in the
 * ledger, so the value over time (and the return and drawdown built on it) is not computed —
 * rebuilt from fills alone, every purchase would read as profit.
 */
export interface ExchangeHeld {
  broker: string;
}

export interface ProfitReport extends PeriodScope {
  currencies: CurrencyProfit[];
  /** live portfolios: performance and drawdown are null, for the reason above */
  exchangeHeld: ExchangeHeld | null;
}

export interface SymbolReport extends PeriodScope {
  symbols: SymbolPerformance[];
}

export interface StatsReport extends PeriodScope {
  currencies: CurrencyTradeStats[];
}

export interface HistoryBucket {
  from: Date;
  to: Date;
  currencies: Array<{
    currency: string;
    /**
     * value change net of deposits and withdrawals; for a live portfolio (`exchangeHeld`), the
     * realized PnL of the bucket's fills net of their fees
     */
    profit: Decimal;
    /** time-weighted return as a fraction; null when nothing was invested */
    twr: Decimal | null;
    /** round trips closed in the bucket */
    trades: number;
  }>;
}

export interface HistoryReport {
  portfolio: PortfolioView;
  unit: BucketUnit;
  /** the oldest first */
  buckets: HistoryBucket[];
  /** the currencies with anything in them over the whole span */
  currencies: string[];
  /** live portfolios: each bucket's profit is realized PnL, its return null */
  exchangeHeld: ExchangeHeld | null;
}
