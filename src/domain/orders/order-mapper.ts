import type { Order } from "../../db/generated/sqlite/client.ts";
import { fromDb, fromDbOrNull } from "../../lib/decimal.ts";
import type { OrderView } from "./order-types.ts";

export type OrderRow = Order & { instrument: { symbol: string; currency: string } };

export function toOrderView(row: OrderRow): OrderView {
  return {
    id: row.id,
    uid: row.uid,
    portfolioId: row.portfolioId,
    instrumentId: row.instrumentId,
    symbol: row.instrument.symbol,
    currency: row.instrument.currency,
    strategyId: row.strategyId,
    side: row.side,
    type: row.type,
    status: row.status,
    timeInForce: row.timeInForce,
    quantity: fromDb(row.quantity),
    price: fromDbOrNull(row.price),
    stopPrice: fromDbOrNull(row.stopPrice),
    trailAmount: fromDbOrNull(row.trailAmount),
    trailPercent: fromDbOrNull(row.trailPercent),
    filledQuantity: fromDb(row.filledQuantity),
    avgFillPrice: fromDbOrNull(row.avgFillPrice),
    clientOrderId: row.clientOrderId,
    brokerOrderId: row.brokerOrderId,
    rejectReason: row.rejectReason,
    expiresAt: row.expiresAt,
    placedAt: row.placedAt,
    updatedAt: row.updatedAt,
    replacesOrderId: metaId(row.meta, "replacesOrderId"),
    replacedByOrderId: metaId(row.meta, "replacedByOrderId"),
  };
}

function metaId(meta: unknown, key: string): number | null {
  if (!meta || typeof meta !== "object" || Array.isArray(meta)) return null;
  const value = (meta as Record<string, unknown>)[key];
  return typeof value === "number" && Number.isInteger(value) ? value : null;
}

export const orderInclude = { instrument: { select: { symbol: true, currency: true } } } as const;
