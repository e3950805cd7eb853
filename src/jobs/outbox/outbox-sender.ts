// The seam between the outbox drain and Telegram. The drainer decides what to send, when, and
// what a failure means for the row (failure-policy.ts); the sender only puts one message on the
// wire and says what an error was. The bot layer implements it with grammY
// (src/bot/outbox/telegram-sender.ts), so nothing under src/jobs knows the Bot API's shapes.
import type { MessagePart } from "./message-parts.ts";
import type { ChatKind } from "./rate-limiter.ts";

/** What a failed send means, in the terms the failure policy decides on. */
export type SendFailure =
  /** 429: slow down; wait `retryAfterMs` for this chat (for every chat when `global`) */
  | { kind: "flood"; retryAfterMs: number; global: boolean; description: string }
  /** 5xx, network, or anything unexpected: retry with backoff, counting the attempt */
  | { kind: "transient"; description: string }
  /** the HTML is broken (400 can't parse entities): send it as plain text instead */
  | { kind: "parse"; description: string }
  /** 403: blocked by the user, kicked from the group, user deactivated: the chat is gone */
  | { kind: "blocked"; description: string }
  /** any other 4xx (chat not found, message too long, ...): retrying cannot help */
  | { kind: "permanent"; description: string };

/** One Telegram message: one part of an outbox row (message-parts.ts). */
export interface OutgoingMessage {
  /** Telegram's chat id */
  telegramChatId: string;
  chatType: ChatKind;
  /** Telegram id of the destination's owner: buttons sent to shared chats are bound to them */
  ownerTelegramId: string;
  part: MessagePart;
  /** the row's inline keyboard as stored; only on the row's last part, null on the others */
  replyMarkup: unknown;
  /** a photo part's image */
  attachment: Buffer | null;
  attachmentName: string | null;
}

export interface OutboxSender {
  /**
   * Sends one message. Resolves to null once Telegram accepted it, or to what the failure means;
   * it does not retry or wait out a 429 itself (the drainer pauses exactly that chat instead).
   */
  send(message: OutgoingMessage): Promise<SendFailure | null>;
}
