// Daily checkpoints of a portfolio: its state at the close of each closed UTC day, so /pnl and the
// equity history replay only the trades and cash after the latest checkpoint instead of the whole
// history (at the seed's load, 200 trades a day for months).
//
// Why UTC days and not the owner's: the state is a function of time, not of a time zone. A period
// in any zone starts at most 24 h after the UTC midnight before it, so the latest checkpoint at or
// before a period's start leaves at most a day of replay before it; the owner changing time zone
// invalidates nothing; and the equity history's daily samples sit on UTC midnights already.
//
// What a checkpoint holds, per instrument, answers both readers exactly:
// - PnL replays trades in ingestion order (id), as positions applied them. The checkpoint folds
//   the prefix of trades with id < tradeIdBound, chosen so that every one of them executed
//   before the close (the bound is the smallest id among trades executed at or after it). The
//   replay after a checkpoint is the trades with id ≥ bound, in id order: the same sequence as
//   a full replay, so every figure is equal digit for digit.
// - The equity history sums quantities and cash by time (order does not matter for a sum): the
//   checkpoint keeps the quantity held and the cash of everything dated before the close, and
//   the last trade price (the history's fallback price).
// A trade or cash row dated before the close of a checkpointed day (a late fill, a replay) would
// make those sums stale, so writing one deletes the checkpoints from its day on
// (invalidateCheckpoints, called in the same transaction); the job writes them again
// (checkpoint-writer.ts).
import type { DbOrTx } from "../../db/client.ts";
import { type Decimal, fromDb } from "../../lib/decimal.ts";
import type { PositionState } from "../positions/position-math.ts";

export const DAY_MS = 86_400_000;

/** 00:00 UTC of the day containing `at`. */
export function utcDay(at: Date): Date {
  return new Date(Math.floor(at.getTime() / DAY_MS) * DAY_MS);
}

/**
 * Deletes the checkpoints a row dated `at` makes stale: every one whose close is after it. Call
 * in the transaction that writes the row.
 */
export async function invalidateCheckpoints(
  db: DbOrTx,
  portfolioId: number,
  at: Date,
): Promise<void> {
  await db.portfolioCheckpoint.deleteMany({ where: { portfolioId, day: { gte: utcDay(at) } } });
}

export interface InstrumentCheckpoint {
  instrumentId: number;
  symbol: string;
  currency: string;
  /** the position after the folded trades (ingestion order) */
  position: PositionState;
  /** the quantity held by the trades executed before the close */
  held: Decimal;
  /** the price of the last trade before the close (by execution time, then id) */
  lastPrice: Decimal | null;
}

export interface CurrencyCheckpoint {
  currency: string;
  cash: Decimal;
  positionsValue: Decimal;
  equity: Decimal;
  netFlows: Decimal;
  realizedPnl: Decimal;
}

export interface Checkpoint {
  portfolioId: number;
  /** the UTC day whose close this is */
  day: Date;
  /** the close: day + 24 h */
  at: Date;
  tradeIdBound: number;
  firstEventAt: Date;
  /** every instrument the portfolio traded before the close (flat ones too) */
  instruments: Map<number, InstrumentCheckpoint>;
  currencies: Map<string, CurrencyCheckpoint>;
}

/** The stored form of `state` (every number a decimal string). */
export interface StoredState {
  instruments: Array<{
    id: number;
    symbol: string;
    quantity: string;
    avgPrice: string;
    realizedPnl: string;
    fees: string;
    held: string;
    lastPrice: string | null;
  }>;
}

/** Checkpoint rows read at once: a day's rows (one per currency) and the day before's start. */
const LATEST_ROWS = 3;

/** The latest checkpoint whose close is at or before `notAfter`, or null. */
export async function latestCheckpoint(
  db: DbOrTx,
  portfolioId: number,
  notAfter: Date,
): Promise<Checkpoint | null> {
  // one statement for the latest day's rows (one per currency) when the portfolio holds fewer
  // than LATEST_ROWS currencies, which is nearly always: the newest rows in the
  // (portfolioId, day, currency) index's order, backwards, then the first day's kept. All of
  // them from one day: that day may have more, so they are read by day (the former second read).
  const newest = await db.portfolioCheckpoint.findMany({
    where: { portfolioId, day: { lte: new Date(notAfter.getTime() - DAY_MS) } },
    orderBy: [{ day: "desc" }, { currency: "desc" }],
    take: LATEST_ROWS,
  });
  if (!newest.length) return null;
  const day = newest[0]!.day.getTime();
  const rows =
    newest.length === LATEST_ROWS && newest.every((r) => r.day.getTime() === day)
      ? await db.portfolioCheckpoint.findMany({
          where: { portfolioId, day: newest[0]!.day },
          orderBy: { currency: "asc" },
        })
      : newest.filter((r) => r.day.getTime() === day).reverse();
  if (!rows.length) return null; // deleted in between: no checkpoint, the full replay answers
  const instruments = new Map<number, InstrumentCheckpoint>();
  const currencies = new Map<string, CurrencyCheckpoint>();
  for (const row of rows) {
    currencies.set(row.currency, {
      currency: row.currency,
      cash: fromDb(row.cash),
      positionsValue: fromDb(row.positionsValue),
      equity: fromDb(row.equity),
      netFlows: fromDb(row.netFlows),
      realizedPnl: fromDb(row.realizedPnl),
    });
    for (const i of (row.state as unknown as StoredState).instruments) {
      instruments.set(i.id, {
        instrumentId: i.id,
        symbol: i.symbol,
        currency: row.currency,
        position: {
          quantity: fromDb(i.quantity),
          avgPrice: fromDb(i.avgPrice),
          realizedPnl: fromDb(i.realizedPnl),
          fees: fromDb(i.fees),
        },
        held: fromDb(i.held),
        lastPrice: i.lastPrice === null ? null : fromDb(i.lastPrice),
      });
    }
  }
  const first = rows[0]!;
  return {
    portfolioId,
    day: first.day,
    at: new Date(first.day.getTime() + DAY_MS),
    tradeIdBound: first.tradeIdBound,
    firstEventAt: first.firstEventAt,
    instruments,
    currencies,
  };
}
