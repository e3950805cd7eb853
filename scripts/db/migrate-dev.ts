// npm run db:migrate:dev -- --name <migration_name>
//
// The one command to run after editing prisma/schema.prisma. It
//   1. regenerates prisma/schema.postgres.prisma from it (scripts/db/pg-schema.ts),
//   2. runs `prisma migrate dev --name <name>` for SQLite against a throw-away file in a temp
//      folder, which writes the new migration into prisma/migrations,
//   3. runs it for PostgreSQL against a throw-away database on the local server (created, used,
//      dropped), which writes the same migration into prisma/migrations-postgres,
//   4. runs `prisma generate` for both schemas.
// Both folders end up with a migration of the same directory name (the PostgreSQL one is renamed
// to the SQLite one's timestamp when that keeps it last in its folder). If the PostgreSQL step
// fails, the SQLite migration just written is removed again, so the folders never drift apart.
//
// Why throw-away databases: a developer's own database may hold data or drift; migrate dev would
// then offer a reset. A fresh database only ever sees the committed migrations and the new one.
//
// Why `migrate deploy` first: migrate dev runs on the WebAssembly schema engine here (see
// scripts/db/schema-engine.mjs). Its createMigration and evaluateDataLoss have no shadow database
// of their own; they reuse the schema of the migration history that devDiagnostic computes, and
// devDiagnostic computes it only when the database has every migration applied. On a database
// that is behind, migrate dev fails with "SQLite (or PostgreSQL) shadow DB must be provided
// through an external factory". Deploying first makes the database current.
//
// Options: --prisma-dir <dir> works on another copy of the prisma folder (tests use a temp copy);
// --pg-url <url> (or PG_ADMIN_URL) names the PostgreSQL server (a role that may CREATE DATABASE;
// default postgresql://postgres@127.0.0.1:5432/postgres); --no-generate skips step 4.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import pg from "pg";
import type { Provider } from "../../src/db/client.ts";
import { PROJECT_ROOT } from "../../src/db/migrate.ts";
import {
  type PrismaCliResult,
  runPrismaCli,
  writeMigrationConfig,
} from "../../src/db/prisma-cli.ts";
import { redactUrl } from "../../src/lib/redact-url.ts";
import { toPostgresSchema } from "./pg-schema.ts";

export const DEFAULT_PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres";
const MIGRATION_NAME = /^[A-Za-z0-9_]{1,100}$/;

export interface MigrateDevOptions {
  /** the migration's name (letters, digits, underscores) */
  name: string;
  /** the folder holding schema.prisma and both migrations folders (default: <project>/prisma) */
  prismaDir?: string;
  /** an admin connection to the PostgreSQL server (default: PG_ADMIN_URL or the local server) */
  pgAdminUrl?: string;
  /** run `prisma generate` for both schemas at the end (default true) */
  generate?: boolean;
  /** "inherit" lets the Prisma CLI prompt in the terminal (data-loss warnings) */
  stdio?: "pipe" | "inherit";
  /** progress lines and captured CLI output */
  log?: (line: string) => void;
  /**
   * Called after migrate dev ran on a provider, while its throw-away database still exists
   * (tests look at the applied result there).
   */
  inspect?: (provider: Provider, databaseUrl: string) => Promise<void>;
}

export interface MigrateDevResult {
  /** the new migration's directory name in each folder; null when the schema had no change */
  sqlite: string | null;
  postgres: string | null;
  /** the throw-away PostgreSQL database that was used (already dropped) */
  postgresDatabase: string;
}

export class MigrateDevError extends Error {
  override name = "MigrateDevError";
}

interface PrismaPaths {
  dir: string;
  sqliteSchema: string;
  postgresSchema: string;
  sqliteMigrations: string;
  postgresMigrations: string;
}

function prismaPaths(dir: string): PrismaPaths {
  return {
    dir,
    sqliteSchema: path.join(dir, "schema.prisma"),
    postgresSchema: path.join(dir, "schema.postgres.prisma"),
    sqliteMigrations: path.join(dir, "migrations"),
    postgresMigrations: path.join(dir, "migrations-postgres"),
  };
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.href;
}

