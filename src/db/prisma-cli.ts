// Runs the official Prisma CLI the way src/db/migrate.ts does: `node prisma/build/index.js ...`
// with DATABASE_URL in the environment and the schema-engine shim (scripts/db/schema-engine.mjs)
// instead of the native engine the CLI would otherwise download. Unlike applyMigrations() it
// reports the exit code instead of throwing, because some commands answer through it
// (`migrate diff --exit-code`: 0 = no difference, 2 = difference, 1 = error).
//
// Without `config`, the project's prisma.config.ts applies (DATABASE_URL picks the schema and the
// migrations folder). With `config`, the CLI loads that file instead; writeMigrationConfig()
// writes one for a schema and migrations folder elsewhere (a temporary copy of prisma/).
import { spawn } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { PROJECT_ROOT } from "./migrate.ts";

export const SCHEMA_ENGINE_SHIM = path.join(PROJECT_ROOT, "scripts/db/schema-engine.mjs");

export interface PrismaCliOptions {
  databaseUrl: string;
  /** a Prisma config file to load instead of the project's prisma.config.ts */
  config?: string;
  /** "inherit" lets the CLI talk to the terminal (prompts); output is then not captured */
  stdio?: "pipe" | "inherit";
  cwd?: string;
}

export interface PrismaCliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function prismaCliPath(): string {
  return createRequire(import.meta.url).resolve("prisma/build/index.js");
}

function ensureShimExecutable(): void {
  // the CLI spawns the shim directly (prisma.config.ts does the same check)
  try {
    fs.accessSync(SCHEMA_ENGINE_SHIM, fs.constants.X_OK);
  } catch {
    fs.chmodSync(SCHEMA_ENGINE_SHIM, 0o755);
  }
}

export function runPrismaCli(args: string[], options: PrismaCliOptions): Promise<PrismaCliResult> {
  ensureShimExecutable();
  const argv = [prismaCliPath(), ...args, ...(options.config ? ["--config", options.config] : [])];
  const child = spawn(process.execPath, argv, {
    cwd: options.cwd ?? PROJECT_ROOT,
    env: {
      ...process.env,
      DATABASE_URL: options.databaseUrl,
      PRISMA_SCHEMA_ENGINE_BINARY: SCHEMA_ENGINE_SHIM,
      PRISMA_HIDE_UPDATE_MESSAGE: "1",
    },
    stdio: options.stdio === "inherit" ? "inherit" : ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) =>
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr }),
    );
  });
}

/**
 * Writes a Prisma config file for a schema and migrations folder given by absolute paths (the
 * datasource URL still comes from DATABASE_URL), and returns its path.
 */
export function writeMigrationConfig(
  file: string,
  paths: { schema: string; migrations: string },
): string {
  const schema = JSON.stringify(path.resolve(paths.schema));
  const migrations = JSON.stringify(path.resolve(paths.migrations));
  fs.writeFileSync(
    file,
    "// Written by src/db/prisma-cli.ts for one CLI run; safe to delete.\n" +
      `export default {\n  schema: ${schema},\n  migrations: { path: ${migrations} },\n` +
      "  datasource: { url: process.env.DATABASE_URL },\n};\n",
  );
  return file;
}
