// Proof that a copy is faithful: per table, the row count and an order-independent checksum of
// the canonical text of every row are equal on SQLite and PostgreSQL, every foreign key holds on
// the target, and every sequence would hand out an id above the largest one copied.
//
// A row's canonical text is the JSON array of its values in column-name order, each as text:
// decimals normalized ("1.50" and NUMERIC's "1.500000000000000000" are both "1.5"), timestamps as
// ISO-8601 UTC with milliseconds, JSON with sorted keys and exact numbers, booleans true/false,
// bytes in base64, NULL as null. The table's checksum is the sum modulo 2^256 of the SHA-256 of
// its rows, so it does not depend on the order the rows are read in.
import { createHash } from "node:crypto";
import type Sqlite from "better-sqlite3";
import type pg from "pg";
import { type ForeignKey, type SourceTable, type TargetTable, quoteIdent } from "./catalog.ts";
import { type SqliteValue, canonicalPg, canonicalSqlite } from "./values.ts";

const MOD = 1n << 256n;
const FETCH_ROWS = 5000;

export interface TableCheck {
  table: string;
  sourceRows: number;
  targetRows: number;
  sourceChecksum: string;
  targetChecksum: string;
  ok: boolean;
}

export interface VerifyReport {
  ok: boolean;
  tables: TableCheck[];
  /** foreign keys with rows on the target that point at nothing */
  brokenForeignKeys: { key: string; rows: number }[];
  /** sequences whose next value would collide with a copied id */
  staleSequences: { sequence: string; lastValue: string; max: string }[];
}

class Checksum {
  private sum = 0n;
  rows = 0;
  add(values: (string | null)[]): void {
    const digest = createHash("sha256").update(JSON.stringify(values)).digest("hex");
    this.sum = (this.sum + BigInt(`0x${digest}`)) % MOD;
    this.rows++;
  }
  hex(): string {
    return this.sum.toString(16).padStart(64, "0");
  }
}

// every value in PostgreSQL's text form, parsed by canonicalPg instead of node-postgres
const RAW_TEXT = { getTypeParser: () => (v: string) => v } as unknown as pg.CustomTypesConfig;

function sourceChecksum(source: Sqlite.Database, table: SourceTable, target: TargetTable) {
  const columns = [...table.columns].sort();
  const kinds = columns.map((c) => target.columns.get(c)!.kind);
  const sum = new Checksum();
  const stmt = source
    .prepare(`SELECT ${columns.map(quoteIdent).join(", ")} FROM ${quoteIdent(table.name)}`)
    .raw(true);
  for (const row of stmt.iterate() as IterableIterator<SqliteValue[]>) {
    sum.add(row.map((v, i) => canonicalSqlite(kinds[i]!, v)));
  }
  return sum;
}

async function targetChecksum(client: pg.ClientBase, table: SourceTable, target: TargetTable) {
  const columns = [...table.columns].sort();
  const kinds = columns.map((c) => target.columns.get(c)!.kind);
  const sum = new Checksum();
  await client.query(
    `DECLARE verify_rows NO SCROLL CURSOR FOR SELECT ${columns.map(quoteIdent).join(", ")}
       FROM ${quoteIdent(table.name)}`,
  );
  for (;;) {
    const { rows } = await client.query<(string | null)[]>({
      text: `FETCH FORWARD ${FETCH_ROWS} FROM verify_rows`,
      rowMode: "array",
      types: RAW_TEXT,
    });
    for (const row of rows) sum.add(row.map((v, i) => canonicalPg(kinds[i]!, v)));
    if (rows.length < FETCH_ROWS) break;
  }
  await client.query("CLOSE verify_rows");
  return sum;
}

function refColumns(fk: ForeignKey, tables: Map<string, SourceTable>): string[] {
  const parentKey = tables.get(fk.refTable)?.primaryKey ?? [];
  return fk.refColumns.map((c, i) => c || parentKey[i]!);
}

export function describeKey(fk: ForeignKey): string {
  return `${fk.table}(${fk.columns.join(", ")}) → ${fk.refTable}`;
}

/**
 * Compares the source and the target table by table. Reads the target in a read-only
 * transaction of its own; the caller decides the source's snapshot (db:copy keeps the one it
 * copied from).
 */
export async function verifyTables(
  source: Sqlite.Database,
  client: pg.ClientBase,
  tables: SourceTable[],
  targetTables: Map<string, TargetTable>,
): Promise<VerifyReport> {
  const checks: TableCheck[] = [];
  const brokenForeignKeys: VerifyReport["brokenForeignKeys"] = [];
  const staleSequences: VerifyReport["staleSequences"] = [];
  const byName = new Map(tables.map((t) => [t.name, t]));
  await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  try {
    for (const table of tables) {
      const target = targetTables.get(table.name);
      if (!target) throw new Error(`table ${table.name} is missing on the target`);
      const s = sourceChecksum(source, table, target);
      const t = await targetChecksum(client, table, target);
      checks.push({
        table: table.name,
        sourceRows: s.rows,
        targetRows: t.rows,
        sourceChecksum: s.hex(),
        targetChecksum: t.hex(),
        ok: s.rows === t.rows && s.hex() === t.hex(),
      });
    }
    for (const table of tables) {
      for (const fk of table.foreignKeys) {
        const parent = refColumns(fk, byName);
        const child = fk.columns.map((c) => `c.${quoteIdent(c)}`);
        // MATCH SIMPLE, as the constraints are declared: a key with a NULL column is not checked
        const { rows } = await client.query<{ n: string }>(
          `SELECT count(*) AS n FROM ${quoteIdent(fk.table)} c
            WHERE ${child.map((c) => `${c} IS NOT NULL`).join(" AND ")}
              AND NOT EXISTS (SELECT 1 FROM ${quoteIdent(fk.refTable)} p
                               WHERE ${parent.map((p, i) => `p.${quoteIdent(p)} = ${child[i]}`).join(" AND ")})`,
        );
        const n = Number(rows[0]!.n);
        if (n > 0) brokenForeignKeys.push({ key: describeKey(fk), rows: n });
      }
    }
    for (const target of targetTables.values()) {
      for (const column of target.columns.values()) {
        if (!column.sequence) continue;
        const { rows } = await client.query<{ last: string; called: boolean; max: string | null }>(
          `SELECT s.last_value::text AS last, s.is_called AS called,
                  (SELECT max(${quoteIdent(column.name)})::text FROM ${quoteIdent(target.name)}) AS max
             FROM ${column.sequence} s`,
        );
        const r = rows[0]!;
        if (r.max === null) continue;
        // the next id handed out is last_value + 1 once called, last_value before
        const next = BigInt(r.last) + (r.called ? 1n : 0n);
        if (next <= BigInt(r.max)) {
          staleSequences.push({ sequence: column.sequence, lastValue: r.last, max: r.max });
        }
      }
    }
  } finally {
    await client.query("ROLLBACK");
  }
  return {
    ok: checks.every((c) => c.ok) && brokenForeignKeys.length === 0 && staleSequences.length === 0,
    tables: checks,
    brokenForeignKeys,
    staleSequences,
  };
}
