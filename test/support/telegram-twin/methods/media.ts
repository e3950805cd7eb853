// sendPhoto and sendDocument. A file arrives as a multipart upload (grammY references it as
// "attach://<field>"; other clients put it in the field itself), as the file_id of an earlier
// upload, or as an HTTP URL (recorded, never fetched).
import type { Message } from "grammy/types";
import { badRequest } from "../api-error.ts";
import { checkSendAccess, requireChat } from "../chat-access.ts";
import { assertLength } from "../formatted-text.ts";
import { imageSize } from "../image-size.ts";
import { checkInlineKeyboardOnServer, readReplyMarkup } from "../reply-markup.ts";
import type { SentFile } from "../types.ts";
import type { MethodContext } from "./context.ts";
import { readFormatted } from "./messages.ts";
import { acceptSend, readReplyTarget, storeBotMessage } from "./outgoing.ts";

const MAX_PHOTO_BYTES = 10 * 1024 * 1024;

const MIME_BY_EXTENSION: Record<string, string> = {
  csv: "text/csv",
  gif: "image/gif",
  htm: "text/html",
  html: "text/html",
  jpeg: "image/jpeg",
  jpg: "image/jpeg",
  json: "application/json",
  pdf: "application/pdf",
  png: "image/png",
  svg: "image/svg+xml",
  txt: "text/plain",
  webp: "image/webp",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  zip: "application/zip",
};

function mimeFor(fileName: string, declared: string): string {
  const extension = fileName.split(".").pop()?.toLowerCase() ?? "";
  // Telegram guesses from the name; clients such as grammY declare everything octet-stream.
  return MIME_BY_EXTENSION[extension] ?? (declared === "" ? "application/octet-stream" : declared);
}

function readFile(ctx: MethodContext, field: "photo" | "document"): SentFile {
  const value = ctx.params.string(field);
  const attached = value?.startsWith("attach://")
    ? ctx.params.files.get(value.slice("attach://".length))
    : undefined;
  const upload = attached ?? ctx.params.files.get(field);
  if (upload) {
    if (upload.data.length === 0) throw badRequest("file must be non-empty");
    if (field === "photo" && upload.data.length > MAX_PHOTO_BYTES)
      throw badRequest("PHOTO_INVALID_DIMENSIONS");
    const ids = ctx.services.newFileId(field);
    const size = field === "photo" ? imageSize(upload.data) : undefined;
    const file: SentFile = {
      file_id: ids.fileId,
      file_unique_id: ids.uniqueId,
      source: "upload",
      fileName: upload.fileName,
      mimeType: mimeFor(upload.fileName, upload.contentType),
      size: upload.data.length,
      bytes: upload.data,
      ...(size ?? {}),
    };
    ctx.world.files.set(file.file_id, file);
    return file;
  }
  if (value === undefined || value === "") throw badRequest(`there is no ${field} in the request`);
  if (value.startsWith("attach://")) throw badRequest(`there is no ${field} in the request`);
  if (/^https?:\/\//i.test(value)) {
    const ids = ctx.services.newFileId(field);
    return {
      file_id: ids.fileId,
      file_unique_id: ids.uniqueId,
      source: "url",
      url: value,
      size: 0,
    };
  }
  const known = ctx.world.files.get(value);
  if (!known) throw badRequest("wrong file identifier/HTTP URL specified");
  return { ...known, source: "file_id" };
}

function sendMedia(ctx: MethodContext, field: "photo" | "document"): Message {
  const file = readFile(ctx, field);
  const { raw, parseMode, formatted } = readFormatted(ctx, "caption", "caption");
  const markup = readReplyMarkup(ctx.params);
  const chat = requireChat(ctx.world, ctx.params);
  checkSendAccess(ctx.world, chat, ctx.bot);
  const replyTo = readReplyTarget(ctx, chat);
  assertLength(formatted, "caption");
  checkInlineKeyboardOnServer(markup);
  acceptSend(ctx, chat);
  return storeBotMessage(
    ctx,
    chat,
    {
      [field]: file,
      ...(formatted.text !== ""
        ? {
            caption: formatted.text,
            caption_html: raw,
            ...(parseMode ? { caption_parse_mode: parseMode } : {}),
            caption_entities: formatted.entities,
          }
        : {}),
      ...(markup ? { reply_markup: markup } : {}),
    },
    replyTo,
  );
}

export const sendPhoto = (ctx: MethodContext): Message => sendMedia(ctx, "photo");
export const sendDocument = (ctx: MethodContext): Message => sendMedia(ctx, "document");
