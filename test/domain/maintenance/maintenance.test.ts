// Maintenance and retention on both databases, on a hand-moved clock: the daily optimize (SQLite)
// or ANALYZE (PostgreSQL) once per day, VACUUM only in its weekly quiet hour, the WAL checkpoint
// past its threshold; retention prunes exactly what is past its period and nothing that is kept
// forever.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { MaintenanceService } from "../../../src/domain/maintenance/maintenance-service.ts";
import {
  DEFAULT_RETENTION_SETTINGS,
  RetentionService,
} from "../../../src/domain/maintenance/retention-service.ts";
import { maintenanceJob, retentionJob } from "../../../src/jobs/maintenance.ts";
import { PROVIDERS, type TestDatabase } from "../../support/db.ts";
import { type TestWorld, approvedUser } from "../../support/fixtures.ts";
import { useTestWorld } from "../../support/test-world.ts";

const DAY = 86_400_000;

describe.each(PROVIDERS)("maintenance and retention on %s", (provider) => {
  let tdb: TestDatabase;
  let world: TestWorld;
  useTestWorld(provider, async (t) => {
    ({ tdb, world } = t);
  });

  it("runs the daily task once a day and VACUUM only in its weekly hour", async () => {
    const maintenance = new MaintenanceService(world.services.ctx, {
      url: tdb.url,
      walCheckpointBytes: 1024 ** 3,
      dailyAtMinute: 3 * 60 + 30,
      vacuum: { weekday: 0, minuteOfDay: 4 * 60 },
    });
    const job = maintenanceJob(maintenance);
    const tasks = async (iso: string) => {
      world.clock.set(iso);
      return (await maintenance.tick()).map((r) => r.task);
    };
    const daily = provider === "sqlite" ? "optimize" : "analyze";
    // Saturday 2026-03-14: the first tick after a start runs the daily task
    expect(await tasks("2026-03-14T10:00:00Z")).toEqual([daily]);
    expect(await tasks("2026-03-14T23:59:00Z")).toEqual([]);
    expect(await tasks("2026-03-15T03:29:00Z")).toEqual([]);
    expect(await tasks("2026-03-15T03:30:00Z")).toEqual([daily]);
    // Sunday 04:00–05:00 is the quiet hour: VACUUM once (SQLite only)
    const vacuum = provider === "sqlite" ? ["vacuum"] : [];
    expect(await tasks("2026-03-15T04:00:30Z")).toEqual(vacuum);
    expect(await tasks("2026-03-15T04:30:00Z")).toEqual([]);
    expect(await tasks("2026-03-15T05:01:00Z")).toEqual([]);
    // a week later, started after the hour: missed, not run late
    expect(await tasks("2026-03-22T05:10:00Z")).toEqual([daily]);
    expect(job.name).toBe("maintenance");
  });

  if (provider === "sqlite") {
    it("checkpoints the WAL (TRUNCATE) once it grows past the threshold", async () => {
      const maintenance = new MaintenanceService(world.services.ctx, {
        url: tdb.url,
        walCheckpointBytes: 64 * 1024,
        dailyAtMinute: 0,
        vacuum: { weekday: 3, minuteOfDay: 0 },
      });
      world.clock.set("2026-03-14T10:00:00Z");
      await maintenance.tick(); // the daily task, out of the way
      // grow the WAL: sessions are cheap rows
      for (let i = 0; i < 400; i++) {
        await tdb.db.prisma.session.create({ data: { key: `wal-${i}`, value: "x".repeat(500) } });
      }
      expect(maintenance.walBytes()).toBeGreaterThan(64 * 1024);
      const [run] = await maintenance.tick();
      expect(run?.task).toBe("checkpoint");
      expect(run?.detail?.walBytesAfter).toBe(0);
      expect(await maintenance.tick()).toEqual([]);
      await tdb.db.prisma.session.deleteMany({ where: { key: { startsWith: "wal-" } } });
    });
  }

  it("prunes what is past its period, with counts, and keeps trading history", async () => {
    const { prisma } = tdb.db;
    const now = new Date("2026-06-01T12:00:00Z");
    world.clock.set(now);
    const ago = (days: number) => new Date(now.getTime() - days * DAY);
    const actor = await approvedUser(world, "Retention");
    const chat = await prisma.telegramChat.create({
      data: {
        uid: randomUUID(),
        chatId: String(880000 + Math.floor(Math.random() * 1000)),
        type: "PRIVATE",
        userId: actor.id,
      },
    });
    const outbox = (status: "SENT" | "FAILED" | "PENDING", at: Date) =>
      prisma.notificationOutbox.create({
        data: {
          uid: randomUUID(),
          chatId: chat.id,
          userId: actor.id,
          type: "REPORT",
          severity: "INFO",
          title: "t",
          message: "m",
          dedupeKey: randomUUID(),
          status,
          sentAt: status === "SENT" ? at : null,
          createdAt: at,
          updatedAt: at,
        },
      });
    await outbox("SENT", ago(31));
    await outbox("SENT", ago(29));
    await outbox("FAILED", ago(91));
    await outbox("FAILED", ago(60));
    await outbox("PENDING", ago(200)); // never pruned: not delivered yet
    const session = (key: string, at: Date) =>
      prisma.session.create({ data: { key, value: "{}", updatedAt: at } });
    await session("ret-old", ago(8));
    await session("conv:ret-old", ago(8));
    await session("ret-new", ago(1));
    await prisma.chatLinkCode.create({
      data: { userId: actor.id, code: `R-${randomUUID()}`, expiresAt: ago(8) },
    });
    await prisma.chatLinkCode.create({
      data: { userId: actor.id, code: `R-${randomUUID()}`, expiresAt: ago(1) },
    });
    const forever = async () => ({
      users: await prisma.user.count(),
      audit: await prisma.auditLog.count(),
      trades: await prisma.trade.count(),
      orders: await prisma.order.count(),
      cash: await prisma.cashTransaction.count(),
    });
    const kept = await forever();

    const retention = new RetentionService(world.services.ctx, DEFAULT_RETENTION_SETTINGS);
    const counts = await retention.prune();
    expect(counts).toEqual({
      sentNotifications: 1,
      deadLetters: 1,
      sessions: 1,
      conversations: 1,
      linkCodes: 1,
    });
    expect(await prisma.notificationOutbox.count({ where: { chatId: chat.id } })).toBe(3);
    expect(
      (await prisma.session.findMany({ where: { key: { contains: "ret-" } } })).map((s) => s.key),
    ).toEqual(["ret-new"]);
    expect(await forever()).toEqual(kept);
    // idempotent; a period is configurable
    expect(Object.values((await retentionJob(retention).run()) as object)).toEqual([0, 0, 0, 0, 0]);
    const strict = new RetentionService(world.services.ctx, {
      ...DEFAULT_RETENTION_SETTINGS,
      sentNotificationsDays: 7,
    });
    expect((await strict.prune()).sentNotifications).toBe(1);
  });

  it("sessions written through Prisma (as grammY's storage writes them) carry their time", async () => {
    const { prisma } = tdb.db;
    await prisma.session.upsert({
      where: { key: "stamp" },
      create: { key: "stamp", value: "{}" },
      update: { value: "{}" },
    });
    const row = await prisma.session.findUniqueOrThrow({ where: { key: "stamp" } });
    expect(Math.abs(row.updatedAt.getTime() - Date.now())).toBeLessThan(60_000);
  });
});
