// The reads fill ingestion makes inside its transaction, as raw SQL portable between SQLite and
// PostgreSQL (see fill-ingest.ts for why raw): the portfolio, locked, with its paper flag and any
// trade already stored under the fill's id; the fill's order; a trade by its broker id.
import type { DbOrTx, Provider, Tx } from "../../db/client.ts";
import type { OrderSide, OrderStatus } from "../../db/generated/sqlite/enums.ts";
import { Prisma } from "../../db/generated/sqlite/client.ts";
import { type Decimal, type DecimalLike, fromDb, fromDbOrNull } from "../../lib/decimal.ts";
import { NotFoundError } from "../errors.ts";
import { type AnyActor, isSystem } from "../users/actor.ts";
import type { FillReport } from "./fill-types.ts";

/** A row of lockPortfolio's query, as either driver returns it. */
interface LockedPortfolioRow {
  id: number | bigint;
  userId: number | bigint;
  name: string;
  accountId: number | bigint;
  isPaper: boolean | number | bigint;
  existingTradeId: number | bigint | null;
}

export interface LockedPortfolio {
  id: number;
  userId: number;
  name: string;
  accountId: number;
  isPaper: boolean;
  existingTradeId: number | null;
}

/** A row of findOrder's query: decimals are TEXT on SQLite, NUMERIC on PostgreSQL. */
interface FillOrderRow {
  id: number | bigint;
  // written only by the domain, as these types
  side: OrderSide;
  instrumentId: number | bigint;
  strategyId: number | bigint | null;
  status: OrderStatus;
  quantity: DecimalLike;
  filledQuantity: DecimalLike;
  avgFillPrice: DecimalLike | null;
}

/** What a fill needs of its order. */
export interface FillOrder {
  id: number;
  side: OrderSide;
  instrumentId: number;
  strategyId: number | null;
  status: OrderStatus;
  quantity: Decimal;
  filledQuantity: Decimal;
  avgFillPrice: Decimal | null;
}

/**
 * The fill's portfolio (scoped to the actor unless SYSTEM), whether its broker is paper, and the
 * id of a trade already ingested under the fill's broker trade id, in one statement instead of a
 * lock, three ORM reads (portfolio, account, broker) and a duplicate lookup. On PostgreSQL it
 * locks the portfolio and its account row: fills of one portfolio queue (position and ledger
 * updates are read-modify-write), and the cash ledger needs the account lock anyway. Later reads
 * in the transaction run after the lock, so they see what the previous holder committed. The
 * duplicate check here runs in the snapshot taken before waiting, so it may miss a concurrent
 * ingest of the same fill that committed meanwhile: ingestFillInTx catches that case twice more
 * (an order mismatch re-checks for the trade; the trade INSERT does nothing on conflict).
 */
export async function lockPortfolio(
  tx: Tx,
  provider: Provider,
  actor: AnyActor,
  fill: FillReport,
): Promise<LockedPortfolio> {
  const owner = isSystem(actor) ? Prisma.empty : Prisma.sql`AND p."userId" = ${actor.id}`;
  const lock = provider === "postgres" ? Prisma.sql`FOR UPDATE OF p, a` : Prisma.empty;
  const rows = await tx.$queryRaw<LockedPortfolioRow[]>`
    SELECT p.id, p."userId", p.name, p."accountId", b."isPaper",
      (SELECT t.id FROM trades t
        WHERE t."portfolioId" = p.id AND t."brokerTradeId" = ${fill.brokerTradeId}) AS "existingTradeId"
    FROM portfolios p
      JOIN accounts a ON a.id = p."accountId"
      JOIN brokers b ON b.id = a."brokerId"
    WHERE p.id = ${fill.portfolioId} ${owner}
    ${lock}`;
  const row = rows[0];
  if (!row) throw new NotFoundError("portfolio", fill.portfolioId);
  return {
    id: Number(row.id),
    userId: Number(row.userId),
    name: row.name,
    accountId: Number(row.accountId),
    // PostgreSQL returns a boolean; SQLite, depending on how the column's type reaches the
    // adapter, a boolean or 0/1
    isPaper: row.isPaper === true || Number(row.isPaper) === 1,
    existingTradeId: row.existingTradeId === null ? null : Number(row.existingTradeId),
  };
}

/** The fill's order, by whichever of its ids the fill names (null when it names none). */
export async function findOrder(tx: Tx, fill: FillReport): Promise<FillOrder | null> {
  const match = fill.orderId
    ? Prisma.sql`id = ${fill.orderId}`
    : fill.brokerOrderId
      ? Prisma.sql`"brokerOrderId" = ${fill.brokerOrderId}`
      : fill.clientOrderId
        ? Prisma.sql`"clientOrderId" = ${fill.clientOrderId}`
        : null;
  if (!match) return null;
  // CAST AS TEXT: PostgreSQL enums arrive as text (the same expression is a no-op on SQLite)
  const rows = await tx.$queryRaw<FillOrderRow[]>`
    SELECT id, CAST(side AS TEXT) AS side, "instrumentId", "strategyId",
      CAST(status AS TEXT) AS status, quantity, "filledQuantity", "avgFillPrice"
    FROM orders WHERE ${match} AND "portfolioId" = ${fill.portfolioId}
    LIMIT 1`;
  const row = rows[0];
  if (!row) {
    const ref = fill.orderId ?? fill.brokerOrderId ?? fill.clientOrderId ?? "-";
    throw new NotFoundError("order", ref, "error-unknown-order");
  }
  return {
    id: Number(row.id),
    side: row.side,
    instrumentId: Number(row.instrumentId),
    strategyId: row.strategyId === null ? null : Number(row.strategyId),
    status: row.status,
    quantity: fromDb(row.quantity),
    filledQuantity: fromDb(row.filledQuantity),
    avgFillPrice: fromDbOrNull(row.avgFillPrice),
  };
}

/** The id of the trade stored under the fill's broker trade id, if any. */
export async function findTrade(db: DbOrTx, portfolioId: number, brokerTradeId: string) {
  return db.trade.findUnique({
    where: { portfolioId_brokerTradeId: { portfolioId, brokerTradeId } },
    select: { id: true },
  });
}
