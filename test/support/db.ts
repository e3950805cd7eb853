// A fresh database per test file, on either provider, copied from the suite's template (already
// migrated and seeded with brokers and instruments). Real SQLite files and real PostgreSQL
// databases: nothing is mocked.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { inject } from "vitest";
import { type Database, type Provider, openDatabase } from "../../src/db/client.ts";
import { adminQuery, pgUrl } from "./postgres.ts";

export const PROVIDERS: Provider[] = ["sqlite", "postgres"];

export interface TestDatabase {
  db: Database;
  url: string;
  provider: Provider;
  /** closes the client and deletes the database */
  drop(): Promise<void>;
}

export async function createTestDatabase(provider: Provider): Promise<TestDatabase> {
  const suffix = randomBytes(5).toString("hex");
  if (provider === "sqlite") {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tradedesk-db-"));
    const file = path.join(dir, `test-${suffix}.db`);
    fs.copyFileSync(inject("sqliteTemplate"), file);
    const url = `file:${file}`;
    const db = openDatabase(url);
    return {
      db,
      url,
      provider,
      drop: async () => {
        await db.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const name = `td_t_${inject("runId")}_${suffix}`;
  await createFromTemplate(name, inject("pgTemplate"));
  const url = pgUrl(name);
  const db = openDatabase(url, { poolSize: 5 });
  return {
    db,
    url,
    provider,
    drop: async () => {
      await db.close();
      await adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    },
  };
}

async function createFromTemplate(name: string, template: string): Promise<void> {
  // CREATE DATABASE ... TEMPLATE fails while another copy is being made from the same template
  for (let attempt = 0; ; attempt++) {
    try {
      await adminQuery(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
      return;
    } catch (e) {
      if (attempt >= 20 || !/being accessed by other users/.test(String(e))) throw e;
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
    }
  }
}
