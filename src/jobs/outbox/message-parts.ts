// What an outbox row looks like in Telegram: the title in bold above the message, split into as
// many messages as the length limits require, a photo first when the row has an attachment, and
// the row's buttons under the last part.
//
// The list is a pure function of the row (title, message, format, attachment present), so after a
// crash the row's partsSent says exactly which parts are still to go.
import { escapeHtml } from "../../lib/html.ts";
import { splitHtml, splitText } from "./split-message.ts";

export const TEXT_LIMIT = 4096;
export const CAPTION_LIMIT = 1024;

export interface RenderableRow {
  title: string;
  message: string;
  format: string;
  hasAttachment: boolean;
}

export type MessagePart =
  | { kind: "text"; text: string; html: boolean; boldPrefix: number }
  | { kind: "photo"; caption: string; html: boolean; boldPrefix: number };

/**
 * `boldPrefix`: for plain-text parts, how many leading UTF-16 units are the title, sent as a bold
 * entity (no parse mode, so nothing in the text can be misread as markup). 0 for HTML parts and
 * for parts without the title.
 */
export function renderParts(row: RenderableRow): MessagePart[] {
  const html = row.format !== "text";
  const title = row.title.replace(/\s+/g, " ").trim();
  const head = title ? (html ? `<b>${escapeHtml(title)}</b>` : title) : "";
  const full = head && row.message ? `${head}\n${row.message}` : head || row.message;
  const boldPrefix = !html && title ? title.length : 0;

  if (!row.hasAttachment) {
    const chunks = html ? splitHtml(full, TEXT_LIMIT) : splitText(full, TEXT_LIMIT);
    return chunks.map((text, i) => ({
      kind: "text" as const,
      text,
      html,
      boldPrefix: i === 0 && text.startsWith(title) ? boldPrefix : 0,
    }));
  }
  if (full.length <= CAPTION_LIMIT) return [{ kind: "photo", caption: full, html, boldPrefix }];
  // too long for a caption: the photo under its title, then the message as text
  const rest = row.message.trim()
    ? (html ? splitHtml(row.message, TEXT_LIMIT) : splitText(row.message, TEXT_LIMIT)).map(
        (text) => ({ kind: "text" as const, text, html, boldPrefix: 0 }),
      )
    : [];
  return [{ kind: "photo", caption: head, html, boldPrefix }, ...rest];
}
