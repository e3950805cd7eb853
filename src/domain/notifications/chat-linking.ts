// Linking a group or channel to a user: the user asks for a one-time code and posts it there;
// the bot layer hands the post to linkChat.
import { randomUUID } from "node:crypto";
import { isUniqueViolationOn } from "../../db/errors.ts";
import type { ChatType } from "../../db/generated/sqlite/enums.ts";
import { audit } from "../audit/audit-logger.ts";
import type { DomainContext } from "../context.ts";
import { ForbiddenError, NotFoundError, ValidationError } from "../errors.ts";
import { type Actor, assertApproved } from "../users/actor.ts";
import { type ChatView, telegramId, toChatView } from "./chat-view.ts";
import {
  LINK_CODE_LENGTH,
  LINK_CODE_TTL_MS,
  generateLinkCode,
  normalizeLinkCode,
} from "./link-codes.ts";
import { LinkFailures } from "./link-failures.ts";

export interface LinkCode {
  code: string;
  expiresAt: Date;
}

export interface LinkChatInput {
  /** the code as posted (case, spaces and dashes are forgiven) */
  code: string;
  /** Telegram's chat id of the group or channel */
  chatId: string | number;
  chatType: ChatType;
  title?: string | null;
  /** who posted the code; null for channel posts, which have no author */
  fromTelegramUserId?: string | number | null;
  /**
   * Channels only: the bot layer checked that the bot is an administrator there (only then can it
   * read the channel's posts, and only the channel's admins can post the code).
   */
  verifiedAdmin?: boolean;
}

/** A fresh one-time code the user posts in the group or channel to link. */
export async function createLinkCode(ctx: DomainContext, actor: Actor): Promise<LinkCode> {
  assertApproved(actor);
  const now = ctx.clock.now();
  const expiresAt = new Date(now.getTime() + LINK_CODE_TTL_MS);
  // housekeeping: the user's spent and expired codes serve no purpose any more
  await ctx.db.chatLinkCode.deleteMany({
    where: { userId: actor.id, OR: [{ expiresAt: { lte: now } }, { usedAt: { not: null } }] },
  });
  for (let attempt = 0; ; attempt++) {
    const code = generateLinkCode();
    try {
      await ctx.db.chatLinkCode.create({ data: { userId: actor.id, code, expiresAt } });
      return { code, expiresAt };
    } catch (e) {
      // 31^8 codes: a collision is astronomically rare, but retrying costs nothing
      if (attempt >= 5 || !isUniqueViolationOn(e, "code")) throw e;
    }
  }
}

/**
 * Links the group or channel where a code was posted to the code's owner. The code must exist,
 * be unused and unexpired; in a group it must have been posted by its owner, in a channel
 * (posts have no author) the bot must be an administrator there. The code is spent only when
 * the link succeeds.
 *
 * Every wrong code — unknown, used, expired, someone else's — gets the same answer, so a
 * guesser cannot tell a live code from a made-up one, and counts against the poster and the
 * chat (LinkFailures): past the limit every code is refused, the right one too, until the
 * window passes.
 */
export async function linkChat(ctx: DomainContext, input: LinkChatInput): Promise<ChatView> {
  const code = normalizeLinkCode(input.code);
  if (!code) {
    throw new ValidationError("code", "error-chat-link-code-format", {
      length: LINK_CODE_LENGTH,
    });
  }
  if (input.chatType === "PRIVATE")
    throw new ValidationError("chatType", "error-chat-link-private");
  const chatId = telegramId(input.chatId);
  // decided before the code is looked up: these answers must not depend on it
  if (input.chatType === "CHANNEL" && !input.verifiedAdmin)
    throw new ForbiddenError("error-chat-link-bot-not-admin");
  const poster = {
    telegramUserId:
      input.chatType === "CHANNEL" ||
      input.fromTelegramUserId === null ||
      input.fromTelegramUserId === undefined
        ? null
        : String(input.fromTelegramUserId),
    chatId,
  };
  const failures = new LinkFailures(ctx.db, ctx.clock);
  await failures.assertAllowed(poster);
  const wrongCode = async (): Promise<never> => {
    await failures.record(poster);
    throw new NotFoundError("linkCode", "", "error-chat-link-code-unknown");
  };
  const now = ctx.clock.now();
  const row = await ctx.db.chatLinkCode.findUnique({
    where: { code },
    include: { user: true },
  });
  if (!row || row.usedAt || row.expiresAt.getTime() <= now.getTime()) return wrongCode();
  // in a group only its owner may post it (a channel post has no author: admin rights prove it)
  if (input.chatType !== "CHANNEL" && poster.telegramUserId !== row.user.telegramUserId)
    return wrongCode();
  const owner = row.user;
  if (!owner.isActive || (!owner.isAdmin && owner.status !== "APPROVED")) return wrongCode();
  const title = input.title?.trim().slice(0, 255) || null;
  return ctx.db.$transaction(async (tx) => {
    // spend the code first, conditionally: of two racing posts of the same code, one wins
    const spent = await tx.chatLinkCode.updateMany({
      where: { id: row.id, usedAt: null },
      data: { usedAt: now },
    });
    // the same answer as any other wrong code (the code is spent: it is not a live one)
    if (spent.count !== 1) throw new NotFoundError("linkCode", "", "error-chat-link-code-unknown");
    const chat = await tx.telegramChat.upsert({
      where: { userId_chatId: { userId: owner.id, chatId } },
      create: { uid: randomUUID(), userId: owner.id, chatId, type: input.chatType, title },
      update: { type: input.chatType, title, isActive: true, deactivatedReason: null },
    });
    await audit(tx, {
      actorId: owner.id,
      entityType: "CHAT",
      entityId: chat.id,
      action: "CREATE",
      details: { telegramChatId: chatId, type: input.chatType, title },
    });
    return toChatView(chat);
  });
}
