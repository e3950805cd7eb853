// Helpers shared by the HTML and Markdown parsers, following TDLib's rules (the library behind
// the Bot API): offsets are reported to clients in UTF-16 code units, but parse errors name
// UTF-8 byte offsets; links are accepted only when TDLib would accept them.
import type { MessageEntity, User } from "grammy/types";

export class EntityParseError extends Error {}

/** UTF-8 byte offset of a UTF-16 index, for error messages ("at byte offset N"). */
export function byteOffset(text: string, index: number): number {
  return Buffer.byteLength(text.slice(0, index), "utf8");
}

/** TDLib's is_space: ASCII whitespace, and the end of the string (its NUL terminator). */
export function isSpace(ch: string): boolean {
  return ch === "" || ch === " " || ch === "\t" || ch === "\r" || ch === "\n" || ch === "\v";
}

export function isAlnum(ch: string): boolean {
  return /^[A-Za-z0-9]$/.test(ch);
}

export type UserLookup = (id: number) => User | undefined;

/**
 * Turns a link target into an entity: `tg://user?id=N` mentions a known user, other links must
 * be valid (TDLib's get_checked_link); an invalid link yields no entity at all, as on Telegram.
 */
export function linkEntity(
  rawUrl: string,
  offset: number,
  length: number,
  lookupUser: UserLookup,
): MessageEntity | undefined {
  const url = rawUrl.trim();
  const mention = /^tg:(?:\/\/)?user\?id=(\d+)$/i.exec(url);
  if (mention) {
    const user = lookupUser(Number(mention[1]));
    return user ? { type: "text_mention", offset, length, user } : undefined;
  }
  const checked = checkedLink(url);
  return checked ? { type: "text_link", offset, length, url: checked } : undefined;
}

function checkedLink(url: string): string | undefined {
  if (url === "" || /\s/.test(url)) return undefined;
  const hasScheme = /^[a-z][a-z0-9+.-]*:/i.test(url);
  const candidate = hasScheme ? url : `http://${url}`;
  let parsed: URL;
  try {
    parsed = new URL(candidate);
  } catch {
    return undefined;
  }
  const scheme = parsed.protocol.toLowerCase();
  if (scheme === "http:" || scheme === "https:") {
    return parsed.hostname.includes(".") || parsed.hostname === "localhost" ? candidate : undefined;
  }
  return scheme === "tg:" || scheme === "ton:" || scheme === "tonsite:" ? candidate : undefined;
}

// TDLib orders entities by offset, then longer first, then by a fixed type priority.
const TYPE_PRIORITY: Record<string, number> = {
  blockquote: 0,
  expandable_blockquote: 0,
  pre: 11,
  code: 20,
  text_link: 49,
  text_mention: 49,
  mention: 50,
  hashtag: 50,
  cashtag: 50,
  bot_command: 50,
  url: 50,
  email: 50,
  phone_number: 50,
  bold: 90,
  italic: 91,
  underline: 92,
  strikethrough: 93,
  spoiler: 94,
  date_time: 95,
  custom_emoji: 99,
};

export function sortEntities(entities: MessageEntity[]): MessageEntity[] {
  return entities.sort(
    (a, b) =>
      a.offset - b.offset ||
      b.length - a.length ||
      (TYPE_PRIORITY[a.type] ?? 50) - (TYPE_PRIORITY[b.type] ?? 50),
  );
}
