// What risk rules measure a portfolio by, as plain data (the loader is in snapshot-loader.ts).
//
// Currency assumption: every figure is in the base currency of the portfolio's account. Equity
// is the portfolio's own cash in that currency (from the ledger — paper accounts; a live account's
// cash lives at the broker and counts as zero here; other portfolios of the account have their own
// cash and are not counted) plus the market value of the portfolio's positions quoted in that
// currency. Positions in other currencies are NOT converted (there is no FX source): they
// are left out of equity and exposure and listed in `excluded`, so every report can say so.
// A position without a current price is valued at its average cost and listed in `unpriced`.
import { type Decimal, ZERO } from "../../lib/decimal.ts";

export interface AssetExposure {
  instrumentId: number;
  symbol: string;
  /** signed quantity over the portfolio's positions in the instrument (all strategies) */
  quantity: Decimal;
  /** the mark: last price, or the average cost when no price is known */
  price: Decimal;
  /** signed market value (quantity × price) in the base currency */
  value: Decimal;
  /** strategies holding it (null: manual trading) */
  strategyIds: Array<number | null>;
}

export interface PortfolioRiskSnapshot {
  portfolioId: number;
  portfolioName: string;
  userId: number;
  /** the account's base currency; every amount below is in it */
  currency: string;
  timeZone: string;
  at: Date;
  /** start of the user's day containing `at` */
  dayStart: Date;
  cash: Decimal;
  /** signed sum of the positions' values (shorts count negative) */
  positionsValue: Decimal;
  equity: Decimal;
  /** sum of |value| over the positions */
  grossExposure: Decimal;
  assets: AssetExposure[];
  /** positions quoted in another currency: not converted, not counted */
  excluded: Array<{ symbol: string; currency: string; quantity: Decimal }>;
  /** positions valued at their average cost for want of a price */
  unpriced: string[];
  /** realized + unrealized change − fees since dayStart, in the base currency */
  dayPnl: Decimal;
  /**
   * deposits − withdrawals ± transfers since dayStart (they move equity without being profit or
   * loss)
   */
  dayFlows: Decimal;
  /** the day's base equity: equity − dayPnl (start-of-day equity plus the day's net deposits) */
  dayStartEquity: Decimal;
  /** orders placed in the portfolio since dayStart */
  ordersToday: number;
}

export function assetOf(
  snapshot: PortfolioRiskSnapshot,
  instrumentId: number,
): AssetExposure | undefined {
  return snapshot.assets.find((a) => a.instrumentId === instrumentId);
}

/** The loss since the start of the day (0 when in profit) and its share of the day's start equity. */
export function dailyLoss(snapshot: PortfolioRiskSnapshot): { loss: Decimal; pct: Decimal | null } {
  const loss = snapshot.dayPnl.isNeg() ? snapshot.dayPnl.neg() : ZERO;
  const pct = snapshot.dayStartEquity.gt(0) ? loss.div(snapshot.dayStartEquity).mul(100) : null;
  return { loss, pct };
}

/** Gross exposure ÷ equity; null when equity is not positive. */
export function leverageOf(snapshot: PortfolioRiskSnapshot): Decimal | null {
  return snapshot.equity.gt(0) ? snapshot.grossExposure.div(snapshot.equity) : null;
}
