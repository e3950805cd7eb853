// Who may write where, with the Bot API's error replies: unknown chats, private chats whose user
// blocked the bot or never started it, groups the bot is not in or was kicked from, channels
// where it cannot post.
import { ApiError, badRequest, Descriptions, forbidden } from "./api-error.ts";
import type { BotRecord } from "./bot-state.ts";
import type { Params } from "./params.ts";
import type { ChatRecord, World } from "./world.ts";

export function requireChat(world: World, params: Params): ChatRecord {
  const chat = world.findChat(params.chatId());
  if (!chat) throw new ApiError(400, Descriptions.chatNotFound);
  return chat;
}

export function isGroup(chat: ChatRecord): boolean {
  return chat.chat.type === "group" || chat.chat.type === "supergroup";
}

function chatWord(chat: ChatRecord): string {
  return chat.chat.type === "supergroup"
    ? "supergroup"
    : chat.chat.type === "channel"
      ? "channel"
      : "group";
}

/** Membership the bot needs to edit or delete in a chat (the Bot API's "edit access"). */
export function checkEditAccess(chat: ChatRecord, bot: BotRecord): void {
  if (chat.chat.type === "private") return;
  const status = chat.members.get(bot.info.id)?.status ?? "left";
  if (status === "kicked") throw forbidden(`bot was kicked from the ${chatWord(chat)} chat`);
  if (status === "left") throw forbidden(`bot is not a member of the ${chatWord(chat)} chat`);
}

/**
 * Everything that must hold for the bot to send a new message here; the private-chat checks
 * (blocked, never started, another bot) come from Telegram's servers at send time.
 */
export function checkSendAccess(world: World, chat: ChatRecord, bot: BotRecord): void {
  checkEditAccess(chat, bot);
  if (chat.chat.type === "private") {
    const user = world.users.get(chat.chat.id);
    if (user?.is_bot) throw new ApiError(403, Descriptions.cantSendToBots);
    if (chat.blockedBots.has(bot.info.id)) throw new ApiError(403, Descriptions.blockedByUser);
    if (!chat.startedBots.has(bot.info.id)) throw new ApiError(403, Descriptions.cantInitiate);
    return;
  }
  if (chat.chat.type === "channel") {
    const member = chat.members.get(bot.info.id);
    const canPost =
      member?.status === "creator" ||
      (member?.status === "administrator" && member.canPostMessages);
    if (!canPost) throw badRequest("need administrator rights in the channel chat");
  }
}
