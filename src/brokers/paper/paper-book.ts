// The paper venue's own records (PaperOrder, PaperFill) as the gateway reports them.
import type { PaperFill, PaperOrder } from "../../db/generated/sqlite/client.ts";
import { fromDb, fromDbOrNull } from "../../lib/decimal.ts";
import type { GatewayFill, GatewayOrder, OrderRef } from "../types.ts";

export function toGatewayOrder(row: PaperOrder): GatewayOrder {
  return {
    brokerOrderId: row.brokerOrderId,
    clientOrderId: row.clientOrderId,
    symbol: row.symbol,
    side: row.side,
    type: row.type,
    timeInForce: row.timeInForce,
    quantity: fromDb(row.quantity),
    filledQuantity: fromDb(row.filledQuantity),
    price: fromDbOrNull(row.price),
    stopPrice: fromDbOrNull(row.stopPrice),
    trailAmount: fromDbOrNull(row.trailAmount),
    trailPercent: fromDbOrNull(row.trailPercent),
    status: row.status,
    rejectReason: row.rejectReason,
    updatedAt: row.updatedAt,
  };
}

/** The statuses of an order still in the book (the matcher's work, a cancel's target). */
export const OPEN_STATUSES = ["NEW", "PARTIALLY_FILLED"] as const;

export function isOpenStatus(status: PaperOrder["status"]): boolean {
  return status === "NEW" || status === "PARTIALLY_FILLED";
}

type FillRow = PaperFill & {
  order: Pick<PaperOrder, "brokerOrderId" | "clientOrderId" | "symbol" | "side">;
};

export const fillInclude = {
  order: { select: { brokerOrderId: true, clientOrderId: true, symbol: true, side: true } },
} as const;

export function toGatewayFill(row: FillRow): GatewayFill {
  return {
    brokerTradeId: row.brokerTradeId,
    brokerOrderId: row.order.brokerOrderId,
    clientOrderId: row.order.clientOrderId,
    symbol: row.order.symbol,
    side: row.order.side,
    quantity: fromDb(row.quantity),
    price: fromDb(row.price),
    fee: fromDb(row.fee),
    feeCurrency: row.feeCurrency,
    execTime: row.execTime,
  };
}

/** The where clause finding an account's order by either id; null when the ref names neither. */
export function orderWhere(accountId: number, ref: OrderRef) {
  if (ref.brokerOrderId) return { accountId, brokerOrderId: ref.brokerOrderId };
  if (ref.clientOrderId) return { accountId, clientOrderId: ref.clientOrderId };
  return null;
}

/** The venue's order id: deterministic, unique across accounts, stable across retries. */
export function paperOrderId(accountId: number, clientOrderId: string): string {
  return `PB${accountId}-${clientOrderId}`;
}

/** The venue's trade id: the order's id and the fill's sequence number within the order. */
export function paperTradeId(brokerOrderId: string, sequence: number): string {
  return `${brokerOrderId}-F${sequence}`;
}
