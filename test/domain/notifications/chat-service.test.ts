// ChatService against real SQLite and PostgreSQL: the private chat, linking groups and channels
// with one-time codes (wrong user, expired and spent codes refused alike, wrong codes limited per
// poster and per chat), settings, ownership, and what happens when Telegram says the bot was
// blocked.
import { describe, expect, it } from "vitest";
import {
  ForbiddenError,
  NotFoundError,
  StateError,
  ValidationError,
} from "../../../src/domain/errors.ts";
import {
  LINK_CODE_ALPHABET,
  LINK_CODE_LENGTH,
  generateLinkCode,
  normalizeLinkCode,
} from "../../../src/domain/notifications/link-codes.ts";
import { toActor } from "../../../src/domain/users/actor.ts";
import { PROVIDERS, type TestDatabase } from "../../support/db.ts";
import { type TestWorld } from "../../support/fixtures.ts";
import {
  type NotificationWorld,
  groupChatId,
  linkGroup,
  notificationServices,
  userWithPrivateChat,
} from "./support.ts";
import { useTestWorld } from "../../support/test-world.ts";

describe("link codes", () => {
  it("are eight characters from an alphabet without look-alikes, and forgive how they are typed", () => {
    const codes = new Set(Array.from({ length: 2000 }, generateLinkCode));
    expect(codes.size).toBe(2000);
    for (const code of codes) {
      expect(code).toHaveLength(LINK_CODE_LENGTH);
      expect([...code].every((c) => LINK_CODE_ALPHABET.includes(c))).toBe(true);
      expect(code).not.toMatch(/[01OIL]/);
    }
    expect(normalizeLinkCode(" abcd-efgh ")).toBe("ABCDEFGH");
    expect(normalizeLinkCode("ABCDEFG0")).toBeNull();
    expect(normalizeLinkCode("ABC")).toBeNull();
  });
});

