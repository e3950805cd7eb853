// The claim query against real SQLite and PostgreSQL: due rows only, in order per chat (never
// past a row that waits for a retry or that another drainer holds), round-robin across chats with
// a per-chat cap, expired leases taken over, and writes that only land under a live claim.
import { describe, expect, it } from "vitest";
import { ChatService } from "../../../src/domain/notifications/chat-service.ts";
import { NotificationService } from "../../../src/domain/notifications/notification-service.ts";
import { OutboxStore } from "../../../src/domain/notifications/outbox-store.ts";
import { PROVIDERS, type TestDatabase } from "../../support/db.ts";
import { type TestWorld, approvedUser } from "../../support/fixtures.ts";
import { useTestWorld } from "../../support/test-world.ts";

describe.each(PROVIDERS)("OutboxStore on %s", (provider) => {
  let tdb: TestDatabase;
  let world: TestWorld;
  let chats: ChatService;
  let notifications: NotificationService;
  useTestWorld(provider, async (t) => {
    ({ tdb, world } = t);
    chats = new ChatService(world.services.ctx);
    notifications = new NotificationService(world.services.ctx);
  });

  /** A user with a private chat and `count` notifications queued for it; returns row ids. */
  async function chatWithRows(count: number, tag: string): Promise<number[]> {
    const actor = await approvedUser(world, tag);
    const user = await world.services.users.getById(actor.id);
    await chats.registerPrivateChat(actor.id, user.telegramUserId);
    for (let i = 0; i < count; i++) {
      await notifications.enqueue(tdb.db.prisma, {
        userId: actor.id,
        type: "REPORT",
        severity: "INFO",
        title: `${tag} ${i}`,
        message: "m",
        format: "text",
        dedupeKey: `${tag}-${i}`,
      });
    }
    const rows = await tdb.db.prisma.notificationOutbox.findMany({
      where: { userId: actor.id },
      orderBy: { id: "asc" },
    });
    return rows.map((r) => r.id);
  }

  const reset = () =>
    tdb.db.prisma.notificationOutbox.updateMany({
      data: { status: "SENT", claimedBy: null, claimedUntil: null },
    });

  it("claims round-robin across chats, at most perChat each, in id order within a chat", async () => {
    await reset();
    const a = await chatWithRows(5, "rr-a");
    const b = await chatWithRows(2, "rr-b");
    const c = await chatWithRows(3, "rr-c");
    const store = new OutboxStore(tdb.db, "w1");
    const now = world.clock.now();
    const first = await store.claim({ now, limit: 5, perChat: 3, leaseMs: 60_000 });
    // first rows of every chat, then second rows...
    expect(first.map((r) => r.id).sort((x, y) => x - y)).toEqual(
      [a[0], a[1], b[0], b[1], c[0]].sort((x, y) => x! - y!),
    );
    expect(first[0]).toMatchObject({ chatType: "PRIVATE", chatActive: true, partsSent: 0 });
    // the cap counts what w1 already holds: A has 2 held, so 1 more; C gets its next two
    const second = await store.claim({ now, limit: 10, perChat: 3, leaseMs: 60_000 });
    expect(second.map((r) => r.id)).toEqual([a[2], c[1], c[2]]);
    // another drainer cannot take A's later rows while w1 holds earlier ones
    const other = new OutboxStore(tdb.db, "w2");
    expect(await other.claim({ now, limit: 10, perChat: 10, leaseMs: 60_000 })).toEqual([]);
  });

  it("never claims past a row that waits for a retry, and takes over expired leases", async () => {
    await reset();
    const rows = await chatWithRows(3, "retry");
    const w1 = new OutboxStore(tdb.db, "w1");
    const now = world.clock.now();
    const claimed = await w1.claim({ now, limit: 1, perChat: 10, leaseMs: 60_000 });
    expect(claimed.map((r) => r.id)).toEqual([rows[0]]);
    // the first row failed transiently: due again in 30 s; the rest of the chat waits with it
    expect(await w1.retryLater(rows[0]!, new Date(now.getTime() + 30_000), "502", 1)).toBe(true);
    expect(await w1.claim({ now, limit: 10, perChat: 10, leaseMs: 60_000 })).toEqual([]);
    const later = new Date(now.getTime() + 30_000);
    const resumed = await w1.claim({ now: later, limit: 10, perChat: 10, leaseMs: 60_000 });
    expect(resumed.map((r) => r.id)).toEqual(rows);
    expect(resumed[0]!.failCount).toBe(1);

    // w1 dies holding them: after the lease, w2 takes them over, and w1's writes no longer land
    const w2 = new OutboxStore(tdb.db, "w2");
    const during = new Date(later.getTime() + 59_000);
    expect(await w2.claim({ now: during, limit: 10, perChat: 10, leaseMs: 60_000 })).toEqual([]);
    const after = new Date(later.getTime() + 60_001);
    const taken = await w2.claim({ now: after, limit: 10, perChat: 10, leaseMs: 60_000 });
    expect(taken.map((r) => r.id)).toEqual(rows);
    expect(await w1.sent(rows[0]!, 1, after)).toBe(false);
    expect(await w2.partSent(rows[0]!, 1)).toBe(true);
    expect(await w2.sent(rows[0]!, 2, after)).toBe(true);
    const row = await tdb.db.prisma.notificationOutbox.findUniqueOrThrow({
      where: { id: rows[0] },
    });
    expect(row).toMatchObject({ status: "SENT", partsSent: 2, claimedBy: null });

    // releasing gives rows back, due as before
    await w2.release([rows[1]!, rows[2]!]);
    const back = await tdb.db.prisma.notificationOutbox.findMany({
      where: { id: { in: [rows[1]!, rows[2]!] } },
    });
    expect(back.every((r) => r.status === "PENDING" && r.claimedBy === null)).toBe(true);
  });

  it("renews leases only for the rows it names, and releases all rows of a reused worker id", async () => {
    await reset();
    const rows = await chatWithRows(2, "lease");
    const w1 = new OutboxStore(tdb.db, "w1");
    const now = world.clock.now();
    await w1.claim({ now, limit: 10, perChat: 10, leaseMs: 1_000 });
    await w1.renew([rows[0]!], now, 120_000);
    const [r0, r1] = await tdb.db.prisma.notificationOutbox.findMany({
      where: { id: { in: rows } },
      orderBy: { id: "asc" },
    });
    expect(r0!.claimedUntil).toEqual(new Date(now.getTime() + 120_000));
    expect(r1!.claimedUntil).toEqual(new Date(now.getTime() + 1_000));
    expect(await new OutboxStore(tdb.db, "w1").releaseAll()).toBe(2);
  });
});
