// parse_mode "HTML" as the Bot API implements it (a port of TDLib's parse_html): the supported
// tags, attribute syntax, the four named entities plus numeric ones, and the exact error texts
// ("Unsupported start tag \"x\" at byte offset N", ...). The caller prefixes errors with
// "Bad Request: can't parse entities: ".
import type { MessageEntity } from "grammy/types";
import {
  byteOffset,
  EntityParseError,
  isAlnum,
  isSpace,
  linkEntity,
  sortEntities,
  type UserLookup,
} from "./entity-helpers.ts";

export interface ParsedText {
  text: string;
  entities: MessageEntity[];
}

const SUPPORTED_TAGS = new Set([
  "a",
  "b",
  "strong",
  "i",
  "em",
  "s",
  "strike",
  "del",
  "u",
  "ins",
  "tg-spoiler",
  "tg-emoji",
  "tg-time",
  "span",
  "pre",
  "code",
  "blockquote",
]);

const DATE_TIME_FORMAT = /^(r|w?[dD]?[tT]?)$/;

interface OpenTag {
  tagName: string;
  argument: string;
  date: number;
  /** UTF-16 offset in the output where the tag's content starts. */
  offset: number;
}

/**
 * Decodes an HTML character reference at `pos` (which holds '&'). Returns undefined when TDLib
 * would keep the '&' literally: unknown names, zero, out-of-range or overlong numbers.
 */
export function decodeHtmlEntity(
  text: string,
  pos: number,
): { value: string; next: number } | undefined {
  let end = pos + 1;
  let code = 0;
  if (text[pos + 1] === "#") {
    end++;
    if (text[pos + 2] === "x") {
      end++;
      while (end < text.length && /[0-9a-fA-F]/.test(text[end] ?? "")) {
        code = code * 16 + Number.parseInt(text[end] ?? "0", 16);
        end++;
      }
    } else {
      while (end < text.length && /[0-9]/.test(text[end] ?? "")) {
        code = code * 10 + Number(text[end]);
        end++;
      }
    }
    if (code === 0 || code >= 0x10ffff || end - pos >= 10) return undefined;
  } else {
    while (end < text.length && /[A-Za-z]/.test(text[end] ?? "")) end++;
    const name = text.slice(pos + 1, end);
    const named: Record<string, number> = { lt: 0x3c, gt: 0x3e, amp: 0x26, quot: 0x22 };
    const value = named[name];
    if (value === undefined) return undefined;
    code = value;
  }
  if (text[end] === ";") end++;
  return { value: String.fromCodePoint(code), next: end };
}

export function parseHtml(input: string, lookupUser: UserLookup): ParsedText {
  const at = (i: number): string => (i < input.length ? (input[i] ?? "") : "");
  const fail = (message: string): never => {
    throw new EntityParseError(message);
  };
  const bytes = (i: number): number => byteOffset(input, i);

  let out = "";
  const entities: MessageEntity[] = [];
  const open: OpenTag[] = [];

  for (let i = 0; i < input.length; i++) {
    const c = input[i];
    if (c === "&") {
      const decoded = decodeHtmlEntity(input, i);
      if (decoded) {
        out += decoded.value;
        i = decoded.next - 1;
        continue;
      }
    }
    if (c !== "<") {
      out += c;
      continue;
    }

    const beginPos = i++;
    if (at(i) !== "/") {
      // a start tag
      while (!isSpace(at(i)) && at(i) !== ">") i++;
      if (at(i) === "") fail(`Unclosed start tag at byte offset ${bytes(beginPos)}`);
      const tagName = input.slice(beginPos + 1, i).toLowerCase();
      if (!SUPPORTED_TAGS.has(tagName)) {
        fail(`Unsupported start tag "${tagName}" at byte offset ${bytes(beginPos)}`);
      }

      let argument = "";
      let date = 0;
      while (at(i) !== ">") {
        while (at(i) !== "" && isSpace(at(i))) i++;
        if (at(i) === ">") break;
        const attributeBegin = i;
        while (
          !isSpace(at(i)) &&
          at(i) !== "=" &&
          at(i) !== ">" &&
          at(i) !== "/" &&
          at(i) !== '"' &&
          at(i) !== "'"
        ) {
          i++;
        }
        const attributeName = input.slice(attributeBegin, i);
        if (attributeName === "") {
          fail(`Empty attribute name in the tag "${tagName}" at byte offset ${bytes(beginPos)}`);
        }
        while (at(i) !== "" && isSpace(at(i))) i++;
        if (at(i) !== "=") {
          if (at(i) === "")
            fail(`Unclosed start tag "${tagName}" at byte offset ${bytes(beginPos)}`);
          if (tagName === "blockquote" && attributeName === "expandable") argument = "1";
          continue;
        }
        i++;
        while (at(i) !== "" && isSpace(at(i))) i++;
        if (at(i) === "") fail(`Unclosed start tag "${tagName}" at byte offset ${bytes(beginPos)}`);

        let value = "";
        if (at(i) !== "'" && at(i) !== '"') {
          // a name token: letters, digits, periods and hyphens, case-insensitive
          const tokenBegin = i;
          while (isAlnum(at(i)) || at(i) === "." || at(i) === "-") i++;
          value = input.slice(tokenBegin, i).toLowerCase();
          if (!isSpace(at(i)) && at(i) !== ">") {
            fail(`Unexpected end of name token at byte offset ${bytes(tokenBegin)}`);
          }
        } else {
          const quote = at(i++);
          while (at(i) !== quote && at(i) !== "") {
            if (at(i) === "&") {
              const decoded = decodeHtmlEntity(input, i);
              if (decoded) {
                value += decoded.value;
                i = decoded.next;
                continue;
              }
            }
            value += at(i++);
          }
          if (at(i) === quote) i++;
        }
        if (at(i) === "") fail(`Unclosed start tag at byte offset ${bytes(beginPos)}`);

        if (tagName === "a" && attributeName === "href") argument = value;
        else if (tagName === "code" && attributeName === "class" && value.startsWith("language-")) {
          argument = value.slice("language-".length);
        } else if (tagName === "span" && attributeName === "class" && value.startsWith("tg-")) {
          argument = value.slice("tg-".length);
        } else if (tagName === "tg-emoji" && attributeName === "emoji-id") argument = value;
        else if (tagName === "blockquote" && attributeName === "expandable") argument = "1";
        else if (tagName === "tg-time" && attributeName === "unix")
          date = Number.parseInt(value, 10) || 0;
        else if (tagName === "tg-time" && attributeName === "format") argument = value;
      }

      if (tagName === "span" && argument !== "spoiler") {
        fail(`Tag "span" must have class "tg-spoiler" at byte offset ${bytes(beginPos)}`);
      }
      open.push({ tagName, argument, date, offset: out.length });
    } else {
      // an end tag
      const top = open.at(-1);
      if (!top) fail(`Unexpected end tag at byte offset ${bytes(beginPos)}`);
      while (!isSpace(at(i)) && at(i) !== ">") i++;
      const endTagName = input.slice(beginPos + 2, i).toLowerCase();
      while (isSpace(at(i)) && at(i) !== "") i++;
      if (at(i) !== ">") fail(`Unclosed end tag at byte offset ${bytes(beginPos)}`);
      const tag = top as OpenTag;
      if (endTagName !== "" && endTagName !== tag.tagName) {
        fail(
          `Unmatched end tag at byte offset ${bytes(beginPos)}, expected "</${tag.tagName}>", found "</${endTagName}>"`,
        );
      }
      if (out.length > tag.offset) closeTag(tag, out, entities, lookupUser);
      open.pop();
    }
  }
  const unclosed = open.at(-1);
  if (unclosed) fail(`Can't find end tag corresponding to start tag "${unclosed.tagName}"`);
  return { text: out, entities: sortEntities(entities) };
}

