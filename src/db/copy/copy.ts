// Copies a TradeDesk SQLite database into an empty PostgreSQL database (npm run db:copy), then
// verifies the copy (see verify.ts).
//
// Raw drivers on both sides (better-sqlite3, node-postgres) rather than the Prisma clients: the
// copy must move every column exactly as stored, for every table, without a model list to keep;
// table and column metadata come from the databases' own catalogs. Rows go in batches of
// multi-row INSERTs, every parameter cast to its column's exact type, all inside one
// transaction: a failure leaves the target as empty as it was, so the copy can simply be re-run.
// The source is read inside one read transaction (a WAL snapshot): the copy and its
// verification see the same rows even if something writes meanwhile. Stop the bot first anyway,
// or the writes made after the snapshot stay behind in SQLite.
import type pg from "pg";
import { redactUrl } from "../../lib/redact-url.ts";
import { applyMigrations } from "../migrate.ts";
import { resolveDatabaseUrl, sqlitePath } from "../url.ts";
import { postgresTables, sqliteTables } from "./catalog.ts";
import { connectTarget, openSource } from "./connections.ts";
import { type CopyPlan, planCopy } from "./plan.ts";
import {
  CopyRefusedError,
  checkSameSchema,
  checkSourceIntegrity,
  countRows,
  nonEmptyTables,
} from "./preflight.ts";
import { type DeferredRows, copyTable, fillDeferred, resetSequences } from "./table-copy.ts";
import { type VerifyReport, describeKey, verifyTables } from "./verify.ts";

export { CopyRefusedError } from "./preflight.ts";

const DEFAULT_BATCH_ROWS = 1000;

export interface CopyOptions {
  /** the SQLite database (DATABASE_URL) */
  sourceUrl: string;
  /** postgresql://… of an empty database */
  targetUrl: string;
  /** rows per INSERT (default 1000; fewer when a table is wide) */
  batchRows?: number;
  /** plan and count only: nothing is written anywhere */
  dryRun?: boolean;
  log?: (line: string) => void;
}

export interface CopyReport {
  dryRun: boolean;
  /** the target had no tables and was migrated (or would be, in a dry run) */
  migrated: boolean;
  /** tables in copy order with their source row counts */
  tables: { table: string; rows: number }[];
  deferred: string[];
  /** absent in a dry run */
  verification?: VerifyReport;
}

function printPlan(
  log: (line: string) => void,
  plan: CopyPlan,
  counts: Map<string, number>,
  migrate: boolean,
) {
  const width = Math.max(...plan.tables.map((t) => t.name.length));
  log(
    migrate
      ? "target: no tables yet; it is migrated first (prisma migrate deploy)"
      : "target: migrated and empty",
  );
  log("tables in copy order (parents before the tables that reference them):");
  plan.tables.forEach((t, i) => {
    log(`${String(i + 1).padStart(3)}. ${t.name.padEnd(width)} ${counts.get(t.name)} rows`);
  });
  for (const fk of plan.deferred) log(`deferred (set after all rows are in): ${describeKey(fk)}`);
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  log(`total: ${total} rows in ${plan.tables.length} tables`);
}

function formatVerification(report: VerifyReport): string[] {
  const lines: string[] = [];
  const width = Math.max(...report.tables.map((t) => t.table.length));
  for (const t of report.tables) {
    const rows =
      t.sourceRows === t.targetRows ? `${t.sourceRows}` : `${t.sourceRows} ≠ ${t.targetRows}`;
    const sum = t.sourceChecksum === t.targetChecksum ? "checksum equal" : "CHECKSUM DIFFERS";
    lines.push(`${t.ok ? "ok  " : "FAIL"} ${t.table.padEnd(width)} ${rows} rows, ${sum}`);
  }
  for (const b of report.brokenForeignKeys) {
    lines.push(`FAIL foreign key ${b.key}: ${b.rows} rows point at nothing`);
  }
  for (const s of report.staleSequences) {
    lines.push(`FAIL sequence ${s.sequence} at ${s.lastValue}, below the largest id ${s.max}`);
  }
  lines.push(report.ok ? "verification passed" : "VERIFICATION FAILED");
  return lines;
}

