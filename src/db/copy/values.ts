// How one column value moves from SQLite to PostgreSQL, and its canonical text on either side.
//
// The kind of a column comes from the PostgreSQL catalog (the target is migrated from the same
// Prisma schema, so its types say what each SQLite TEXT or INTEGER holds): NUMERIC is an exact
// decimal kept as TEXT on SQLite (fields marked `// @decimal`), JSONB is JSON text, BOOLEAN is
// 0/1, TIMESTAMP(3) is the Prisma adapter's ISO-8601 text (or CURRENT_TIMESTAMP's
// "YYYY-MM-DD HH:MM:SS", or epoch milliseconds), all in UTC.
import { Decimal } from "../../lib/decimal.ts";
import { canonicalJson } from "./canonical-json.ts";

export type ColumnKind =
  "int" | "decimal" | "float" | "bool" | "timestamp" | "timestamptz" | "json" | "bytes" | "text";

/** The kind of a PostgreSQL column from pg_type's typname and typtype. */
export function kindOf(typname: string, typtype: string): ColumnKind {
  if (typtype === "e") return "text"; // enums travel as their label
  switch (typname) {
    case "int2":
    case "int4":
    case "int8":
      return "int";
    case "numeric":
      return "decimal";
    case "float4":
    case "float8":
      return "float";
    case "bool":
      return "bool";
    case "timestamp":
      return "timestamp";
    case "timestamptz":
      return "timestamptz";
    case "json":
    case "jsonb":
      return "json";
    case "bytea":
      return "bytes";
    case "text":
    case "varchar":
    case "bpchar":
      return "text";
    default:
      throw new Error(`column type ${typname} is not supported by db:copy`);
  }
}

/** A value better-sqlite3 returns with safe integers on. */
export type SqliteValue = null | bigint | number | string | Buffer;

export class ValueError extends Error {}

function asText(v: SqliteValue): string {
  return Buffer.isBuffer(v) ? v.toString("utf8") : String(v);
}

function normalizeDecimal(text: string): string {
  let d: Decimal;
  try {
    d = new Decimal(text.trim());
  } catch {
    throw new ValueError(`"${text}" is not a decimal`);
  }
  if (!d.isFinite()) throw new ValueError(`"${text}" is not a finite decimal`);
  return d.isZero() ? "0" : d.toFixed();
}

const SQLITE_TIME =
  /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?))?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** A SQLite timestamp (ISO text with or without zone, or epoch milliseconds) as a Date. */
export function sqliteTime(v: SqliteValue): Date {
  let date: Date;
  if (typeof v === "bigint" || typeof v === "number") {
    date = new Date(Number(v));
  } else {
    const m = SQLITE_TIME.exec(asText(v).trim());
    if (!m) throw new ValueError(`"${asText(v)}" is not a timestamp`);
    let zone = m[3] ?? "Z";
    if (/^[+-]\d{2}$/.test(zone)) zone += ":00";
    else if (/^[+-]\d{4}$/.test(zone)) zone = `${zone.slice(0, 3)}:${zone.slice(3)}`;
    date = new Date(`${m[1]}T${m[2] ?? "00:00:00"}${zone.toUpperCase()}`);
  }
  if (Number.isNaN(date.getTime())) throw new ValueError(`"${asText(v)}" is not a timestamp`);
  return date;
}

/** The parameter sent to PostgreSQL for a SQLite value of this kind (null stays null). */
export function toPgParam(kind: ColumnKind, v: SqliteValue): unknown {
  if (v === null) return null;
  switch (kind) {
    case "int":
      return BigInt(asText(v).trim()).toString();
    case "decimal":
      return normalizeDecimal(asText(v));
    case "float":
      return Number(v);
    case "bool":
      return sqliteBool(v);
    case "timestamp":
      // TIMESTAMP WITHOUT TIME ZONE holds UTC (Prisma's convention): send the UTC wall time as
      // text, so neither node-postgres nor the server applies a local zone
      return sqliteTime(v).toISOString().replace("T", " ").replace("Z", "");
    case "timestamptz":
      return sqliteTime(v).toISOString();
    case "json": {
      const text = asText(v);
      canonicalJson(text); // refuses text that is not JSON before the server sees it
      return text;
    }
    case "bytes":
      return Buffer.isBuffer(v) ? v : Buffer.from(asText(v), "utf8");
    case "text":
      return asText(v);
  }
}

function sqliteBool(v: SqliteValue): boolean {
  const t = asText(v).trim().toLowerCase();
  if (t === "1" || t === "true") return true;
  if (t === "0" || t === "false") return false;
  throw new ValueError(`"${asText(v)}" is not a boolean`);
}

/** Canonical text of a SQLite value (null stays null). */
export function canonicalSqlite(kind: ColumnKind, v: SqliteValue): string | null {
  if (v === null) return null;
  switch (kind) {
    case "int":
      return BigInt(asText(v).trim()).toString();
    case "decimal":
      return normalizeDecimal(asText(v));
    case "float":
      return String(Number(v));
    case "bool":
      return String(sqliteBool(v));
    case "timestamp":
    case "timestamptz":
      return sqliteTime(v).toISOString();
    case "json":
      return canonicalJson(asText(v));
    case "bytes":
      return (Buffer.isBuffer(v) ? v : Buffer.from(asText(v), "utf8")).toString("base64");
    case "text":
      return asText(v);
  }
}

const PG_TIME = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}(?:\.\d+)?)([+-]\d{2}(?::\d{2})?)?$/;

/**
 * Canonical text of a PostgreSQL value read in text format (every type parser disabled, session
 * time zone UTC).
 */
export function canonicalPg(kind: ColumnKind, v: string | null): string | null {
  if (v === null) return null;
  switch (kind) {
    case "int":
      return BigInt(v).toString();
    case "decimal":
      return normalizeDecimal(v);
    case "float":
      return String(Number(v));
    case "bool":
      return String(v === "t");
    case "timestamp":
    case "timestamptz": {
      const m = PG_TIME.exec(v);
      if (!m) throw new ValueError(`"${v}" is not a timestamp`);
      let zone = m[3] ?? "Z";
      if (/^[+-]\d{2}$/.test(zone)) zone += ":00";
      return new Date(`${m[1]}T${m[2]}${zone}`).toISOString();
    }
    case "json":
      return canonicalJson(v);
    case "bytes":
      return Buffer.from(v.replace(/^\\x/, ""), "hex").toString("base64");
    case "text":
      return v;
  }
}
