// OutboxAdminService against real SQLite and PostgreSQL: counts by state, the oldest waiting
// row, paged dead letters with their last error, and requeueing (audited, admins only).
import { describe, expect, it } from "vitest";
import { ForbiddenError, ValidationError } from "../../../src/domain/errors.ts";
import { PROVIDERS, type TestDatabase } from "../../support/db.ts";
import { type TestWorld } from "../../support/fixtures.ts";
import {
  type NotificationWorld,
  adminWithPrivateChat,
  notificationServices,
  userWithPrivateChat,
} from "./support.ts";
import { useTestWorld } from "../../support/test-world.ts";

describe.each(PROVIDERS)("OutboxAdminService on %s", (provider) => {
  let tdb: TestDatabase;
  let world: TestWorld;
  let svc: NotificationWorld;
  useTestWorld(provider, async (t) => {
    ({ tdb, world } = t);
    svc = notificationServices(world);
  });

  it("reports the queue and requeues dead letters, skipping chats that are still blocked", async () => {
    const admin = await adminWithPrivateChat(world, svc.chats);
    const alice = await userWithPrivateChat(world, svc.chats, "Alice");
    const bob = await userWithPrivateChat(world, svc.chats, "Bob");
    const enqueue = (userId: number, key: string) =>
      svc.notifications.enqueue(tdb.db.prisma, {
        userId,
        type: "ALERT_TRIGGERED",
        severity: "WARNING",
        title: `Alert ${key}`,
        message: "price crossed",
        format: "text",
        dedupeKey: key,
      });
    const enqueuedAt = world.clock.now();
    for (let i = 0; i < 5; i++) await enqueue(alice.actor.id, `a${i}`);
    await enqueue(bob.actor.id, "b0");
    world.clock.advance(90_000);
    // what the drainer would have done: three sent, two dead letters, Bob's chat blocked
    const rows = await tdb.db.prisma.notificationOutbox.findMany({ orderBy: { id: "asc" } });
    const [a0, a1, a2, a3] = rows;
    await tdb.db.prisma.notificationOutbox.updateMany({
      where: { id: { in: [a0!.id, a1!.id] } },
      data: { status: "SENT", sentAt: world.clock.now() },
    });
    await tdb.db.prisma.notificationOutbox.updateMany({
      where: { id: { in: [a2!.id, a3!.id] } },
      data: { status: "FAILED", failCount: 8, lastError: "502: Bad Gateway" },
    });
    await svc.chats.markInactive(bob.telegramUserId, "bot was blocked by the user");

    const stats = await svc.outboxAdmin.stats(admin.actor, { pageSize: 2 });
    expect(stats.counts).toEqual({ PENDING: 1, SENDING: 0, SENT: 2, FAILED: 3 });
    expect(stats.oldestPendingAt).toEqual(enqueuedAt);
    expect(stats.oldestPendingAgeMs).toBe(90_000);
    expect(stats.failed.total).toBe(3);
    expect(stats.failed.rows).toHaveLength(2);
    const page2 = await svc.outboxAdmin.stats(admin.actor, { page: 2, pageSize: 2 });
    const failed = [...stats.failed.rows, ...page2.failed.rows];
    expect(failed.map((r) => r.id).sort()).toEqual(
      [a2!.id, a3!.id, rows[5]!.id].sort((x, y) => x - y),
    );
    expect(failed.find((r) => r.id === a2!.id)).toMatchObject({
      lastError: "502: Bad Gateway",
      failCount: 8,
      telegramChatId: alice.telegramUserId,
      chatActive: true,
    });

    const result = await svc.outboxAdmin.requeue(admin.actor, "all-failed");
    expect(result).toEqual({ requeued: 2, skippedInactiveChat: 1 });
    const again = await tdb.db.prisma.notificationOutbox.findMany({
      where: { id: { in: [a2!.id, a3!.id] } },
    });
    for (const r of again) {
      expect(r).toMatchObject({ status: "PENDING", failCount: 0, claimedBy: null });
      expect(r.nextAttemptAt).toEqual(world.clock.now());
    }
    const entry = await tdb.db.prisma.auditLog.findFirstOrThrow({
      where: { entityType: "OUTBOX", action: "REQUEUE" },
    });
    expect(entry.actorId).toBe(admin.actor.id);
    expect(entry.details).toMatchObject({ requeued: 2, ids: [a2!.id, a3!.id] });

    // by id: only FAILED rows move
    expect(await svc.outboxAdmin.requeue(admin.actor, [a0!.id])).toEqual({
      requeued: 0,
      skippedInactiveChat: 0,
    });
    await expect(svc.outboxAdmin.requeue(admin.actor, [])).rejects.toBeInstanceOf(ValidationError);
  });

  it("is for admins only", async () => {
    const carol = await userWithPrivateChat(world, svc.chats, "Carol");
    await expect(svc.outboxAdmin.stats(carol.actor)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(svc.outboxAdmin.requeue(carol.actor, "all-failed")).rejects.toBeInstanceOf(
      ForbiddenError,
    );
  });
});
