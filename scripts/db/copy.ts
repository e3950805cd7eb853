// npm run db:copy -- --to postgresql://user@host/db [--dry-run] [--batch N]
//
// Copies the SQLite database DATABASE_URL points at (default ./data/tradedesk.db) into an empty
// PostgreSQL database, migrating it first when it has no tables, then verifies the copy table by
// table (src/db/copy/). Exit codes: 0 copied and verified (or dry run), 1 verification failed or
// an unexpected error, 2 refused before anything was written (bad arguments, non-empty target).
import fs from "node:fs";
import { parseArgs } from "node:util";
import { CopyRefusedError, copyDatabase } from "../../src/db/copy/copy.ts";
import { resolveDatabaseUrl } from "../../src/db/url.ts";

// a .env file in the working directory, as the bot reads it (real environment variables win)
if (fs.existsSync(".env")) process.loadEnvFile(".env");

const USAGE = "usage: npm run db:copy -- --to postgresql://… [--dry-run] [--batch N]";

function fail(message: string, code: number): never {
  console.error(message);
  process.exit(code);
}

let values: { to?: string; "dry-run"?: boolean; batch?: string; help?: boolean };
try {
  ({ values } = parseArgs({
    options: {
      to: { type: "string" },
      "dry-run": { type: "boolean" },
      batch: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  }));
} catch (e) {
  fail(`${(e as Error).message}\n${USAGE}`, 2);
}
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
if (!values.to) fail(`--to is required\n${USAGE}`, 2);
let batchRows: number | undefined;
if (values.batch !== undefined) {
  batchRows = Number(values.batch);
  if (!/^\d+$/.test(values.batch) || batchRows < 1) {
    fail(`--batch must be a positive whole number, got "${values.batch}"`, 2);
  }
}

try {
  const report = await copyDatabase({
    sourceUrl: resolveDatabaseUrl(process.env.DATABASE_URL),
    targetUrl: values.to,
    dryRun: values["dry-run"] ?? false,
    ...(batchRows ? { batchRows } : {}),
    log: (line) => console.log(line),
  });
  if (report.verification && !report.verification.ok) process.exit(1);
} catch (e) {
  if (e instanceof CopyRefusedError) fail(`db:copy refused: ${e.message}`, 2);
  console.error(e);
  process.exit(1);
}
