// The legal order status transitions. Terminal states never change again; a partially filled
// order can still fill, be canceled or expire.
import type { OrderStatus } from "../../db/generated/sqlite/enums.ts";
import { StateError } from "../errors.ts";

export const ORDER_STATUSES = [
  "NEW",
  "PARTIALLY_FILLED",
  "FILLED",
  "CANCELED",
  "REJECTED",
  "EXPIRED",
] as const satisfies readonly OrderStatus[];

const TRANSITIONS: Record<OrderStatus, readonly OrderStatus[]> = {
  NEW: ["PARTIALLY_FILLED", "FILLED", "CANCELED", "REJECTED", "EXPIRED"],
  PARTIALLY_FILLED: ["PARTIALLY_FILLED", "FILLED", "CANCELED", "EXPIRED"],
  FILLED: [],
  CANCELED: [],
  REJECTED: [],
  EXPIRED: [],
};

export const OPEN_STATUSES: readonly OrderStatus[] = ["NEW", "PARTIALLY_FILLED"];
export const TERMINAL_STATUSES: readonly OrderStatus[] = [
  "FILLED",
  "CANCELED",
  "REJECTED",
  "EXPIRED",
];

export function isOpen(status: OrderStatus): boolean {
  return OPEN_STATUSES.includes(status);
}

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export function assertTransition(from: OrderStatus, to: OrderStatus): void {
  if (!canTransition(from, to)) {
    throw new StateError("error-order-transition", { from, to });
  }
}
