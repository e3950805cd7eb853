// Public types of the Telegram twin: what tests configure and what they read back.
import type {
  BotCommand,
  ForceReply,
  InlineKeyboardMarkup,
  Message,
  MessageEntity,
  ReplyKeyboardMarkup,
  ReplyKeyboardRemove,
  Update,
  User,
} from "grammy/types";

export interface BotSpec {
  /** "<id>:<secret>", as issued by @BotFather. */
  token: string;
  username: string;
  /** Defaults to the numeric prefix of the token. */
  id?: number;
  firstName?: string;
  /**
   * Telegram's group privacy mode (on by default): in groups the bot then receives only
   * commands, replies to its messages, mentions and service messages, unless it is an admin.
   */
  privacyMode?: boolean;
}

export interface BotInfo {
  token: string;
  id: number;
  username: string;
  firstName: string;
  privacyMode: boolean;
  /** The bot as a Telegram user (message `from`, chat members). */
  user: User;
}

export interface TwinOptions {
  /** 0 or absent: a random free port on 127.0.0.1. */
  port?: number;
  /** The first bot is the default one. Default: 123456:TEST-TOKEN / tradedesk_test_bot. */
  bots?: BotSpec[];
  /** Clock in milliseconds for message dates and rate-limit windows. Default Date.now. */
  now?: () => number;
  /** Delays between webhook delivery retries; the last one repeats. Default 50, 100, 200, ... 1000. */
  webhookRetryDelaysMs?: number[];
}

export type ReplyMarkup =
  InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | ForceReply;

/** A file a bot sent (uploaded bytes, a file_id of an earlier upload, or a URL). */
export interface SentFile {
  file_id: string;
  file_unique_id: string;
  /** How the bot supplied it. */
  source: "upload" | "file_id" | "url";
  fileName?: string;
  mimeType?: string;
  size: number;
  /** The uploaded bytes, byte for byte (absent for URLs). */
  bytes?: Buffer;
  url?: string;
  width?: number;
  height?: number;
}

export interface MessageVersion {
  text?: string;
  html?: string;
  caption?: string;
  reply_markup?: ReplyMarkup;
  /** When this version was replaced (ms). */
  replacedAt: number;
}

/** A message in a chat as the twin keeps it: what the user sees, and what the bot sent. */
export interface TwinMessage {
  message_id: number;
  chat_id: number;
  /** Who wrote it: a bot (via the API), a simulated user, or a channel post. */
  sender: "bot" | "user" | "channel";
  /** Username of the sending bot, for sender "bot". */
  bot?: string;
  from?: User;
  date: number;
  /** The text as shown to the user (entities parsed, trimmed). */
  text?: string;
  /** The raw text parameter as received (the HTML/Markdown source when parse_mode was set). */
  html?: string;
  parse_mode?: string;
  entities?: MessageEntity[];
  caption?: string;
  caption_html?: string;
  caption_parse_mode?: string;
  caption_entities?: MessageEntity[];
  photo?: SentFile;
  document?: SentFile;
  /** The current keyboard (any kind the bot sent; Telegram echoes only inline ones). */
  reply_markup?: ReplyMarkup;
  reply_to_message_id?: number;
  /** How many times the bot edited it (text, caption or keyboard). */
  edits: number;
  deleted: boolean;
  /** Earlier versions, oldest first. */
  history: MessageVersion[];
  /** Increases with every change anywhere in the twin; compare with `twin.mark()`. */
  revision: number;
  /** The Telegram Message object as it stands now (what the bot got back / a user sees). */
  message: Message;
}

