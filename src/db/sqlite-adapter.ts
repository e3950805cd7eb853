// The SQLite driver adapter, made safe for concurrent use inside one process.
//
// @prisma/adapter-better-sqlite3 keeps one connection. It serialises interactive transactions
// with a mutex, but plain queries do not wait for it: a query from another async task that runs
// while a transaction is open executes *inside* that transaction, and is lost if it rolls back.
// This wrapper routes every plain query and every transaction through one FIFO mutex, so a
// transaction owns the connection from BEGIN to COMMIT/ROLLBACK.
//
// Plain reads (a SELECT outside a transaction) do not queue there: a second connection, opened
// read-only (query_only), answers them at once. In WAL mode a reader never waits for the writer
// and sees every transaction committed before its statement began, so a command reading its
// figures is not held up for the length of a job's transaction (the strategy cycle's orders,
// fill ingestion), and a read issued after a write returned still sees that write. What a
// transaction reads goes through the transaction, on the writing connection, as before.
//
// And every statement first lets the event loop turn. better-sqlite3 answers synchronously, so
// without this a job's chain of queries (the strategy cycle's reads, an order's transaction)
// would run to its end in one go while every command waited; PostgreSQL's queries are real I/O
// and interleave by themselves. With it, two tasks take turns statement by statement. A
// transaction holds the write lock across those turns, so every connection this process opens on
// one database file shares one queue (WRITE_QUEUES): a second client of the same file (another
// app in a test, a tool) waits its turn there, instead of spinning in SQLite's busy wait, which
// would block the very thread the transaction needs to finish. (The promise form from
// node:timers, not the global: tests that fake the global timers still get answers.) Only
// background work takes these turns: the statements of an update being answered
// (src/lib/interactive.ts) run straight through, so a command goes ahead of the jobs rather than
// waiting, statement by statement, behind every task in flight.
//
// It also sets the pragmas the embedded default needs: WAL (readers never block the writer and a
// crash loses no committed transaction), NORMAL sync (durable across process crashes in WAL),
// foreign keys on, and a busy timeout for the rare second process (backup, replay tool).
//
// And it caches prepared statements: the adapter prepares every query's SQL anew, which took
// about a tenth of the CPU time of a fill ingestion (B1), while the ORM sends the same few
// hundred SQL texts over and over.
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import type {
  IsolationLevel,
  SqlDriverAdapter,
  SqlMigrationAwareDriverAdapterFactory,
  SqlQuery,
  Transaction,
} from "@prisma/driver-adapter-utils";
import Sqlite from "better-sqlite3";
import path from "node:path";
import { setImmediate as nextTurn } from "node:timers/promises";
import { isInteractive } from "../lib/interactive.ts";
import { Mutex } from "../lib/mutex.ts";
import { sqlitePath } from "./url.ts";

export const SQLITE_BUSY_TIMEOUT_MS = 10_000;

const PRAGMAS = [
  "PRAGMA journal_mode = WAL",
  "PRAGMA synchronous = NORMAL",
  "PRAGMA foreign_keys = ON",
  `PRAGMA busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`,
];

/** the reading connection's: it can never write, whatever it is sent */
const READER_PRAGMAS = [
  "PRAGMA query_only = ON",
  `PRAGMA busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`,
];

/**
 * A statement the reading connection may answer: a plain SELECT. Anything else (writes, PRAGMA,
 * WITH …, scripts) goes to the writing connection; a misjudged one would fail on query_only
 * rather than write past the mutex.
 */
export function isPlainRead(sql: string): boolean {
  return /^\s*SELECT\b/i.test(sql);
}

/**
 * The write queue of each database file this process has open, shared by all its connections to
 * that file, with how many hold it (the entry goes when the last one is disposed).
 */
const WRITE_QUEUES = new Map<string, { mutex: Mutex; users: number }>();