export async function copyDatabase(options: CopyOptions): Promise<CopyReport> {
  const log = options.log ?? (() => {});
  const batchRows = options.batchRows ?? DEFAULT_BATCH_ROWS;
  if (!Number.isInteger(batchRows) || batchRows < 1) {
    throw new CopyRefusedError(`--batch must be a positive whole number, got ${batchRows}`);
  }
  const source = openSource(options.sourceUrl);
  let client: pg.Client | null = null;
  try {
    // one snapshot for the plan, the copy and the verification
    source.exec("BEGIN");
    checkSourceIntegrity(source);
    const tables = sqliteTables(source);
    if (tables.length === 0) {
      throw new CopyRefusedError("the SQLite database has no tables: nothing to copy");
    }
    const plan = planCopy(tables);
    const counts = new Map(plan.tables.map((t) => [t.name, countRows(source, t.name)]));

    client = await connectTarget(options.targetUrl);
    let target = await postgresTables(client);
    const migrate = target.size === 0;
    if (!migrate) {
      checkSameSchema(tables, target);
      const full = await nonEmptyTables(client, target.keys());
      if (full.length > 0) {
        throw new CopyRefusedError(
          `the target database is not empty (rows in ${full.join(", ")}); db:copy only fills ` +
            `an empty database, so nothing was written. Create a new database, or drop and ` +
            `recreate this one, and run db:copy again.`,
        );
      }
    }
    log(`source: ${sqlitePath(resolveDatabaseUrl(options.sourceUrl))}`);
    log(`target: ${redactUrl(options.targetUrl)}`);
    printPlan(log, plan, counts, migrate);
    const tableCounts = plan.tables.map((t) => ({ table: t.name, rows: counts.get(t.name)! }));
    const deferred = plan.deferred.map(describeKey);
    if (options.dryRun) {
      log("dry run: nothing was written");
      return { dryRun: true, migrated: migrate, tables: tableCounts, deferred };
    }

    if (migrate) {
      log("migrating the target…");
      await applyMigrations(options.targetUrl);
      target = await postgresTables(client);
      checkSameSchema(tables, target);
    }

    const started = Date.now();
    await client.query("BEGIN");
    try {
      const held: DeferredRows[] = [];
      for (const table of plan.tables) {
        const t0 = Date.now();
        const result = await copyTable(
          source,
          client,
          table,
          target.get(table.name)!,
          plan.deferred,
          batchRows,
        );
        held.push(...result.held);
        log(`copied ${table.name}: ${result.rows} rows (${Date.now() - t0} ms)`);
      }
      for (const h of held) await fillDeferred(client, h, target.get(h.fk.table)!, batchRows);
      await resetSequences(client, target);
      await client.query("COMMIT");
    } catch (e) {
      await client.query("ROLLBACK").catch(() => {});
      throw e;
    }
    log(`copy committed in ${Date.now() - started} ms; verifying…`);
    const verification = await verifyTables(source, client, plan.tables, target);
    for (const line of formatVerification(verification)) log(line);
    return { dryRun: false, migrated: migrate, tables: tableCounts, deferred, verification };
  } finally {
    if (source.inTransaction) source.exec("COMMIT");
    source.close();
    await client?.end();
  }
}

/** Verifies an earlier copy: the SQLite database against the PostgreSQL one, as they are now. */
export async function verifyCopy(sourceUrl: string, targetUrl: string): Promise<VerifyReport> {
  const source = openSource(sourceUrl);
  let client: pg.Client | null = null;
  try {
    source.exec("BEGIN");
    const tables = planCopy(sqliteTables(source)).tables;
    client = await connectTarget(targetUrl);
    const target = await postgresTables(client);
    checkSameSchema(tables, target);
    return await verifyTables(source, client, tables, target);
  } finally {
    if (source.inTransaction) source.exec("COMMIT");
    source.close();
    await client?.end();
  }
}