export interface ApiCall {
  seq: number;
  /** Username of the calling bot; undefined for an unknown token. */
  bot?: string;
  /** Method name as Telegram spells it (case-normalized) or as requested when unknown. */
  method: string;
  /** Parameters with JSON-valued ones (reply_markup, entities, scope, ...) decoded. */
  params: Record<string, unknown>;
  /** Uploaded files by form field name. */
  files: Array<{ field: string; fileName: string; size: number }>;
  /** Start time (ms, the twin's clock). */
  time: number;
  durationMs: number;
  /** HTTP status; 0 when the twin dropped the connection (network fault, client went away). */
  status: number;
  /** The JSON body sent back; undefined when no answer was sent. */
  response?: ApiResponse;
  /** "webhook-reply" when the method came in a webhook response body. */
  via?: "http" | "webhook-reply";
}

export type ApiResponse =
  | { ok: true; result: unknown; description?: string }
  | {
      ok: false;
      error_code: number;
      description: string;
      parameters?: { retry_after?: number; migrate_to_chat_id?: number };
    };

export interface RateLimits {
  /** Sends per second per chat (Telegram: about 1). Default 1. */
  perChatPerSecond?: number;
  /** Sends per second over all chats (Telegram: about 30). Default 30. */
  globalPerSecond?: number;
  /** Sends per minute per group or supergroup (Telegram: 20). Default 20. */
  groupPerMinute?: number;
  /**
   * Short bursts per chat: up to `burst` sends within `burst / perChatPerSecond` seconds, so the
   * average stays at perChatPerSecond. Default 1 (strict).
   */
  burst?: number;
  /** Multiplies every rate (10 = ten times faster, for benchmarks). Default 1. */
  scale?: number;
}

export type FaultStatus = 400 | 403 | 429 | 500 | 502;

export interface FaultSpec {
  /**
   * Method to fail (case-insensitive). Absent: any method except getUpdates, so that an idle
   * long poll does not swallow the fault.
   */
  method?: string;
  /** Only calls whose chat_id equals this. */
  chatId?: number | string;
  /** How many matching calls fail. Default 1. */
  times?: number;
  status: FaultStatus;
  description?: string;
  /** For 429: parameters.retry_after in seconds. Default 1. */
  retryAfter?: number;
}

export interface NetworkFaultSpec {
  method?: string;
  chatId?: number | string;
  times?: number;
  /**
   * Hold the connection open without ever answering (a hung connection, as a stalled proxy or
   * network shows) until the client gives up; the call is not applied. Over HTTP only.
   */
  hang?: boolean;
}

export interface CallbackAnswer {
  callback_query_id: string;
  text?: string;
  show_alert: boolean;
  url?: string;
  cache_time?: number;
  /** ms, the twin's clock */
  time: number;
}

export interface TwinStats {
  /** Sends (sendMessage/sendPhoto/sendDocument/editMessageText/editMessageCaption) accepted. */
  sendsAccepted: number;
  /** 429s issued by the rate limiter (setLimits). */
  rateLimited: number;
  /** Faults served from failNext. */
  faultsInjected: number;
  /** Connections dropped by failWithNetworkError. */
  networkErrors: number;
  /** All API calls answered. */
  calls: number;
}

export interface WaitOptions {
  /** Default 5000. */
  timeoutMs?: number;
}

export interface MessageWaitOptions extends WaitOptions {
  /** Only messages created or changed after this `twin.mark()`. */
  since?: number;
}

export interface IdleWaitOptions extends WaitOptions {
  /** How long nothing must happen. Default 50. */
  quietMs?: number;
}

export type CommandScopeInput =
  | { type: "default" }
  | { type: "all_private_chats" }
  | { type: "all_group_chats" }
  | { type: "all_chat_administrators" }
  | { type: "chat"; chat_id: number | string }
  | { type: "chat_administrators"; chat_id: number | string }
  | { type: "chat_member"; chat_id: number | string; user_id: number };

export type { BotCommand };

/** Emitted on `twin.events`. */
export interface TwinEventMap {
  call: [ApiCall];
  message: [{ kind: "sent" | "edited" | "deleted"; message: TwinMessage }];
  update: [{ bot: string; update: Update }];
  callbackAnswer: [CallbackAnswer];
  /** Anything that may change what waitForIdle sees (requests starting/ending, deliveries). */
  activity: [];
}