/** The shared write queue of `file` (a new one for an in-memory database: it has no sharers). */
function writeQueueOf(file: string | null): { mutex: Mutex; release: () => void } {
  if (file === null) return { mutex: new Mutex(), release: () => {} };
  let entry = WRITE_QUEUES.get(file);
  if (!entry) WRITE_QUEUES.set(file, (entry = { mutex: new Mutex(), users: 0 }));
  entry.users++;
  let released = false;
  const held = entry;
  return {
    mutex: held.mutex,
    release: () => {
      if (released) return;
      released = true;
      if (--held.users === 0 && WRITE_QUEUES.get(file) === held) WRITE_QUEUES.delete(file);
    },
  };
}

/** Background work lets the event loop turn before a statement; a user's goes straight on. */
function takeTurn(): Promise<void> | undefined {
  return isInteractive() ? undefined : nextTurn();
}

/** Distinct SQL texts kept prepared per connection; the least recently used one goes first. */
export const STATEMENT_CACHE_SIZE = 500;

/**
 * The part of a prepared statement the adapter uses (@prisma/adapter-better-sqlite3 7.10.0:
 * `client.prepare(sql).bind(args)` then `reader`, `run()`, `columns()`, `raw().all()`, and
 * `prepare("BEGIN").run()`), over a statement that stays reusable: better-sqlite3's own bind()
 * fixes the parameters for the statement's lifetime, so a cached statement must get them per call.
 */
class ReusableStatement {
  /**
   * The result's column names and declared types, read once: the adapter asks on every query,
   * and better-sqlite3 builds them anew each time (a few % of a strategy cycle's CPU). They are
   * fixed for the statement's SQL while the schema is; the schema changes only by migrations,
   * which run before the app opens its connections (and restore refuses a database in use).
   */
  private cols: Sqlite.ColumnDefinition[] | null = null;
  constructor(readonly stmt: Sqlite.Statement) {}
  get reader(): boolean {
    return this.stmt.reader;
  }
  run(): Sqlite.RunResult {
    return this.stmt.run();
  }
  columns(): Sqlite.ColumnDefinition[] {
    return (this.cols ??= this.stmt.columns());
  }
  bind(args: unknown[]): BoundStatement {
    return new BoundStatement(this, args);
  }
}

class BoundStatement {
  constructor(
    private readonly prepared: ReusableStatement,
    private readonly args: unknown[],
  ) {}
  get reader(): boolean {
    return this.prepared.reader;
  }
  run(): Sqlite.RunResult {
    return this.prepared.stmt.run(...this.args);
  }
  columns(): Sqlite.ColumnDefinition[] {
    return this.prepared.columns();
  }
  raw(): { all(): unknown[] } {
    // raw mode is a sticky flag on the shared statement: set it on every use
    return { all: () => this.prepared.stmt.raw(true).all(...this.args) };
  }
}

/**
 * Makes the adapter's connection reuse prepared statements. The adapter keeps its better-sqlite3
 * connection in a `client` field that its types do not declare; when that is not what this
 * expects (another adapter version), the adapter is left as it is, only slower.
 */
function cacheStatements(adapter: SqlDriverAdapter): void {
  const client: unknown = (adapter as { client?: unknown }).client;
  if (!(client instanceof Sqlite)) return;
  const prepare = client.prepare.bind(client);
  const cache = new Map<string, ReusableStatement>();
  const cachedPrepare = (sql: string): ReusableStatement => {
    let stmt = cache.get(sql);
    if (stmt) {
      cache.delete(sql); // re-inserted below: Map order is the recency order
    } else {
      stmt = new ReusableStatement(prepare(sql));
      if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
    }
    cache.set(sql, stmt);
    return stmt;
  };
  // the adapter only calls the methods ReusableStatement has (see there)
  (client as unknown as { prepare: (sql: string) => ReusableStatement }).prepare = cachedPrepare;
}

/**
 * `adapter` with every statement and transaction in one FIFO queue; plain reads go to `reader`
 * instead when there is one (see the top of the file).
 */
