// Migration 20261204185538_cash_per_portfolio on a database that already holds data, on SQLite and
// PostgreSQL: a database is built with the migrations before it, given an account whose two
// portfolios shared its cash (one ledger chained per account) and an account holding cash without
// a portfolio; then the real migrations and the data migration run as on start. Every row gets its
// portfolio (a trade's rows its trade's; deposits the default portfolio), the chains are exact per
// (portfolio, currency) to the last of 18 decimals, the portfolio left below zero is covered from
// the default one by an audited transfer, the account's total is unchanged, the portfolio-less
// account gets a portfolio holding its cash, and running it again changes nothing.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";
import Sqlite from "better-sqlite3";
import pg from "pg";
import { type Provider, openDatabase } from "../../src/db/client.ts";
import { runDataMigrations } from "../../src/db/data-migrations.ts";
import { PROJECT_ROOT, applyMigrations } from "../../src/db/migrate.ts";
import { runPrismaCli, writeMigrationConfig } from "../../src/db/prisma-cli.ts";
import { fromDb } from "../../src/lib/decimal.ts";
import { PROVIDERS, createTestDatabase } from "../support/db.ts";
import { adminQuery, pgUrl } from "../support/postgres.ts";

const MIGRATION = "20261204185538_cash_per_portfolio";
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tradedesk-cash-migration-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A copy of prisma/ without this migration and anything after it, and a config for it. */
function configBefore(provider: Provider): string {
  const dir = path.join(tmp, `prisma-${provider}`);
  fs.cpSync(path.join(PROJECT_ROOT, "prisma"), dir, { recursive: true });
  for (const folder of ["migrations", "migrations-postgres"]) {
    for (const name of fs.readdirSync(path.join(dir, folder))) {
      if (/^\d{14}_/.test(name) && name >= MIGRATION)
        fs.rmSync(path.join(dir, folder, name), { recursive: true });
    }
  }
  return writeMigrationConfig(path.join(tmp, `before-${provider}.config.mjs`), {
    schema: path.join(dir, provider === "sqlite" ? "schema.prisma" : "schema.postgres.prisma"),
    migrations: path.join(dir, provider === "sqlite" ? "migrations" : "migrations-postgres"),
  });
}

