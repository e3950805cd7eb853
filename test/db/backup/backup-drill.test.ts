// The backup drill, on both databases: a database filled through the services (users, paper
// portfolios, orders, fills), backed up while fills keep being ingested in the same process,
// restored into a new database; the restored database passes its integrity check, holds every
// row committed before the backup began, and its positions equal a recompute from its trades.
// Also: restore refuses while a bot runs on the target, refuses a damaged backup without touching
// anything, keeps the replaced database aside; PostgreSQL restores only into an empty database
// unless forced.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CHECKSUM_SUFFIX, listBackups } from "../../../src/db/backup/backup-files.ts";
import {
  RestoreRefusedError,
  restorePostgres,
  restoreSqlite,
} from "../../../src/db/backup/restore.ts";
import { checkIntegrity, sqliteTableCounts } from "../../../src/db/backup/sqlite-backup.ts";
import { type Database, openDatabase } from "../../../src/db/client.ts";
import { holdRuntimeLease } from "../../../src/db/runtime-lease.ts";
import { sqlitePath } from "../../../src/db/url.ts";
import { BackupService } from "../../../src/domain/backups/backup-service.ts";
import { SYSTEM } from "../../../src/domain/users/actor.ts";
import { Decimal } from "../../../src/lib/decimal.ts";
import { PROVIDERS, type TestDatabase } from "../../support/db.ts";
import {
  type TestWorld,
  approvedUser,
  createWorld,
  paperPortfolio,
} from "../../support/fixtures.ts";
import { adminQuery, pgUrl } from "../../support/postgres.ts";
import { useTestWorld } from "../../support/test-world.ts";

const d = (v: string) => new Decimal(v);

