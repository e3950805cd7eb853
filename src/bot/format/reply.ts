// Sending FormattedStrings (grammY parse-mode: text + entities, so nothing needs escaping).
import type { FormattedString } from "@grammyjs/parse-mode";
import type { InlineKeyboardMarkup } from "grammy/types";
import type { BaseContext } from "../context.ts";

export type Markup =
  InlineKeyboardMarkup | { inline_keyboard: InlineKeyboardMarkup["inline_keyboard"] };

export async function replyFmt(
  ctx: BaseContext,
  message: FormattedString,
  markup?: Markup,
): Promise<void> {
  await ctx.reply(message.text, {
    entities: message.entities,
    link_preview_options: { is_disabled: true },
    ...(markup ? { reply_markup: markup } : {}),
  });
}

/** Edits the message a button belongs to; "message is not modified" is not an error here. */
export async function editFmt(
  ctx: BaseContext,
  message: FormattedString,
  markup?: Markup,
): Promise<void> {
  try {
    await ctx.editMessageText(message.text, {
      entities: message.entities,
      link_preview_options: { is_disabled: true },
      ...(markup ? { reply_markup: markup } : {}),
    });
  } catch (e) {
    if (e instanceof Error && /message is not modified/.test(e.message)) return;
    throw e;
  }
}
