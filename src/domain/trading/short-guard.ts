// Spot (cash) accounts cannot short. A sell may take at most what the position holds less what
// open sell orders of the same position already commit — the position as positions are keyed:
// portfolio, instrument and strategy-or-none. Checked when the card is built (preview) and again
// at placement inside the transaction that stores the order, under the account's row lock, so two
// sells racing each other cannot both pass: the second sees the first as committed.
//
// Whether an account may short is its broker's capability (BrokerCapabilities.shortSelling):
// false for the paper venue and for spot exchanges.
import type { DbOrTx } from "../../db/client.ts";
import { type Decimal, ZERO, bracketByStep, fromDb } from "../../lib/decimal.ts";
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
      select: { quantity: true, filledQuantity: true },
    }),
  ]);
  const held = position ? fromDb(position.quantity) : ZERO;
  // decimal strings (TEXT on SQLite) are summed in decimal.js, never in SQL
  const committed = open.reduce(
    (sum, o) => sum.plus(fromDb(o.quantity).minus(fromDb(o.filledQuantity))),
    ZERO,
  );
  const room = held.minus(committed);
  const free = room.gt(0) ? bracketByStep(room, lotSize).down : ZERO;
  return { held, committed, free };
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
