// PostgreSQL backups with the server's own tools: pg_dump -Fc (custom format: compressed,
// restorable table by table, checked by pg_restore --list) and pg_restore. They must be on PATH
// (the postgresql-client package of the server's major version); when they are not, the error
// says so instead of failing obscurely.
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";

const run = promisify(execFile);

export class MissingToolError extends Error {
  override name = "MissingToolError";
  constructor(readonly tool: string) {
    super(
      `${tool} was not found on PATH. Install the PostgreSQL client tools of your server's major version (e.g. apt-get install postgresql-client-15) or add their directory to PATH.`,
    );
  }
}

/** The full path of `tool` on PATH, or null. */
export function findOnPath(tool: string, envPath = process.env.PATH ?? ""): string | null {
  for (const dir of envPath.split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, tool);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

function requireTool(tool: string): string {
  const found = findOnPath(tool);
  if (!found) throw new MissingToolError(tool);
  return found;
}

// Prisma-only parameters that libpq (pg_dump, psql) rejects as "invalid URI query parameter"
const PRISMA_ONLY_PARAMS = [
  "schema",
  "connection_limit",
  "pool_timeout",
  "pgbouncer",
  "statement_cache_size",
  "socket_timeout",
  "sslaccept",
];

/** The URL as libpq accepts it. */
export function libpqUrl(url: string): string {
  const u = new URL(url);
  for (const p of PRISMA_ONLY_PARAMS) u.searchParams.delete(p);
  return u.href;
}

function toolError(tool: string, e: unknown): Error {
  const err = e as { stderr?: string; message?: string };
  const detail = (err.stderr || err.message || String(e)).trim().split("\n").slice(-3).join(" ");
  return new Error(`${tool} failed: ${detail}`);
}

/** pg_dump -Fc of `url` into `dest`. */
export async function pgDump(url: string, dest: string): Promise<void> {
  const bin = requireTool("pg_dump");
  try {
    await run(bin, ["-Fc", "--no-owner", "--no-privileges", "-f", dest, "-d", libpqUrl(url)], {
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (e) {
    fs.rmSync(dest, { force: true });
    throw toolError("pg_dump", e);
  }
}

/** The archive's table of contents (pg_restore --list): proves the archive is readable. */
export async function pgArchiveTables(file: string): Promise<string[]> {
  const bin = requireTool("pg_restore");
  let stdout: string;
  try {
    ({ stdout } = await run(bin, ["--list", file], { maxBuffer: 64 * 1024 * 1024 }));
  } catch (e) {
    throw toolError("pg_restore --list", e);
  }
  // entries look like: "215; 1259 16390 TABLE public users postgres"
  const tables = [...stdout.matchAll(/^\d+; \d+ \d+ TABLE (\S+) (\S+)/gm)].map((m) => m[2]!);
  if (!/Archive created at/.test(stdout) || tables.length === 0) {
    throw new Error(`pg_restore --list found no tables in ${file}`);
  }
  return tables;
}

/** pg_restore into `url`; `clean` drops the objects it restores first. */
export async function pgRestore(url: string, file: string, clean: boolean): Promise<void> {
  const bin = requireTool("pg_restore");
  const args = ["--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error"];
  if (clean) args.push("--clean", "--if-exists");
  try {
    await run(bin, [...args, "-d", libpqUrl(url), file], { maxBuffer: 16 * 1024 * 1024 });
  } catch (e) {
    throw toolError("pg_restore", e);
  }
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: libpqUrl(url) });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Tables in the database's ordinary schemas (not pg_catalog, information_schema). */
export async function pgUserTables(url: string): Promise<Array<{ schema: string; name: string }>> {
  return withClient(url, async (c) => {
    const { rows } = await c.query<{ schema: string; name: string }>(
      `SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
        WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')
        ORDER BY 1, 2`,
    );
    return rows;
  });
}

/** Other sessions connected to the same database (a running bot, a psql): their applications. */
export async function pgOtherSessions(url: string): Promise<string[]> {
  return withClient(url, async (c) => {
    const { rows } = await c.query<{ app: string; addr: string | null }>(
      `SELECT coalesce(nullif(application_name, ''), 'unnamed') AS app, client_addr::text AS addr
         FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`,
    );
    return rows.map((r) => `${r.app}${r.addr ? ` from ${r.addr}` : ""}`);
  });
}

/** Row counts of every table in the ordinary schemas, by name ("schema.table" outside public). */
export async function pgTableCounts(url: string): Promise<Record<string, number>> {
  const tables = await pgUserTables(url);
  return withClient(url, async (c) => {
    const counts: Record<string, number> = {};
    for (const t of tables) {
      const q = `SELECT count(*)::bigint AS n FROM "${t.schema.replace(/"/g, '""')}"."${t.name.replace(/"/g, '""')}"`;
      const { rows } = await c.query<{ n: string }>(q);
      counts[t.schema === "public" ? t.name : `${t.schema}.${t.name}`] = Number(rows[0]!.n);
    }
    return counts;
  });
}
