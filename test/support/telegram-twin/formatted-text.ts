// Turns a text or caption parameter plus parse_mode/entities into what the recipient sees, with
// the Bot API's checks in its order: raw size, parse_mode, entity parsing, TDLib's trimming and
// emptiness; `assertLength` adds the message (4096) or caption (1024) limit.
import type { MessageEntity } from "grammy/types";
import { ApiError, badRequest, Descriptions } from "./api-error.ts";
import { EntityParseError, sortEntities, type UserLookup } from "./entity-helpers.ts";
import { parseHtml, publicEntities, type ParsedText } from "./html-parser.ts";
import { parseMarkdownLegacy, parseMarkdownV2 } from "./markdown-parser.ts";

export const MAX_TEXT_LENGTH = 4096;
export const MAX_CAPTION_LENGTH = 1024;
/** The Bot API rejects raw text parameters above 32 KiB before parsing them. */
const MAX_RAW_TEXT_BYTES = 1 << 15;

export interface FormattedText {
  /** The text as shown to the user. */
  text: string;
  entities: MessageEntity[];
}

export type TextKind = "text" | "caption";

export function formatText(
  raw: string,
  parseMode: string | undefined,
  explicitEntities: MessageEntity[] | undefined,
  kind: TextKind,
  lookupUser: UserLookup,
): FormattedText {
  if (Buffer.byteLength(raw, "utf8") > MAX_RAW_TEXT_BYTES)
    throw new ApiError(400, Descriptions.rawTextTooLong);

  const mode = (parseMode ?? "").toLowerCase();
  let parsed: ParsedText;
  if (raw !== "" && mode !== "" && mode !== "none") {
    try {
      if (mode === "html") parsed = parseHtml(raw, lookupUser);
      else if (mode === "markdownv2") parsed = parseMarkdownV2(raw, lookupUser);
      else if (mode === "markdown") parsed = parseMarkdownLegacy(raw, lookupUser);
      else throw badRequest("unsupported parse_mode");
    } catch (error) {
      if (error instanceof EntityParseError)
        throw badRequest(`can't parse entities: ${error.message}`);
      throw error;
    }
  } else {
    parsed = { text: raw, entities: validEntities(explicitEntities ?? [], raw.length) };
  }

  const trimmed = trim(parsed);
  if (trimmed.text === "") {
    if (kind === "text") throw new ApiError(400, Descriptions.textMustBeNonEmpty);
    return { text: "", entities: [] };
  }
  return { text: trimmed.text, entities: publicEntities(trimmed.entities) };
}

/**
 * The length limit, which Telegram's servers check after the chat was resolved (so an unknown
 * chat is reported first): 4096 for texts, 1024 for captions, in UTF-16 code units.
 */
export function assertLength(formatted: FormattedText, kind: TextKind): void {
  const limit = kind === "text" ? MAX_TEXT_LENGTH : MAX_CAPTION_LENGTH;
  if (formatted.text.length > limit) {
    throw new ApiError(
      400,
      kind === "text" ? Descriptions.messageTooLong : Descriptions.captionTooLong,
    );
  }
}

/**
 * TDLib's fix_formatted_text: trailing whitespace goes (entities are cut back to the text),
 * leading spaces and line breaks go only up to the first entity.
 */
function trim({ text, entities }: ParsedText): ParsedText {
  let end = text.length;
  while (end > 0 && /\s/.test(text[end - 1] ?? "")) end--;
  if (end === 0) return { text: "", entities: [] };
  let kept = entities
    .filter((entity) => entity.offset < end)
    .map((entity) =>
      entity.offset + entity.length > end ? { ...entity, length: end - entity.offset } : entity,
    );
  let start = 0;
  const firstEntity = kept.length > 0 ? Math.min(...kept.map((entity) => entity.offset)) : end;
  while (start < firstEntity && (text[start] === " " || text[start] === "\n")) start++;
  if (start > 0) kept = kept.map((entity) => ({ ...entity, offset: entity.offset - start }));
  return { text: text.slice(start, end), entities: sortEntities(kept) };
}

/** Entities given explicitly: kept when they fit the text, as TDLib drops the others. */
function validEntities(entities: MessageEntity[], textLength: number): MessageEntity[] {
  if (!Array.isArray(entities)) throw badRequest("can't parse entities JSON object");
  const kept: MessageEntity[] = [];
  for (const entity of entities) {
    if (typeof entity !== "object" || entity === null)
      throw badRequest("can't parse entities JSON object");
    const { offset, length } = entity;
    if (typeof offset !== "number" || typeof length !== "number") {
      throw badRequest("can't parse entities JSON object");
    }
    if (offset < 0)
      throw badRequest(`can't parse entities: Receive an entity with incorrect offset ${offset}`);
    if (length <= 0 || offset >= textLength) continue;
    kept.push(offset + length > textLength ? { ...entity, length: textLength - offset } : entity);
  }
  return sortEntities(kept);
}
