// A Prisma client like src/db/client.ts's openDatabase, with every SQL statement it sends reported
// while a sink is set (Prisma's query events). Benchmarks hand it to the code they measure (B5 to
// the services, B2 to createApp through AppOverrides.database) to count and explain the statements
// of one call without touching the production code path.
import { PrismaPg } from "@prisma/adapter-pg";
import { CLIENT_OPTIONS, type Database } from "../../src/db/client.ts";
import { WriteTracker, trackWrites } from "../../src/db/write-tracker.ts";
import { PrismaClient as PostgresClient } from "../../src/db/generated/postgres/client.ts";
import { PrismaClient as SqliteClient } from "../../src/db/generated/sqlite/client.ts";
import { SerializedSqliteAdapterFactory } from "../../src/db/sqlite-adapter.ts";
import type { TempDatabase } from "./support.ts";

export interface Captured {
  sql: string;
  params: unknown[];
}

export interface CapturingDatabase {
  database: Database;
  /** statements are pushed here while it is not null */
  state: { sink: Captured[] | null };
}

export function capturingDatabase(
  temp: Pick<TempDatabase, "provider" | "url">,
  options: { poolSize?: number } = {},
): CapturingDatabase {
  const state: CapturingDatabase["state"] = { sink: null };
  const log = [{ emit: "event" as const, level: "query" as const }];
  const onQuery = (e: { query: string; params: string }) => {
    state.sink?.push({ sql: e.query, params: JSON.parse(e.params) as unknown[] });
  };
  let prisma: Database["prisma"];
  // the app's write tracking too: what it caches between updates is what production caches
  const writes = new WriteTracker();
  if (temp.provider === "postgres") {
    const client = new PostgresClient({
      adapter: trackWrites(
        new PrismaPg({ connectionString: temp.url, max: options.poolSize ?? 4 }),
        writes,
      ),
      ...CLIENT_OPTIONS,
      log,
    });
    client.$on("query", onQuery);
    // same models and fields (see src/db/client.ts)
    prisma = client as unknown as Database["prisma"];
  } else {
    const client = new SqliteClient({
      adapter: trackWrites(new SerializedSqliteAdapterFactory(temp.url), writes),
      ...CLIENT_OPTIONS,
      log,
    });
    client.$on("query", onQuery);
    prisma = client;
  }
  const database: Database = {
    prisma,
    provider: temp.provider,
    url: temp.url,
    writes,
    close: () => prisma.$disconnect(),
  };
  return { database, state };
}

/** Transaction markers, which are not statements of their own. */
export function isTransactionMarker(sql: string): boolean {
  return /^\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)\b/i.test(sql);
}

/**
 * One statement in a short, comparable form: no schema prefix or identifier quotes, column and
 * value lists folded to "…", so the same query always reads the same whatever its parameters.
 */
export function normalizeSql(sql: string): string {
  return sql
    .replace(/[`"]main[`"]\./g, "")
    .replace(/[`"]/g, "")
    .replace(/\s+/g, " ")
    .replace(/^SELECT (DISTINCT )?.+? FROM /i, "SELECT $1… FROM ")
    .replace(
      /^INSERT INTO (\S+) \(.*?\) VALUES .*?( RETURNING| ON CONFLICT|$)/i,
      "INSERT INTO $1 (…) VALUES (…)$2",
    )
    .replace(/ RETURNING .*$/i, " RETURNING …")
    .replace(/ IN \((?:[?$\d, ]+)\)/gi, " IN (…)")
    .trim();
}
