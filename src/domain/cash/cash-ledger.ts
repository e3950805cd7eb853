// The cash ledger: append-only movements per portfolio and currency, each with the balance after
// it. Cash belongs to portfolios (each is a sub-account with its own capital); an account's cash
// is the sum of its portfolios'. A balance is the latest row's balanceAfter for that portfolio and
// currency; nothing is ever updated or deleted. Every append takes the account's row lock, so all
// cash of one account (transfers touch two of its portfolios) moves one writer at a time.
import { randomUUID } from "node:crypto";
import { type DbOrTx, Prisma, type Provider, type Tx } from "../../db/client.ts";
import type { CashTxType } from "../../db/generated/sqlite/enums.ts";
import { lockRow } from "../../db/locks.ts";
import { type Decimal, type DecimalLike, ZERO, fromDb, toDb } from "../../lib/decimal.ts";
import { ValidationError } from "../errors.ts";
import { invalidateCheckpoints, utcDay } from "../pnl/checkpoints.ts";

export interface CashMovement {
  accountId: number;
  portfolioId: number;
  type: CashTxType;
  currency: string;
  /** signed: deposits and sale proceeds are positive, withdrawals, purchases and fees negative */
  amount: Decimal;
  tradeId?: number | null;
  note?: string | null;
  /** refuse a movement that would take the balance below zero (withdrawals) */
  forbidNegative?: boolean;
  /** refuse a movement that would take the balance above this (deposits: see domain/bounds.ts) */
  maxBalance?: Decimal;
  /** when it happened, from the domain clock (a trade settles at its execution time) */
  at: Date;
}

export interface CashEntry {
  id: number;
  portfolioId: number;
  type: CashTxType;
  currency: string;
  amount: Decimal;
  balanceAfter: Decimal;
  tradeId: number | null;
  note: string | null;
  createdAt: Date;
}

/** A portfolio's cash balance in one currency. */
export async function cashBalance(
  db: DbOrTx,
  portfolioId: number,
  currency: string,
): Promise<Decimal> {
  // raw: read on every fill and cash movement, and the ORM read costs several times the
  // statement's CPU (see audit()); TEXT on SQLite, NUMERIC on PostgreSQL, both through fromDb.
  // The latest row's id from the (portfolioId, currency, id) index alone: with ORDER BY id DESC
  // LIMIT 1, PostgreSQL walked the primary key backwards from the newest row of the whole table
  // until it met one of this portfolio's, which is every row written since its last movement (an
  // idle portfolio among busy ones, or a currency it never held: the whole ledger)
  const rows = await db.$queryRaw<{ balanceAfter: DecimalLike }[]>`
    SELECT "balanceAfter" FROM cash_transactions
    WHERE id = (SELECT MAX(id) FROM cash_transactions
                WHERE "portfolioId" = ${portfolioId} AND currency = ${currency})`;
  return rows[0] ? fromDb(rows[0].balanceAfter) : ZERO;
}

/** A portfolio's balance per currency, for every currency it has ever held. */
export async function cashBalances(db: DbOrTx, portfolioId: number): Promise<Map<string, Decimal>> {
  // One statement whose cost grows with the number of currencies, not with the ledger: the
  // currencies by a skip scan of the (portfolioId, currency, id) index (each step seeks the
  // next currency above the last), and each one's latest row's id from the same index (see
  // cashBalance). A GROUP BY read every ledger row of the portfolio (36,000 at B5's full size:
  // 4 ms on SQLite, 54 ms on PostgreSQL, which /balance paid twice per portfolio); Prisma's
  // `distinct` before that read them all into memory.
  const rows = await db.$queryRaw<{ currency: string; balanceAfter: DecimalLike }[]>`
    WITH RECURSIVE held(currency) AS (
      SELECT MIN(currency) FROM cash_transactions WHERE "portfolioId" = ${portfolioId}
      UNION ALL
      SELECT (SELECT MIN(c.currency) FROM cash_transactions c
              WHERE c."portfolioId" = ${portfolioId} AND c.currency > held.currency)
      FROM held WHERE held.currency IS NOT NULL
    )
    SELECT held.currency, b."balanceAfter"
    FROM held JOIN cash_transactions b ON b.id = (
      SELECT MAX(l.id) FROM cash_transactions l
      WHERE l."portfolioId" = ${portfolioId} AND l.currency = held.currency)
    WHERE held.currency IS NOT NULL
    ORDER BY held.currency`;
  return new Map(rows.map((r) => [r.currency, fromDb(r.balanceAfter)]));
}

/** An account's cash per currency: the sum of its portfolios' balances. */
export async function accountCashBalances(
  db: DbOrTx,
  accountId: number,
): Promise<Map<string, Decimal>> {
  const portfolios = await db.portfolio.findMany({ where: { accountId }, select: { id: true } });
  const out = new Map<string, Decimal>();
  for (const { id } of portfolios) {
    for (const [currency, amount] of await cashBalances(db, id))
      out.set(currency, (out.get(currency) ?? ZERO).plus(amount));
  }
  return out;
}

