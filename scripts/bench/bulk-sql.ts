// The SQL plumbing of B5's bulk path (./bulk-fill-ingest.ts): one connection on the driver
// (better-sqlite3 or pg) with the database's parameter limit, and multi-row INSERTs cut to stay
// under it (SQLite: 32,766 variables; PostgreSQL: 65,535 parameters).
import type Sqlite from "better-sqlite3";
import pg from "pg";
import type { Provider } from "../../src/db/client.ts";
import { numbered, openSqlite } from "./raw-fill-ingest.ts";

/** Runs one statement (written with ? placeholders) and returns its rows. */
export type Query = <T>(sql: string, params: unknown[]) => Promise<T[]>;

export interface Connection {
  provider: Provider;
  /** most bound parameters one statement may carry */
  maxParams: number;
  transaction(fn: (query: Query) => Promise<void>): Promise<void>;
  close(): Promise<void>;
}

export function sqliteConnection(file: string): Connection {
  const db = openSqlite(file);
  // a loader's page cache (1 GiB, the app keeps SQLite's default): at ×10 the indexes of 10.8 M
  // trades and 21.6 M ledger rows outgrow the default 2 MiB and every insert rereads its path
  db.pragma("cache_size = -1048576");
  // a batch's statements come in a handful of shapes (full chunks and one remainder each)
  const statements = new Map<string, Sqlite.Statement>();
  const query: Query = async <T>(sql: string, params: unknown[]) => {
    let stmt = statements.get(sql);
    if (!stmt) statements.set(sql, (stmt = db.prepare(sql)));
    return (stmt.reader ? stmt.all(...params) : (stmt.run(...params), [])) as T[];
  };
  return {
    provider: "sqlite",
    maxParams: 32_766,
    async transaction(fn) {
      db.exec("BEGIN IMMEDIATE");
      try {
        await fn(query);
        db.exec("COMMIT");
      } catch (e) {
        db.exec("ROLLBACK");
        throw e;
      }
    },
    close: async () => void db.close(),
  };
}

export async function postgresConnection(url: string): Promise<Connection> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const query: Query = async <T>(sql: string, params: unknown[]) =>
    (await client.query(numbered(sql), params)).rows as T[];
  return {
    provider: "postgres",
    maxParams: 65_535,
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

/**
 * `head VALUES row, row, ... tail` for every row, in as few statements as the parameter limit
 * allows; `row` is the SQL of one row, its `?` bound in turn to one entry of `rows`.
 */
export async function insertRows<T>(
  q: Query,
  maxParams: number,
  head: string,
  row: string,
  rows: unknown[][],
  tail = "",
): Promise<T[]> {
  const width = row.split("?").length - 1;
  const per = Math.floor(maxParams / width);
  const out: T[] = [];
  for (let i = 0; i < rows.length; i += per) {
    const chunk = rows.slice(i, i + per);
    const values = chunk.map(() => row).join(", ");
    out.push(...(await q<T>(`${head} VALUES ${values}${tail}`, chunk.flat())));
  }
  return out;
}

/** `sql(list)` for the values in as many statements as the parameter limit needs, in order. */
export async function selectIn<T>(
  q: Query,
  maxParams: number,
  sql: (list: string) => string,
  values: unknown[],
): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < values.length; i += maxParams) {
    const chunk = values.slice(i, i + maxParams);
    out.push(...(await q<T>(sql(chunk.map(() => "?").join(", ")), chunk)));
  }
  return out;
}

/**
 * PostgreSQL: every row in one statement whatever their number, one array parameter a column:
 * `head SELECT select FROM unnest(?::type[], ...) WITH ORDINALITY ORDER BY n tail`, `select`
 * naming the columns c1, c2, ... Parsed once per batch instead of once per 65,535 parameters,
 * and the rows go in (and draw their ids) in the order given.
 */
export async function insertUnnest<T>(
  q: Query,
  head: string,
  types: string[],
  select: string,
  rows: unknown[][],
  tail = "",
): Promise<T[]> {
  if (rows.length === 0) return [];
  const columns = types.map((_, i) => `c${i + 1}`).join(", ");
  const arrays = types.map((_, i) => rows.map((r) => r[i]));
  return q<T>(
    `${head} SELECT ${select} FROM unnest(${types.map((t) => `?::${t}[]`).join(", ")}) ` +
      `WITH ORDINALITY AS x(${columns}, n) ORDER BY n${tail}`,
    arrays,
  );
}
