// sendMessage, editMessageText, editMessageReplyMarkup, editMessageCaption, deleteMessage and
// sendChatAction, with the Bot API's validation order: parameters and entities first, then the
// chat, then what Telegram's servers check (length, button data, flood limits).
import type { MessageEntity, Message } from "grammy/types";
import { ApiError, badRequest, Descriptions } from "../api-error.ts";
import { checkEditAccess, checkSendAccess, requireChat } from "../chat-access.ts";
import { assertLength, formatText, type FormattedText, type TextKind } from "../formatted-text.ts";
import {
  canonicalJson,
  checkInlineKeyboardOnServer,
  readInlineMarkupForEdit,
  readReplyMarkup,
} from "../reply-markup.ts";
import type { ReplyMarkup, TwinMessage } from "../types.ts";
import type { MethodContext } from "./context.ts";
import {
  acceptSend,
  applyEdit,
  messageToEdit,
  notModifiedError,
  readReplyTarget,
  storeBotMessage,
} from "./outgoing.ts";

const CHAT_ACTIONS = new Set([
  "typing",
  "upload_photo",
  "record_video",
  "upload_video",
  "record_voice",
  "upload_voice",
  "upload_document",
  "choose_sticker",
  "find_location",
  "record_video_note",
  "upload_video_note",
]);

/** Reads `field` (text or caption) with its parse mode and explicit entities. */
export function readFormatted(
  ctx: MethodContext,
  field: "text" | "caption",
  kind: TextKind,
): { raw: string; parseMode?: string; formatted: FormattedText } {
  const raw = ctx.params.string(field) ?? "";
  const parseMode = ctx.params.string("parse_mode");
  const entities = ctx.params.json<MessageEntity[]>(
    field === "text" ? "entities" : "caption_entities",
    () => badRequest("can't parse entities JSON object"),
  );
  const formatted = formatText(raw, parseMode, entities, kind, (id) => ctx.world.users.get(id));
  return { raw, ...(parseMode ? { parseMode } : {}), formatted };
}

export function sendMessage(ctx: MethodContext): Message {
  if ((ctx.params.string("text") ?? "") === "") throw new ApiError(400, Descriptions.textEmpty);
  const { raw, parseMode, formatted } = readFormatted(ctx, "text", "text");
  const markup = readReplyMarkup(ctx.params);
  const chat = requireChat(ctx.world, ctx.params);
  checkSendAccess(ctx.world, chat, ctx.bot);
  const replyTo = readReplyTarget(ctx, chat);
  assertLength(formatted, "text");
  checkInlineKeyboardOnServer(markup);
  acceptSend(ctx, chat);
  return storeBotMessage(
    ctx,
    chat,
    {
      text: formatted.text,
      html: raw,
      ...(parseMode ? { parse_mode: parseMode } : {}),
      entities: formatted.entities,
      ...(markup ? { reply_markup: markup } : {}),
    },
    replyTo,
  );
}

function inlineOnly(markup: ReplyMarkup | undefined): ReplyMarkup | undefined {
  return markup && "inline_keyboard" in markup ? markup : undefined;
}

/**
 * An edit replaces the inline keyboard with the one given, or removes it when none is given;
 * a reply keyboard is not part of the message and stays.
 */
function markupAfterEdit(
  current: TwinMessage,
  given: ReplyMarkup | undefined,
): ReplyMarkup | undefined {
  if (given) return given;
  return current.reply_markup && !("inline_keyboard" in current.reply_markup)
    ? current.reply_markup
    : undefined;
}

function sameMarkup(current: TwinMessage, next: ReplyMarkup | undefined): boolean {
  return (
    canonicalJson(inlineOnly(current.reply_markup) ?? null) ===
    canonicalJson(inlineOnly(next) ?? null)
  );
}

