// reply_markup as the Bot API reads it: first the structure (with the server's error texts,
// e.g. "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"),
// then the checks Telegram's servers make when the message is sent (BUTTON_DATA_INVALID for
// callback_data outside 1..64 bytes, BUTTON_URL_INVALID).
import type { InlineKeyboardButton, InlineKeyboardMarkup } from "grammy/types";
import { badRequest, Descriptions, ApiError } from "./api-error.ts";
import type { Params } from "./params.ts";
import type { ReplyMarkup } from "./types.ts";

const INLINE_BUTTON_ACTIONS = [
  "url",
  "callback_data",
  "web_app",
  "login_url",
  "switch_inline_query",
  "switch_inline_query_current_chat",
  "switch_inline_query_chosen_chat",
  "copy_text",
  "callback_game",
  "pay",
];

export function readReplyMarkup(params: Params): ReplyMarkup | undefined {
  const value = params.json<unknown>("reply_markup", () =>
    badRequest("can't parse reply keyboard markup JSON object"),
  );
  if (value === undefined) return undefined;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw badRequest("object expected as reply markup");
  }
  const markup = value as Record<string, unknown>;
  // the fields that matter are checked below before the value is used as a keyboard
  const asMarkup = value as ReplyMarkup;

  if (markup.keyboard !== undefined) {
    if (!Array.isArray(markup.keyboard) || !markup.keyboard.every((row) => Array.isArray(row))) {
      throw badRequest('field "keyboard" must be an Array of Arrays');
    }
    for (const row of markup.keyboard as unknown[][]) {
      for (const button of row) {
        const isText = typeof button === "string";
        const isObject =
          typeof button === "object" &&
          button !== null &&
          typeof (button as { text?: unknown }).text === "string";
        if (!isText && !isObject) {
          throw badRequest(
            "can't parse keyboard button: KeyboardButton must be a String or an Object",
          );
        }
      }
    }
    if ((markup.keyboard as unknown[][]).some((row) => row.length > 0)) return asMarkup;
  }

  if (markup.inline_keyboard !== undefined) {
    if (
      !Array.isArray(markup.inline_keyboard) ||
      !markup.inline_keyboard.every((row) => Array.isArray(row))
    ) {
      throw badRequest(
        'field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays',
      );
    }
    for (const row of markup.inline_keyboard as unknown[][]) {
      for (const button of row) checkInlineButtonShape(button);
    }
    if ((markup.inline_keyboard as unknown[][]).some((row) => row.length > 0)) return asMarkup;
  }

  if (markup.remove_keyboard === true || markup.hide_keyboard === true) return asMarkup;
  if (markup.force_reply === true || markup.force_reply_keyboard === true) return asMarkup;
  // An object with nothing usable means "no keyboard", as in TDLib.
  return undefined;
}

function checkInlineButtonShape(button: unknown): void {
  const fail = (why: string): never => {
    throw badRequest(`can't parse inline keyboard button: ${why}`);
  };
  if (typeof button !== "object" || button === null) fail("InlineKeyboardButton must be an Object");
  const fields = button as Record<string, unknown>;
  if (typeof fields.text !== "string") fail('Field "text" must be of type String');
  const hasAction = INLINE_BUTTON_ACTIONS.some((key) => {
    const value = fields[key];
    return key === "callback_game" || key === "pay"
      ? value !== undefined
      : value !== undefined && value !== "";
  });
  if (!hasAction) fail("Text buttons are unallowed in the inline keyboard");
}

/** Checks Telegram's servers make on an inline keyboard when the message is sent or edited. */
export function checkInlineKeyboardOnServer(markup: ReplyMarkup | undefined): void {
  if (!markup || !("inline_keyboard" in markup)) return;
  for (const row of markup.inline_keyboard) {
    for (const button of row) {
      if ("callback_data" in button && typeof button.callback_data === "string") {
        const bytes = Buffer.byteLength(button.callback_data, "utf8");
        if (bytes < 1 || bytes > 64) throw new ApiError(400, Descriptions.buttonDataInvalid);
      }
      if ("url" in button && typeof button.url === "string" && !isValidButtonUrl(button.url)) {
        throw badRequest("BUTTON_URL_INVALID");
      }
    }
  }
}

function isValidButtonUrl(url: string): boolean {
  try {
    const parsed = new URL(/^[a-z][a-z0-9+.-]*:/i.test(url) ? url : `http://${url}`);
    return ["http:", "https:", "tg:", "ton:"].includes(parsed.protocol);
  } catch {
    return false;
  }
}

/** Only inline keyboards can be attached by edits; anything else is refused like Telegram does. */
export function readInlineMarkupForEdit(params: Params): InlineKeyboardMarkup | undefined {
  const markup = readReplyMarkup(params);
  if (markup === undefined) return undefined;
  if (!("inline_keyboard" in markup)) throw badRequest("inline keyboard expected");
  return markup;
}

/** Key order and absent fields do not make two keyboards different. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) => {
    if (inner && typeof inner === "object" && !Array.isArray(inner)) {
      return Object.fromEntries(
        Object.entries(inner as Record<string, unknown>)
          .filter(([, v]) => v !== undefined && v !== null)
          .sort(([a], [b]) => a.localeCompare(b)),
      );
    }
    return inner;
  });
}

/** The flat list of buttons, row by row (used to press by index). */
export function inlineButtons(markup: ReplyMarkup | undefined): InlineKeyboardButton[][] {
  return markup && "inline_keyboard" in markup ? markup.inline_keyboard : [];
}
