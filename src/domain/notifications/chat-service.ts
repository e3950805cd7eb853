// Where a user's notifications go: their private chat with the bot (registered at onboarding,
// can be muted but never removed) and any groups or channels they link with a one-time code.
// Every call by a user only ever sees that user's chats; another user's chat id looks exactly
// like a missing one. The bot layer calls markInactive / reactivate when Telegram tells it the
// bot was blocked, kicked or let back in; the drain job calls markInactive on a 403.
import { randomUUID } from "node:crypto";
import { type DbOrTx, inTransaction } from "../../db/client.ts";
import { isUniqueViolationOn } from "../../db/errors.ts";
import type { Severity } from "../../db/generated/sqlite/enums.ts";
import type { TelegramChat } from "../../db/generated/sqlite/client.ts";
import { audit } from "../audit/audit-logger.ts";
import type { DomainContext } from "../context.ts";
import { NotFoundError, StateError, ValidationError } from "../errors.ts";
import { type Actor, assertApproved } from "../users/actor.ts";
import { type LinkChatInput, type LinkCode, createLinkCode, linkChat } from "./chat-linking.ts";
import { type ChatView, telegramId, toChatView } from "./chat-view.ts";
import { isSeverity } from "./notification-types.ts";

export type { ChatView } from "./chat-view.ts";

export const MAX_CHAT_DESCRIPTION = 100;
const CHAT_NOT_FOUND_KEY = "error-chat-not-found";

export class ChatService {
  constructor(private readonly ctx: DomainContext) {}

  // ───────────── the private chat ─────────────

  /**
   * Registers (or re-activates) the user's private chat with the bot. Idempotent: called at
   * onboarding and safe to call on every /start.
   */
  async registerPrivateChat(userId: number, telegramChatId: string | number): Promise<ChatView> {
    const chatId = telegramId(telegramChatId);
    const existing = await this.ctx.db.telegramChat.findUnique({
      where: { userId_chatId: { userId, chatId } },
    });
    if (existing) {
      if (existing.isActive) return toChatView(existing);
      return toChatView(await this.reactivateRow(existing, userId));
    }
    try {
      const chat = await this.ctx.db.telegramChat.create({
        data: { uid: randomUUID(), userId, chatId, type: "PRIVATE" },
      });
      await this.ctx.db.user.update({ where: { id: userId }, data: { blockedBotAt: null } });
      return toChatView(chat);
    } catch (e) {
      // two first updates of the same person raced: the other one registered the chat
      if (!isUniqueViolationOn(e, "chatId")) throw e;
      const again = await this.ctx.db.telegramChat.findUnique({
        where: { userId_chatId: { userId, chatId } },
      });
      if (!again) throw e;
      return toChatView(again);
    }
  }

  /**
   * The user wrote to the bot in private: if their private chat had been marked blocked, it is
   * active again. Returns true when it was reactivated. Cheap when nothing changes; the bot may
   * skip the call when the user row has no blockedBotAt.
   */
  async touchPrivateChat(userId: number, telegramChatId: string | number): Promise<boolean> {
    const chat = await this.ctx.db.telegramChat.findUnique({
      where: { userId_chatId: { userId, chatId: telegramId(telegramChatId) } },
    });
    if (!chat) {
      await this.registerPrivateChat(userId, telegramChatId);
      return true;
    }
    if (chat.isActive) return false;
    await this.reactivateRow(chat, userId);
    return true;
  }

  // ───────────── listing and settings ─────────────

  async list(actor: Actor): Promise<ChatView[]> {
    assertApproved(actor);
    const rows = await this.ctx.db.telegramChat.findMany({
      where: { userId: actor.id },
      orderBy: { id: "asc" },
    });
    // the private chat first, then groups and channels in the order they were linked
    return rows
      .map(toChatView)
      .sort((a, b) => Number(b.isPrivate) - Number(a.isPrivate) || a.id - b.id);
  }

  async get(actor: Actor, chatId: number): Promise<ChatView> {
    assertApproved(actor);
    return toChatView(await this.owned(actor, chatId));
  }

  async setMinSeverity(actor: Actor, chatId: number, severity: Severity): Promise<ChatView> {
    assertApproved(actor);
    if (!isSeverity(severity)) throw new ValidationError("severity", "error-severity-invalid");
    return this.update(actor, chatId, { minSeverity: severity });
  }

  async setDescription(
    actor: Actor,
    chatId: number,
    description: string | null,
  ): Promise<ChatView> {
    assertApproved(actor);
    const text = description?.replace(/\s+/g, " ").trim() ?? "";
    if ([...text].length > MAX_CHAT_DESCRIPTION) {
      throw new ValidationError("description", "error-chat-description-too-long", {
        max: MAX_CHAT_DESCRIPTION,
      });
    }
    return this.update(actor, chatId, { description: text || null });
  }

  async mute(actor: Actor, chatId: number): Promise<ChatView> {
    assertApproved(actor);
    return this.update(actor, chatId, { isMuted: true });
  }

