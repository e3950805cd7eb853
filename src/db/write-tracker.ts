// Which tables this process has written, as counters that only go up: what lets a read be cached
// between updates (table-cache.ts) and still never be served once a write could have changed it.
//
// Every statement the Prisma client sends passes through its driver adapter; trackWrites() wraps
// the adapter factory so that each statement that is not a read bumps the counter of the table it
// writes, *after* it has taken effect: a plain statement once it returns, a statement inside a
// transaction once the transaction has committed (or rolled back). A reader that looks at the
// counter after a bump therefore reads after the write; one that looked before sees its entry go
// stale. A statement whose table cannot be told (raw SQL, scripts) bumps every table.
//
// This sees only this process's writes: caching on it is for a process that is the database's
// only writer (one instance, see ReadCache).
import type {
  SqlDriverAdapter,
  SqlDriverAdapterFactory,
  SqlQuery,
  Transaction,
} from "@prisma/driver-adapter-utils";

const READ = /^\s*(?:SELECT|BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|PRAGMA\s+\w+\s*$)\b/i;
// INSERT INTO `main`.`users` … / UPDATE "public"."users" SET … / DELETE FROM `users` …
const WRITE =
  /^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+(?:[`"]?\w+[`"]?\.)?[`"]?(\w+)[`"]?/i;

/** the tables one statement writes: none for a read, ALL when it cannot be told */
const ALL = "*";

export class WriteTracker {
  private readonly counts = new Map<string, number>();
  private everything = 0;

  /** A number that changes whenever any of `tables` may have changed. */
  version(tables: readonly string[]): number {
    let sum = this.everything;
    for (const t of tables) sum += this.counts.get(t) ?? 0;
    return sum;
  }

  /** The table `sql` writes: null for a read, "*" when it cannot be told. */
  static written(sql: string): string | null {
    if (READ.test(sql)) return null;
    return WRITE.exec(sql)?.[1] ?? ALL;
  }

  bump(table: string): void {
    if (table === ALL) this.everything++;
    else this.counts.set(table, (this.counts.get(table) ?? 0) + 1);
  }
}

/** `factory` with every statement its connections send reported to `tracker`. */
export function trackWrites<F extends SqlDriverAdapterFactory>(
  factory: F,
  tracker: WriteTracker,
): F {
  return new Proxy(factory, {
    get(target, key, receiver) {
      if (key === "connect" || key === "connectToShadowDb") {
        const connect = Reflect.get(target, key, receiver) as () => Promise<SqlDriverAdapter>;
        return async () => watchAdapter(await connect.call(target), tracker);
      }
      const value: unknown = Reflect.get(target, key, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

function watchAdapter(adapter: SqlDriverAdapter, tracker: WriteTracker): SqlDriverAdapter {
  /** runs a plain statement, then bumps what it wrote (even when it failed: it may have) */
  const plain =
    <R>(run: (q: SqlQuery) => Promise<R>) =>
    async (q: SqlQuery): Promise<R> => {
      const table = WriteTracker.written(q.sql);
      try {
        return await run(q);
      } finally {
        if (table) tracker.bump(table);
      }
    };
  return new Proxy(adapter, {
    get(target, key, receiver) {
      switch (key) {
        case "queryRaw":
          return plain((q) => target.queryRaw(q));
        case "executeRaw":
          return plain((q) => target.executeRaw(q));
        case "executeScript":
          return async (script: string) => {
            try {
              return await target.executeScript(script);
            } finally {
              tracker.bump(ALL);
            }
          };
        case "startTransaction":
          return async (...args: Parameters<SqlDriverAdapter["startTransaction"]>) =>
            watchTransaction(await target.startTransaction(...args), tracker);
        default: {
          const value: unknown = Reflect.get(target, key, receiver);
          return typeof value === "function" ? value.bind(target) : value;
        }
      }
    },
  });
}

function watchTransaction(tx: Transaction, tracker: WriteTracker): Transaction {
  // what the transaction wrote becomes visible to other readers at its commit: bump then
  const written = new Set<string>();
  const note =
    <R>(run: (q: SqlQuery) => Promise<R>) =>
    (q: SqlQuery): Promise<R> => {
      const table = WriteTracker.written(q.sql);
      if (table) written.add(table);
      return run(q);
    };
  const end = (run: () => Promise<void>) => async () => {
    try {
      await run();
    } finally {
      for (const table of written) tracker.bump(table);
      written.clear();
    }
  };
  return new Proxy(tx, {
    get(target, key, receiver) {
      switch (key) {
        case "queryRaw":
          return note((q) => target.queryRaw(q));
        case "executeRaw":
          return note((q) => target.executeRaw(q));
        case "commit":
          return end(() => target.commit());
        case "rollback":
          return end(() => target.rollback());
        default: {
          const value: unknown = Reflect.get(target, key, receiver);
          return typeof value === "function" ? value.bind(target) : value;
        }
      }
    },
  });
}
