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
import Sqlite from "better-sqlite3";
import pg from "pg";
import { redactUrl } from "../../lib/redact-url.ts";
import { applyMigrations } from "../migrate.ts";
import { isPostgresUrl, isSqliteUrl, resolveDatabaseUrl, sqlitePath } from "../url.ts";
import {
  type ForeignKey,
  type SourceTable,
  type TargetTable,
  postgresTables,
  quoteIdent,
  sqliteTables,
} from "./catalog.ts";
import { type CopyPlan, planCopy } from "./plan.ts";
import { type SqliteValue, ValueError, toPgParam } from "./values.ts";
import { type VerifyReport, describeKey, verifyTables } from "./verify.ts";

/** PostgreSQL's limit on bind parameters in one statement. */
const MAX_PARAMS = 65_535;
export const DEFAULT_BATCH_ROWS = 1000;

/** The copy cannot start (wrong URLs, a non-empty or mismatched target, a broken source). */
export class CopyRefusedError extends Error {}

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

function checkSameSchema(tables: SourceTable[], target: Map<string, TargetTable>): void {
  const problems: string[] = [];
  const sourceNames = new Set(tables.map((t) => t.name));
  for (const t of tables) {
    const tt = target.get(t.name);
    if (!tt) {
      problems.push(`table ${t.name} is missing on the target`);
      continue;
    }
    for (const c of t.columns) {
      if (!tt.columns.has(c)) problems.push(`column ${t.name}.${c} is missing on the target`);
    }
    for (const c of tt.columns.keys()) {
      if (!t.columns.includes(c)) problems.push(`column ${t.name}.${c} is missing in SQLite`);
    }
  }
  for (const name of target.keys()) {
    if (!sourceNames.has(name)) problems.push(`table ${name} is missing in SQLite`);
  }
  if (problems.length > 0) {
    throw new CopyRefusedError(
      `the two databases are not on the same schema version (start the bot once on the SQLite ` +
        `database, or run npm run db:deploy on both, then try again):\n  ${problems.join("\n  ")}`,
    );
  }
}

