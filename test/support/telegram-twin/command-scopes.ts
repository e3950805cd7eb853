// Bot command lists are stored per (scope, language). This file names scopes canonically and
// implements Telegram's documented lookup of which list a user sees in a chat.
import type { BotCommand } from "grammy/types";
import { badRequest } from "./api-error.ts";
import type { BotRecord } from "./bot-state.ts";
import type { CommandScopeInput } from "./types.ts";
import type { World } from "./world.ts";

const SCOPE_TYPES = new Set([
  "default",
  "all_private_chats",
  "all_group_chats",
  "all_chat_administrators",
  "chat",
  "chat_administrators",
  "chat_member",
]);

export interface ResolvedScope {
  type: string;
  chatId?: number;
  userId?: number;
}

/** Validates a scope as the Bot API does and resolves "@username" chat ids. */
export function resolveScope(world: World, scope: unknown): ResolvedScope {
  if (scope === undefined) return { type: "default" };
  if (typeof scope !== "object" || scope === null)
    throw badRequest("can't parse BotCommandScope JSON object");
  const { type, chat_id: chatIdRaw, user_id: userIdRaw } = scope as Record<string, unknown>;
  if (typeof type !== "string" || !SCOPE_TYPES.has(type)) {
    throw badRequest("can't parse BotCommandScope: Unsupported type specified");
  }
  if (type !== "chat" && type !== "chat_administrators" && type !== "chat_member") return { type };
  if (chatIdRaw === undefined || chatIdRaw === "") throw badRequest("chat_id is empty");
  const chat = world.findChat(
    typeof chatIdRaw === "number" || /^-?\d+$/.test(String(chatIdRaw))
      ? Number(chatIdRaw)
      : String(chatIdRaw),
  );
  if (!chat) throw badRequest("chat not found");
  if (chat.chat.type === "channel") throw badRequest("can't change commands in channel chats");
  if (chat.chat.type === "private" && type !== "chat")
    throw badRequest("can't use specified scope in private chats");
  if (type !== "chat_member") return { type, chatId: chat.chat.id };
  const userId = Number(userIdRaw);
  if (!Number.isInteger(userId) || !world.users.has(userId)) throw badRequest("user not found");
  return { type, chatId: chat.chat.id, userId };
}

export function scopeKey(scope: ResolvedScope, languageCode: string): string {
  return [scope.type, scope.chatId ?? "", scope.userId ?? "", languageCode].join("|");
}

export function toResolvedScope(scope: CommandScopeInput | undefined): ResolvedScope {
  if (!scope) return { type: "default" };
  return {
    type: scope.type,
    ...("chat_id" in scope ? { chatId: Number(scope.chat_id) } : {}),
    ...("user_id" in scope ? { userId: scope.user_id } : {}),
  };
}

/**
 * The commands a user sees in the menu of `chatId` (their private chat when omitted), by the
 * order Telegram documents: the most specific scope with a list wins, and within a scope the
 * user's language before the list without a language.
 */
export function visibleCommands(
  world: World,
  bot: BotRecord,
  userId: number,
  chatId?: number,
): BotCommand[] {
  const language = world.users.get(userId)?.language_code ?? "";
  const chat = world.chats.get(chatId ?? userId);
  const isPrivate = !chat || chat.chat.type === "private";
  const status = chat?.members.get(userId)?.status;
  const isAdmin = status === "creator" || status === "administrator";
  const id = chat?.chat.id;

  const scopes: ResolvedScope[] = isPrivate
    ? [{ type: "chat", chatId: id ?? userId }, { type: "all_private_chats" }, { type: "default" }]
    : [
        { type: "chat_member", chatId: id, userId },
        ...(isAdmin ? [{ type: "chat_administrators", chatId: id }] : []),
        { type: "chat", chatId: id },
        ...(isAdmin ? [{ type: "all_chat_administrators" }] : []),
        { type: "all_group_chats" },
        { type: "default" },
      ];
  for (const scope of scopes) {
    for (const lang of language ? [language, ""] : [""]) {
      const list = bot.commands.get(scopeKey(scope, lang));
      if (list && list.length > 0) return list;
    }
  }
  return [];
}
