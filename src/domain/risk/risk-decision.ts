// What a pre-trade risk check answers: the decision with every rule's verdict and the
// portfolio's figures it was measured on.
import type { OrderSide } from "../../db/generated/sqlite/enums.ts";
import type { Decimal } from "../../lib/decimal.ts";
import type { PreTradeContext, PreTradeDecision } from "../trading/pre-trade-check.ts";
import type { OrderEffect, RiskOutcome, RuleCheck } from "./pre-trade-rules.ts";
import type { PortfolioRiskSnapshot } from "./risk-snapshot.ts";

/** The portfolio's figures behind a decision (decimal strings, base currency). */
export interface EquitySummary {
  currency: string;
  cash: string;
  positionsValue: string;
  equity: string;
  grossExposure: string;
  dayPnl: string;
  dayStartEquity: string;
  ordersToday: number;
  /** positions in other currencies: not converted, not counted */
  excluded: Array<{ symbol: string; currency: string; quantity: string }>;
  /** positions valued at cost for want of a price */
  unpriced: string[];
}

export interface RiskDecision extends PreTradeDecision {
  outcome: RiskOutcome;
  /** every rule of the effective policy with its verdict and numbers */
  checks: RuleCheck[];
  /** REDUCE: the quantity as a decimal string (for drafts kept in a session) */
  maxQuantity: string | null;
  requestedQuantity: string;
  symbol: string;
  side: OrderSide;
  /** the price the order was valued at (the execution estimate) */
  referencePrice: string;
  effect: OrderEffect | null;
  /** null when no policy applies (nothing was measured) */
  equity: EquitySummary | null;
  /** the policies that applied */
  policyIds: number[];
  /** the risk_breaches rows written (evaluate only) */
  breachIds: number[];
}

/** Extra inputs a caller may give beyond TradingService's context. */
export interface RiskContext extends PreTradeContext {
  /** a protective stop for the new position: risk per trade = quantity × |entry − stop| */
  protectiveStop?: Decimal | null;
}

const str = (d: Decimal) => d.toDecimalPlaces(8).toFixed();

/** The snapshot's figures as decimal strings. */
export function equitySummary(s: PortfolioRiskSnapshot): EquitySummary {
  return {
    currency: s.currency,
    cash: str(s.cash),
    positionsValue: str(s.positionsValue),
    equity: str(s.equity),
    grossExposure: str(s.grossExposure),
    dayPnl: str(s.dayPnl),
    dayStartEquity: str(s.dayStartEquity),
    ordersToday: s.ordersToday,
    excluded: s.excluded.map((e) => ({ ...e, quantity: str(e.quantity) })),
    unpriced: s.unpriced,
  };
}
