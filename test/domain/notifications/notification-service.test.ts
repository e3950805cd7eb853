// NotificationService.enqueue against real SQLite and PostgreSQL: routing by severity, muted and
// inactive chats, system-wide notifications to admins, dedupe, and atomicity with the caller's
// transaction (a rollback leaves no row; a duplicate never aborts the caller on PostgreSQL).
import { describe, expect, it } from "vitest";
import { NotFoundError, ValidationError } from "../../../src/domain/errors.ts";
import type { NotificationInput } from "../../../src/domain/notifications/notification-service.ts";
import { PROVIDERS, type TestDatabase } from "../../support/db.ts";
import { type TestWorld } from "../../support/fixtures.ts";
import {
  type NotificationWorld,
  adminWithPrivateChat,
  groupChatId,
  linkGroup,
  notificationServices,
  userWithPrivateChat,
} from "./support.ts";
import { useTestWorld } from "../../support/test-world.ts";

function note(over: Partial<NotificationInput> & { dedupeKey: string }): NotificationInput {
  return {
    userId: null,
    type: "ORDER_FILLED",
    severity: "INFO",
    title: "Order filled",
    message: "BUY 1 <b>BTCUSDT</b>",
    format: "html",
    ...over,
  };
}

describe.each(PROVIDERS)("NotificationService on %s", (provider) => {
  let tdb: TestDatabase;
  let world: TestWorld;
  let svc: NotificationWorld;
  useTestWorld(provider, async (t) => {
    ({ tdb, world } = t);
    svc = notificationServices(world);
  });

  const rowsFor = (dedupeKey: string) =>
    tdb.db.prisma.notificationOutbox.findMany({ where: { dedupeKey }, orderBy: { chatId: "asc" } });

  it("routes to each active, unmuted chat of the user whose minimum severity is met", async () => {
    const alice = await userWithPrivateChat(world, svc.chats, "Alice");
    const warnings = await linkGroup(svc.chats, alice, "Warnings only");
    await svc.chats.setMinSeverity(alice.actor, warnings, "WARNING");
    const muted = await linkGroup(svc.chats, alice, "Muted");
    await svc.chats.mute(alice.actor, muted);
    const blocked = await linkGroup(svc.chats, alice, "Kicked");
    const blockedRow = await tdb.db.prisma.telegramChat.findUniqueOrThrow({
      where: { id: blocked },
    });
    await svc.chats.markInactive(blockedRow.chatId, "kicked");
    // someone else's chats never receive Alice's notifications
    await userWithPrivateChat(world, svc.chats, "Bob");

    const info = await svc.notifications.enqueue(
      tdb.db.prisma,
      note({ userId: alice.actor.id, severity: "INFO", dedupeKey: "route-info" }),
    );
    expect(info).toBe(1);
    expect((await rowsFor("route-info")).map((r) => r.chatId)).toEqual([alice.privateChatId]);

    const error = await svc.notifications.enqueue(
      tdb.db.prisma,
      note({ userId: alice.actor.id, severity: "ERROR", dedupeKey: "route-error" }),
    );
    expect(error).toBe(2);
    const rows = await rowsFor("route-error");
    expect(rows.map((r) => r.chatId)).toEqual([alice.privateChatId, warnings]);
    expect(rows.every((r) => r.status === "PENDING" && r.userId === alice.actor.id)).toBe(true);
    // stored as given: the markup is the caller's, the title plain
    expect(rows[0]).toMatchObject({
      message: "BUY 1 <b>BTCUSDT</b>",
      format: "html",
      partsSent: 0,
    });

    // a schedule's destination: only that chat, still not when muted
    const only = await svc.notifications.enqueue(
      tdb.db.prisma,
      note({
        userId: alice.actor.id,
        severity: "CRITICAL",
        dedupeKey: "route-one",
        chatId: warnings,
      }),
    );
    expect(only).toBe(1);
    expect((await rowsFor("route-one")).map((r) => r.chatId)).toEqual([warnings]);
    const toMuted = await svc.notifications.enqueue(
      tdb.db.prisma,
      note({
        userId: alice.actor.id,
        severity: "CRITICAL",
        dedupeKey: "route-muted",
        chatId: muted,
      }),
    );
    expect(toMuted).toBe(0);
    // an explicit choice beats the chat's minimum severity: an INFO report to a WARNING-only chat
    const report = await svc.notifications.enqueue(
      tdb.db.prisma,
      note({
        userId: alice.actor.id,
        severity: "INFO",
        dedupeKey: "route-report",
        chatId: warnings,
      }),
    );
    expect(report).toBe(1);
    expect((await rowsFor("route-report")).map((r) => r.chatId)).toEqual([warnings]);
    // but never to an inactive chat
    expect(
      await svc.notifications.enqueue(
        tdb.db.prisma,
        note({
          userId: alice.actor.id,
          severity: "INFO",
          dedupeKey: "route-gone",
          chatId: blocked,
        }),
      ),
    ).toBe(0);
  });

  it("sends system-wide notifications to every active admin's chats, once per Telegram chat", async () => {
    const admin = await adminWithPrivateChat(world, svc.chats);
    const second = await userWithPrivateChat(world, svc.chats, "Second admin");
    await world.services.users.promote(admin.actor, second.actor.id);
    const secondAdmin = { ...second, actor: { ...second.actor, isAdmin: true } };
    // both admins linked the same ops group
    const shared = groupChatId();
    for (const who of [{ actor: admin.actor, telegramUserId: "1" }, secondAdmin]) {
      const { code } = await svc.chats.createLinkCode(who.actor);
      await svc.chats.linkChat({
        code,
        chatId: shared,
        chatType: "GROUP",
        title: "Ops",
        fromTelegramUserId: who.telegramUserId,
      });
    }
    const trader = await userWithPrivateChat(world, svc.chats, "Not an admin");

    const created = await svc.notifications.enqueue(
      tdb.db.prisma,
      note({ userId: null, type: "SERVICE_DOWN", severity: "CRITICAL", dedupeKey: "sys-1" }),
    );
    const rows = await tdb.db.prisma.notificationOutbox.findMany({
      where: { dedupeKey: "sys-1" },
      include: { chat: true },
    });
    expect(created).toBe(3);
    expect(rows.map((r) => r.chat.chatId).sort()).toEqual(
      ["1", second.telegramUserId, shared].sort(),
    );
    expect(rows.every((r) => r.userId === null)).toBe(true);
    expect(rows.some((r) => r.chat.userId === trader.actor.id)).toBe(false);
  });

  it("creates one row per chat and key: enqueueing the same key again is a no-op", async () => {
    const carol = await userWithPrivateChat(world, svc.chats, "Carol");
    const n = note({ userId: carol.actor.id, dedupeKey: "fill:42" });
    expect(await svc.notifications.enqueue(tdb.db.prisma, n)).toBe(1);
    expect(await svc.notifications.enqueue(tdb.db.prisma, n)).toBe(0);
    // a chat linked in between gets its copy; the first chat still has exactly one
    const group = await linkGroup(svc.chats, carol);
    expect(await svc.notifications.enqueue(tdb.db.prisma, n)).toBe(1);
    expect((await rowsFor("fill:42")).map((r) => r.chatId)).toEqual([carol.privateChatId, group]);
  });

  it("commits with the caller's transaction and rolls back with it", async () => {
    const dave = await userWithPrivateChat(world, svc.chats, "Dave");
    await expect(
      tdb.db.prisma.$transaction(async (tx) => {
        expect(
          await svc.notifications.enqueue(tx, note({ userId: dave.actor.id, dedupeKey: "tx-rb" })),
        ).toBe(1);
        throw new Error("the event failed after all");
      }),
    ).rejects.toThrow("the event failed after all");
    expect(await rowsFor("tx-rb")).toEqual([]);

    // a duplicate inside a transaction leaves it usable: later writes still commit
    await svc.notifications.enqueue(
      tdb.db.prisma,
      note({ userId: dave.actor.id, dedupeKey: "tx-dup" }),
    );
    await tdb.db.prisma.$transaction(async (tx) => {
      const again = await svc.notifications.enqueue(
        tx,
        note({ userId: dave.actor.id, dedupeKey: "tx-dup" }),
      );
      expect(again).toBe(0);
      await svc.notifications.enqueue(tx, note({ userId: dave.actor.id, dedupeKey: "tx-after" }));
    });
    expect(await rowsFor("tx-dup")).toHaveLength(1);
    expect(await rowsFor("tx-after")).toHaveLength(1);
  });

  it("absorbs concurrent enqueues of the same key without failing either caller", async () => {
    const erin = await userWithPrivateChat(world, svc.chats, "Erin");
    await linkGroup(svc.chats, erin);
    const n = note({ userId: erin.actor.id, dedupeKey: "race" });
    const results = await Promise.all(
      Array.from({ length: 6 }, () =>
        tdb.db.prisma.$transaction(async (tx) => {
          const created = await svc.notifications.enqueue(tx, n);
          // keep the transaction open a moment so the others overlap with it (PostgreSQL)
          await new Promise((r) => setTimeout(r, 20));
          return created;
        }),
      ),
    );
    expect(results.reduce((a, b) => a + b, 0)).toBe(2);
    expect(await rowsFor("race")).toHaveLength(2);
  });

  it("stores attachments and reply buttons, and refuses malformed notifications", async () => {
    const fay = await userWithPrivateChat(world, svc.chats, "Fay");
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
    const buttons = { inline_keyboard: [[{ text: "Approve", callback_data: "ap:1" }]] };
    await svc.notifications.enqueue(
      tdb.db.prisma,
      note({
        userId: fay.actor.id,
        type: "REPORT",
        dedupeKey: "chart",
        attachment: { bytes: png, fileName: "chart.png" },
        replyMarkup: buttons,
      }),
    );
    const [row] = await rowsFor("chart");
    expect(Buffer.from(row!.attachment!)).toEqual(png);
    expect(row!.attachmentName).toBe("chart.png");
    expect(row!.replyMarkup).toEqual(buttons);

    const bad: Array<Partial<NotificationInput>> = [
      { type: "NOPE" as NotificationInput["type"] },
      { severity: "LOUD" as NotificationInput["severity"] },
      { dedupeKey: "  " },
      { title: "", message: " " },
      { title: "x".repeat(257) },
      { attachment: { bytes: Buffer.alloc(0), fileName: "a.png" } },
    ];
    for (const over of bad) {
      await expect(
        svc.notifications.enqueue(tdb.db.prisma, {
          ...note({ userId: fay.actor.id, dedupeKey: "bad" }),
          ...over,
        }),
      ).rejects.toBeInstanceOf(ValidationError);
    }
    expect(await rowsFor("bad")).toEqual([]);
    await expect(
      svc.notifications.enqueue(tdb.db.prisma, note({ userId: 987654, dedupeKey: "nobody" })),
    ).rejects.toBeInstanceOf(NotFoundError);
  });
});