function closeTag(
  tag: OpenTag,
  out: string,
  entities: MessageEntity[],
  lookupUser: UserLookup,
): void {
  const offset = tag.offset;
  const length = out.length - offset;
  const last = entities.at(-1);
  switch (tag.tagName) {
    case "i":
    case "em":
      entities.push({ type: "italic", offset, length });
      return;
    case "b":
    case "strong":
      entities.push({ type: "bold", offset, length });
      return;
    case "s":
    case "strike":
    case "del":
      entities.push({ type: "strikethrough", offset, length });
      return;
    case "u":
    case "ins":
      entities.push({ type: "underline", offset, length });
      return;
    case "tg-spoiler":
    case "span":
      entities.push({ type: "spoiler", offset, length });
      return;
    case "tg-emoji": {
      if (!/^\d+$/.test(tag.argument) || /^0+$/.test(tag.argument)) {
        throw new EntityParseError("Invalid custom emoji identifier specified");
      }
      entities.push({ type: "custom_emoji", offset, length, custom_emoji_id: tag.argument });
      return;
    }
    case "tg-time": {
      const format = tag.argument;
      if (format !== "" && !DATE_TIME_FORMAT.test(format)) {
        throw new EntityParseError("Invalid date and time format specified");
      }
      if (tag.date > 0) {
        entities.push({
          type: "date_time",
          offset,
          length,
          unix_time: tag.date,
          date_time_format: (format === "" ? "r" : format) as "r",
        });
      }
      return;
    }
    case "a": {
      const url = tag.argument === "" ? out.slice(offset) : tag.argument;
      const entity = linkEntity(url, offset, length, lookupUser);
      if (entity) entities.push(entity);
      return;
    }
    case "pre":
      // <pre><code class="language-x">: the inner code entity carries the language
      if (last && last.type === "code" && last.offset === offset && last.length === length) {
        const language = (last as { language?: string }).language;
        if (language) {
          entities[entities.length - 1] = { type: "pre", offset, length, language };
          return;
        }
      }
      entities.push({ type: "pre", offset, length });
      return;
    case "code":
      if (
        last &&
        last.type === "pre" &&
        last.offset === offset &&
        last.length === length &&
        tag.argument !== ""
      ) {
        entities[entities.length - 1] = { type: "pre", offset, length, language: tag.argument };
        return;
      }
      // A stand-alone <code class="language-x"> keeps the language only until a <pre> wraps it.
      entities.push(
        tag.argument !== ""
          ? ({ type: "code", offset, length, language: tag.argument } as MessageEntity)
          : { type: "code", offset, length },
      );
      return;
    case "blockquote":
      entities.push({
        type: tag.argument ? "expandable_blockquote" : "blockquote",
        offset,
        length,
      });
      return;
    default:
      throw new Error(`unhandled tag ${tag.tagName}`);
  }
}

/** Drops parser-internal fields (a code entity's language) before entities reach clients. */
export function publicEntities(entities: MessageEntity[]): MessageEntity[] {
  return entities.map((entity) => {
    if (entity.type === "code" && "language" in entity) {
      return { type: "code", offset: entity.offset, length: entity.length };
    }
    return entity;
  });
}
