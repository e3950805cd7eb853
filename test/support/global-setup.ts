// Runs once before the whole suite: builds one migrated and seeded template database per
// provider (a SQLite file and a PostgreSQL database) so every test file can get a fresh copy in
// milliseconds (file copy / CREATE DATABASE ... TEMPLATE). Dropped again at the end.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { openDatabase } from "../../src/db/client.ts";
import { applyMigrations } from "../../src/db/migrate.ts";
import { seedReferenceData } from "../../src/db/seed.ts";
import { figuresTable, readFigures } from "../adversarial/support/figures-table.ts";
import { adminQuery, ensurePostgresRunning, pgUrl } from "./postgres.ts";

declare module "vitest" {
  export interface ProvidedContext {
    sqliteTemplate: string;
    pgTemplate: string;
    runId: string;
    /** where the adversarial checks record their figures (test/adversarial/support/figures.ts) */
    figuresDir: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const runId = `${process.pid}${Date.now().toString(36)}`.slice(-10);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tradedesk-test-"));
  const sqliteTemplate = path.join(dir, "template.db");
  const pgTemplate = `td_tpl_${runId}`;

  await ensurePostgresRunning();
  await Promise.all([
    (async () => {
      await applyMigrations(`file:${sqliteTemplate}`);
      const db = openDatabase(`file:${sqliteTemplate}`);
      await seedReferenceData(db.prisma);
      // fold the WAL back into the file so a plain copy is complete
      await db.prisma.$queryRawUnsafe("PRAGMA wal_checkpoint(TRUNCATE)");
      await db.close();
    })(),
    (async () => {
      await adminQuery(`CREATE DATABASE "${pgTemplate}"`);
      await applyMigrations(pgUrl(pgTemplate));
      const db = openDatabase(pgUrl(pgTemplate));
      await seedReferenceData(db.prisma);
      await db.close();
    })(),
  ]);

  project.provide("sqliteTemplate", sqliteTemplate);
  project.provide("pgTemplate", pgTemplate);
  project.provide("runId", runId);
  const figuresDir = path.join(dir, "figures");
  project.provide("figuresDir", figuresDir);

  return async () => {
    // the adversarial suite's one table (issue 15), after vitest's own summary
    const figures = readFigures(figuresDir);
    if (figures.length > 0)
      console.log(`\nAdversarial checks (issue 15):\n${figuresTable(figures)}\n`);
    const leftovers = await adminQuery<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE $1 OR datname = $2`,
      [`td_t_${runId}_%`, pgTemplate],
    );
    for (const { datname } of leftovers)
      await adminQuery(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    fs.rmSync(dir, { recursive: true, force: true });
  };
}
