// Spot (cash) accounts cannot short. A sell may take at most what the position holds less what
// open sell orders of the same position already commit — the position as positions are keyed:
// portfolio, instrument and strategy-or-none. Checked when the card is built (preview) and again
// at placement inside the transaction that stores the order, under the account's row lock, so two
// sells racing each other cannot both pass: the second sees the first as committed.
//
// Whether an account may short is its broker's capability (BrokerCapabilities.shortSelling):
// false for the paper venue and for spot exchanges.
import type { DbOrTx } from "../../db/client.ts";
import { type Decimal, ZERO, bracketByStep, fromDb, maxDec } from "../../lib/decimal.ts";
import { ValidationError } from "../errors.ts";
import { OPEN_STATUSES } from "../orders/order-status.ts";

export interface SellCapacity {
  /** the position's quantity (negative for a short left from before) */
  held: Decimal;
  /** what open sell orders of the same position still have to sell */
  committed: Decimal;
  /** what a new sell may take: held − committed, never below zero, down to the lot grid */
  free: Decimal;
}

export interface SellBucket {
  portfolioId: number;
  instrumentId: number;
  strategyId: number | null;
  /** open sells not to count as committed (the order an amend is about to replace) */
  excludeOrderIds?: readonly number[];
  /**
   * the bracket OCO group the new sell belongs to: its siblings sell the same quantity (only one
   * of them can fill), so they do not commit anything against it
   */
  ocoGroup?: string | null;
}

export async function sellCapacity(
  db: DbOrTx,
  bucket: SellBucket,
  lotSize: Decimal,
): Promise<SellCapacity> {
  const [position, open] = await Promise.all([
    db.position.findUnique({
      where: {
        portfolioId_instrumentId_strategyKey: {
          portfolioId: bucket.portfolioId,
          instrumentId: bucket.instrumentId,
          strategyKey: bucket.strategyId ?? 0,
        },
      },
      select: { quantity: true },
    }),
    db.order.findMany({
      where: {
        portfolioId: bucket.portfolioId,
        instrumentId: bucket.instrumentId,
        strategyId: bucket.strategyId,
        side: "SELL",
        status: { in: [...OPEN_STATUSES] },
        ...(bucket.excludeOrderIds?.length ? { id: { notIn: [...bucket.excludeOrderIds] } } : {}),
      },
      select: { quantity: true, filledQuantity: true, meta: true },
    }),
  ]);
  const held = position ? fromDb(position.quantity) : ZERO;
  // decimal strings (TEXT on SQLite) are summed in decimal.js, never in SQL. The legs of one
  // bracket OCO group sell the same quantity: the group commits its largest open remainder once.
  let committed = ZERO;
  const groups = new Map<string, Decimal>();
  for (const o of open) {
    const remaining = fromDb(o.quantity).minus(fromDb(o.filledQuantity));
    const group = ocoGroupOf(o.meta);
    if (group === null) committed = committed.plus(remaining);
    else if (group !== bucket.ocoGroup)
      groups.set(group, maxDec(groups.get(group) ?? ZERO, remaining));
  }
  for (const remaining of groups.values()) committed = committed.plus(remaining);
  const room = held.minus(committed);
  const free = room.gt(0) ? bracketByStep(room, lotSize).down : ZERO;
  return { held, committed, free };
}

function ocoGroupOf(meta: unknown): string | null {
  if (!meta || typeof meta !== "object" || Array.isArray(meta)) return null;
  const group = (meta as Record<string, unknown>).ocoGroup;
  return typeof group === "string" ? group : null;
}

export interface CoveredSellInput extends SellBucket {
  quantity: Decimal;
  symbol: string;
  /** what is held, for the message ("ETH"); the symbol when the instrument has no base asset */
  asset: string;
  lotSize: Decimal;
  minQty: Decimal;
}

/**
 * ValidationError on "quantity" when the sell needs more than is free, naming what is held,
 * what open sells commit and what is free — offered as the suggestion when it can be traded.
 */
export async function assertCoveredSell(db: DbOrTx, input: CoveredSellInput): Promise<void> {
  const capacity = await sellCapacity(db, input, input.lotSize);
  if (input.quantity.lte(capacity.free)) return;
  const tradable = capacity.free.gt(0) && capacity.free.gte(input.minQty);
  const params = {
    symbol: input.symbol,
    asset: input.asset,
    quantity: input.quantity.toFixed(),
    held: capacity.held.toFixed(),
    committed: capacity.committed.toFixed(),
    free: capacity.free.toFixed(),
  };
  const key = capacity.committed.gt(0) ? "error-short-committed" : "error-short-not-allowed";
  throw new ValidationError("quantity", key, params, tradable ? [capacity.free.toFixed()] : []);
}
