// Orders as the domain sees them (Decimal fields), and the request a front sends to place one.
import type {
  OrderSide,
  OrderStatus,
  OrderType,
  TimeInForce,
} from "../../db/generated/sqlite/enums.ts";
import type { Decimal } from "../../lib/decimal.ts";
import type { BracketLeg, BracketPlan, BracketRequest, BracketRole } from "./bracket-types.ts";

export const ORDER_SIDES = ["BUY", "SELL"] as const satisfies readonly OrderSide[];
export const ORDER_TYPES = [
  "MARKET",
  "LIMIT",
  "STOP",
  "STOP_LIMIT",
  "TRAILING",
] as const satisfies readonly OrderType[];
export const TIME_IN_FORCE = ["GTC", "IOC", "FOK", "DAY"] as const satisfies readonly TimeInForce[];

export interface OrderRequest {
  portfolioId: number;
  symbol: string;
  side: OrderSide;
  type: OrderType;
  quantity: Decimal;
  price?: Decimal | null;
  stopPrice?: Decimal | null;
  trailAmount?: Decimal | null;
  /** percent, e.g. 1.5 for 1.5 % */
  trailPercent?: Decimal | null;
  timeInForce?: TimeInForce;
  strategyId?: number | null;
  /** caller-chosen idempotency key; generated when absent */
  clientOrderId?: string;
  /** take-profit and/or stop-loss placed as an OCO pair once the order fills */
  bracket?: BracketRequest | null;
}

/** A request checked against the instrument's rules and the market: ready to store and send. */
export interface NormalizedOrder {
  portfolioId: number;
  instrumentId: number;
  symbol: string;
  currency: string;
  side: OrderSide;
  type: OrderType;
  timeInForce: TimeInForce;
  quantity: Decimal;
  price: Decimal | null;
  stopPrice: Decimal | null;
  trailAmount: Decimal | null;
  trailPercent: Decimal | null;
  strategyId: number | null;
  clientOrderId: string;
  expiresAt: Date | null;
  /** the price the notional and cost estimates were computed at */
  referencePrice: Decimal;
}

export interface OrderView {
  id: number;
  uid: string;
  portfolioId: number;
  instrumentId: number;
  symbol: string;
  currency: string;
  strategyId: number | null;
  side: OrderSide;
  type: OrderType;
  status: OrderStatus;
  timeInForce: TimeInForce;
  quantity: Decimal;
  price: Decimal | null;
  stopPrice: Decimal | null;
  trailAmount: Decimal | null;
  trailPercent: Decimal | null;
  filledQuantity: Decimal;
  avgFillPrice: Decimal | null;
  clientOrderId: string;
  brokerOrderId: string | null;
  rejectReason: string | null;
  expiresAt: Date | null;
  placedAt: Date;
  updatedAt: Date;
  /** an amend's replacement: the order it replaced (canceled) */
  replacesOrderId: number | null;
  /** an amended order: the order that replaced it */
  replacedByOrderId: number | null;
  /** an entry with a take-profit and/or stop-loss attached */
  bracketPlan: BracketPlan | null;
  /** a bracket's exit leg */
  leg: BracketLeg | null;
}

/** Links between orders, kept in the order's meta (JSON: decimals as strings). */
export interface OrderLinks {
  replacesOrderId?: number;
  /** an entry's bracket plan */
  bracket?: { takeProfit: string | null; stopLoss: string | null };
  /** a bracket leg: its entry, role and OCO group */
  parentOrderId?: number;
  bracketRole?: BracketRole;
  ocoGroup?: string;
  ocoQuantity?: string;
  /** a leg sent with its partner as the venue's own OCO pair: the pair's list client order id */
  ocoList?: string;
  /** a pair placed for what a group left open after a partial take-profit (its group) */
  ocoReplaces?: string;
  /** a take-profit canceled by the bracket bookkeeping so its remainder gets a new pair */
  ocoRepair?: boolean;
  /** why a closing order closes: read by the trade statistics (trade-stats/exit-reason.ts) */
  exitReason?: string;
}

/** Where the domain gets a reference price for notional checks and stop-side checks. */
export interface PriceReference {
  lastPrice(symbol: string): Promise<Decimal>;
}
