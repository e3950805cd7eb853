// What is checked before a copy writes anything: the source's foreign keys hold, both databases
// are on the same schema, the target is empty; and the source's row counts for the plan.
import type Sqlite from "better-sqlite3";
import type pg from "pg";
import { type SourceTable, type TargetTable, quoteIdent } from "./catalog.ts";

/** The copy cannot start (wrong URLs, a non-empty or mismatched target, a broken source). */
export class CopyRefusedError extends Error {}

export function checkSameSchema(tables: SourceTable[], target: Map<string, TargetTable>): void {
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

export async function nonEmptyTables(
  client: pg.ClientBase,
  tables: Iterable<string>,
): Promise<string[]> {
  const full: string[] = [];
  for (const name of tables) {
    const { rows } = await client.query<{ any: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM ${quoteIdent(name)}) AS any`,
    );
    if (rows[0]!.any) full.push(name);
  }
  return full;
}

export function checkSourceIntegrity(source: Sqlite.Database): void {
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

export function countRows(source: Sqlite.Database, table: string): number {
  return Number(
    source
      .prepare(`SELECT count(*) FROM ${quoteIdent(table)}`)
      .pluck()
      .get() as bigint,
  );
}
