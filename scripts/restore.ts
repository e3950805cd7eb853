// npm run restore -- FILE [--to PATH | --to postgresql://…] [--force]
//
// Puts a backup taken by `npm run backup` (or the bot's job) in place of the configured database
// (DATABASE_URL), or of --to. It refuses while a bot runs on that database, verifies the backup
// before touching anything (sha256; SQLite: gunzip + PRAGMA integrity_check; PostgreSQL:
// pg_restore --list), keeps the current database aside (SQLite: "<db>.before-restore-<time>",
// with its WAL; PostgreSQL with --force: a pg_dump beside the backup), and prints the row count
// of every restored table. PostgreSQL: only into an empty database, unless --force.
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { isPostgresUrl, isSqliteUrl, resolveDatabaseUrl, sqlitePath } from "../src/db/url.ts";
import { type RestoreResult, restorePostgres, restoreSqlite } from "../src/db/backup/restore.ts";

const USAGE = "usage: npm run restore -- FILE [--to PATH|postgresql://…] [--force]";

export function printResult(result: RestoreResult): void {
  console.log(`Restored into ${result.target}`);
  for (const file of result.keptAside) console.log(`previous database kept as ${file}`);
  const names = Object.keys(result.counts).sort();
  const width = Math.max(5, ...names.map((n) => n.length));
  console.log(`${"table".padEnd(width)}  rows`);
  for (const name of names) console.log(`${name.padEnd(width)}  ${result.counts[name]}`);
}

async function main(): Promise<number> {
  if (fs.existsSync(".env")) process.loadEnvFile(".env");
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: { to: { type: "string" }, force: { type: "boolean", default: false } },
    });
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  const [file, ...extra] = parsed.positionals;
  if (!file || extra.length) {
    console.error(USAGE);
    return 2;
  }
  if (!fs.existsSync(file)) {
    console.error(`no such backup file: ${file}`);
    return 2;
  }
  const to = parsed.values.to;
  const target = to
    ? isPostgresUrl(to) || isSqliteUrl(to)
      ? resolveDatabaseUrl(to)
      : `file:${path.resolve(to)}`
    : resolveDatabaseUrl(process.env.DATABASE_URL);
  try {
    const result = isPostgresUrl(target)
      ? await restorePostgres(file, target, { force: parsed.values.force })
      : await restoreSqlite(file, sqlitePath(target));
    printResult(result);
    return 0;
  } catch (e) {
    console.error(`Restore refused or failed: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
