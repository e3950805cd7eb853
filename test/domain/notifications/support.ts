// Shared set-up for the notification tests: the three notification services on a test world,
// and people with chats.
import { ChatService } from "../../../src/domain/notifications/chat-service.ts";
import { NotificationService } from "../../../src/domain/notifications/notification-service.ts";
import { OutboxAdminService } from "../../../src/domain/notifications/outbox-admin-service.ts";
import { type Actor, toActor } from "../../../src/domain/users/actor.ts";
import { type TestWorld, approvedUser } from "../../support/fixtures.ts";

export interface NotificationWorld {
  notifications: NotificationService;
  chats: ChatService;
  outboxAdmin: OutboxAdminService;
}

export function notificationServices(world: TestWorld): NotificationWorld {
  const ctx = world.services.ctx;
  return {
    notifications: new NotificationService(ctx),
    chats: new ChatService(ctx),
    outboxAdmin: new OutboxAdminService(ctx),
  };
}

let nextChatId = -100_000_000_000;

/** A fresh, unused Telegram group id (negative, as Telegram's are). */
export function groupChatId(): string {
  return String(nextChatId--);
}

/** An approved user with a registered private chat (Telegram chat id = their user id). */
export async function userWithPrivateChat(
  world: TestWorld,
  chats: ChatService,
  name: string,
): Promise<{ actor: Actor; telegramUserId: string; privateChatId: number }> {
  const actor = await approvedUser(world, name);
  const user = await world.services.users.getById(actor.id);
  const chat = await chats.registerPrivateChat(actor.id, user.telegramUserId);
  return { actor, telegramUserId: user.telegramUserId, privateChatId: chat.id };
}

/** The admin every test world has (Telegram id "1"), with a private chat. */
export async function adminWithPrivateChat(
  world: TestWorld,
  chats: ChatService,
): Promise<{ actor: Actor; privateChatId: number }> {
  const admin = toActor(
    await world.services.users.registerFromTelegram({ telegramUserId: "1", firstName: "Admin" }),
  );
  const chat = await chats.registerPrivateChat(admin.id, "1");
  return { actor: admin, privateChatId: chat.id };
}

/** Links a group to the user through the real code flow. */
export async function linkGroup(
  chats: ChatService,
  owner: { actor: Actor; telegramUserId: string },
  title = "Desk",
): Promise<number> {
  const { code } = await chats.createLinkCode(owner.actor);
  const chat = await chats.linkChat({
    code,
    chatId: groupChatId(),
    chatType: "SUPERGROUP",
    title,
    fromTelegramUserId: owner.telegramUserId,
  });
  return chat.id;
}
