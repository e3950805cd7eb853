// The migration tooling end to end with the official Prisma CLI (through the schema-engine shim):
// - `migrate deploy` on a brand-new SQLite file and a brand-new PostgreSQL database applies every
//   committed migration, `migrate status` then says up to date, and a second deploy is a no-op;
// - `npm run db:migrate:dev` (scripts/db/migrate-dev.ts) on a temporary copy of prisma/ with a
//   schema change writes one migration of the same name into both folders, applies it, regenerates
//   the PostgreSQL schema and both clients, drops its throw-away database, and leaves the real
//   folders alone; with PostgreSQL unreachable it stops before writing anything.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Sqlite from "better-sqlite3";
import pg from "pg";
import { afterAll, describe, expect, inject, it } from "vitest";
import type { Provider } from "../../src/db/client.ts";
import { PROJECT_ROOT, applyMigrations } from "../../src/db/migrate.ts";
import { runPrismaCli } from "../../src/db/prisma-cli.ts";
import { MigrateDevError, migrateDev } from "../../scripts/db/migrate-dev.ts";
import { PROVIDERS } from "../support/db.ts";
import { PG_ADMIN_URL, adminQuery, pgUrl } from "../support/postgres.ts";

const REAL_PRISMA = path.join(PROJECT_ROOT, "prisma");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tradedesk-migrations-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const migrationNames = (folder: string) =>
  fs
    .readdirSync(folder, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();

const FOLDER: Record<Provider, string> = {
  sqlite: "migrations",
  postgres: "migrations-postgres",
};

interface AppliedMigration {
  migration_name: string;
  finished: boolean;
  rolled_back: boolean;
}

const APPLIED_SQL =
  "SELECT migration_name, finished_at IS NOT NULL AS finished, rolled_back_at IS NOT NULL AS rolled_back " +
  "FROM _prisma_migrations ORDER BY migration_name";

async function appliedMigrations(provider: Provider, url: string): Promise<AppliedMigration[]> {
  if (provider === "sqlite") {
    const db = new Sqlite(url.replace(/^file:/, ""), { readonly: true });
    try {
      return (db.prepare(APPLIED_SQL).all() as Record<string, unknown>[]).map((r) => ({
        migration_name: String(r.migration_name),
        finished: r.finished === 1,
        rolled_back: r.rolled_back === 1,
      }));
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<AppliedMigration>(APPLIED_SQL)).rows;
  } finally {
    await client.end();
  }
}

/** The declared type of a column: SQLite's declared type, or PostgreSQL's type with precision. */
async function columnType(
  provider: Provider,
  url: string,
  table: string,
  column: string,
): Promise<string | null> {
  if (provider === "sqlite") {
    const db = new Sqlite(url.replace(/^file:/, ""), { readonly: true });
    try {
      const cols = db.prepare(`PRAGMA table_info("${table}")`).all() as {
        name: string;
        type: string;
      }[];
      return cols.find((c) => c.name === column)?.type ?? null;
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ t: string }>(
      "SELECT format_type(a.atttypid, a.atttypmod) AS t FROM pg_attribute a " +
        "WHERE a.attrelid = $1::regclass AND a.attname = $2 AND NOT a.attisdropped",
      [`"${table}"`, column],
    );
    return rows[0]?.t ?? null;
  } finally {
    await client.end();
  }
}

describe.each(PROVIDERS)("migrate deploy on a brand-new %s database", (provider) => {
  const suffix = randomBytes(4).toString("hex");
  const pgName = `td_t_${inject("runId")}_deploy_${suffix}`;
  const url =
    provider === "sqlite" ? `file:${path.join(tmp, `fresh-${suffix}.db`)}` : pgUrl(pgName);
  const committed = migrationNames(path.join(REAL_PRISMA, FOLDER[provider]));

  afterAll(async () => {
    if (provider === "postgres")
      await adminQuery(`DROP DATABASE IF EXISTS "${pgName}" WITH (FORCE)`);
  });

  it("creates the database and applies every committed migration", async () => {
    if (provider === "postgres") {
      const exists = await adminQuery(`SELECT 1 FROM pg_database WHERE datname = $1`, [pgName]);
      expect(exists).toEqual([]);
    } else {
      expect(fs.existsSync(url.replace(/^file:/, ""))).toBe(false);
    }
    expect(committed.length).toBeGreaterThanOrEqual(2);

    const { output } = await applyMigrations(url);
    for (const name of committed) expect(output).toContain(name);
    expect(await appliedMigrations(provider, url)).toEqual(
      committed.map((migration_name) => ({ migration_name, finished: true, rolled_back: false })),
    );
    expect(await columnType(provider, url, "trades", "price")).toBe(
      provider === "sqlite" ? "TEXT" : "numeric(38,18)",
    );
  });

  it("then reports the schema up to date, and a second deploy applies nothing", async () => {
    const status = await runPrismaCli(["migrate", "status"], { databaseUrl: url });
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toMatch(new RegExp(`${committed.length} migrations? found`));
    expect(status.stdout).toContain("Database schema is up to date!");

    const again = await applyMigrations(url);
    expect(again.output).toContain("No pending migrations to apply.");
    expect((await appliedMigrations(provider, url)).length).toBe(committed.length);
  });
});

describe("db:migrate:dev (scripts/db/migrate-dev.ts) on a copy of prisma/", () => {
  const realBefore = {
    sqlite: migrationNames(path.join(REAL_PRISMA, "migrations")),
    postgres: migrationNames(path.join(REAL_PRISMA, "migrations-postgres")),
    pgSchema: fs.readFileSync(path.join(REAL_PRISMA, "schema.postgres.prisma"), "utf8"),
  };

  function copyPrisma(label: string): string {
    const dir = path.join(tmp, label, "prisma");
    fs.cpSync(REAL_PRISMA, dir, { recursive: true });
    return dir;
  }

  it("writes the same migration into both folders, applies it, and regenerates schema and clients", async () => {
    const prismaDir = copyPrisma("dev");
    const schemaFile = path.join(prismaDir, "schema.prisma");
    const source = fs.readFileSync(schemaFile, "utf8");
    // a trivial change: a note and an exact-decimal amount on trades
    const changed = source.replace(
      /^(model Trade \{\n)/m,
      "$1  probeNote   String?\n  probeAmount String? // @decimal\n",
    );
    expect(changed).not.toBe(source);
    fs.writeFileSync(schemaFile, changed);

    const seen: Partial<Record<Provider, { applied: AppliedMigration[]; types: unknown[] }>> = {};
    const log: string[] = [];
    const result = await migrateDev({
      name: "add_probe_columns",
      prismaDir,
      log: (line) => log.push(line),
      inspect: async (provider, url) => {
        seen[provider] = {
          applied: await appliedMigrations(provider, url),
          types: [
            await columnType(provider, url, "trades", "probeNote"),
            await columnType(provider, url, "trades", "probeAmount"),
          ],
        };
      },
    });

    expect(result.sqlite).toMatch(/^\d{14}_add_probe_columns$/);
    expect(result.postgres).toBe(result.sqlite);
    const name = result.sqlite!;
    for (const provider of PROVIDERS) {
      const folder = path.join(prismaDir, FOLDER[provider]);
      expect(migrationNames(folder)).toEqual([...realBefore[provider], name].sort());
      expect(migrationNames(folder).at(-1)).toBe(name);
      const sql = fs.readFileSync(path.join(folder, name, "migration.sql"), "utf8");
      expect(sql).toMatch(/"probeNote" TEXT/);
      expect(sql).toMatch(
        provider === "sqlite" ? /"probeAmount" TEXT/ : /"probeAmount" DECIMAL\(38,18\)/,
      );
      // applied on the throw-away database after the committed ones (under the name it had
      // then: the PostgreSQL directory is renamed to the SQLite one's timestamp afterwards)
      const applied = seen[provider]?.applied.map((m) => m.migration_name) ?? [];
      expect(applied.slice(0, -1)).toEqual(realBefore[provider]);
      expect(applied.at(-1)).toMatch(/^\d{14}_add_probe_columns$/);
      expect(seen[provider]?.applied.every((m) => m.finished && !m.rolled_back)).toBe(true);
      expect(seen[provider]?.types).toEqual(
        provider === "sqlite" ? ["TEXT", "TEXT"] : ["text", "numeric(38,18)"],
      );
    }

    const pgSchema = fs.readFileSync(path.join(prismaDir, "schema.postgres.prisma"), "utf8");
    expect(pgSchema).toMatch(/^\s+probeAmount Decimal\? @db\.Decimal\(38, 18\)$/m);
    for (const client of ["sqlite", "postgres"]) {
      const generated = path.join(prismaDir, "../src/db/generated", client, "models/Trade.ts");
      expect(fs.readFileSync(generated, "utf8")).toContain("probeAmount");
    }
    const leftover = await adminQuery(`SELECT 1 FROM pg_database WHERE datname = $1`, [
      result.postgresDatabase,
    ]);
    expect(leftover).toEqual([]);
    expect(log.join("\n")).toContain(`new migration: ${name}`);

    // the project's own folders were not touched
    expect(migrationNames(path.join(REAL_PRISMA, "migrations"))).toEqual(realBefore.sqlite);
    expect(migrationNames(path.join(REAL_PRISMA, "migrations-postgres"))).toEqual(
      realBefore.postgres,
    );
    expect(fs.readFileSync(path.join(REAL_PRISMA, "schema.postgres.prisma"), "utf8")).toBe(
      realBefore.pgSchema,
    );
    // two `migrate dev` runs and two `prisma generate` runs: about 30 s on an idle 2-core machine,
    // past a minute when the machine is busy, so this test gets more than the default
  }, 240_000);

  it("stops before writing anything when PostgreSQL is unreachable", async () => {
    const prismaDir = copyPrisma("unreachable");
    const schemaFile = path.join(prismaDir, "schema.prisma");
    fs.writeFileSync(
      schemaFile,
      fs
        .readFileSync(schemaFile, "utf8")
        .replace(/^(model Trade \{\n)/m, "$1  probeNote String?\n"),
    );
    const pgSchemaBefore = fs.readFileSync(path.join(prismaDir, "schema.postgres.prisma"), "utf8");
    const unreachable = Object.assign(new URL(PG_ADMIN_URL), { port: "1" }).href;

    const run = migrateDev({ name: "never", prismaDir, pgAdminUrl: unreachable, log: () => {} });
    await expect(run).rejects.toBeInstanceOf(MigrateDevError);
    await expect(run).rejects.toThrow(
      /PostgreSQL is not reachable at .*:1\/.*Nothing was changed/s,
    );
    expect(migrationNames(path.join(prismaDir, "migrations"))).toEqual(realBefore.sqlite);
    expect(migrationNames(path.join(prismaDir, "migrations-postgres"))).toEqual(
      realBefore.postgres,
    );
    expect(fs.readFileSync(path.join(prismaDir, "schema.postgres.prisma"), "utf8")).toBe(
      pgSchemaBefore,
    );
  });

  it("refuses a migration name Prisma would mangle", async () => {
    await expect(
      migrateDev({ name: "add notes!", prismaDir: copyPrisma("badname") }),
    ).rejects.toThrow(/letters, digits or underscores/);
  });
});
