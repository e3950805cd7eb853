// Where the database lives. Shared by prisma.config.ts, scripts and the app so they agree.
import path from "node:path";

/** The embedded default: a SQLite file under ./data, created on first start. */
export const DEFAULT_DATABASE_URL = "file:./data/tradedesk.db";

/**
 * DATABASE_URL or the default, with a relative SQLite path made absolute against the working
 * directory, so the app, the migration CLI (run from the project root) and scripts open the
 * same file.
 */
export function resolveDatabaseUrl(raw: string | undefined, cwd = process.cwd()): string {
  const value = raw?.trim() || DEFAULT_DATABASE_URL;
  if (!isSqliteUrl(value)) return value;
  const file = sqlitePath(value);
  if (file === ":memory:" || path.isAbsolute(file)) return value;
  const query = value.includes("?") ? value.slice(value.indexOf("?")) : "";
  return `file:${path.resolve(cwd, file)}${query}`;
}

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//.test(url);
}

export function isSqliteUrl(url: string): boolean {
  return url.startsWith("file:");
}

/** The path of a SQLite file URL, without the scheme and query string. */
export function sqlitePath(url: string): string {
  return url.replace(/^file:/, "").replace(/\?.*$/, "");
}