describe.each(PROVIDERS)("backup drill on %s", (provider) => {
  let tdb: TestDatabase;
  let world: TestWorld;
  let dir: string;
  let backups: BackupService;
  const portfolioIds: number[] = [];
  const cleanup: Array<() => Promise<unknown>> = [];
  let seq = 0;

  useTestWorld(provider, async (t) => {
    ({ tdb, world } = t);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "tradedesk-backups-"));
    backups = new BackupService(
      world.services.ctx,
      {
        url: tdb.url,
        dir,
        intervalMs: 3_600_000,
        retention: { hourly: 24, daily: 7, weekly: 4 },
        // a small database in many steps, so the copy and the writes really interleave
        sqlitePagesPerStep: 4,
      },
      world.services.notifications,
    );
    const { orders, trades } = world.services;
    for (const name of ["Ann", "Bob"]) {
      const actor = await approvedUser(world, name);
      for (const p of ["Main", "Swing"]) {
        const portfolio = await paperPortfolio(world, actor, { name: p, cash: "1000000" });
        portfolioIds.push(portfolio.id);
        const order = await orders.place(actor, {
          portfolioId: portfolio.id,
          symbol: "ETHUSDT",
          side: "BUY",
          type: "LIMIT",
          quantity: d("2"),
          price: d("3000"),
        });
        for (const q of ["0.5", "1.5"]) {
          await trades.ingestFill(SYSTEM, {
            portfolioId: portfolio.id,
            orderId: order.id,
            symbol: "ETHUSDT",
            side: "BUY",
            quantity: d(q),
            price: d("2999.5"),
            fee: d("0.3"),
            execTime: world.clock.now(),
            brokerTradeId: `drill-${++seq}`,
          });
        }
        for (let i = 0; i < 20; i++) await ingest(portfolio.id);
      }
    }
  });
  afterAll(async () => {
    for (const fn of cleanup.reverse()) await fn();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** One fill through TradeService: buys and sells around a small long, with fees. */
  async function ingest(portfolioId: number): Promise<void> {
    const n = ++seq;
    world.clock.advance(1000);
    await world.services.trades.ingestFill(SYSTEM, {
      portfolioId,
      symbol: n % 3 === 0 ? "BTCUSDT" : "ETHUSDT",
      side: n % 4 === 0 ? "SELL" : "BUY",
      quantity: d(n % 3 === 0 ? "0.001" : "0.01"),
      price: d(n % 3 === 0 ? `${43000 + (n % 17)}` : `${3000 + (n % 13)}.25`),
      fee: d("0.05"),
      execTime: world.clock.now(),
      brokerTradeId: `drill-${n}`,
    });
  }

  async function committedRows(db: Database) {
    const trades = await db.prisma.trade.findMany({ orderBy: { id: "asc" } });
    const orders = await db.prisma.order.findMany({ orderBy: { id: "asc" } });
    const audit = await db.prisma.auditLog.findMany({ orderBy: { id: "asc" } });
    const cash = await db.prisma.cashTransaction.findMany({ orderBy: { id: "asc" } });
    return {
      trades: trades.map(
        (t) => `${t.id} ${t.uid} ${t.side} ${String(t.quantity)} ${String(t.price)}`,
      ),
      orders: orders.map((o) => `${o.id} ${o.clientOrderId}`),
      audit: audit.map((a) => `${a.id} ${a.entityType} ${a.action}`),
      cash: cash.map((c) => `${c.id} ${String(c.amount)} ${String(c.balanceAfter)}`),
    };
  }

  async function restoredDatabase(file: string): Promise<Database> {
    if (provider === "sqlite") {
      const target = path.join(dir, `restored-${Date.now()}.db`);
      const result = await restoreSqlite(file, target);
      expect(result.keptAside).toEqual([]);
      expect(result.counts.trades).toBeGreaterThan(0);
      checkIntegrity(target);
      const db = openDatabase(`file:${target}`);
      cleanup.push(() => db.close());
      return db;
    }
    const name = `${new URL(tdb.url).pathname.slice(1)}_r${Date.now().toString(36)}`;
    await adminQuery(`CREATE DATABASE "${name}"`);
    const url = pgUrl(name);
    const result = await restorePostgres(file, url);
    expect(result.counts.trades).toBeGreaterThan(0);
    const db = openDatabase(url, { poolSize: 2 });
    cleanup.push(async () => {
      await db.close();
      await adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    });
    return db;
  }

  it("backs up while fills keep coming; the restore has every committed row and consistent positions", async () => {
    const before = await committedRows(tdb.db);
    let writing = true;
    let duringBackup = 0;
    const writer = (async () => {
      for (let i = 0; writing; i++) {
        // updates reach a bot as I/O events; without a macrotask turn this loop (better-sqlite3
        // answers synchronously, inside promises) would never let the backup's steps run
        await new Promise((resolve) => setImmediate(resolve));
        await ingest(portfolioIds[i % portfolioIds.length]!);
        duringBackup++;
      }
    })();
    const outcome = await backups.run("cli");
    const writtenWhileBackingUp = duringBackup;
    writing = false;
    await writer;
    expect(writtenWhileBackingUp).toBeGreaterThan(0);
    expect(fs.existsSync(outcome.file)).toBe(true);
    expect(fs.existsSync(outcome.file + CHECKSUM_SUFFIX)).toBe(true);
    expect(outcome.file).toMatch(provider === "sqlite" ? /\.db\.gz$/ : /\.pgdump$/);
    expect(listBackups(dir).map((b) => b.file)).toEqual([outcome.file]);

    const restored = await restoredDatabase(outcome.file);
    const after = await committedRows(restored);
    for (const table of ["trades", "orders", "audit", "cash"] as const) {
      expect(after[table].slice(0, before[table].length)).toEqual(before[table]);
    }
    // a snapshot, not a torn copy: no trade is missing below the highest one restored
    const ids = after.trades.map((t) => Number(t.split(" ")[0]));
    const all = (await committedRows(tdb.db)).trades.map((t) => Number(t.split(" ")[0]));
    expect(ids).toEqual(all.slice(0, ids.length));
    const restoredWorld = createWorld(restored);
    for (const id of portfolioIds) {
      expect(await restoredWorld.services.positions.verify(restored.prisma, id)).toEqual([]);
      expect(await restored.prisma.position.count({ where: { portfolioId: id } })).toBeGreaterThan(
        0,
      );
    }
  });

  it("refuses a damaged backup before touching anything", async () => {
    const outcome = await backups.run("cli");
    const damaged = path.join(dir, path.basename(outcome.file).replace(/-(\d{8}T)/, "-x$1"));
    const bytes = fs.readFileSync(outcome.file);
    const mid = bytes.length >> 1;
    bytes[mid] = bytes[mid]! ^ 0xff;
    fs.writeFileSync(damaged, bytes);
    fs.copyFileSync(outcome.file + CHECKSUM_SUFFIX, damaged + CHECKSUM_SUFFIX);
    if (provider === "sqlite") {
      const target = path.join(dir, "untouched.db");
      fs.writeFileSync(target, "current");
      await expect(restoreSqlite(damaged, target)).rejects.toThrow(/checksum mismatch/);
      expect(fs.readFileSync(target, "utf8")).toBe("current");
      expect(fs.readdirSync(dir).filter((f) => f.startsWith("untouched.db."))).toEqual([]);
    } else {
      const name = `${new URL(tdb.url).pathname.slice(1)}_x`;
      await adminQuery(`CREATE DATABASE "${name}"`);
      cleanup.push(() => adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
      await expect(restorePostgres(damaged, pgUrl(name))).rejects.toThrow(/checksum mismatch/);
      const tables = await adminQuery(`SELECT 1 FROM pg_database WHERE datname = $1`, [name]);
      expect(tables).toHaveLength(1);
    }
  });

  if (provider === "sqlite") {
    it("refuses while a bot holds the database, keeps the replaced file aside otherwise", async () => {
      const [latest] = listBackups(dir);
      const target = path.join(dir, "live.db");
      await restoreSqlite(latest!.file, target);
      const countsBefore = sqliteTableCounts(target);
      // a running bot: the lease app.start() takes
      const lease = holdRuntimeLease(`file:${target}`);
      try {
        const refused = restoreSqlite(latest!.file, target);
        await expect(refused).rejects.toBeInstanceOf(RestoreRefusedError);
        await expect(restoreSqlite(latest!.file, target)).rejects.toThrow(/a bot is running/);
      } finally {
        lease.release();
      }
      // a lease left by a process that died is not a running bot
      fs.writeFileSync(
        `${target}.running-999999999-1`,
        JSON.stringify({ pid: 999_999_999, host: os.hostname(), startedAt: "2026-01-01" }),
      );
      const at = new Date("2026-03-10T12:34:56Z");
      const result = await restoreSqlite(latest!.file, target, at);
      expect(result.keptAside).toEqual([`${target}.before-restore-20260310T123456000Z`]);
      expect(sqliteTableCounts(result.keptAside[0]!)).toEqual(countsBefore);
      expect(result.counts).toEqual(sqliteTableCounts(target));
    });

    it("restore refuses while the bot runs on the database (the app's own lease)", async () => {
      const lease = holdRuntimeLease(tdb.url);
      try {
        const [latest] = listBackups(dir);
        await expect(restoreSqlite(latest!.file, sqlitePath(tdb.url))).rejects.toThrow(
          /a bot is running/,
        );
      } finally {
        lease.release();
      }
    });
  } else {
    it("restores into a non-empty database only with --force, and never while others are connected", async () => {
      const [latest] = listBackups(dir);
      // the test's own database is non-empty and its client is connected
      await expect(restorePostgres(latest!.file, tdb.url)).rejects.toThrow(
        /other session\(s\) are connected/,
      );
      const name = `${new URL(tdb.url).pathname.slice(1)}_f`;
      await adminQuery(`CREATE DATABASE "${name}"`);
      cleanup.push(() => adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
      const url = pgUrl(name);
      const first = await restorePostgres(latest!.file, url);
      await expect(restorePostgres(latest!.file, url)).rejects.toThrow(/is not empty/);
      const forced = await restorePostgres(latest!.file, url, { force: true });
      expect(forced.counts).toEqual(first.counts);
      expect(forced.keptAside).toHaveLength(1);
      expect(fs.existsSync(forced.keptAside[0]!)).toBe(true);
      const source = await tdb.db.prisma.trade.count();
      expect(forced.counts.trades).toBeLessThanOrEqual(source);
    });
  }
});
