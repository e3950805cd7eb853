// The tables, columns, keys and foreign keys of both databases, read from their own catalogs
// (SQLite's pragmas, PostgreSQL's pg_catalog), so a new model is copied without any list to keep.
import type Sqlite from "better-sqlite3";
import type pg from "pg";
import { type ColumnKind, kindOf } from "./values.ts";

/** Prisma's migration history: each side keeps its own (its migrations folder differs). */
export const MIGRATIONS_TABLE = "_prisma_migrations";

export interface ForeignKey {
  table: string;
  columns: string[];
  refTable: string;
  refColumns: string[];
}

export interface SourceTable {
  name: string;
  columns: string[];
  /** columns declared NOT NULL */
  notNull: Set<string>;
  /** primary key columns, in key order (empty when the table has none) */
  primaryKey: string[];
  foreignKeys: ForeignKey[];
}

export function sqliteTables(db: Sqlite.Database): SourceTable[] {
  const names = db
    .prepare(
      `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
       AND name <> ? ORDER BY name`,
    )
    .pluck()
    .safeIntegers(false)
    .all(MIGRATIONS_TABLE) as string[];
  return names.map((name) => {
    const info = db
      .prepare(`PRAGMA table_info(${quoteIdent(name)})`)
      .safeIntegers(false)
      .all() as {
      name: string;
      notnull: number;
      pk: number;
    }[];
    const fks = db
      .prepare(`PRAGMA foreign_key_list(${quoteIdent(name)})`)
      .safeIntegers(false)
      .all() as { id: number; seq: number; table: string; from: string; to: string | null }[];
    const byId = new Map<number, ForeignKey>();
    for (const fk of fks.sort((a, b) => a.id - b.id || a.seq - b.seq)) {
      let entry = byId.get(fk.id);
      if (!entry) {
        entry = { table: name, columns: [], refTable: fk.table, refColumns: [] };
        byId.set(fk.id, entry);
      }
      entry.columns.push(fk.from);
      // `to` is null when the key references the parent's primary key implicitly
      entry.refColumns.push(fk.to ?? "");
    }
    const primaryKey = info
      .filter((c) => c.pk > 0)
      .sort((a, b) => a.pk - b.pk)
      .map((c) => c.name);
    return {
      name,
      columns: info.map((c) => c.name),
      notNull: new Set(info.filter((c) => c.notnull || c.pk > 0).map((c) => c.name)),
      primaryKey,
      foreignKeys: [...byId.values()],
    };
  });
}

export interface TargetColumn {
  name: string;
  /** format_type(): the exact SQL type, used to cast parameters */
  sqlType: string;
  kind: ColumnKind;
  /** the sequence behind a serial / autoincrement column */
  sequence: string | null;
}

export interface TargetTable {
  name: string;
  columns: Map<string, TargetColumn>;
}

/** The tables of the target's current schema (without Prisma's migration history). */
export async function postgresTables(client: pg.ClientBase): Promise<Map<string, TargetTable>> {
  const { rows } = await client.query<{
    table: string;
    column: string;
    sql_type: string;
    typname: string;
    typtype: string;
    sequence: string | null;
  }>(
    `SELECT c.relname AS table, a.attname AS column, format_type(a.atttypid, a.atttypmod) AS sql_type,
            t.typname, t.typtype::text AS typtype,
            pg_get_serial_sequence(format('%I.%I', n.nspname, c.relname), a.attname) AS sequence
       FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
       JOIN pg_type t ON t.oid = a.atttypid
      WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND c.relname <> $1
      ORDER BY c.relname, a.attnum`,
    [MIGRATIONS_TABLE],
  );
  const tables = new Map<string, TargetTable>();
  for (const r of rows) {
    let table = tables.get(r.table);
    if (!table) {
      table = { name: r.table, columns: new Map() };
      tables.set(r.table, table);
    }
    table.columns.set(r.column, {
      name: r.column,
      sqlType: r.sql_type,
      kind: kindOf(r.typname, r.typtype),
      sequence: r.sequence,
    });
  }
  return tables;
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