/** Writes rows of the old schema with the bare driver (the app's client knows only the new one). */
async function oldDatabase(
  provider: Provider,
  url: string,
): Promise<{
  insert(table: string, row: Record<string, unknown>): Promise<void>;
  close(): Promise<void>;
}> {
  const sql = (table: string, row: Record<string, unknown>, mark: (i: number) => string) =>
    `INSERT INTO "${table}" (${Object.keys(row)
      .map((c) => `"${c}"`)
      .join(", ")}) VALUES (${Object.keys(row)
      .map((_, i) => mark(i))
      .join(", ")})`;
  if (provider === "sqlite") {
    const db = new Sqlite(url.replace(/^file:/, ""));
    return {
      insert: async (table, row) => {
        // DateTime as Prisma's SQLite adapter writes it (ISO 8601), booleans as 0/1
        const values = Object.values(row).map((v) =>
          v instanceof Date ? v.toISOString() : typeof v === "boolean" ? Number(v) : v,
        );
        db.prepare(sql(table, row, () => "?")).run(...values);
      },
      close: async () => void db.close(),
    };
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const tables = new Set<string>();
  return {
    insert: async (table, row) => {
      tables.add(table);
      await client.query(
        sql(table, row, (i) => `$${i + 1}`),
        Object.values(row),
      );
    },
    close: async () => {
      // explicit ids do not move PostgreSQL's sequences: move them as the app's inserts would have
      for (const t of tables)
        await client.query(
          `SELECT setval(pg_get_serial_sequence('"${t}"', 'id'), (SELECT max(id) FROM "${t}"))`,
        );
      await client.end();
    },
  };
}

describe.each(PROVIDERS)("cash moves to portfolios on an existing %s database", (provider) => {
  const suffix = randomBytes(4).toString("hex");
  const pgName = `td_t_${inject("runId")}_cashmig_${suffix}`;
  const url =
    provider === "sqlite" ? `file:${path.join(tmp, `tradedesk-${suffix}.db`)}` : pgUrl(pgName);
  afterAll(async () => {
    if (provider === "postgres")
      await adminQuery(`DROP DATABASE IF EXISTS "${pgName}" WITH (FORCE)`);
  });

  it("assigns every row its portfolio, rechains exactly, covers the deficit, and runs once", async () => {
    if (provider === "postgres") await adminQuery(`CREATE DATABASE "${pgName}"`);
    const deployed = await runPrismaCli(["migrate", "deploy"], {
      databaseUrl: url,
      config: configBefore(provider),
    });
    expect(deployed.code, deployed.stderr).toBe(0);
    expect(deployed.stdout).not.toContain(MIGRATION);

    // the old shape: one cash chain per account, shared by its portfolios
    const at = new Date("2026-11-20T10:00:00Z");
    const old = await oldDatabase(provider, url);
    const insert = (table: string, row: Record<string, unknown>) => old.insert(table, row);
    try {
      await insert("brokers", { id: 1, code: "PAPER", name: "Paper", isPaper: true });
      await insert("users", { id: 1, uid: "u1", telegramUserId: "501", updatedAt: at });
      for (const [id, name] of [
        [1, "Broker"],
        [2, "Spare"],
      ] as const)
        await insert("accounts", {
          id,
          uid: `a${id}`,
          userId: 1,
          brokerId: 1,
          name,
          baseCurrency: "USD",
          updatedAt: at,
        });
      await insert("portfolios", {
        id: 1,
        uid: "p1",
        userId: 1,
        accountId: 1,
        name: "Main",
        defaultForUserId: 1,
        updatedAt: at,
      });
      await insert("portfolios", {
        id: 2,
        uid: "p2",
        userId: 1,
        accountId: 1,
        name: "Swing",
        updatedAt: at,
      });
      await insert("instruments", {
        id: 1,
        uid: "i1",
        symbol: "KO",
        exchange: "NYSE",
        assetType: "EQUITY",
        currency: "USD",
        tickSize: "0.01",
        lotSize: "1",
        minQty: "1",
        minNotional: "0",
      });
      const trades: Array<[number, number, string, string, string, string]> = [
        [1, 2, "BUY", "40", "75", "3"],
        [2, 1, "BUY", "10", "100", "0"],
        [3, 2, "SELL", "10", "100.123456789012345678", "0.5"],
      ];
      for (const [id, portfolioId, side, quantity, price, fee] of trades)
        await insert("trades", {
          id,
          uid: `t${id}`,
          portfolioId,
          instrumentId: 1,
          side,
          quantity,
          price,
          fee,
          feeCurrency: "USD",
          execTime: at,
          brokerTradeId: `b${id}`,
          meta: "{}",
        });
      const cash: Array<[number, number, string, string, string, number | null]> = [
        [1, 1, "DEPOSIT", "10000.1", "10000.1", null],
        [2, 1, "TRADE", "-3000", "7000.1", 1],
        [3, 1, "FEE", "-3", "6997.1", 1],
        [4, 1, "TRADE", "-1000", "5997.1", 2],
        [5, 1, "DEPOSIT", "0.000000000000000001", "5997.100000000000000001", null],
        [6, 1, "TRADE", "1001.23456789012345678", "6998.334567890123456781", 3],
        [7, 1, "FEE", "-0.5", "6997.834567890123456781", 3],
        [8, 2, "DEPOSIT", "200", "200", null],
      ];
      for (const [id, accountId, type, amount, balanceAfter, tradeId] of cash)
        await insert("cash_transactions", {
          id,
          uid: `c${id}`,
          accountId,
          type,
          currency: "USD",
          amount,
          balanceAfter,
          tradeId,
          createdAt: at,
        });
    } finally {
      await old.close();
    }

    // what start does: migrate deploy, then the queued data migration
    const { output } = await applyMigrations(url);
    expect(output).toContain(MIGRATION);
    const db = openDatabase(url);
    try {
      expect(await runDataMigrations(db)).toEqual(["cash-per-portfolio-chains"]);
      const rows = await db.prisma.cashTransaction.findMany({ orderBy: { id: "asc" } });
      const spare = await db.prisma.portfolio.findFirstOrThrow({ where: { accountId: 2 } });
      expect(spare).toMatchObject({ name: "Spare", userId: 1, defaultForUserId: null });
      expect(
        rows.map((r) => [
          r.id,
          r.portfolioId,
          r.type,
          fromDb(r.amount).toFixed(),
          fromDb(r.balanceAfter).toFixed(),
        ]),
      ).toEqual([
        [1, 1, "DEPOSIT", "10000.1", "10000.1"],
        [2, 2, "TRADE", "-3000", "-3000"],
        [3, 2, "FEE", "-3", "-3003"],
        [4, 1, "TRADE", "-1000", "9000.1"],
        [5, 1, "DEPOSIT", "0.000000000000000001", "9000.100000000000000001"],
        [6, 2, "TRADE", "1001.23456789012345678", "-2001.76543210987654322"],
        [7, 2, "FEE", "-0.5", "-2002.26543210987654322"],
        [8, spare.id, "DEPOSIT", "200", "200"],
        // Swing was left below zero: the default portfolio covers it
        [9, 1, "TRANSFER", "-2002.26543210987654322", "6997.834567890123456781"],
        [10, 2, "TRANSFER", "2002.26543210987654322", "0"],
      ]);
      // the account's cash is what its one chain said before
      expect(fromDb(rows[8]!.balanceAfter).plus(fromDb(rows[9]!.balanceAfter)).toFixed()).toBe(
        "6997.834567890123456781",
      );
      const audit = await db.prisma.auditLog.findFirstOrThrow({
        where: { entityType: "CASH", entityId: 9 },
      });
      expect(audit).toMatchObject({ actorId: null, action: "CREATE" });
      expect(audit.details).toMatchObject({ reason: "cash-per-portfolio-migration" });

      // once only
      expect(await runDataMigrations(db)).toEqual([]);
      expect(await db.prisma.cashTransaction.count()).toBe(10);
    } finally {
      await db.close();
    }
    // (with the app's connection closed, as at a restart)
    expect((await applyMigrations(url)).output).toContain("No pending migrations to apply.");
  });

  it("queues nothing on a database that had no cash yet", async () => {
    const fresh = await createTestDatabase(provider);
    try {
      expect(await runDataMigrations(fresh.db)).toEqual([]);
      expect(await fresh.db.prisma.dataMigration.count()).toBe(0);
    } finally {
      await fresh.drop();
    }
  });
});
