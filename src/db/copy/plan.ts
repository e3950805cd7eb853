// The order tables are copied in: every table after the tables its foreign keys point at, so
// each row's parents exist when it is inserted and the constraints stay on for the whole copy.
//
// A foreign key that points back at its own table (users.approvedById) or closes a cycle cannot
// be satisfied by any table order. Such a key is "deferred": its columns are inserted as NULL and
// set by an UPDATE once every table is in. That needs the key's columns to be nullable and the
// table to have a primary key; otherwise the plan is refused with the reason.
import type { ForeignKey, SourceTable } from "./catalog.ts";

export interface CopyPlan {
  /** tables in insertion order */
  tables: SourceTable[];
  /** foreign keys whose columns are filled in after all rows are inserted */
  deferred: ForeignKey[];
}

function describe(fk: ForeignKey): string {
  return `${fk.table}(${fk.columns.join(", ")}) → ${fk.refTable}`;
}

function deferrable(fk: ForeignKey, table: SourceTable): boolean {
  return table.primaryKey.length > 0 && fk.columns.every((c) => !table.notNull.has(c));
}

export function planCopy(tables: SourceTable[]): CopyPlan {
  const byName = new Map(tables.map((t) => [t.name, t]));
  const deferred: ForeignKey[] = [];
  // edges still to satisfy: child table → the foreign keys it waits for
  const waiting = new Map<string, ForeignKey[]>();
  for (const t of tables) {
    const keys: ForeignKey[] = [];
    for (const fk of t.foreignKeys) {
      if (!byName.has(fk.refTable)) {
        throw new Error(`${describe(fk)}: the referenced table does not exist`);
      }
      if (fk.refTable === t.name) {
        if (!deferrable(fk, t)) {
          throw new Error(
            `${describe(fk)} references its own table ` +
              (t.primaryKey.length === 0
                ? "and the table has no primary key"
                : "with NOT NULL columns"),
          );
        }
        deferred.push(fk);
      } else {
        keys.push(fk);
      }
    }
    waiting.set(t.name, keys);
  }

  const ordered: SourceTable[] = [];
  const placed = new Set<string>();
  while (ordered.length < tables.length) {
    // alphabetical among the ready ones: the same schema always gives the same plan
    const ready = tables
      .filter((t) => !placed.has(t.name))
      .filter((t) => waiting.get(t.name)!.every((fk) => placed.has(fk.refTable)))
      .map((t) => t.name)
      .sort();
    if (ready.length > 0) {
      for (const name of ready) {
        ordered.push(byName.get(name)!);
        placed.add(name);
      }
      continue;
    }
    // a cycle: defer one nullable key that closes it (the first in a stable order)
    const candidates = tables
      .filter((t) => !placed.has(t.name))
      .flatMap((t) =>
        waiting
          .get(t.name)!
          .filter((fk) => !placed.has(fk.refTable) && deferrable(fk, t))
          .map((fk) => ({ t, fk })),
      )
      .sort((a, b) => describe(a.fk).localeCompare(describe(b.fk)));
    const pick = candidates[0];
    if (!pick) {
      const stuck = tables.filter((t) => !placed.has(t.name)).map((t) => t.name);
      throw new Error(
        `foreign keys form a cycle with NOT NULL columns only, no order works: ${stuck.join(", ")}`,
      );
    }
    waiting.set(
      pick.t.name,
      waiting.get(pick.t.name)!.filter((fk) => fk !== pick.fk),
    );
    deferred.push(pick.fk);
  }
  return { tables: ordered, deferred };
}
