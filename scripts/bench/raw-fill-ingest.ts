// B1's baseline: fill ingestion written by hand in SQL, doing the same work as
// TradeService.ingestFill in one transaction per fill: check (and on PostgreSQL lock) the
// portfolio and its account, read the order, insert the trade (idempotent on portfolio + broker
// trade id), update the order's filled quantity, average and status, upsert the position (same
// calculator, same rounding), append the paper cash ledger (trade and fee, running balances) and
// write the audit row. What it saves against the service is only what hand-written SQL can: fewer
// statements (INSERT ... ON CONFLICT instead of a duplicate check, one balance read, one lock
// statement) and no ORM layer.
//
// The statements run through a SqlRunner, so the very same SQL runs on the drivers (better-sqlite3,
// pg: the baseline) and through Prisma's raw API inside an interactive transaction (a prototype
// that shows what the service could reach without giving up the Prisma client).
import { randomUUID } from "node:crypto";
import Sqlite from "better-sqlite3";
import pg from "pg";
import type { Db, Provider, Tx } from "../../src/db/client.ts";
import type { OrderSide, OrderStatus } from "../../src/db/generated/sqlite/enums.ts";
import { FLAT, type PositionState, applyFill } from "../../src/domain/positions/position-math.ts";
import {
  type Decimal,
  Decimal as Dec,
  ZERO,
  roundForStorage,
  toDb,
} from "../../src/lib/decimal.ts";

export interface BenchFill {
  portfolioId: number;
  instrumentId: number;
  symbol: string;
  currency: string;
  side: OrderSide;
  quantity: Decimal;
  price: Decimal;
  fee: Decimal;
  execTime: Date;
  brokerTradeId: string;
  orderId: number;
}

export interface RawIngester {
  ingest(fill: BenchFill): Promise<void>;
  /** the same work, fill by fill, for several fills in one transaction (B5's per-fill load) */
  ingestBatch(fills: BenchFill[]): Promise<void>;
  close(): Promise<void>;
}

/** Runs one statement (written with ? placeholders) and returns its rows. */
type Query = <T>(name: string, sql: string, params: unknown[]) => Promise<T[]>;

interface SqlRunner {
  provider: Provider;
  /** runs fn in one transaction (BEGIN IMMEDIATE on SQLite) */
  transaction(fn: (query: Query) => Promise<void>): Promise<void>;
  close(): Promise<void>;
}

/** `?` placeholders as PostgreSQL's $1, $2, ... */
export const numbered = (sql: string) => {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
};

/** A connection with the app's pragmas (src/db/sqlite-adapter.ts). */
export function openSqlite(file: string): Sqlite.Database {
  const db = new Sqlite(file, { timeout: 10_000 });
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.pragma("foreign_keys = ON");
  return db;
}

function sqliteRunner(file: string): SqlRunner {
  const db = openSqlite(file);
  const statements = new Map<string, Sqlite.Statement>();
  const query: Query = async <T>(name: string, sql: string, params: unknown[]) => {
    let stmt = statements.get(name);
    if (!stmt) statements.set(name, (stmt = db.prepare(sql)));
    return (stmt.reader ? stmt.all(...params) : (stmt.run(...params), [])) as T[];
  };
  const begin = db.prepare("BEGIN IMMEDIATE");
  const commit = db.prepare("COMMIT");
  const rollback = db.prepare("ROLLBACK");
  return {
    provider: "sqlite",
    async transaction(fn) {
      begin.run();
      try {
        await fn(query);
        commit.run();
      } catch (e) {
        rollback.run();
        throw e;
      }
    },
    close: async () => void db.close(),
  };
}

async function postgresRunner(url: string): Promise<SqlRunner> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  // named statements: parsed and planned once per connection, like better-sqlite3's prepare()
  const query: Query = async <T>(name: string, sql: string, params: unknown[]) =>
    (await client.query({ name, text: numbered(sql), values: params })).rows as T[];
  return {
    provider: "postgres",
    async transaction(fn) {
      await client.query("BEGIN");
      try {
        await fn(query);
        await client.query("COMMIT");
      } catch (e) {
        await client.query("ROLLBACK");
        throw e;
      }
    },
    close: () => client.end(),
  };
}

/** The same SQL through the Prisma client: $queryRawUnsafe inside db.$transaction(). */
function prismaRunner(db: Db, provider: Provider): SqlRunner {
  return {
    provider,
    async transaction(fn) {
      await db.$transaction(async (tx: Tx) => {
        await fn(async <T>(_name: string, sql: string, params: unknown[]) =>
          tx.$queryRawUnsafe<T[]>(provider === "postgres" ? numbered(sql) : sql, ...params),
        );
      });
    },
    close: async () => {},
  };
}

export interface OrderRow {
  side: string;
  instrumentId: number;
  strategyId: number | null;
  quantity: string;
  filledQuantity: string;
  avgFillPrice: string | null;
  status: string;
}

export interface PositionRow {
  quantity: string;
  avgPrice: string;
  realizedPnl: string;
  fees: string;
  openedAt: string | Date | null;
}

