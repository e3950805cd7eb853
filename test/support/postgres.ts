// The local PostgreSQL server the integration tests use (127.0.0.1:5432, trust auth, user
// postgres). TEST_PG_URL overrides the admin connection.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import pg from "pg";

export const PG_ADMIN_URL =
  process.env.TEST_PG_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

export function pgUrl(database: string): string {
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${database}`;
  return url.href;
}

export async function adminQuery<T = unknown>(sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

async function reachable(): Promise<boolean> {
  try {
    await adminQuery("SELECT 1");
    return true;
  } catch {
    return false;
  }
}

/** Starts the machine's PostgreSQL cluster when it is installed but stopped. */
export async function ensurePostgresRunning(): Promise<void> {
  if (await reachable()) return;
  if (fs.existsSync("/etc/postgresql")) {
    const version = fs.readdirSync("/etc/postgresql")[0];
    if (version) {
      execFileSync("pg_ctlcluster", ["--skip-systemctl-redirect", version, "main", "start"], {
        stdio: "inherit",
      });
    }
  }
  for (let i = 0; i < 30; i++) {
    if (await reachable()) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`PostgreSQL is not reachable at ${PG_ADMIN_URL}`);
}
