// The two schemas and the two migration folders stay in step:
// - prisma/schema.postgres.prisma is exactly what scripts/db/pg-schema.ts makes of prisma/schema.prisma;
// - neither migrations folder is behind its schema (`prisma migrate diff --from-migrations ...
//   --to-schema ... --exit-code`, replayed on a shadow database: in memory for SQLite, a
//   temporary database on the local server for PostgreSQL), and the check does catch a change;
// - every `// @decimal` field is TEXT on SQLite and NUMERIC(38, 18) on PostgreSQL, every other
//   field is the same on both, and no Float is used anywhere.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runPrismaCli } from "../../src/db/prisma-cli.ts";
import { PROJECT_ROOT } from "../../src/db/migrate.ts";
import { toPostgresSchema } from "../../scripts/db/pg-schema.ts";
import { PG_ADMIN_URL } from "../support/postgres.ts";
import {
  POSTGRES_SCHEMA_FILE,
  SQLITE_SCHEMA_FILE,
  parseSchemaFields,
  readSchemaFields,
} from "./schema-fields.ts";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tradedesk-schema-sync-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const TARGETS = {
  sqlite: {
    schema: SQLITE_SCHEMA_FILE,
    migrations: path.join(PROJECT_ROOT, "prisma/migrations"),
    // the diff is read-only; the shim only opens (and creates) this file
    databaseUrl: `file:${path.join(tmp, "diff.db")}`,
  },
  postgres: {
    schema: POSTGRES_SCHEMA_FILE,
    migrations: path.join(PROJECT_ROOT, "prisma/migrations-postgres"),
    // the shim creates and drops its own shadow database on this server
    databaseUrl: PG_ADMIN_URL,
  },
} as const;

function migrateDiff(target: (typeof TARGETS)[keyof typeof TARGETS], schema = target.schema) {
  return runPrismaCli(
    [
      "migrate",
      "diff",
      "--from-migrations",
      target.migrations,
      "--to-schema",
      schema,
      "--script",
      "--exit-code",
    ],
    { databaseUrl: target.databaseUrl },
  );
}

