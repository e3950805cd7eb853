// Moving rows: one table in batches of multi-row INSERTs with every parameter cast to its
// column's exact type (values PostgreSQL would round are refused), the foreign keys held back
// until every row is in, and the id sequences moved past the copied ids.
import type Sqlite from "better-sqlite3";
import type pg from "pg";
import { type ForeignKey, type SourceTable, type TargetTable, quoteIdent } from "./catalog.ts";
import { CopyRefusedError } from "./preflight.ts";
import { type SqliteValue, ValueError, toPgParam } from "./values.ts";

/** PostgreSQL's limit on bind parameters in one statement. */
const MAX_PARAMS = 65_535;
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
export interface DeferredRows {
  fk: ForeignKey;
  primaryKey: string[];
  rows: unknown[][];
}

export async function copyTable(
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

export async function fillDeferred(
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

export async function resetSequences(client: pg.ClientBase, tables: Map<string, TargetTable>) {
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
