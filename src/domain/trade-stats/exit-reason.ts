// Why a position was closed, read from the order whose fill closed it (pure).
//
// In order of precedence:
// 1. the order's meta.exitReason, when it names one of the reasons below: whatever places a
//    closing order on purpose (a /close command, a bracket's take-profit or stop leg) stamps it
//    there, and that beats any guess;
// 2. a risk-watch close: its client order ids start with "rw-" (domain/risk/risk-watch-actions.ts);
// 3. the order's type: TRAILING is a trailing stop, STOP and STOP_LIMIT are stops;
// 4. an order tagged with a strategy: the strategy's exit;
// 5. any other order: a manual exit; a fill without an order (reported by the broker for an
//    order placed elsewhere): external.
import type { OrderType } from "../../db/generated/sqlite/enums.ts";

export const EXIT_REASONS = [
  "manual",
  "stop",
  // a bracket's stop-loss leg (trading/brackets.ts stamps it)
  "stop-loss",
  "trailing-stop",
  "take-profit",
  "strategy",
  "risk",
  "external",
] as const;

export type ExitReason = (typeof EXIT_REASONS)[number];

/** The client order id prefix of the risk watch's closing orders. */
export const RISK_CLOSE_PREFIX = "rw-";

export interface ClosingOrder {
  type: OrderType;
  strategyId: number | null;
  clientOrderId: string;
  meta: unknown;
}

export function isExitReason(value: unknown): value is ExitReason {
  return typeof value === "string" && (EXIT_REASONS as readonly string[]).includes(value);
}

export function exitReasonOf(order: ClosingOrder | null): ExitReason {
  if (!order) return "external";
  const stamped =
    order.meta && typeof order.meta === "object" && !Array.isArray(order.meta)
      ? (order.meta as Record<string, unknown>).exitReason
      : undefined;
  if (isExitReason(stamped)) return stamped;
  if (order.clientOrderId.startsWith(RISK_CLOSE_PREFIX)) return "risk";
  if (order.type === "TRAILING") return "trailing-stop";
  if (order.type === "STOP" || order.type === "STOP_LIMIT") return "stop";
  if (order.strategyId !== null) return "strategy";
  return "manual";
}
