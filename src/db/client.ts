// The Prisma client factory: SQLite (embedded default) or PostgreSQL, picked from DATABASE_URL.
//
// Prisma generates one client per provider (prisma/schema.prisma and its generated PostgreSQL
// twin). Both have the same models and fields; the one visible difference is that exact-decimal
// fields are TEXT (string) on SQLite and NUMERIC (Prisma Decimal) on PostgreSQL. The app is typed
// against the SQLite client and reads those fields only through fromDb() (src/lib/decimal.ts),
// which accepts both, and writes them only as strings from toDb(), which both accept.
import fs from "node:fs";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as PostgresClient } from "./generated/postgres/client.ts";
import { PrismaClient as SqliteClient, Prisma } from "./generated/sqlite/client.ts";
import { SerializedSqliteAdapterFactory } from "./sqlite-adapter.ts";
import { WriteTracker, trackWrites } from "./write-tracker.ts";
import { isPostgresUrl, isSqliteUrl, resolveDatabaseUrl, sqlitePath } from "./url.ts";

export type Db = SqliteClient;
/** The client handed to code running inside db.$transaction(). */
export type Tx = Prisma.TransactionClient;
/** Either: services accept both so they compose inside a caller's transaction. */
export type DbOrTx = Db | Tx;
export type Provider = "sqlite" | "postgres";

export { Prisma };

export interface Database {
  readonly prisma: Db;
  readonly provider: Provider;
  readonly url: string;
  /** the tables this process has written (what ReadCache checks); absent: reads are not cached */
  readonly writes?: WriteTracker;
  close(): Promise<void>;
}

/**
 * The options every client of the app is built with (benchmarks' own clients too).
 *
 * Interactive transactions wait behind each other on SQLite's single connection: give them room.
 *
 * errorFormat "minimal": with any other format Prisma records the call site of *every* query
 * (a `new Error()` per call, whose stack V8 captures across the awaits that led there) to print
 * it in an error message. That cost more than the query itself: a findUnique took 423 µs with it
 * and 149 µs without (CPU profile of 10,000 calls, same run conditions). The app reads errors by
 * their code (P2002, P2025…), never by their message, and logs them with its own context.
 */
export const CLIENT_OPTIONS = {
  transactionOptions: { maxWait: 30_000, timeout: 60_000 },
  errorFormat: "minimal",
} as const;

export interface DatabaseOptions {
  /** PostgreSQL pool size (default 10) */
  poolSize?: number;
  /** told of every SQL statement sent (benchmarks count them); none: Prisma logs no queries */
  onQuery?: (sql: string) => void;
}

// Prisma emits query events only when asked at construction, and only to $on listeners.
function queryLog(options: DatabaseOptions) {
  return options.onQuery ? { log: [{ emit: "event" as const, level: "query" as const }] } : {};
}

export function openDatabase(rawUrl?: string, options: DatabaseOptions = {}): Database {
  const url = resolveDatabaseUrl(rawUrl);
  if (isPostgresUrl(url)) {
    const writes = new WriteTracker();
    const adapter = trackWrites(
      new PrismaPg({ connectionString: url, max: options.poolSize ?? 10 }),
      writes,
    );
    const client = new PostgresClient({
      adapter,
      ...CLIENT_OPTIONS,
      ...queryLog(options),
    });
    const { onQuery } = options;
    // Db is typed without a log option, so "query" is not among its event names
    if (onQuery) client.$on("query" as never, (e: { query: string }) => onQuery(e.query));
    // Same models and fields; see the header comment for the one difference.
    const prisma = client as unknown as Db;
    return { prisma, provider: "postgres", url, writes, close: () => prisma.$disconnect() };
  }
  if (!isSqliteUrl(url)) {
    throw new Error(`DATABASE_URL must start with file: (SQLite) or postgres(ql):// (PostgreSQL)`);
  }
  const file = sqlitePath(url);
  if (file !== ":memory:") fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const writes = new WriteTracker();
  const prisma = new SqliteClient({
    adapter: trackWrites(new SerializedSqliteAdapterFactory(url), writes),
    ...CLIENT_OPTIONS,
    ...queryLog(options),
  });
  const { onQuery } = options;
  // as above: the event name is typed only when the log option is a literal
  if (onQuery) prisma.$on("query" as never, (e: { query: string }) => onQuery(e.query));
  return { prisma, provider: "sqlite", url, writes, close: () => prisma.$disconnect() };
}

/** True when `db` is the root client (not a transaction client). */
export function isRootClient(db: DbOrTx): db is Db {
  return typeof (db as Partial<Db>).$transaction === "function";
}

/** Runs fn in a transaction, or inside the caller's transaction when given one. */
export async function inTransaction<T>(db: DbOrTx, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return isRootClient(db) ? db.$transaction(fn) : fn(db);
}
