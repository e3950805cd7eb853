// Inline keyboards built from plain data. Their callback data comes from the typed codecs
// (callback-data.ts, one callback-data.ts per feature): "<area>:<action>:<args>", at most 64
// bytes, ids only (never state that could be forged into something meaningful: every press is
// re-authorized and re-validated against the database).
import type { InlineKeyboardButton, InlineKeyboardMarkup } from "grammy/types";

export function button(text: string, data: string): InlineKeyboardButton.CallbackButton {
  if (Buffer.byteLength(data, "utf8") > 64) throw new Error(`callback data over 64 bytes: ${data}`);
  return { text, callback_data: data };
}

export function keyboard(rows: InlineKeyboardButton[][]): InlineKeyboardMarkup {
  return { inline_keyboard: rows.filter((r) => r.length > 0) };
}

/** Splits buttons into rows of `perRow`. */
export function grid<T>(items: T[], perRow: number): T[][] {
  const rows: T[][] = [];
  for (let i = 0; i < items.length; i += perRow) rows.push(items.slice(i, i + perRow));
  return rows;
}

export function parseId(text: string | undefined): number | null {
  if (!text || !/^\d{1,10}$/.test(text)) return null;
  const n = Number(text);
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}

/** The time zones offered as buttons; anything else can be typed. */
export const COMMON_TIME_ZONES = [
  "UTC",
  "Europe/London",
  "Europe/Berlin",
  "Europe/Moscow",
  "Asia/Dubai",
  "Asia/Singapore",
  "Asia/Tokyo",
  "America/New_York",
  "America/Chicago",
  "America/Los_Angeles",
] as const;
