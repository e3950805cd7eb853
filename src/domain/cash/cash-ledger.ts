// The cash ledger: append-only movements per account and currency, each with the balance after
// it. A balance is the latest row's balanceAfter; nothing is ever updated or deleted.
import { randomUUID } from "node:crypto";
import type { DbOrTx, Provider, Tx } from "../../db/client.ts";
import type { CashTxType } from "../../db/generated/sqlite/enums.ts";
import { lockRow } from "../../db/locks.ts";
import { type Decimal, ZERO, fromDb, toDb } from "../../lib/decimal.ts";
import { ValidationError } from "../errors.ts";

export interface CashMovement {
  accountId: number;
  type: CashTxType;
  currency: string;
  /** signed: deposits and sale proceeds are positive, withdrawals, purchases and fees negative */
  amount: Decimal;
  tradeId?: number | null;
  note?: string | null;
  /** refuse a movement that would take the balance below zero (withdrawals) */
  forbidNegative?: boolean;
  /** when it happened, from the domain clock (a trade settles at its execution time) */
  at: Date;
}

export interface CashEntry {
  id: number;
  type: CashTxType;
  currency: string;
  amount: Decimal;
  balanceAfter: Decimal;
  tradeId: number | null;
  note: string | null;
  createdAt: Date;
}

export async function cashBalance(
  db: DbOrTx,
  accountId: number,
  currency: string,
): Promise<Decimal> {
  const last = await db.cashTransaction.findFirst({
    where: { accountId, currency },
    orderBy: { id: "desc" },
    select: { balanceAfter: true },
  });
  return last ? fromDb(last.balanceAfter) : ZERO;
}

/** Balance per currency, for every currency the account has ever held. */
export async function cashBalances(db: DbOrTx, accountId: number): Promise<Map<string, Decimal>> {
  const currencies = await db.cashTransaction.findMany({
    where: { accountId },
    distinct: ["currency"],
    select: { currency: true },
    orderBy: { currency: "asc" },
  });
  const out = new Map<string, Decimal>();
  for (const { currency } of currencies)
    out.set(currency, await cashBalance(db, accountId, currency));
  return out;
}

/** Appends a movement; the caller's transaction makes it atomic with its cause. */
export async function appendCash(
  tx: Tx,
  provider: Provider,
  move: CashMovement,
): Promise<CashEntry> {
  await lockRow(tx, provider, "accounts", move.accountId);
  const before = await cashBalance(tx, move.accountId, move.currency);
  const after = before.plus(move.amount);
  if (move.forbidNegative && after.isNeg()) {
    throw new ValidationError("amount", "error-insufficient-cash", {
      currency: move.currency,
      available: before.toFixed(),
      required: move.amount.neg().toFixed(),
    });
  }
  const row = await tx.cashTransaction.create({
    data: {
      uid: randomUUID(),
      accountId: move.accountId,
      type: move.type,
      currency: move.currency,
      amount: toDb(move.amount),
      balanceAfter: toDb(after),
      tradeId: move.tradeId ?? null,
      note: move.note ?? null,
      createdAt: move.at,
    },
  });
  return toCashEntry(row);
}

export function toCashEntry(row: {
  id: number;
  type: CashTxType;
  currency: string;
  amount: string;
  balanceAfter: string;
  tradeId: number | null;
  note: string | null;
  createdAt: Date;
}): CashEntry {
  return {
    id: row.id,
    type: row.type,
    currency: row.currency,
    amount: fromDb(row.amount),
    balanceAfter: fromDb(row.balanceAfter),
    tradeId: row.tradeId,
    note: row.note,
    createdAt: row.createdAt,
  };
}
