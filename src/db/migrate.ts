// Applies the committed migrations (prisma migrate deploy) for the database DATABASE_URL points
// at. Run on every start and by the test setup: the official CLI, with the schema-engine shim from
// prisma.config.ts, so the migration history is Prisma's own (_prisma_migrations).
import { execFile } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { promisify } from "node:util";
import { PROJECT_ROOT } from "../lib/paths.ts";
import { isSqliteUrl, resolveDatabaseUrl, sqlitePath } from "./url.ts";

export { PROJECT_ROOT };

const run = promisify(execFile);

function prismaCli(): string {
  return createRequire(import.meta.url).resolve("prisma/build/index.js");
}

export interface MigrationResult {
  output: string;
}

export async function applyMigrations(rawUrl: string): Promise<MigrationResult> {
  const databaseUrl = resolveDatabaseUrl(rawUrl);
  if (isSqliteUrl(databaseUrl)) {
    fs.mkdirSync(path.dirname(sqlitePath(databaseUrl)), { recursive: true });
  }
  try {
    const { stdout, stderr } = await run(process.execPath, [prismaCli(), "migrate", "deploy"], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, DATABASE_URL: databaseUrl, PRISMA_HIDE_UPDATE_MESSAGE: "1" },
      maxBuffer: 16 * 1024 * 1024,
    });
    return { output: `${stdout}${stderr}` };
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    throw new Error(
      `applying migrations failed: ${err.message}\n${err.stdout ?? ""}${err.stderr ?? ""}`.trim(),
      { cause: e },
    );
  }
}
