// A small reader of Prisma schema files: the scalar fields of every model, with their table
// (@@map), type, optionality, attributes and whether the line carries the `// @decimal` marker.
// Enough for the database tests to check the decimal convention and to find the decimal columns.
import fs from "node:fs";
import path from "node:path";
import { PROJECT_ROOT } from "../../src/db/migrate.ts";

export const SQLITE_SCHEMA_FILE = path.join(PROJECT_ROOT, "prisma/schema.prisma");
export const POSTGRES_SCHEMA_FILE = path.join(PROJECT_ROOT, "prisma/schema.postgres.prisma");

export interface SchemaField {
  model: string;
  table: string;
  field: string;
  /** the type without the optional marker: String, Decimal, Int, a model or enum name... */
  type: string;
  optional: boolean;
  list: boolean;
  /** the attributes after the type, without the trailing comment */
  attributes: string;
  /** the line ends with `// @decimal` */
  decimal: boolean;
}

const FIELD_LINE = /^\s+(\w+)\s+(\w+)(\[\])?(\?)?(.*)$/;

export function parseSchemaFields(source: string): SchemaField[] {
  const fields: SchemaField[] = [];
  let model: string | null = null;
  let table: string | null = null;
  let current: SchemaField[] = [];
  for (const line of source.split("\n")) {
    const open = /^model\s+(\w+)\s*\{/.exec(line);
    if (open) {
      model = open[1]!;
      table = model;
      current = [];
      continue;
    }
    if (!model) continue;
    if (/^\}/.test(line)) {
      for (const f of current) fields.push({ ...f, table: table ?? f.model });
      model = null;
      continue;
    }
    const map = /^\s+@@map\("([^"]+)"\)/.exec(line);
    if (map) table = map[1]!;
    if (/^\s*(\/\/|@@|$)/.test(line)) continue;
    const m = FIELD_LINE.exec(line);
    if (!m) continue;
    const [, field, type, list, optional, rest = ""] = m;
    const comment = rest.indexOf("//");
    current.push({
      model,
      table: model,
      field: field!,
      type: type!,
      optional: optional === "?",
      list: list === "[]",
      attributes: (comment >= 0 ? rest.slice(0, comment) : rest).trim(),
      decimal: /\/\/\s*@decimal\s*$/.test(rest),
    });
  }
  return fields;
}

export function readSchemaFields(file: string): SchemaField[] {
  return parseSchemaFields(fs.readFileSync(file, "utf8"));
}

/** The exact-decimal columns, as (table, column) pairs, from the SQLite source of truth. */
export function decimalColumns(): { table: string; column: string; optional: boolean }[] {
  return readSchemaFields(SQLITE_SCHEMA_FILE)
    .filter((f) => f.decimal)
    .map((f) => ({ table: f.table, column: f.field, optional: f.optional }));
}