const OPEN = new Set(["NEW", "PARTIALLY_FILLED"]);

/** The order's new filled quantity, average and status after a fill (as TradeService does). */
export function orderAfter(order: OrderRow, fill: BenchFill) {
  if (order.side !== fill.side || Number(order.instrumentId) !== fill.instrumentId) {
    throw new Error(`fill ${fill.brokerTradeId} does not match order ${fill.orderId}`);
  }
  const prevFilled = new Dec(order.filledQuantity);
  const filled = prevFilled.plus(fill.quantity);
  const quantity = new Dec(order.quantity);
  if (filled.gt(quantity)) throw new Error(`overfill on order ${fill.orderId}`);
  const prevAvg = order.avgFillPrice === null ? ZERO : new Dec(order.avgFillPrice);
  const avg = roundForStorage(
    prevAvg.mul(prevFilled).plus(fill.price.mul(fill.quantity)).div(filled),
  );
  const status: OrderStatus = OPEN.has(order.status)
    ? filled.eq(quantity)
      ? "FILLED"
      : "PARTIALLY_FILLED"
    : (order.status as OrderStatus);
  return { filled: toDb(filled), avg: toDb(avg), status };
}

export function positionAfter(row: PositionRow | undefined, fill: BenchFill) {
  const state: PositionState = row
    ? {
        quantity: new Dec(row.quantity),
        avgPrice: new Dec(row.avgPrice),
        realizedPnl: new Dec(row.realizedPnl),
        fees: new Dec(row.fees),
      }
    : FLAT;
  const effect = applyFill(state, {
    side: fill.side,
    quantity: fill.quantity,
    price: fill.price,
    fee: fill.fee,
  });
  const openedAt = effect.next.quantity.isZero()
    ? null
    : effect.opened || !row?.openedAt
      ? fill.execTime
      : new Date(row.openedAt);
  return { effect, openedAt };
}

export function auditDetails(fill: BenchFill, status: OrderStatus, realized: Decimal): string {
  return JSON.stringify({
    portfolioId: fill.portfolioId,
    symbol: fill.symbol,
    side: fill.side,
    quantity: toDb(fill.quantity),
    price: toDb(fill.price),
    fee: toDb(fill.fee),
    feeCurrency: fill.currency,
    brokerTradeId: fill.brokerTradeId,
    orderId: fill.orderId,
    orderStatus: status,
    realized: toDb(realized),
  });
}

export const note = (f: BenchFill) =>
  `${f.side} ${f.quantity.toFixed()} ${f.symbol} @ ${f.price.toFixed()}`;

