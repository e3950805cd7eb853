// Builds the Telegram `Message` objects the twin returns to bots and puts into updates, from the
// fields it stores per message.
import type { Chat, Message, PhotoSize, User } from "grammy/types";
import type { SentFile, TwinMessage } from "./types.ts";

export interface RenderInput {
  message_id: number;
  from?: User;
  chat: Chat;
  date: number;
  editDate?: number;
  text?: string;
  entities?: TwinMessage["entities"];
  caption?: string;
  caption_entities?: TwinMessage["caption_entities"];
  photo?: SentFile;
  document?: SentFile;
  reply_markup?: TwinMessage["reply_markup"];
  replyTo?: Message;
  senderChat?: Chat;
}

export function renderMessage(input: RenderInput): Message {
  const message: Record<string, unknown> = {
    message_id: input.message_id,
    ...(input.from ? { from: input.from } : {}),
    ...(input.senderChat ? { sender_chat: input.senderChat } : {}),
    chat: input.chat,
    date: input.date,
  };
  if (input.editDate !== undefined) message.edit_date = input.editDate;
  if (input.replyTo) {
    // Telegram nests the replied-to message one level deep only.
    const { reply_to_message: _nested, ...replyTo } = input.replyTo;
    message.reply_to_message = replyTo;
  }
  if (input.text !== undefined) {
    message.text = input.text;
    if (input.entities && input.entities.length > 0) message.entities = input.entities;
  }
  if (input.photo) message.photo = [photoSize(input.photo)];
  if (input.document) {
    message.document = {
      file_id: input.document.file_id,
      file_unique_id: input.document.file_unique_id,
      ...(input.document.fileName ? { file_name: input.document.fileName } : {}),
      ...(input.document.mimeType ? { mime_type: input.document.mimeType } : {}),
      file_size: input.document.size,
    };
  }
  if (input.caption !== undefined && input.caption !== "") {
    message.caption = input.caption;
    if (input.caption_entities && input.caption_entities.length > 0) {
      message.caption_entities = input.caption_entities;
    }
  }
  // Telegram echoes only inline keyboards in Message.reply_markup.
  if (input.reply_markup && "inline_keyboard" in input.reply_markup)
    message.reply_markup = input.reply_markup;
  // The object is assembled field by field from checked parts; Message is a wide union that a
  // literal cannot be narrowed to without listing every variant.
  return message as unknown as Message;
}

function photoSize(file: SentFile): PhotoSize {
  return {
    file_id: file.file_id,
    file_unique_id: file.file_unique_id,
    width: file.width ?? 0,
    height: file.height ?? 0,
    file_size: file.size,
  };
}