  async unmute(actor: Actor, chatId: number): Promise<ChatView> {
    assertApproved(actor);
    return this.update(actor, chatId, { isMuted: false });
  }

  /** Unlinks a group or channel; its undelivered notifications go with it. */
  async remove(actor: Actor, chatId: number): Promise<void> {
    assertApproved(actor);
    const chat = await this.owned(actor, chatId);
    if (chat.type === "PRIVATE") throw new StateError("error-chat-private-not-removable");
    await this.ctx.db.$transaction(async (tx) => {
      await tx.telegramChat.delete({ where: { id: chat.id } });
      await audit(tx, {
        actorId: actor.id,
        entityType: "CHAT",
        entityId: chat.id,
        action: "DELETE",
        details: { telegramChatId: chat.chatId, type: chat.type },
      });
    });
  }

  // ───────────── linking groups and channels ─────────────

  /** A fresh one-time code the user posts in the group or channel to link. */
  createLinkCode(actor: Actor): Promise<LinkCode> {
    return createLinkCode(this.ctx, actor);
  }

  /** Links the group or channel where a code was posted to the code's owner (chat-linking.ts). */
  linkChat(input: LinkChatInput): Promise<ChatView> {
    return linkChat(this.ctx, input);
  }

  // ───────────── what Telegram tells us ─────────────

  /**
   * The bot was blocked in, kicked from or deleted with this Telegram chat: every registration
   * of it is deactivated, its undelivered notifications fail with the reason, and for private
   * chats the user is flagged (User.blockedBotAt). Returns how many chats were deactivated.
   */
  async markInactive(
    telegramChatId: string | number,
    reason: string,
    db: DbOrTx = this.ctx.db,
  ): Promise<number> {
    const chatId = telegramId(telegramChatId);
    const now = this.ctx.clock.now();
    const run = async (tx: DbOrTx): Promise<number> => {
      const chats = await tx.telegramChat.findMany({ where: { chatId, isActive: true } });
      if (chats.length === 0) return 0;
      const ids = chats.map((c) => c.id);
      await tx.telegramChat.updateMany({
        where: { id: { in: ids } },
        data: { isActive: false, deactivatedReason: reason.slice(0, 500) },
      });
      await tx.notificationOutbox.updateMany({
        where: { chatId: { in: ids }, status: { in: ["PENDING", "SENDING"] } },
        data: {
          status: "FAILED",
          lastError: `chat blocked: ${reason}`.slice(0, 1000),
          claimedBy: null,
          claimedUntil: null,
        },
      });
      const privateOwners = chats.filter((c) => c.type === "PRIVATE").map((c) => c.userId);
      if (privateOwners.length > 0) {
        await tx.user.updateMany({
          where: { id: { in: privateOwners } },
          data: { blockedBotAt: now },
        });
      }
      for (const chat of chats) {
        await audit(tx, {
          actorId: null,
          entityType: "CHAT",
          entityId: chat.id,
          action: "DEACTIVATE",
          details: { telegramChatId: chatId, reason },
        });
      }
      return chats.length;
    };
    return inTransaction(db, run);
  }

  /** The bot is back in a group or channel (re-added, unbanned): its registrations are active again. */
  async reactivate(telegramChatId: string | number): Promise<number> {
    const chats = await this.ctx.db.telegramChat.findMany({
      where: { chatId: telegramId(telegramChatId), isActive: false },
    });
    for (const chat of chats) await this.reactivateRow(chat, null);
    return chats.length;
  }

  // ───────────── internals ─────────────

  /** `actorId`: the user who wrote to the bot, or null when Telegram reported the change. */
  private async reactivateRow(row: TelegramChat, actorId: number | null): Promise<TelegramChat> {
    return this.ctx.db.$transaction(async (tx) => {
      const chat = await tx.telegramChat.update({
        where: { id: row.id },
        data: { isActive: true, deactivatedReason: null },
      });
      if (row.type === "PRIVATE") {
        await tx.user.update({ where: { id: row.userId }, data: { blockedBotAt: null } });
      }
      await audit(tx, {
        actorId,
        entityType: "CHAT",
        entityId: row.id,
        action: "REACTIVATE",
        details: { telegramChatId: chat.chatId },
      });
      return chat;
    });
  }

  private async owned(actor: Actor, chatId: number): Promise<TelegramChat> {
    const chat = await this.ctx.db.telegramChat.findFirst({
      where: { id: chatId, userId: actor.id },
    });
    if (!chat) throw new NotFoundError("chat", chatId, CHAT_NOT_FOUND_KEY);
    return chat;
  }

  private async update(
    actor: Actor,
    chatId: number,
    data: { minSeverity?: Severity; description?: string | null; isMuted?: boolean },
  ): Promise<ChatView> {
    const chat = await this.owned(actor, chatId);
    return this.ctx.db.$transaction(async (tx) => {
      const updated = await tx.telegramChat.update({ where: { id: chat.id }, data });
      await audit(tx, {
        actorId: actor.id,
        entityType: "CHAT",
        entityId: chat.id,
        action: "UPDATE",
        details: data,
      });
      return toChatView(updated);
    });
  }
}
