// A registered chat as callers see it, and the form Telegram chat ids are stored in.
import type { ChatType, Severity } from "../../db/generated/sqlite/enums.ts";
import type { TelegramChat } from "../../db/generated/sqlite/client.ts";
import { ValidationError } from "../errors.ts";

export interface ChatView {
  /** telegram_chats.id: what every ChatService call takes */
  id: number;
  uid: string;
  userId: number;
  /** Telegram's own chat id */
  telegramChatId: string;
  type: ChatType;
  isPrivate: boolean;
  title: string | null;
  description: string | null;
  minSeverity: Severity;
  isMuted: boolean;
  isActive: boolean;
  deactivatedReason: string | null;
  createdAt: Date;
}

/** Telegram chat ids are stored as decimal strings (they exceed 32 bits). */
export function telegramId(id: string | number): string {
  const text = String(id).trim();
  if (!/^-?\d{1,20}$/.test(text)) throw new ValidationError("chatId", "error-chat-id-invalid");
  return text;
}

export function toChatView(chat: TelegramChat): ChatView {
  return {
    id: chat.id,
    uid: chat.uid,
    userId: chat.userId,
    telegramChatId: chat.chatId,
    type: chat.type,
    isPrivate: chat.type === "PRIVATE",
    title: chat.title,
    description: chat.description,
    minSeverity: chat.minSeverity,
    isMuted: chat.isMuted,
    isActive: chat.isActive,
    deactivatedReason: chat.deactivatedReason,
    createdAt: chat.createdAt,
  };
}
