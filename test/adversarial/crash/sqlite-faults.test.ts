// SQLite faults under the running bot, each through the Telegram twin: a second process holding
// the write lock longer than the busy timeout, a backup (`npm run backup`) running while traders
// buy, and the disk holding the database file full (a small tmpfs). A command that meets the
// fault gets the short apology, nothing committed is lost, and the next command after the fault
// works without a restart.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";
import { openDatabase } from "../../../src/db/client.ts";
import { type Harness, startHarness } from "../../support/app-harness.ts";
import { approvedTrader, say } from "../../support/e2e-trader.ts";
import type { TestDatabase } from "../../support/db.ts";
import { recordOutcome } from "../support/figures.ts";
import { startChild } from "./child-process.ts";
import {
  type Outcome,
  buyThroughBot,
  confirmThroughBot,
  expectNothingLost,
  orderIds,
} from "./fault-support.ts";

const cleanup: Array<() => Promise<unknown> | void> = [];
afterAll(async () => {
  for (const fn of cleanup.reverse()) await fn();
});

describe("SQLite faults", () => {
  it("a second process holds the write lock past the busy timeout: an apology, then it works", async () => {
    // a failed check counts one failure (the orders it then finds missing are in its message)
    recordOutcome({
      category: "crash: SQLite write lock held past the busy timeout",
      db: "sqlite",
      attempts: 1,
      unit: "scenarios",
    });
    const h = await startHarness();
    cleanup.push(() => h.stop());
    const trader = await approvedTrader(h, { telegramId: 700101, firstName: "Lea" });
    const other = await approvedTrader(h, { telegramId: 700102, firstName: "Max" });
    const before = await buyThroughBot(h, trader);
    expect(before.kind).toBe("filled");

    // the card first, before the lock: its confirm is the order's write, and meets the lock from
    // its start (a /buy sent under the lock writes only its session, and its confirm, queued
    // behind it, could reach the database after the lock is gone)
    const card = await say(h, trader.user, "/buy BTCUSDT 0.001", (t) => /Confirm order/.test(t));
    const file = h.db.url.slice("file:".length);
    // The lock is held until the confirm has its answer (LOCK_MS only bounds a broken run): a
    // hold of a fixed length is outlasted by the queue in front of the confirm's write on a
    // loaded machine (every writer in that queue, a job's or the outbox's, waits out its own busy
    // timeout first: CI saw the confirm fill after a 34 s hold, behind three of them).
    const maxHoldMs = 120_000;
    const holder = startChild("test/adversarial/crash/hold-write-lock.ts", {
      LOCK_FILE: file,
      LOCK_MS: String(maxHoldMs),
    });
    cleanup.push(() => holder.kill());
    expect(await holder.line("LOCKED", 30_000)).not.toBeNull();
    const buying = confirmThroughBot(h, trader, card, maxHoldMs);
    await new Promise((r) => setTimeout(r, 1000));
    const asked = Date.now();
    const since = h.twin.mark();
    other.user.send("/help");
    await h.twin.waitForMessage(other.user.chatId, () => true, { since, timeoutMs: maxHoldMs });
    console.log(`/help answered in ${Date.now() - asked} ms while the lock was held`);
    const during = await buying;
    const heldMs = Date.now() - asked + 1000;
    holder.process.kill("SIGTERM");
    // 0: released by the test, not by its bound (3), so the confirm met a lock still held
    expect((await holder.exited).code).toBe(0);
    expect(during.kind).toBe("apology");

    const after = await buyThroughBot(h, trader);
    expect(after.kind).toBe("filled");
    await expectNothingLost(h, orderIds([before, after]));
    console.log(`sqlite fault (write lock held about ${heldMs} ms): 1 command, 1 apology, 0 lost`);
  }, 300_000);

  it("`npm run backup` while traders buy: every buy fills, the backup is whole", async () => {
    // a failed check counts one failure (the orders it then finds missing are in its message)
    recordOutcome({
      category: "crash: SQLite backup while traders buy",
      db: "sqlite",
      attempts: 1,
      unit: "scenarios",
    });
    const h = await startHarness();
    cleanup.push(() => h.stop());
    const traders = await Promise.all(
      [700201, 700202, 700203].map((id, i) =>
        approvedTrader(h, { telegramId: id, firstName: `B${i}` }),
      ),
    );
    const backupDir = fs.mkdtempSync(path.join(os.tmpdir(), "tradedesk-fault-backup-"));
    cleanup.push(() => fs.rmSync(backupDir, { recursive: true, force: true }));
    const backups: Array<ReturnType<typeof startChild>> = [];
    const buying = Promise.all(
      traders.map(async (t) => {
        const outcomes: Outcome[] = [];
        for (let i = 0; i < 3; i++) outcomes.push(await buyThroughBot(h, t));
        return outcomes;
      }),
    );
    // two backups one after the other while the buys go on
    for (let i = 0; i < 2; i++) {
      const backup = startChild("scripts/backup.ts", {
        DATABASE_URL: h.db.url,
        BACKUP_DIR: backupDir,
        LOG_LEVEL: "warn",
      });
      backups.push(backup);
      cleanup.push(() => backup.kill());
      expect((await backup.exited).code, backup.output()).toBe(0);
    }
    const outcomes = (await buying).flat();
    expect(outcomes.map((o) => o.kind)).toEqual(outcomes.map(() => "filled"));
    await expectNothingLost(h, orderIds(outcomes));
    const taken = fs.readdirSync(backupDir).filter((f) => f.endsWith(".db.gz"));
    expect(taken.length).toBeGreaterThanOrEqual(1);
    // the newest backup opens and passes SQLite's integrity check
    const restored = path.join(backupDir, "restored.db");
    execFileSync("sh", [
      "-c",
      `gunzip -c "${path.join(backupDir, taken.at(-1)!)}" > "${restored}"`,
    ]);
    const check = openDatabase(`file:${restored}`);
    const [row] =
      await check.prisma.$queryRawUnsafe<Array<{ integrity_check: string }>>(
        "PRAGMA integrity_check",
      );
    await check.close();
    expect(row?.integrity_check).toBe("ok");
    console.log(
      `sqlite fault (2 backups during ${outcomes.length} buys): ${outcomes.length} filled, 0 apologies, 0 lost`,
    );
  }, 120_000);

  it("the disk holding the database fills up: apologies, nothing lost, it works once space is back", async (ctx) => {
    const mount = fs.mkdtempSync(path.join(os.tmpdir(), "tradedesk-fault-disk-"));
    try {
      execFileSync("mount", ["-t", "tmpfs", "-o", "size=48m", "tmpfs", mount], { stdio: "pipe" });
    } catch (e) {
      fs.rmSync(mount, { recursive: true, force: true });
      ctx.skip(`a tmpfs cannot be mounted here (needs root): ${String(e).split("\n")[0]}`);
    }
    // (after the skip: a drill that could not run is no attempt)
    // a failed check counts one failure (the orders it then finds missing are in its message)
    recordOutcome({
      category: "crash: SQLite disk full",
      db: "sqlite",
      attempts: 1,
      unit: "scenarios",
    });
    cleanup.push(() => {
      execFileSync("umount", ["-l", mount]);
      fs.rmSync(mount, { recursive: true, force: true });
    });
    const file = path.join(mount, "bot.db");
    fs.copyFileSync(inject("sqliteTemplate"), file);
    const url = `file:${file}`;
    const db = openDatabase(url);
    const database: TestDatabase = { db, url, provider: "sqlite", drop: () => db.close() };
    const h: Harness = await startHarness({ database });
    cleanup.push(async () => {
      await h.stop();
      await database.drop();
    });
    const trader = await approvedTrader(h, { telegramId: 700301, firstName: "Dan" });
    const before = await buyThroughBot(h, trader);
    expect(before.kind).toBe("filled");

    // fill every byte left, then let the WAL be checkpointed and truncated, so SQLite has to grow
    // a file to write anything
    await h.app.database.prisma.$queryRawUnsafe("PRAGMA wal_checkpoint(TRUNCATE)");
    const filler = path.join(mount, "filler");
    fillDisk(filler);
    const during: Outcome[] = [];
    for (let i = 0; i < 3; i++) during.push(await buyThroughBot(h, trader));
    expect(during.some((o) => o.kind === "apology")).toBe(true);

    fs.rmSync(filler);
    const after = await buyThroughBot(h, trader);
    expect(after.kind).toBe("filled");
    await expectNothingLost(h, orderIds([before, ...during, after]));
    const [row] =
      await h.app.database.prisma.$queryRawUnsafe<Array<{ integrity_check: string }>>(
        "PRAGMA integrity_check",
      );
    expect(row?.integrity_check).toBe("ok");
    const apologies = during.filter((o) => o.kind === "apology").length;
    console.log(
      `sqlite fault (disk full): ${during.length} commands, ${apologies} apologies, 0 lost`,
    );
  }, 120_000);
});

/** Writes `file` until the file system has no space left. */
function fillDisk(file: string): void {
  const chunk = Buffer.alloc(1 << 20);
  const fd = fs.openSync(file, "w");
  try {
    for (;;) {
      try {
        fs.writeSync(fd, chunk);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "ENOSPC") throw e;
        // the last few bytes, in smaller pieces
        for (let size = 1 << 16; size >= 1; size >>= 1) {
          try {
            for (;;) fs.writeSync(fd, chunk.subarray(0, size));
          } catch {
            // that size no longer fits: try a smaller one
          }
        }
        return;
      }
    }
  } finally {
    fs.closeSync(fd);
  }
}
