// The SQLite driver adapter, made safe for concurrent use inside one process.
//
// @prisma/adapter-better-sqlite3 keeps one connection. It serialises interactive transactions
// with a mutex, but plain queries do not wait for it: a query from another async task that runs
// while a transaction is open executes *inside* that transaction, and is lost if it rolls back.
// This wrapper routes every plain query and every transaction through one FIFO mutex, so a
// transaction owns the connection from BEGIN to COMMIT/ROLLBACK.
//
// It also sets the pragmas the embedded default needs: WAL (readers never block the writer and a
// crash loses no committed transaction), NORMAL sync (durable across process crashes in WAL),
// foreign keys on, and a busy timeout for the rare second process (backup, replay tool).
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import type {
  IsolationLevel,
  SqlDriverAdapter,
  SqlMigrationAwareDriverAdapterFactory,
  SqlQuery,
  Transaction,
} from "@prisma/driver-adapter-utils";
import { Mutex } from "../lib/mutex.ts";

export const SQLITE_BUSY_TIMEOUT_MS = 10_000;

const PRAGMAS = [
  "PRAGMA journal_mode = WAL",
  "PRAGMA synchronous = NORMAL",
  "PRAGMA foreign_keys = ON",
  `PRAGMA busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`,
];

function serialize(adapter: SqlDriverAdapter): SqlDriverAdapter {
  const mutex = new Mutex();
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
        const value: unknown = Reflect.get(target, key, receiver);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
  };

  return new Proxy(adapter, {
    get(target, key, receiver) {
      switch (key) {
        case "queryRaw":
          return (q: SqlQuery) => mutex.run(() => target.queryRaw(q));
        case "executeRaw":
          return (q: SqlQuery) => mutex.run(() => target.executeRaw(q));
        case "executeScript":
          return (s: string) => mutex.run(() => target.executeScript(s));
        case "startTransaction":
          return async (level?: IsolationLevel) => {
            const release = await mutex.acquire();
            try {
              return wrapTransaction(await target.startTransaction(level), release);
            } catch (e) {
              release();
              throw e;
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

export class SerializedSqliteAdapterFactory implements SqlMigrationAwareDriverAdapterFactory {
  readonly provider = "sqlite";
  readonly adapterName: string;
  private readonly inner: PrismaBetterSqlite3;

  constructor(url: string) {
    this.inner = new PrismaBetterSqlite3({ url, timeout: SQLITE_BUSY_TIMEOUT_MS });
    this.adapterName = this.inner.adapterName;
  }

  async connect(): Promise<SqlDriverAdapter> {
    const adapter = await this.inner.connect();
    for (const pragma of PRAGMAS) {
      await adapter.queryRaw({ sql: pragma, args: [], argTypes: [] });
    }
    return serialize(adapter);
  }

  async connectToShadowDb(): Promise<SqlDriverAdapter> {
    return serialize(await this.inner.connectToShadowDb());
  }
}
