// Steps shared by every method that puts or changes a bot message in a chat: reply targets,
// the flood check, storing the message and re-rendering it after an edit.
import type { Message } from "grammy/types";
import { ApiError, badRequest, Descriptions, tooManyRequests } from "../api-error.ts";
import { isGroup } from "../chat-access.ts";
import { renderMessage } from "../message-render.ts";
import type { TwinMessage } from "../types.ts";
import type { ChatRecord } from "../world.ts";
import { unixTime, type MethodContext } from "./context.ts";

interface ReplyParameters {
  message_id?: number;
  chat_id?: number | string;
  allow_sending_without_reply?: boolean;
}

/** reply_parameters (or the older reply_to_message_id): the message being replied to, if any. */
export function readReplyTarget(ctx: MethodContext, chat: ChatRecord): TwinMessage | undefined {
  const parameters = ctx.params.json<ReplyParameters>("reply_parameters", () =>
    badRequest("can't parse reply parameters JSON object"),
  );
  const messageId = parameters?.message_id ?? ctx.params.int("reply_to_message_id");
  if (messageId === undefined || messageId === 0) return undefined;
  const allowMissing =
    parameters?.allow_sending_without_reply === true ||
    ctx.params.bool("allow_sending_without_reply");
  const target = chat.messages.get(messageId);
  if (!target || target.deleted) {
    if (allowMissing) return undefined;
    throw badRequest("message to be replied not found");
  }
  return target;
}

/**
 * The flood check for a send or edit to `chat` (setLimits): refuses with 429 and retry_after
 * when a window is full, else counts the send.
 */
export function acceptSend(ctx: MethodContext, chat: ChatRecord): void {
  const { limiter } = ctx.services;
  const retryAfter = limiter.check(chat.chat.id, isGroup(chat), ctx.now);
  if (retryAfter !== undefined) throw tooManyRequests(retryAfter);
  limiter.record(chat.chat.id, ctx.now);
}

export type BotMessageContent = Pick<
  TwinMessage,
  | "text"
  | "html"
  | "parse_mode"
  | "entities"
  | "caption"
  | "caption_html"
  | "caption_parse_mode"
  | "caption_entities"
  | "photo"
  | "document"
  | "reply_markup"
>;

export function storeBotMessage(
  ctx: MethodContext,
  chat: ChatRecord,
  content: BotMessageContent,
  replyTo: TwinMessage | undefined,
): Message {
  const messageId = ctx.world.allocateMessageId(chat);
  const date = unixTime(ctx.now);
  const message = renderMessage({
    message_id: messageId,
    from: ctx.bot.info.user,
    chat: chat.chat,
    date,
    ...content,
    ...(replyTo ? { replyTo: replyTo.message } : {}),
  });
  ctx.world.storeMessage(chat, {
    message_id: messageId,
    chat_id: chat.chat.id,
    sender: "bot",
    bot: ctx.bot.info.username,
    from: ctx.bot.info.user,
    date,
    ...withoutUndefined(content),
    ...(replyTo ? { reply_to_message_id: replyTo.message_id } : {}),
    edits: 0,
    deleted: false,
    history: [],
    message,
  });
  return message;
}

/** The bot's own, not deleted message `message_id` in `chat`, for an edit. */
export function messageToEdit(ctx: MethodContext, chat: ChatRecord): TwinMessage {
  if (ctx.params.has("inline_message_id") && !ctx.params.has("message_id")) {
    throw badRequest("MESSAGE_ID_INVALID");
  }
  const messageId = ctx.params.int("message_id");
  if (messageId === undefined) throw badRequest("message identifier is not specified");
  const message = chat.messages.get(messageId);
  if (!message || message.deleted) throw new ApiError(400, Descriptions.messageToEditNotFound);
  if (message.sender !== "bot" || message.from?.id !== ctx.bot.info.id) {
    throw new ApiError(400, Descriptions.messageCantBeEdited);
  }
  return message;
}

/** Applies an edit: the old version goes to history, the Message object is rebuilt. */
export function applyEdit(
  ctx: MethodContext,
  chat: ChatRecord,
  current: TwinMessage,
  change: Partial<BotMessageContent>,
): Message {
  // undefined in `change` removes the field (a keyboard or caption taken away by the edit)
  const next: TwinMessage = withoutUndefined({ ...current, ...change });
  const replyTo = current.reply_to_message_id
    ? chat.messages.get(current.reply_to_message_id)
    : undefined;
  next.message = renderMessage({
    message_id: current.message_id,
    ...(current.from ? { from: current.from } : {}),
    chat: chat.chat,
    date: current.date,
    editDate: unixTime(ctx.now),
    ...pickContent(next),
    ...(replyTo ? { replyTo: replyTo.message } : {}),
  });
  next.edits = current.edits + 1;
  next.history = [
    ...current.history,
    {
      ...(current.text !== undefined ? { text: current.text } : {}),
      ...(current.html !== undefined ? { html: current.html } : {}),
      ...(current.caption !== undefined ? { caption: current.caption } : {}),
      ...(current.reply_markup ? { reply_markup: current.reply_markup } : {}),
      replacedAt: ctx.now,
    },
  ];
  return ctx.world.updateMessage(chat, current.message_id, () => next, "edited").message;
}

function pickContent(message: TwinMessage): BotMessageContent {
  return withoutUndefined({
    text: message.text,
    html: message.html,
    parse_mode: message.parse_mode,
    entities: message.entities,
    caption: message.caption,
    caption_html: message.caption_html,
    caption_parse_mode: message.caption_parse_mode,
    caption_entities: message.caption_entities,
    photo: message.photo,
    document: message.document,
    reply_markup: message.reply_markup,
  });
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** An edit that would leave the message exactly as it is. */
export function notModifiedError(): ApiError {
  return new ApiError(400, Descriptions.notModified);
}