/** A copy of a schema with one extra column on the users table. */
function schemaWithExtraColumn(schema: string, provider: string): string {
  const source = fs.readFileSync(schema, "utf8");
  const changed = source.replace(/^(model User \{\n)/m, "$1  syncProbe String?\n");
  expect(changed).not.toBe(source);
  const file = path.join(tmp, `changed-${provider}.prisma`);
  fs.writeFileSync(file, changed);
  return file;
}

describe("prisma/schema.postgres.prisma", () => {
  it("is exactly what scripts/db/pg-schema.ts generates from prisma/schema.prisma", () => {
    const expected = toPostgresSchema(fs.readFileSync(SQLITE_SCHEMA_FILE, "utf8"));
    const actual = fs.readFileSync(POSTGRES_SCHEMA_FILE, "utf8");
    // a failure here means: run `npm run db:schema` (or `npm run db:migrate:dev -- --name ...`)
    expect(actual === expected, "schema.postgres.prisma is stale: run npm run db:schema").toBe(
      true,
    );
  });
});

describe.each(Object.keys(TARGETS) as (keyof typeof TARGETS)[])(
  "the %s migrations folder",
  (provider) => {
    const target = TARGETS[provider];

    it("is not behind its schema", async () => {
      const result = await migrateDiff(target);
      // exit code 2 prints the SQL a new migration would need: run npm run db:migrate:dev
      expect(
        { code: result.code, missing: result.stdout.trim(), error: result.stderr.trim() },
        "the schema has changes no migration covers: run npm run db:migrate:dev -- --name ...",
      ).toMatchObject({ code: 0 });
    });

    it("is reported behind when the schema gains a column (the check can fail)", async () => {
      const result = await migrateDiff(target, schemaWithExtraColumn(target.schema, provider));
      expect(result.code, result.stderr).toBe(2);
      expect(result.stdout).toMatch(/ALTER TABLE "users" ADD COLUMN\s+"syncProbe" TEXT/);
    });
  },
);

describe("decimal and float conventions", () => {
  const sqlite = readSchemaFields(SQLITE_SCHEMA_FILE);
  const postgres = readSchemaFields(POSTGRES_SCHEMA_FILE);
  const key = (f: { model: string; field: string }) => `${f.model}.${f.field}`;
  const pgByKey = new Map(postgres.map((f) => [key(f), f]));

  it("reads every model of both schemas (the checks below are not vacuous)", () => {
    expect(sqlite.filter((f) => f.decimal).length).toBeGreaterThanOrEqual(30);
    expect(new Set(sqlite.map((f) => f.model)).size).toBeGreaterThanOrEqual(20);
    expect(postgres.map(key).sort()).toEqual(sqlite.map(key).sort());
  });

  it("turns every // @decimal field (TEXT on SQLite) into Decimal @db.Decimal(38, 18)", () => {
    for (const f of sqlite.filter((x) => x.decimal)) {
      expect(f.type, `${key(f)} on SQLite`).toBe("String");
      const pg = pgByKey.get(key(f));
      expect(pg, key(f)).toBeDefined();
      expect(pg!.type, `${key(f)} on PostgreSQL`).toBe("Decimal");
      expect(pg!.optional, `${key(f)} optionality`).toBe(f.optional);
      expect(pg!.attributes, key(f)).toMatch(/^@db\.Decimal\(38, 18\)(\s|$)/);
      const sqliteDefault = /@default\("([^"]*)"\)/.exec(f.attributes)?.[1];
      const pgDefault = /@default\(([^)]*)\)/.exec(pg!.attributes)?.[1];
      expect(pgDefault, `${key(f)} default`).toBe(sqliteDefault);
    }
  });

  it("leaves every other field alone and has no other Decimal", () => {
    for (const f of sqlite.filter((x) => !x.decimal)) {
      const pg = pgByKey.get(key(f))!;
      expect(
        { type: pg.type, optional: pg.optional, list: pg.list, attributes: pg.attributes },
        key(f),
      ).toEqual({ type: f.type, optional: f.optional, list: f.list, attributes: f.attributes });
      expect(f.type, `${key(f)}: money fields are String // @decimal, never Decimal`).not.toBe(
        "Decimal",
      );
    }
  });

  it("uses no Float in either schema nor REAL / DOUBLE PRECISION in any migration", () => {
    for (const file of [SQLITE_SCHEMA_FILE, POSTGRES_SCHEMA_FILE]) {
      const code = fs
        .readFileSync(file, "utf8")
        .split("\n")
        .map((l) => l.replace(/\/\/.*$/, ""))
        .join("\n");
      expect(code, file).not.toMatch(/\bFloat\b/);
    }
    for (const folder of [TARGETS.sqlite.migrations, TARGETS.postgres.migrations]) {
      for (const dir of fs.readdirSync(folder).filter((d) => !d.endsWith(".toml"))) {
        const sql = fs.readFileSync(path.join(folder, dir, "migration.sql"), "utf8");
        expect(sql, `${folder}/${dir}`).not.toMatch(/\b(REAL|DOUBLE PRECISION|FLOAT8?)\b/i);
      }
    }
  });

  it("parses a field list the way the checks expect (reader self-test)", () => {
    const fields = parseSchemaFields(
      [
        "model Thing {",
        "  id    Int     @id",
        '  price String? @default("0") // @decimal',
        "  tags  String[]",
        '  @@map("things")',
        "}",
      ].join("\n"),
    );
    expect(fields).toEqual([
      expect.objectContaining({ table: "things", field: "id", type: "Int", decimal: false }),
      expect.objectContaining({
        field: "price",
        type: "String",
        optional: true,
        attributes: '@default("0")',
        decimal: true,
      }),
      expect.objectContaining({ field: "tags", list: true, optional: false }),
    ]);
  });
});