function serialize(
  adapter: SqlDriverAdapter,
  queue: { mutex: Mutex; release: () => void },
  reader?: SqlDriverAdapter,
): SqlDriverAdapter {
  const { mutex } = queue;
  const wrapTransaction = (tx: Transaction, release: () => void): Transaction => {
    let released = false;
    const done = () => {
      if (!released) {
        released = true;
        release();
      }
    };
    return new Proxy(tx, {
      get(target, key, receiver) {
        if (key === "commit" || key === "rollback") {
          return async () => {
            try {
              await target[key]();
            } finally {
              done();
            }
          };
        }
        if (key === "queryRaw" || key === "executeRaw") {
          return async (q: SqlQuery) => {
            await takeTurn();
            return target[key](q);
          };
        }
        const value: unknown = Reflect.get(target, key, receiver);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
  };

  return new Proxy(adapter, {
    get(target, key, receiver) {
      switch (key) {
        case "queryRaw":
          return async (q: SqlQuery) => {
            await takeTurn();
            return reader && isPlainRead(q.sql)
              ? reader.queryRaw(q)
              : mutex.run(() => target.queryRaw(q));
          };
        case "executeRaw":
          return async (q: SqlQuery) => {
            await takeTurn();
            return mutex.run(() => target.executeRaw(q));
          };
        case "executeScript":
          return (s: string) => mutex.run(() => target.executeScript(s));
        case "startTransaction":
          return async (level?: IsolationLevel) => {
            await takeTurn();
            const release = await mutex.acquire();
            try {
              return wrapTransaction(await target.startTransaction(level), release);
            } catch (e) {
              release();
              throw e;
            }
          };
        case "dispose":
          return async () => {
            try {
              await reader?.dispose();
            } finally {
              queue.release();
              await target.dispose();
            }
          };
        default: {
          const value: unknown = Reflect.get(target, key, receiver);
          return typeof value === "function" ? value.bind(target) : value;
        }
      }
    },
  });
}

async function connectWith(
  factory: PrismaBetterSqlite3,
  pragmas: readonly string[],
): Promise<SqlDriverAdapter> {
  const adapter = await factory.connect();
  for (const pragma of pragmas) await adapter.queryRaw({ sql: pragma, args: [], argTypes: [] });
  cacheStatements(adapter);
  return adapter;
}

export class SerializedSqliteAdapterFactory implements SqlMigrationAwareDriverAdapterFactory {
  readonly provider = "sqlite";
  readonly adapterName: string;
  private readonly inner: PrismaBetterSqlite3;
  /** the reading connection's factory; none for an in-memory database (a second one is empty) */
  private readonly reads: PrismaBetterSqlite3 | null;
  /** the file's absolute path, the key of its write queue (null: in memory) */
  private readonly file: string | null;

  constructor(url: string) {
    this.inner = new PrismaBetterSqlite3({ url, timeout: SQLITE_BUSY_TIMEOUT_MS });
    const inMemory = /:memory:|mode=memory/.test(url);
    this.reads = inMemory
      ? null
      : new PrismaBetterSqlite3({ url, timeout: SQLITE_BUSY_TIMEOUT_MS });
    this.file = inMemory ? null : path.resolve(sqlitePath(url));
    this.adapterName = this.inner.adapterName;
  }

  async connect(): Promise<SqlDriverAdapter> {
    // the writer first: it turns WAL on (a setting of the file), which lets the reader read
    // alongside it
    const adapter = await connectWith(this.inner, PRAGMAS);
    const reader = this.reads ? await connectWith(this.reads, READER_PRAGMAS) : undefined;
    return serialize(adapter, writeQueueOf(this.file), reader);
  }

  async connectToShadowDb(): Promise<SqlDriverAdapter> {
    // a database of its own, which nothing else shares
    return serialize(await this.inner.connectToShadowDb(), writeQueueOf(null));
  }
}
