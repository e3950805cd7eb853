// The Bot API methods the twin implements. Telegram matches method names case-insensitively.
import {
  answerCallbackQuery,
  getChat,
  getChatAdministrators,
  getChatMember,
  getMe,
  leaveChat,
} from "./chats.ts";
import { deleteMyCommands, getMyCommands, setMyCommands } from "./commands.ts";
import type { MethodHandler } from "./context.ts";
import { sendDocument, sendPhoto } from "./media.ts";
import {
  deleteMessage,
  editMessageCaption,
  editMessageReplyMarkup,
  editMessageText,
  sendChatAction,
  sendMessage,
} from "./messages.ts";
import { deleteWebhook, getUpdates, getWebhookInfo, setWebhook } from "./updates.ts";

const HANDLERS: Record<string, MethodHandler> = {
  getMe,
  getUpdates,
  setWebhook,
  deleteWebhook,
  getWebhookInfo,
  sendMessage,
  editMessageText,
  editMessageReplyMarkup,
  editMessageCaption,
  deleteMessage,
  sendChatAction,
  sendPhoto,
  sendDocument,
  answerCallbackQuery,
  setMyCommands,
  getMyCommands,
  deleteMyCommands,
  getChat,
  getChatMember,
  getChatAdministrators,
  leaveChat,
};

const BY_LOWER_NAME = new Map(
  Object.entries(HANDLERS).map(([name, handler]) => [name.toLowerCase(), { name, handler }]),
);

export function findMethod(name: string): { name: string; handler: MethodHandler } | undefined {
  return BY_LOWER_NAME.get(name.toLowerCase());
}

export const METHOD_NAMES: readonly string[] = Object.keys(HANDLERS);

/** Methods a webhook response may not carry (Telegram ignores them there). */
export function allowedAsWebhookReply(name: string): boolean {
  const lower = name.toLowerCase();
  return (
    !lower.startsWith("get") && !["setwebhook", "deletewebhook", "close", "logout"].includes(lower)
  );
}