/**
 * The rows a run of movements of one portfolio adds, each with the balance after it: `balances`
 * holds each currency's balance before the run and is carried along. Every movement is checked
 * as it chains (no negative cash where forbidden, no balance above its ceiling). Balances pass
 * through their stored form, so a chain built here reads back exactly as it was written.
 */
function chainRows(
  owner: { accountId: number; portfolioId: number },
  moves: readonly Omit<CashMovement, "accountId" | "portfolioId">[],
  balances: Map<string, Decimal>,
) {
  return moves.map((move) => {
    const before = balances.get(move.currency) ?? ZERO;
    const after = fromDb(toDb(before.plus(move.amount)));
    if (move.forbidNegative && after.isNeg()) {
      throw new ValidationError("amount", "error-insufficient-cash", {
        currency: move.currency,
        available: before.toFixed(),
        required: move.amount.neg().toFixed(),
      });
    }
    if (move.maxBalance && after.gt(move.maxBalance)) {
      throw new ValidationError("amount", "error-balance-too-large", {
        currency: move.currency,
        max: move.maxBalance.toNumber(),
      });
    }
    balances.set(move.currency, after);
    return {
      uid: randomUUID(),
      accountId: owner.accountId,
      portfolioId: owner.portfolioId,
      type: move.type,
      currency: move.currency,
      amount: toDb(move.amount),
      balanceAfter: toDb(after),
      tradeId: move.tradeId ?? null,
      note: move.note ?? null,
      createdAt: move.at,
    };
  });
}

/** Each currency's balance of a portfolio before the movements that name it. */
async function balancesBefore(
  tx: Tx,
  portfolioId: number,
  moves: readonly { currency: string }[],
): Promise<Map<string, Decimal>> {
  const balances = new Map<string, Decimal>();
  for (const currency of new Set(moves.map((m) => m.currency)))
    balances.set(currency, await cashBalance(tx, portfolioId, currency));
  return balances;
}

/** Appends a movement; the caller's transaction makes it atomic with its cause. */
export async function appendCash(
  tx: Tx,
  provider: Provider,
  move: CashMovement,
): Promise<CashEntry> {
  await lockRow(tx, provider, "accounts", move.accountId);
  const [data] = chainRows(move, [move], await balancesBefore(tx, move.portfolioId, [move]));
  await invalidateCheckpoints(tx, move.portfolioId, move.at);
  return toCashEntry(await tx.cashTransaction.create({ data: data! }));
}

/**
 * Appends several movements of one portfolio at once (a fill's trade and fee rows): one lock, one
 * balance read per currency and one INSERT, where appendCash per movement costs three statements
 * each. Running balances chain through the batch in order, exactly as successive appendCash calls
 * would. Pass accountLocked when the caller's transaction already holds the account's row lock
 * (PostgreSQL), so it is not taken twice.
 */
export async function appendCashBatch(
  tx: Tx,
  provider: Provider,
  owner: { accountId: number; portfolioId: number },
  moves: readonly Omit<CashMovement, "accountId" | "portfolioId">[],
  options: {
    accountLocked?: boolean;
    /** the caller's transaction already deleted the portfolio's checkpoints from this day on */
    checkpointsClearedFrom?: Date;
  } = {},
): Promise<void> {
  if (!moves.length) return;
  if (!options.accountLocked) await lockRow(tx, provider, "accounts", owner.accountId);
  const data = chainRows(owner, moves, await balancesBefore(tx, owner.portfolioId, moves));
  const earliest = new Date(Math.min(...moves.map((m) => m.at.getTime())));
  const cleared = options.checkpointsClearedFrom;
  if (!cleared || utcDay(earliest).getTime() < utcDay(cleared).getTime())
    await invalidateCheckpoints(tx, owner.portfolioId, earliest);
  // a multi-row INSERT (rows get ids in order, so the last one carries the latest balance), raw
  // because the ORM's createMany costs several times the CPU of the statement (see audit())
  const rows = data.map(
    (r) =>
      Prisma.sql`(${r.uid}, ${r.accountId}, ${r.portfolioId}, ${r.type}, ${r.currency}, ${r.amount}, ${r.balanceAfter}, ${r.tradeId}, ${r.note}, ${r.createdAt})`,
  );
  await tx.$executeRaw`
    INSERT INTO cash_transactions (uid, "accountId", "portfolioId", type, currency, amount,
      "balanceAfter", "tradeId", note, "createdAt")
    VALUES ${Prisma.join(rows)}`;
}

export function toCashEntry(row: {
  id: number;
  portfolioId: number;
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
    portfolioId: row.portfolioId,
    type: row.type,
    currency: row.currency,
    amount: fromDb(row.amount),
    balanceAfter: fromDb(row.balanceAfter),
    tradeId: row.tradeId,
    note: row.note,
    createdAt: row.createdAt,
  };
}