async function adminQuery<T>(adminUrl: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

/** Fails with a message saying what to do when the server is down or the role cannot create databases. */
export async function checkPostgres(adminUrl: string): Promise<void> {
  let rows: { allowed: boolean }[];
  try {
    rows = await adminQuery<{ allowed: boolean }>(
      adminUrl,
      "SELECT (rolcreatedb OR rolsuper) AS allowed FROM pg_roles WHERE rolname = current_user",
    );
  } catch (e) {
    const err = e as { code?: string; message?: string };
    throw new MigrateDevError(
      `PostgreSQL is not reachable at ${redactUrl(adminUrl)} (${err.code ?? err.message ?? String(e)}).\n` +
        "migrate dev needs a running PostgreSQL server to write the PostgreSQL migration: start the " +
        "local server (e.g. `pg_ctlcluster 15 main start`), or pass --pg-url / set PG_ADMIN_URL to " +
        "a server where the role may CREATE DATABASE. Nothing was changed.",
      { cause: e },
    );
  }
  if (!rows[0]?.allowed) {
    throw new MigrateDevError(
      `the role in ${redactUrl(adminUrl)} may not CREATE DATABASE; migrate dev needs that for its ` +
        "throw-away and shadow databases (ALTER ROLE ... CREATEDB). Nothing was changed.",
    );
  }
}

function migrationDirs(folder: string): string[] {
  if (!fs.existsSync(folder)) return [];
  return fs
    .readdirSync(folder, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

function cliFailure(what: string, result: PrismaCliResult): MigrateDevError {
  const output = `${result.stdout}${result.stderr}`.trim();
  return new MigrateDevError(
    `${what} failed (exit code ${result.code})${output ? `:\n${output}` : ""}`,
  );
}

export interface MigrateDevOnOptions {
  provider: Provider;
  /** the database to run on; migrate deploy creates it when missing */
  databaseUrl: string;
  name: string;
  prismaDir: string;
  /** where the CLI config file for this run is written */
  workDir: string;
  stdio?: "pipe" | "inherit";
  log?: (line: string) => void;
}

/**
 * `prisma migrate deploy` then `prisma migrate dev --name` for one provider on one database.
 * Returns the directory name of the migration it created, or null when the schema had no change.
 */
export async function migrateDevOn(options: MigrateDevOnOptions): Promise<string | null> {
  const paths = prismaPaths(options.prismaDir);
  const pgSide = options.provider === "postgres";
  const migrations = pgSide ? paths.postgresMigrations : paths.sqliteMigrations;
  const config = writeMigrationConfig(
    path.join(options.workDir, `prisma.${options.provider}.config.mjs`),
    { schema: pgSide ? paths.postgresSchema : paths.sqliteSchema, migrations },
  );
  const log = options.log ?? (() => {});
  const cli = { databaseUrl: options.databaseUrl, config };

  const deploy = await runPrismaCli(["migrate", "deploy"], cli);
  if (deploy.code !== 0) throw cliFailure(`${options.provider}: migrate deploy`, deploy);

  const before = new Set(migrationDirs(migrations));
  const stdio = options.stdio ?? "pipe";
  const dev = await runPrismaCli(["migrate", "dev", "--name", options.name], { ...cli, stdio });
  if (stdio === "pipe") log(`${dev.stdout}${dev.stderr}`.trim());
  if (dev.code !== 0) throw cliFailure(`${options.provider}: migrate dev`, dev);
  const created = migrationDirs(migrations).filter((d) => !before.has(d));
  if (created.length > 1) {
    throw new MigrateDevError(
      `${options.provider}: expected one new migration, found ${created.join(", ")}`,
    );
  }
  return created[0] ?? null;
}

/** Gives the PostgreSQL migration the SQLite one's directory name when it stays last in its folder. */
function alignPostgresName(folder: string, postgresDir: string, sqliteDir: string): string {
  if (postgresDir === sqliteDir) return postgresDir;
  const others = migrationDirs(folder).filter((d) => d !== postgresDir);
  if (others.includes(sqliteDir) || others.some((d) => d >= sqliteDir)) return postgresDir;
  fs.renameSync(path.join(folder, postgresDir), path.join(folder, sqliteDir));
  return sqliteDir;
}

function removeMigration(folder: string, dir: string | null): void {
  if (dir) fs.rmSync(path.join(folder, dir), { recursive: true, force: true });
}

export async function migrateDev(options: MigrateDevOptions): Promise<MigrateDevResult> {
  const name = options.name?.trim() ?? "";
  if (!MIGRATION_NAME.test(name)) {
    throw new MigrateDevError(
      `migration name must be 1-100 letters, digits or underscores (got ${JSON.stringify(options.name ?? "")}); ` +
        "e.g. --name add_order_notes",
    );
  }
  const paths = prismaPaths(path.resolve(options.prismaDir ?? path.join(PROJECT_ROOT, "prisma")));
  if (!fs.existsSync(paths.sqliteSchema)) {
    throw new MigrateDevError(`no schema at ${paths.sqliteSchema}`);
  }
  const log = options.log ?? ((line: string) => console.log(line));
  const adminUrl = options.pgAdminUrl ?? process.env.PG_ADMIN_URL ?? DEFAULT_PG_ADMIN_URL;
  // before anything is written: a PostgreSQL failure must not leave one folder ahead of the other
  await checkPostgres(adminUrl);

  fs.writeFileSync(
    paths.postgresSchema,
    toPostgresSchema(fs.readFileSync(paths.sqliteSchema, "utf8")),
  );
  log(`regenerated ${path.relative(process.cwd(), paths.postgresSchema) || paths.postgresSchema}`);

  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "tradedesk-migrate-dev-"));
  const postgresDatabase = `td_migrate_dev_${randomBytes(6).toString("hex")}`;
  const common = { name, prismaDir: paths.dir, workDir, stdio: options.stdio ?? "pipe", log };
  let sqlite: string | null = null;
  let postgres: string | null = null;
  try {
    log("SQLite: migrate dev on a throw-away database");
    const sqliteUrl = `file:${path.join(workDir, "migrate-dev.db")}`;
    sqlite = await migrateDevOn({ ...common, provider: "sqlite", databaseUrl: sqliteUrl });
    await options.inspect?.("sqlite", sqliteUrl);

    log(`PostgreSQL: migrate dev on throw-away database ${postgresDatabase}`);
    const postgresUrl = withDatabase(adminUrl, postgresDatabase);
    try {
      await adminQuery(adminUrl, `CREATE DATABASE "${postgresDatabase}"`);
      postgres = await migrateDevOn({ ...common, provider: "postgres", databaseUrl: postgresUrl });
      await options.inspect?.("postgres", postgresUrl);
    } finally {
      await adminQuery(adminUrl, `DROP DATABASE IF EXISTS "${postgresDatabase}" WITH (FORCE)`);
    }
    if ((sqlite === null) !== (postgres === null)) {
      throw new MigrateDevError(
        `only ${sqlite ? "SQLite" : "PostgreSQL"} saw a schema change: schema.postgres.prisma ` +
          "does not follow schema.prisma (see scripts/db/pg-schema.ts)",
      );
    }
  } catch (e) {
    removeMigration(paths.sqliteMigrations, sqlite);
    removeMigration(paths.postgresMigrations, postgres);
    if (sqlite || postgres) log("removed the migration(s) written before the failure");
    throw e;
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
  }

  if (sqlite && postgres) {
    postgres = alignPostgresName(paths.postgresMigrations, postgres, sqlite);
    log(
      `new migration: ${sqlite} (prisma/migrations) and ${postgres} (prisma/migrations-postgres)`,
    );
  } else {
    log("no schema change: no migration written");
  }

  if (options.generate ?? true) {
    for (const [provider, schema] of [
      ["sqlite", paths.sqliteSchema],
      ["postgres", paths.postgresSchema],
    ] as const) {
      const result = await runPrismaCli(["generate", "--schema", schema], {
        databaseUrl: provider === "sqlite" ? "file:./unused.db" : adminUrl,
      });
      if (result.code !== 0) throw cliFailure(`prisma generate (${provider})`, result);
      log(`generated the ${provider} client`);
    }
  }
  return { sqlite, postgres, postgresDatabase };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      name: { type: "string", short: "n" },
      "prisma-dir": { type: "string" },
      "pg-url": { type: "string" },
      "no-generate": { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help || !values.name) {
    console.log(
      "usage: npm run db:migrate:dev -- --name <migration_name> [--pg-url <url>] [--prisma-dir <dir>] [--no-generate]",
    );
    process.exit(values.help ? 0 : 2);
  }
  // Ctrl-C reaches the Prisma CLI too; let the finally blocks drop the throw-away database
  process.once("SIGINT", () =>
    console.error("interrupted: cleaning up (Ctrl-C again to quit now)"),
  );
  try {
    await migrateDev({
      name: values.name,
      generate: !values["no-generate"],
      stdio: process.stdin.isTTY ? "inherit" : "pipe",
      ...(values["prisma-dir"] ? { prismaDir: values["prisma-dir"] } : {}),
      ...(values["pg-url"] ? { pgAdminUrl: values["pg-url"] } : {}),
    });
  } catch (e) {
    console.error(
      `db:migrate:dev: ${e instanceof MigrateDevError ? e.message : String((e as Error)?.stack ?? e)}`,
    );
    process.exit(1);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  await main();
}