describe.each(PROVIDERS)("ChatService on %s", (provider) => {
  let tdb: TestDatabase;
  let world: TestWorld;
  let svc: NotificationWorld;
  useTestWorld(provider, async (t) => {
    ({ tdb, world } = t);
    svc = notificationServices(world);
  });

  it("registers the private chat once, however often onboarding runs", async () => {
    const alice = await userWithPrivateChat(world, svc.chats, "Alice");
    const again = await svc.chats.registerPrivateChat(alice.actor.id, alice.telegramUserId);
    expect(again.id).toBe(alice.privateChatId);
    const list = await svc.chats.list(alice.actor);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ isPrivate: true, type: "PRIVATE", minSeverity: "INFO" });
  });

  it("links a group with a code posted by its owner, once", async () => {
    const bob = await userWithPrivateChat(world, svc.chats, "Bob");
    const { code, expiresAt } = await svc.chats.createLinkCode(bob.actor);
    expect(expiresAt.getTime() - world.clock.now().getTime()).toBe(15 * 60 * 1000);
    const telegramChatId = groupChatId();
    const chat = await svc.chats.linkChat({
      code: code.toLowerCase(),
      chatId: telegramChatId,
      chatType: "SUPERGROUP",
      title: "Bob's desk",
      fromTelegramUserId: bob.telegramUserId,
    });
    expect(chat).toMatchObject({
      userId: bob.actor.id,
      telegramChatId,
      type: "SUPERGROUP",
      title: "Bob's desk",
      isActive: true,
    });
    expect((await svc.chats.list(bob.actor)).map((c) => c.type)).toEqual(["PRIVATE", "SUPERGROUP"]);
    // the code is spent
    await expect(
      svc.chats.linkChat({
        code,
        chatId: groupChatId(),
        chatType: "GROUP",
        fromTelegramUserId: bob.telegramUserId,
      }),
    ).rejects.toMatchObject({ key: "error-chat-link-code-unknown" });
    const audit = await tdb.db.prisma.auditLog.findFirst({
      where: { entityType: "CHAT", entityId: chat.id, action: "CREATE" },
    });
    expect(audit?.actorId).toBe(bob.actor.id);
  });

  it("refuses a code posted by someone else, and keeps it valid for its owner", async () => {
    const carol = await userWithPrivateChat(world, svc.chats, "Carol");
    const mallory = await userWithPrivateChat(world, svc.chats, "Mallory");
    const { code } = await svc.chats.createLinkCode(carol.actor);
    const group = groupChatId();
    const attempt = svc.chats.linkChat({
      code,
      chatId: group,
      chatType: "GROUP",
      fromTelegramUserId: mallory.telegramUserId,
    });
    // answered as an unknown code: Mallory must not learn that it exists
    await expect(attempt).rejects.toBeInstanceOf(NotFoundError);
    await expect(attempt).rejects.toMatchObject({ key: "error-chat-link-code-unknown" });
    // no author at all (an anonymous group admin) is refused the same way
    await expect(
      svc.chats.linkChat({ code, chatId: group, chatType: "GROUP", fromTelegramUserId: null }),
    ).rejects.toMatchObject({ key: "error-chat-link-code-unknown" });
    expect(await tdb.db.prisma.telegramChat.count({ where: { chatId: group } })).toBe(0);
    const linked = await svc.chats.linkChat({
      code,
      chatId: group,
      chatType: "GROUP",
      fromTelegramUserId: carol.telegramUserId,
    });
    expect(linked.userId).toBe(carol.actor.id);
  });

  it("refuses expired and unknown codes, and links channels only where the bot is admin", async () => {
    const dave = await userWithPrivateChat(world, svc.chats, "Dave");
    const { code } = await svc.chats.createLinkCode(dave.actor);
    world.clock.advance(15 * 60 * 1000 + 1);
    await expect(
      svc.chats.linkChat({
        code,
        chatId: groupChatId(),
        chatType: "GROUP",
        fromTelegramUserId: dave.telegramUserId,
      }),
    ).rejects.toMatchObject({ key: "error-chat-link-code-unknown" });
    await expect(
      svc.chats.linkChat({ code: "ZZZZZZZZ", chatId: groupChatId(), chatType: "GROUP" }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      svc.chats.linkChat({ code: "short", chatId: groupChatId(), chatType: "GROUP" }),
    ).rejects.toBeInstanceOf(ValidationError);

    const fresh = await svc.chats.createLinkCode(dave.actor);
    const channel = groupChatId();
    await expect(
      svc.chats.linkChat({ code: fresh.code, chatId: channel, chatType: "CHANNEL" }),
    ).rejects.toMatchObject({ key: "error-chat-link-bot-not-admin" });
    const linked = await svc.chats.linkChat({
      code: fresh.code,
      chatId: channel,
      chatType: "CHANNEL",
      title: "Signals",
      verifiedAdmin: true,
    });
    expect(linked).toMatchObject({ userId: dave.actor.id, type: "CHANNEL" });
  });

  it("lets the owner tune, mute and remove a group, but never remove the private chat", async () => {
    const erin = await userWithPrivateChat(world, svc.chats, "Erin");
    const group = await linkGroup(svc.chats, erin);
    expect((await svc.chats.setMinSeverity(erin.actor, group, "ERROR")).minSeverity).toBe("ERROR");
    expect(
      (await svc.chats.setDescription(erin.actor, group, "  team   alerts ")).description,
    ).toBe("team alerts");
    await expect(
      svc.chats.setDescription(erin.actor, group, "x".repeat(101)),
    ).rejects.toBeInstanceOf(ValidationError);
    expect((await svc.chats.mute(erin.actor, group)).isMuted).toBe(true);
    expect((await svc.chats.unmute(erin.actor, group)).isMuted).toBe(false);
    // the private chat can be muted, not removed
    expect((await svc.chats.mute(erin.actor, erin.privateChatId)).isMuted).toBe(true);
    await expect(svc.chats.remove(erin.actor, erin.privateChatId)).rejects.toBeInstanceOf(
      StateError,
    );
    await svc.chats.remove(erin.actor, group);
    expect((await svc.chats.list(erin.actor)).map((c) => c.id)).toEqual([erin.privateChatId]);
  });

  it("never lets one user see or change another user's chat", async () => {
    const frank = await userWithPrivateChat(world, svc.chats, "Frank");
    const grace = await userWithPrivateChat(world, svc.chats, "Grace");
    const franksGroup = await linkGroup(svc.chats, frank);
    const attempts = [
      () => svc.chats.get(grace.actor, franksGroup),
      () => svc.chats.setMinSeverity(grace.actor, franksGroup, "CRITICAL"),
      () => svc.chats.setDescription(grace.actor, franksGroup, "mine now"),
      () => svc.chats.mute(grace.actor, franksGroup),
      () => svc.chats.unmute(grace.actor, frank.privateChatId),
      () => svc.chats.remove(grace.actor, franksGroup),
    ];
    for (const attempt of attempts) await expect(attempt()).rejects.toBeInstanceOf(NotFoundError);
    expect((await svc.chats.list(grace.actor)).map((c) => c.id)).toEqual([grace.privateChatId]);
    const untouched = await svc.chats.get(frank.actor, franksGroup);
    expect(untouched).toMatchObject({ minSeverity: "INFO", isMuted: false, description: null });
  });

  it("refuses users who are not approved", async () => {
    const pending = toActor(
      await world.services.users.registerFromTelegram({ telegramUserId: "777001", firstName: "P" }),
    );
    await expect(svc.chats.createLinkCode(pending)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(svc.chats.list(pending)).rejects.toBeInstanceOf(ForbiddenError);
  });

  it("marks a blocked private chat inactive, fails its queue, and revives it when the user writes", async () => {
    const heidi = await userWithPrivateChat(world, svc.chats, "Heidi");
    await svc.notifications.enqueue(tdb.db.prisma, {
      userId: heidi.actor.id,
      type: "ACCOUNT",
      severity: "INFO",
      title: "Hello",
      message: "queued",
      format: "text",
      dedupeKey: "before-block",
    });
    expect(await svc.chats.markInactive(heidi.telegramUserId, "bot was blocked by the user")).toBe(
      1,
    );
    const user = await world.services.users.getById(heidi.actor.id);
    expect(user.blockedBotAt).toEqual(world.clock.now());
    const [chat] = await svc.chats.list(heidi.actor);
    expect(chat).toMatchObject({
      isActive: false,
      deactivatedReason: "bot was blocked by the user",
    });
    const row = await tdb.db.prisma.notificationOutbox.findFirstOrThrow({
      where: { dedupeKey: "before-block" },
    });
    expect(row).toMatchObject({ status: "FAILED" });
    expect(row.lastError).toContain("chat blocked");
    // a second report changes nothing
    expect(await svc.chats.markInactive(heidi.telegramUserId, "again")).toBe(0);

    expect(await svc.chats.touchPrivateChat(heidi.actor.id, heidi.telegramUserId)).toBe(true);
    expect(await svc.chats.touchPrivateChat(heidi.actor.id, heidi.telegramUserId)).toBe(false);
    expect((await world.services.users.getById(heidi.actor.id)).blockedBotAt).toBeNull();
    expect((await svc.chats.list(heidi.actor))[0]).toMatchObject({
      isActive: true,
      deactivatedReason: null,
    });
  });

  it("deactivates a group for every user who linked it, and reactivates it when the bot is back", async () => {
    const ivan = await userWithPrivateChat(world, svc.chats, "Ivan");
    const judy = await userWithPrivateChat(world, svc.chats, "Judy");
    const shared = groupChatId();
    for (const who of [ivan, judy]) {
      const { code } = await svc.chats.createLinkCode(who.actor);
      await svc.chats.linkChat({
        code,
        chatId: shared,
        chatType: "GROUP",
        fromTelegramUserId: who.telegramUserId,
      });
    }
    expect(await svc.chats.markInactive(shared, "bot was kicked from the group chat")).toBe(2);
    // groups do not flag the user as having blocked the bot
    expect((await world.services.users.getById(ivan.actor.id)).blockedBotAt).toBeNull();
    expect(await svc.chats.reactivate(shared)).toBe(2);
    const active = await tdb.db.prisma.telegramChat.count({
      where: { chatId: shared, isActive: true },
    });
    expect(active).toBe(2);
  });
});