function ingesterOn(runner: SqlRunner): RawIngester {
  const pg = runner.provider === "postgres";
  // DateTime as each database's Prisma adapter writes it (SQLite: ISO text with +00:00)
  const date = (d: Date) => (pg ? d.toISOString() : d.toISOString().replace("Z", "+00:00"));
  // NUMERIC read as text, so no digit goes through a float or a Prisma Decimal
  const dec = (column: string) => (pg ? `${column}::text AS ${column}` : column);
  const sql = {
    portfolio:
      `SELECT p."accountId" AS "accountId", b."isPaper" AS "isPaper" FROM portfolios p ` +
      `JOIN accounts a ON a.id = p."accountId" JOIN brokers b ON b.id = a."brokerId" WHERE p.id = ?` +
      // lock the portfolio and its account: fills of one portfolio queue, as in the service
      (pg ? " FOR UPDATE OF p, a" : ""),
    order:
      `SELECT side, "instrumentId", "strategyId", ${dec("quantity")}, ${dec('"filledQuantity"')}, ` +
      `${dec('"avgFillPrice"')}, status FROM orders WHERE id = ? AND "portfolioId" = ?`,
    insertTrade:
      `INSERT INTO trades (uid, "portfolioId", "instrumentId", "strategyId", "orderId", side, ` +
      `quantity, price, fee, "feeCurrency", "execTime", "brokerTradeId", meta) ` +
      `VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '{}') ` +
      `ON CONFLICT ("portfolioId", "brokerTradeId") DO NOTHING RETURNING id`,
    updateOrder:
      `UPDATE orders SET "filledQuantity" = ?, "avgFillPrice" = ?, status = ?, "updatedAt" = ? ` +
      `WHERE id = ?`,
    position:
      `SELECT ${dec("quantity")}, ${dec('"avgPrice"')}, ${dec('"realizedPnl"')}, ${dec("fees")}, ` +
      `"openedAt" FROM positions WHERE "portfolioId" = ? AND "instrumentId" = ? AND "strategyKey" = ?`,
    upsertPosition:
      `INSERT INTO positions (uid, "portfolioId", "instrumentId", "strategyId", "strategyKey", ` +
      `quantity, "avgPrice", "realizedPnl", fees, "openedAt", "updatedAt") ` +
      `VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ` +
      `ON CONFLICT ("portfolioId", "instrumentId", "strategyKey") DO UPDATE SET ` +
      `quantity = excluded.quantity, "avgPrice" = excluded."avgPrice", ` +
      `"realizedPnl" = excluded."realizedPnl", fees = excluded.fees, ` +
      `"openedAt" = excluded."openedAt", "updatedAt" = excluded."updatedAt"`,
    balance:
      `SELECT ${dec('"balanceAfter"')} FROM cash_transactions WHERE "portfolioId" = ? AND currency = ? ` +
      `ORDER BY id DESC LIMIT 1`,
    insertCash:
      `INSERT INTO cash_transactions (uid, "accountId", "portfolioId", type, currency, amount, ` +
      `"balanceAfter", "tradeId", note, "createdAt") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    audit:
      `INSERT INTO audit_log ("actorId", "entityType", "entityId", action, details, ` +
      `"correlationId", "createdAt") VALUES (NULL, 'TRADE', ?, 'FILL', ?, NULL, ?)`,
  };

  async function ingestOne(q: Query, fill: BenchFill): Promise<void> {
    const [portfolio] = await q<{ accountId: number; isPaper: unknown }>(
      "b1_portfolio",
      sql.portfolio,
      [fill.portfolioId],
    );
    if (!portfolio) throw new Error(`no portfolio ${fill.portfolioId}`);
    const [order] = await q<OrderRow>("b1_order", sql.order, [fill.orderId, fill.portfolioId]);
    if (!order) throw new Error(`no order ${fill.orderId}`);
    const nextOrder = orderAfter(order, fill);
    const at = date(fill.execTime);
    const [inserted] = await q<{ id: number }>("b1_trade", sql.insertTrade, [
      randomUUID(),
      fill.portfolioId,
      fill.instrumentId,
      order.strategyId,
      fill.orderId,
      fill.side,
      toDb(fill.quantity),
      toDb(fill.price),
      toDb(fill.fee),
      fill.currency,
      at,
      fill.brokerTradeId,
    ]);
    if (!inserted) return; // a duplicate: nothing else changes
    const tradeId = Number(inserted.id);
    const now = date(new Date());
    await q("b1_update_order", sql.updateOrder, [
      nextOrder.filled,
      nextOrder.avg,
      nextOrder.status,
      now,
      fill.orderId,
    ]);
    const strategyKey = order.strategyId ?? 0;
    const [row] = await q<PositionRow>("b1_position", sql.position, [
      fill.portfolioId,
      fill.instrumentId,
      strategyKey,
    ]);
    const { effect, openedAt } = positionAfter(row, fill);
    await q("b1_upsert_position", sql.upsertPosition, [
      randomUUID(),
      fill.portfolioId,
      fill.instrumentId,
      order.strategyId,
      strategyKey,
      toDb(effect.next.quantity),
      toDb(effect.next.avgPrice),
      toDb(effect.next.realizedPnl),
      toDb(effect.next.fees),
      openedAt ? date(openedAt) : null,
      now,
    ]);
    if (portfolio.isPaper === true || portfolio.isPaper === 1) {
      const [last] = await q<{ balanceAfter: string }>("b1_balance", sql.balance, [
        fill.portfolioId,
        fill.currency,
      ]);
      const notional = fill.quantity.mul(fill.price);
      const amount = fill.side === "BUY" ? notional.neg() : notional;
      const before = last ? new Dec(last.balanceAfter) : ZERO;
      const afterTrade = new Dec(toDb(before.plus(amount)));
      await q("b1_cash", sql.insertCash, [
        randomUUID(),
        portfolio.accountId,
        fill.portfolioId,
        "TRADE",
        fill.currency,
        toDb(amount),
        toDb(afterTrade),
        tradeId,
        note(fill),
        at,
      ]);
      if (fill.fee.gt(0)) {
        await q("b1_cash", sql.insertCash, [
          randomUUID(),
          portfolio.accountId,
          fill.portfolioId,
          "FEE",
          fill.currency,
          toDb(fill.fee.neg()),
          toDb(afterTrade.minus(fill.fee)),
          tradeId,
          null,
          at,
        ]);
      }
    }
    await q("b1_audit", sql.audit, [
      tradeId,
      auditDetails(fill, nextOrder.status, effect.realized),
      now,
    ]);
  }

  return {
    ingest: (fill) => runner.transaction((q) => ingestOne(q, fill)),
    ingestBatch: (fills) =>
      runner.transaction(async (q) => {
        for (const fill of fills) await ingestOne(q, fill);
      }),
    close: () => runner.close(),
  };
}

/** The baseline: hand-written SQL on the driver (better-sqlite3 or pg), one connection. */
export async function driverIngester(provider: Provider, target: string): Promise<RawIngester> {
  return ingesterOn(provider === "sqlite" ? sqliteRunner(target) : await postgresRunner(target));
}

/** The prototype: the same SQL through the Prisma client's raw API in interactive transactions. */
export function prismaRawIngester(db: Db, provider: Provider): RawIngester {
  return ingesterOn(prismaRunner(db, provider));
}
