// FormattedString (grammY's parse-mode plugin: text + entities) to Telegram HTML, for messages
// that are stored before they are sent (the notification outbox keeps HTML). Entities built by
// fmt are properly nested; text is escaped, so user-supplied text can never break the markup.
import type { FormattedString } from "@grammyjs/parse-mode";
import type { MessageEntity } from "grammy/types";

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

function openTag(e: MessageEntity): string | null {
  switch (e.type) {
    case "bold":
      return "<b>";
    case "italic":
      return "<i>";
    case "underline":
      return "<u>";
    case "strikethrough":
      return "<s>";
    case "spoiler":
      return "<tg-spoiler>";
    case "code":
      return "<code>";
    case "pre":
      return e.language ? `<pre><code class="language-${escapeHtml(e.language)}">` : "<pre>";
    case "text_link":
      return `<a href="${escapeHtml(e.url)}">`;
    case "text_mention":
      return `<a href="tg://user?id=${e.user.id}">`;
    case "blockquote":
      return "<blockquote>";
    case "expandable_blockquote":
      return "<blockquote expandable>";
    default:
      return null; // mentions, hashtags, urls...: Telegram detects those itself
  }
}

function closeTag(e: MessageEntity): string {
  switch (e.type) {
    case "bold":
      return "</b>";
    case "italic":
      return "</i>";
    case "underline":
      return "</u>";
    case "strikethrough":
      return "</s>";
    case "spoiler":
      return "</tg-spoiler>";
    case "code":
      return "</code>";
    case "pre":
      return e.language ? "</code></pre>" : "</pre>";
    case "text_link":
    case "text_mention":
      return "</a>";
    default:
      return "</blockquote>";
  }
}

export function toHtml(
  message: FormattedString | { text: string; entities?: MessageEntity[] },
): string {
  const text = message.text;
  const entities = [...(message.entities ?? [])]
    .filter((e) => openTag(e) !== null && e.length > 0)
    // outer entities first: earlier start, then longer
    .sort((a, b) => a.offset - b.offset || b.length - a.length);
  let out = "";
  const open: MessageEntity[] = [];
  let cursor = 0;
  const closeUntil = (pos: number) => {
    while (open.length && open[open.length - 1]!.offset + open[open.length - 1]!.length <= pos) {
      const e = open.pop()!;
      const end = e.offset + e.length;
      out += escapeHtml(text.slice(cursor, end)) + closeTag(e);
      cursor = end;
    }
  };
  for (const e of entities) {
    closeUntil(e.offset);
    out += escapeHtml(text.slice(cursor, e.offset)) + openTag(e);
    cursor = e.offset;
    open.push(e);
  }
  closeUntil(Number.POSITIVE_INFINITY);
  return out + escapeHtml(text.slice(cursor));
}
