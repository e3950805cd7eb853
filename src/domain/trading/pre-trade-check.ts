// The hook through which pre-trade risk evaluation (RiskService, built separately) sees every
// order before it is stored. TradingService.place calls it; without one every order is allowed.
//
// Contract:
// - evaluate() is called exactly once per place(), after every other check passed (ownership,
//   trading rules, broker support, paper cash) and before anything is written: the order has no
//   id yet (its clientOrderId identifies it) and nothing has reached the broker.
// - Outcomes:
//   ALLOW  — place as is.
//   WARN   — place as is; the findings are returned to the caller (PlaceResult.risk) to show.
//   REDUCE — place with `quantity` instead (required: > 0, < the requested quantity). The reduced
//            order is validated again (lot grid, minimums, paper cash) but not re-evaluated; an
//            invalid reduced quantity fails with the ValidationError the order would get.
//   BLOCK  — nothing is placed; place() throws RiskBlockedError with the first finding's key and
//            parameters (or "error-risk-blocked" when there are none).
// - The check writes its own records (risk_breaches rows with the observed numbers and the
//   action, outbox notifications) in its own transaction; they stand even if the broker later
//   rejects the order, because the breach happened. It must not write the order.
// - Throwing aborts the placement with nothing written by TradingService (use it only for real
//   failures: a refusal is BLOCK).
import type { Decimal } from "../../lib/decimal.ts";
import type { ErrorParams } from "../errors.ts";
import type { NormalizedOrder } from "../orders/order-types.ts";
import type { PortfolioView } from "../portfolios/portfolio-service.ts";
import type { Actor } from "../users/actor.ts";
import type { OrderEstimate } from "./order-estimate.ts";
import type { CashAvailability } from "./paper-cash.ts";

export type PreTradeOutcome = "ALLOW" | "WARN" | "REDUCE" | "BLOCK";

/** One rule's verdict, as an i18n key with its observed numbers. */
export interface PreTradeFinding {
  /** the policy rule, e.g. "maxRiskPerTradePct" */
  rule: string;
  key: string;
  params: ErrorParams;
}

export interface PreTradeDecision {
  outcome: PreTradeOutcome;
  /** REDUCE only: the quantity the order may have */
  quantity?: Decimal;
  findings: PreTradeFinding[];
}

export interface PreTradeContext {
  portfolio: PortfolioView;
  /** the expected execution: price, notional, fee, total, the quote it was computed from */
  estimate: OrderEstimate;
  /** paper buys: the portfolio's free cash; null otherwise */
  cash: CashAvailability | null;
  /**
   * the name of the order's strategy, as the preview read it once the strategy was checked to be
   * the actor's (a strategy-scope rule covers every version of that name); absent: read again
   */
  strategyName?: string | null;
  now: Date;
}

/** `D`: the decision with whatever detail the check adds (RiskService: every rule's numbers). */
export interface PreTradeCheck<D extends PreTradeDecision = PreTradeDecision> {
  evaluate(actor: Actor, order: NormalizedOrder, context: PreTradeContext): Promise<D>;
  /**
   * Optional dry run: the decision evaluate() would make, with nothing written. An amend asks it
   * before canceling the original, so a replacement the check would block is refused while the
   * original still works. Without it the replacement is only checked when it is placed.
   */
  assess?(actor: Actor, order: NormalizedOrder, context: PreTradeContext): Promise<D>;
  /**
   * Optional: records a decision assess() made, as evaluate() would (breach rows, notices). The
   * order card of a blocked order calls it: that attempt ends at the card and never reaches place().
   */
  log?(actor: Actor, order: NormalizedOrder, context: PreTradeContext, decision: D): Promise<D>;
}

/** The behaviour when no check is configured. */
export const ALLOW_ALL: PreTradeCheck = Object.freeze({
  evaluate: async (): Promise<PreTradeDecision> => ({ outcome: "ALLOW", findings: [] }),
});
