// Opening both ends of a copy: the SQLite source read-only with exact integers, the PostgreSQL
// target in UTC. Either refuses with a message that never shows a password.
import Sqlite from "better-sqlite3";
import pg from "pg";
import { redactUrl } from "../../lib/redact-url.ts";
import { isPostgresUrl, isSqliteUrl, resolveDatabaseUrl, sqlitePath } from "../url.ts";
import { CopyRefusedError } from "./preflight.ts";

export function openSource(url: string): Sqlite.Database {
  const resolved = resolveDatabaseUrl(url);
  if (!isSqliteUrl(resolved)) {
    throw new CopyRefusedError(
      `the source must be a SQLite database (DATABASE_URL=file:…), got ${redactUrl(resolved)}`,
    );
  }
  let db: Sqlite.Database;
  try {
    db = new Sqlite(sqlitePath(resolved), { readonly: true, fileMustExist: true });
  } catch (e) {
    throw new CopyRefusedError(`cannot open the SQLite database ${sqlitePath(resolved)}: ${e}`);
  }
  // exact integers whatever their size; better-sqlite3 would round past 2^53 otherwise
  db.defaultSafeIntegers(true);
  return db;
}

export async function connectTarget(url: string): Promise<pg.Client> {
  if (!isPostgresUrl(url)) {
    throw new CopyRefusedError(`--to must be a postgresql:// URL, got ${redactUrl(url)}`);
  }
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
  } catch (e) {
    throw new CopyRefusedError(`cannot connect to ${redactUrl(url)}: ${(e as Error).message}`);
  }
  // timestamptz values read back in UTC (verification compares their text)
  await client.query("SET TIME ZONE 'UTC'");
  return client;
}