async function nonEmptyTables(client: pg.ClientBase, tables: Iterable<string>): Promise<string[]> {
  const full: string[] = [];
  for (const name of tables) {
    const { rows } = await client.query<{ any: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM ${quoteIdent(name)}) AS any`,
    );
    if (rows[0]!.any) full.push(name);
  }
  return full;
}

function checkSourceIntegrity(source: Sqlite.Database): void {
  const broken = source.pragma("foreign_key_check") as { table: string; parent: string }[];
  if (broken.length > 0) {
    const sample = broken
      .slice(0, 5)
      .map((b) => `${b.table} → ${b.parent}`)
      .join(", ");
    throw new CopyRefusedError(
      `the SQLite database has ${broken.length} rows whose foreign keys point at nothing ` +
        `(${sample}); PostgreSQL would refuse them`,
    );
  }
}

function countRows(source: Sqlite.Database, table: string): number {
  return Number(
    source
      .prepare(`SELECT count(*) FROM ${quoteIdent(table)}`)
      .pluck()
      .get() as bigint,
  );
}

/** NUMERIC(p, s)'s digits, or null when the column takes any. */
function numericLimits(sqlType: string): { integer: number; scale: number } | null {
  const m = /^numeric\((\d+),\s*(\d+)\)$/.exec(sqlType);
  return m ? { integer: Number(m[1]) - Number(m[2]), scale: Number(m[2]) } : null;
}

/**
 * PostgreSQL would round a value with more decimal places than the column's scale: refuse it
 * before anything is written, naming the row, rather than copy it inexactly.
 */
function checkFits(normalized: string, limits: { integer: number; scale: number }): void {
  const [int = "", frac = ""] = normalized.replace(/^-/, "").split(".");
  if (frac.length > limits.scale) {
    throw new ValueError(`${normalized} has more than ${limits.scale} decimal places`);
  }
  if (int.replace(/^0+/, "").length > limits.integer) {
    throw new ValueError(`${normalized} has more than ${limits.integer} integer digits`);
  }
}

/** Rows held back for a deferred key: the row's primary key and the key's values. */
interface DeferredRows {
  fk: ForeignKey;
  primaryKey: string[];
  rows: unknown[][];
}

async function copyTable(
  source: Sqlite.Database,
  client: pg.ClientBase,
  table: SourceTable,
  target: TargetTable,
  deferred: ForeignKey[],
  batchRows: number,
): Promise<{ rows: number; held: DeferredRows[] }> {
  const columns = table.columns;
  const targetColumns = columns.map((c) => target.columns.get(c)!);
  const mine = deferred.filter((fk) => fk.table === table.name);
  const heldIndex = new Set(mine.flatMap((fk) => fk.columns.map((c) => columns.indexOf(c))));
  const held: DeferredRows[] = mine.map((fk) => ({ fk, primaryKey: table.primaryKey, rows: [] }));
  const pkIndex = table.primaryKey.map((c) => columns.indexOf(c));
  const limits = targetColumns.map((c) => (c.kind === "decimal" ? numericLimits(c.sqlType) : null));
  const perBatch = Math.max(1, Math.min(batchRows, Math.floor(MAX_PARAMS / columns.length)));
  const sqlFor = (n: number) => {
    const tuples: string[] = [];
    for (let r = 0; r < n; r++) {
      const ps = targetColumns.map((c, i) => `$${r * columns.length + i + 1}::${c.sqlType}`);
      tuples.push(`(${ps.join(", ")})`);
    }
    return `INSERT INTO ${quoteIdent(table.name)} (${columns.map(quoteIdent).join(", ")}) VALUES ${tuples.join(", ")}`;
  };
  const fullBatchSql = sqlFor(perBatch);
  let params: unknown[] = [];
  let inBatch = 0;
  let total = 0;
  const flush = async () => {
    if (inBatch === 0) return;
    await client.query(inBatch === perBatch ? fullBatchSql : sqlFor(inBatch), params);
    total += inBatch;
    params = [];
    inBatch = 0;
  };
  // rowid order: the order the rows were written in, so ids and sequences read naturally
  const stmt = source
    .prepare(
      `SELECT ${columns.map(quoteIdent).join(", ")} FROM ${quoteIdent(table.name)} ORDER BY rowid`,
    )
    .raw(true);
  let rowNumber = 0;
  for (const row of stmt.iterate() as IterableIterator<SqliteValue[]>) {
    rowNumber++;
    for (let i = 0; i < row.length; i++) {
      if (heldIndex.has(i)) {
        params.push(null);
        continue;
      }
      try {
        const value = toPgParam(targetColumns[i]!.kind, row[i]!);
        const limit = limits[i];
        if (typeof value === "string" && limit) checkFits(value, limit);
        params.push(value);
      } catch (e) {
        if (e instanceof ValueError || e instanceof SyntaxError) {
          throw new CopyRefusedError(
            `${table.name}.${columns[i]} (row ${rowNumber}): ${e.message}; nothing was copied`,
          );
        }
        throw e;
      }
    }
    for (const h of held) {
      const values = h.fk.columns.map((c) => row[columns.indexOf(c)]!);
      if (values.some((v) => v !== null)) {
        const kinds = h.fk.columns.map((c) => target.columns.get(c)!.kind);
        h.rows.push([
          ...pkIndex.map((p) => toPgParam(targetColumns[p]!.kind, row[p]!)),
          ...values.map((v, i) => toPgParam(kinds[i]!, v)),
        ]);
      }
    }
    inBatch++;
    if (inBatch === perBatch) await flush();
  }
  await flush();
  return { rows: total, held };
}

async function fillDeferred(
  client: pg.ClientBase,
  held: DeferredRows,
  target: TargetTable,
  batchRows: number,
): Promise<void> {
  const keyCols = [...held.primaryKey, ...held.fk.columns];
  const types = keyCols.map((c) => target.columns.get(c)!.sqlType);
  const perBatch = Math.max(1, Math.min(batchRows, Math.floor(MAX_PARAMS / keyCols.length)));
  const alias = keyCols.map((_, i) => `c${i}`);
  for (let start = 0; start < held.rows.length; start += perBatch) {
    const chunk = held.rows.slice(start, start + perBatch);
    const tuples = chunk.map(
      (_, r) => `(${types.map((t, i) => `$${r * keyCols.length + i + 1}::${t}`).join(", ")})`,
    );
    const pk = held.primaryKey.length;
    await client.query(
      `UPDATE ${quoteIdent(held.fk.table)} t
          SET ${held.fk.columns.map((c, i) => `${quoteIdent(c)} = v.c${pk + i}`).join(", ")}
         FROM (VALUES ${tuples.join(", ")}) AS v(${alias.join(", ")})
        WHERE ${held.primaryKey.map((c, i) => `t.${quoteIdent(c)} = v.c${i}`).join(" AND ")}`,
      chunk.flat(),
    );
  }
}

async function resetSequences(client: pg.ClientBase, tables: Map<string, TargetTable>) {
  for (const table of tables.values()) {
    for (const column of table.columns.values()) {
      if (!column.sequence) continue;
      // the next id is max + 1; an empty table starts again at 1
      await client.query(
        `SELECT setval($1::regclass, COALESCE(m, 1), m IS NOT NULL)
           FROM (SELECT max(${quoteIdent(column.name)})::bigint AS m FROM ${quoteIdent(table.name)}) x`,
        [column.sequence],
      );
    }
  }
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

export function formatVerification(report: VerifyReport): string[] {
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
