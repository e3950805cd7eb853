import type { DbOrTx } from "../../db/client.ts";
import type { Order } from "../../db/generated/sqlite/client.ts";
import { Decimal, fromDb, fromDbOrNull } from "../../lib/decimal.ts";
import type { BracketLeg, BracketPlan } from "./bracket-types.ts";
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
    bracketPlan: bracketPlanOf(row.meta),
    leg: legOf(row.meta),
  };
}

function metaObject(meta: unknown): Record<string, unknown> | null {
  return meta && typeof meta === "object" && !Array.isArray(meta)
    ? (meta as Record<string, unknown>)
    : null;
}

const decimalOrNull = (v: unknown): Decimal | null =>
  typeof v === "string" && v !== "" ? new Decimal(v) : null;

function bracketPlanOf(meta: unknown): BracketPlan | null {
  const plan = metaObject(metaObject(meta)?.bracket);
  if (!plan) return null;
  const takeProfit = decimalOrNull(plan.takeProfit);
  const stopLoss = decimalOrNull(plan.stopLoss);
  return takeProfit || stopLoss ? { takeProfit, stopLoss } : null;
}

function legOf(meta: unknown): BracketLeg | null {
  const m = metaObject(meta);
  const parent = metaId(meta, "parentOrderId");
  const role = m?.bracketRole;
  const group = m?.ocoGroup;
  const quantity = decimalOrNull(m?.ocoQuantity);
  if (parent === null || typeof group !== "string" || !quantity) return null;
  if (role !== "take-profit" && role !== "stop-loss") return null;
  return {
    parentOrderId: parent,
    role,
    group,
    groupQuantity: quantity,
    nativeList: typeof m?.ocoList === "string" ? m.ocoList : null,
    replaces: typeof m?.ocoReplaces === "string" ? m.ocoReplaces : null,
    repair: m?.ocoRepair === true,
  };
}

function metaId(meta: unknown, key: string): number | null {
  const value = metaObject(meta)?.[key];
  return typeof value === "number" && Number.isInteger(value) ? value : null;
}

export const orderInclude = { instrument: { select: { symbol: true, currency: true } } } as const;

/**
 * Orders read without an include, with their instruments as orderInclude gives them: one read of
 * the instruments they name, none when there is no order. An include sends its follow-up query
 * even then (`WHERE id IN (NULL)`), and the bracket follow-up after every placement mostly finds
 * no order.
 */
export async function withInstruments(db: DbOrTx, rows: Order[]): Promise<OrderRow[]> {
  if (!rows.length) return [];
  const instruments = await db.instrument.findMany({
    where: { id: { in: [...new Set(rows.map((r) => r.instrumentId))] } },
    select: { id: true, symbol: true, currency: true },
  });
  const byId = new Map(instruments.map((i) => [i.id, { symbol: i.symbol, currency: i.currency }]));
  // an order's instrument cannot go (orders reference it without cascade), as with the include
  return rows.map((r) => ({ ...r, instrument: byId.get(r.instrumentId)! }));
}
