// The backup job's decision on a hand-moved clock: a backup when none exists or the newest is an
// interval old, nothing in between; a failed scheduled run notifies the admins at CRITICAL and
// is retried one interval later, not at every tick; retention prunes after a good backup. And
// a clear message when pg_dump is not installed.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { listBackups } from "../../../src/db/backup/backup-files.ts";
import { MissingToolError, pgDump } from "../../../src/db/backup/pg-tools.ts";
import { BackupFailedError, BackupService } from "../../../src/domain/backups/backup-service.ts";
import { backupJob } from "../../../src/jobs/backups.ts";
import { type TestDatabase } from "../../support/db.ts";
import { type TestWorld } from "../../support/fixtures.ts";
import { useTestWorld } from "../../support/test-world.ts";

const MINUTE = 60_000;

describe("the backup job's schedule (SQLite)", () => {
  let tdb: TestDatabase;
  let world: TestWorld;
  let root: string;
  useTestWorld("sqlite", async (t) => {
    ({ tdb, world } = t);
    root = fs.mkdtempSync(path.join(os.tmpdir(), "tradedesk-bk-schedule-"));
  });
  afterAll(async () => {
    fs.rmSync(root, { recursive: true, force: true });
  });

  it("backs up once per interval, prunes by tiers, and retries a failure an interval later", async () => {
    const dir = path.join(root, "backups");
    const backups = new BackupService(
      world.services.ctx,
      { url: tdb.url, dir, intervalMs: 60 * MINUTE, retention: { hourly: 2, daily: 0, weekly: 0 } },
      world.services.notifications,
    );
    backups.useAlertRenderer({
      render: (failure) => ({ title: "Backup failed", message: failure.reason, format: "text" }),
    });
    const job = backupJob(backups);
    world.clock.set("2026-03-10T12:00:00Z");
    expect(await job.run()).not.toBeNull();
    world.clock.advance(30 * MINUTE);
    expect(await job.run()).toBeNull();
    world.clock.advance(30 * MINUTE);
    expect(await job.run()).not.toBeNull();
    world.clock.advance(60 * MINUTE);
    const third = await backups.runIfDue();
    expect(third?.pruned).toHaveLength(1);
    expect(listBackups(dir).map((b) => b.takenAt.toISOString())).toEqual([
      "2026-03-10T14:00:00.000Z",
      "2026-03-10T13:00:00.000Z",
    ]);

    // the folder becomes unusable: one failure, one notice, no retry at the next tick
    const admin = await world.services.users.registerFromTelegram({
      telegramUserId: "1",
      firstName: "Admin",
    });
    await world.services.chats.registerPrivateChat(admin.id, "1");
    fs.rmSync(dir, { recursive: true });
    fs.writeFileSync(dir, "not a folder");
    world.clock.advance(60 * MINUTE);
    await expect(backups.runIfDue()).rejects.toBeInstanceOf(BackupFailedError);
    world.clock.advance(MINUTE);
    expect(await backups.runIfDue()).toBeNull();
    const notices = await tdb.db.prisma.notificationOutbox.findMany({
      where: { dedupeKey: { startsWith: "backup-failed:" } },
    });
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ severity: "CRITICAL", userId: admin.id, status: "PENDING" });
    fs.rmSync(dir);
    world.clock.advance(60 * MINUTE);
    expect(await backups.runIfDue()).not.toBeNull();
  });

  it("says clearly when pg_dump is not on PATH", async () => {
    const saved = process.env.PATH;
    process.env.PATH = root;
    try {
      const attempt = pgDump("postgresql://postgres@127.0.0.1:5432/postgres", path.join(root, "x"));
      await expect(attempt).rejects.toBeInstanceOf(MissingToolError);
      await expect(
        pgDump("postgresql://postgres@127.0.0.1:5432/postgres", path.join(root, "x")),
      ).rejects.toThrow(/pg_dump was not found on PATH\. Install the PostgreSQL client tools/);
    } finally {
      process.env.PATH = saved;
    }
  });
});