export function editMessageText(ctx: MethodContext): Message {
  if ((ctx.params.string("text") ?? "") === "") throw new ApiError(400, Descriptions.textEmpty);
  const { raw, parseMode, formatted } = readFormatted(ctx, "text", "text");
  const markup = readInlineMarkupForEdit(ctx.params);
  const chat = requireChat(ctx.world, ctx.params);
  checkEditAccess(chat, ctx.bot);
  const current = messageToEdit(ctx, chat);
  if (current.text === undefined) throw new ApiError(400, Descriptions.noTextToEdit);
  assertLength(formatted, "text");
  checkInlineKeyboardOnServer(markup);
  const nextMarkup = markupAfterEdit(current, markup);
  const sameText =
    current.text === formatted.text &&
    canonicalJson(current.entities ?? []) === canonicalJson(formatted.entities);
  if (sameText && sameMarkup(current, nextMarkup)) throw notModifiedError();
  acceptSend(ctx, chat);
  return applyEdit(ctx, chat, current, {
    text: formatted.text,
    html: raw,
    parse_mode: parseMode,
    entities: formatted.entities,
    reply_markup: nextMarkup,
  });
}

export function editMessageReplyMarkup(ctx: MethodContext): Message {
  const markup = readInlineMarkupForEdit(ctx.params);
  const chat = requireChat(ctx.world, ctx.params);
  checkEditAccess(chat, ctx.bot);
  const current = messageToEdit(ctx, chat);
  checkInlineKeyboardOnServer(markup);
  const nextMarkup = markupAfterEdit(current, markup);
  if (sameMarkup(current, nextMarkup)) throw notModifiedError();
  return applyEdit(ctx, chat, current, { reply_markup: nextMarkup });
}

export function editMessageCaption(ctx: MethodContext): Message {
  const { raw, parseMode, formatted } = readFormatted(ctx, "caption", "caption");
  const markup = readInlineMarkupForEdit(ctx.params);
  const chat = requireChat(ctx.world, ctx.params);
  checkEditAccess(chat, ctx.bot);
  const current = messageToEdit(ctx, chat);
  if (!current.photo && !current.document) throw new ApiError(400, Descriptions.noCaptionToEdit);
  assertLength(formatted, "caption");
  checkInlineKeyboardOnServer(markup);
  const nextMarkup = markupAfterEdit(current, markup);
  const sameCaption =
    (current.caption ?? "") === formatted.text &&
    canonicalJson(current.caption_entities ?? []) === canonicalJson(formatted.entities);
  if (sameCaption && sameMarkup(current, nextMarkup)) throw notModifiedError();
  acceptSend(ctx, chat);
  return applyEdit(ctx, chat, current, {
    caption: formatted.text === "" ? undefined : formatted.text,
    caption_html: raw === "" ? undefined : raw,
    caption_parse_mode: parseMode,
    caption_entities: formatted.entities,
    reply_markup: nextMarkup,
  });
}

export function deleteMessage(ctx: MethodContext): true {
  const chat = requireChat(ctx.world, ctx.params);
  checkEditAccess(chat, ctx.bot);
  const messageId = ctx.params.int("message_id") ?? 0;
  const message = chat.messages.get(messageId);
  if (!message || message.deleted) throw new ApiError(400, Descriptions.messageToDeleteNotFound);
  const own = message.sender === "bot" && message.from?.id === ctx.bot.info.id;
  if (!own && chat.chat.type !== "private") {
    // in groups and channels deleting others' messages takes the can_delete_messages right
    const member = chat.members.get(ctx.bot.info.id);
    const allowed =
      member?.status === "creator" ||
      (member?.status === "administrator" && member.canDeleteMessages);
    if (!allowed) throw new ApiError(400, Descriptions.messageCantBeDeleted);
  }
  if (!own && chat.chat.type === "private" && message.sender === "bot") {
    throw new ApiError(400, Descriptions.messageCantBeDeleted);
  }
  ctx.world.updateMessage(chat, messageId, (m) => ({ ...m, deleted: true }), "deleted");
  return true;
}

export function sendChatAction(ctx: MethodContext): true {
  const chat = requireChat(ctx.world, ctx.params);
  const action = ctx.params.string("action") ?? "";
  if (!CHAT_ACTIONS.has(action)) throw badRequest("wrong parameter action in request");
  checkSendAccess(ctx.world, chat, ctx.bot);
  return true;
}
