// The data of each report a schedule (or /report) produces. Figures only, as Decimals; the fronts
// turn them into localized text and charts.
import type { Decimal } from "../../lib/decimal.ts";
import type { Period } from "../../lib/time.ts";
import type { FundsError } from "../funds/funds-error.ts";
import type { AccountFunds } from "../funds/funds-source.ts";
import type { OrderView } from "../orders/order-types.ts";
import type { PnlReport, Valuation } from "../pnl/pnl-service.ts";
import type { PortfolioView } from "../portfolios/portfolio-service.ts";
import type { EquityCurve } from "./equity-history.ts";
import type { CurrencyPerformance } from "./performance.ts";
import type { ScreenerRunResult } from "./screener-runner.ts";

/**
 * A live portfolio's cash and equity, as the exchange reports the account's balances (the
 * FundsSource), in place of the ledger's; paper portfolios have none (null).
 */
export interface ExchangeFundsView {
  /** the exchange's name ("Binance") */
  broker: string;
  /** null when the exchange could not be read just now (`error` says why) */
  funds: AccountFunds | null;
  error: FundsError | null;
}

export interface CashBalance {
  currency: string;
  amount: Decimal;
}

/** Per currency: positions at market, cash, and both together. */
export interface ValueTotals {
  currency: string;
  positions: Decimal;
  cash: Decimal;
  total: Decimal;
}

/** A held instrument's move over the market's current daily candle (UTC day). */
export interface Mover {
  instrumentId: number;
  symbol: string;
  currency: string;
  quantity: Decimal;
  /** the daily candle's open */
  open: Decimal;
  last: Decimal;
  changePct: Decimal;
}

export interface AllocationItem {
  /** the instrument's symbol, or null for cash */
  symbol: string | null;
  /** signed: short positions are negative */
  value: Decimal;
  /** percent of the gross (sum of absolute values) */
  share: Decimal;
}

/** How one currency's value is split across instruments and cash, largest first. */
export interface Allocation {
  currency: string;
  gross: Decimal;
  items: AllocationItem[];
}

export interface PortfolioSummary {
  kind: "PORTFOLIO_SUMMARY";
  portfolio: PortfolioView;
  at: Date;
  timeZone: string;
  period: Period;
  valuation: Valuation;
  /** paper: the portfolio's ledger cash; live: the account's cash at the exchange */
  cash: CashBalance[];
  /** live portfolios: cash and equity from the exchange */
  exchange: ExchangeFundsView | null;
  totals: ValueTotals[];
  pnlToday: PnlReport;
  /** the same as pnlToday when the period is "today" */
  pnlPeriod: PnlReport;
  movers: Mover[];
  openOrders: OrderView[];
  equity: EquityCurve;
  /** one per currency, the largest gross first */
  allocation: Allocation[];
}

export interface PnlPeriodReport {
  kind: "PNL_REPORT";
  portfolio: PortfolioView;
  at: Date;
  timeZone: string;
  period: Period;
  pnl: PnlReport;
  equity: EquityCurve;
  /** live portfolios: cash and equity from the exchange */
  exchange: ExchangeFundsView | null;
}

/** A portfolio's performance over a period, per currency (net of deposits and withdrawals). */
export interface PeriodPerformance {
  from: Date;
  to: Date;
  currencies: CurrencyPerformance[];
  /** live portfolios: cash and equity from the exchange (their value history is not kept) */
  exchange: ExchangeFundsView | null;
}

export interface ScreenerReport {
  kind: "SCREENER";
  at: Date;
  result: ScreenerRunResult;
}

export type ReportData = PortfolioSummary | PnlPeriodReport | ScreenerReport;
