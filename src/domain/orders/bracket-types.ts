// Brackets: a take-profit and a stop-loss attached to an entry order. The entry keeps the plan
// (absolute prices) in its meta; once it fills, each filled part gets an exit pair — a LIMIT at
// the take-profit and a STOP at the stop-loss, on the other side — linked as one OCO group: what
// one leg fills, the other no longer needs to (see trading/brackets.ts).
import type { Decimal } from "../../lib/decimal.ts";

export type BracketRole = "take-profit" | "stop-loss";

/** A level as the user gives it: an absolute price, or a percent away from the entry price. */
export interface BracketLevel {
  price?: Decimal | null;
  /** e.g. 5 for 5 % */
  percent?: Decimal | null;
}

export interface BracketRequest {
  takeProfit?: BracketLevel | null;
  stopLoss?: BracketLevel | null;
}

/** The resolved plan: absolute prices on the tick grid (either may be absent, not both). */
export interface BracketPlan {
  takeProfit: Decimal | null;
  stopLoss: Decimal | null;
}

/** An exit leg's place in its bracket. */
export interface BracketLeg {
  parentOrderId: number;
  role: BracketRole;
  /** the OCO group: the legs that share one quantity */
  group: string;
  /** the quantity the group closes, whichever legs fill it */
  groupQuantity: Decimal;
  /** the venue's own OCO pair (BrokerCapabilities.nativeOco): its list client order id */
  nativeList: string | null;
  /** the group whose open remainder this group took over (native pairs, partial take-profit) */
  replaces: string | null;
  /** a take-profit the bookkeeping canceled to re-pair its remainder */
  repair: boolean;
}

/** Client order id prefixes: bracketed entries, and the legs of entry N ("br-N-"). */
export const BRACKET_ENTRY_PREFIX = "bk-";
export const BRACKET_LEG_PREFIX = "br-";
