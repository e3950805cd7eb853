// parse_mode "MarkdownV2" and legacy "Markdown", ported from TDLib (parse_markdown_v2 and
// parse_markdown) so that the twin accepts and rejects exactly what Telegram does, e.g.
// "Character '.' is reserved and must be escaped with the preceding '\'".
import type { MessageEntity } from "grammy/types";
import {
  byteOffset,
  EntityParseError,
  isSpace,
  linkEntity,
  sortEntities,
  type UserLookup,
} from "./entity-helpers.ts";
import type { ParsedText } from "./html-parser.ts";

type V2Type =
  | "Bold"
  | "Italic"
  | "Underline"
  | "Strikethrough"
  | "Spoiler"
  | "Code"
  | "Pre"
  | "PreCode"
  | "TextUrl"
  | "CustomEmoji"
  | "BlockQuote";

interface OpenEntity {
  type: V2Type;
  argument: string;
  /** UTF-16 offset in the output. */
  offset: number;
  /** Index in the input, for "at byte offset" errors. */
  inputPos: number;
  /** Output length when the entity opened (the link text of [text](url) starts here). */
  outputPos: number;
}

function isAsciiEscapable(ch: string | undefined): boolean {
  if (ch === undefined || ch === "") return false;
  const code = ch.charCodeAt(0);
  return code > 0 && code <= 126;
}

export function parseMarkdownV2(input: string, lookupUser: UserLookup): ParsedText {
  const at = (i: number): string => (i < input.length ? (input[i] ?? "") : "");
  const reserved = (ch: string): never => {
    throw new EntityParseError(
      `Character '${ch}' is reserved and must be escaped with the preceding '\\'`,
    );
  };
  const cantFindEnd = (entity: OpenEntity): never => {
    throw new EntityParseError(
      `Can't find end of ${entity.type} entity at byte offset ${byteOffset(input, entity.inputPos)}`,
    );
  };

  let out = "";
  const entities: MessageEntity[] = [];
  const open: OpenEntity[] = [];
  let haveBlockquote = false;
  let canStartBlockquote = true;

  for (let i = 0; i < input.length; i++) {
    const c = at(i);
    if (c === "\\" && isAsciiEscapable(input[i + 1])) {
      i++;
      out += at(i);
      if (at(i) !== "\r") canStartBlockquote = at(i) === "\n";
      continue;
    }

    const top = open.at(-1);
    const inCode =
      top !== undefined && (top.type === "Code" || top.type === "Pre" || top.type === "PreCode");
    const reservedChars = inCode ? "`" : "_*[]()~`>#+-=|{}.!\n";
    if (!reservedChars.includes(c)) {
      out += c;
      if (c !== "\r") canStartBlockquote = false;
      continue;
    }

    const isEnd = ((): boolean => {
      if (!top) return false;
      if (haveBlockquote && c === "\n" && (i + 1 === input.length || at(i + 1) !== ">"))
        return true;
      switch (top.type) {
        case "Bold":
          return c === "*";
        case "Italic":
          return c === "_" && at(i + 1) !== "_";
        case "Code":
          return c === "`";
        case "Pre":
        case "PreCode":
          return c === "`" && at(i + 1) === "`" && at(i + 2) === "`";
        case "TextUrl":
        case "CustomEmoji":
          return c === "]";
        case "Underline":
          return c === "_" && at(i + 1) === "_";
        case "Strikethrough":
          return c === "~";
        case "Spoiler":
          return c === "|" && at(i + 1) === "|";
        case "BlockQuote":
          return false;
      }
    })();

    if (!isEnd) {
      let type: V2Type | undefined;
      let argument = "";
      const inputPos = i;
      switch (c) {
        case "_":
          if (at(i + 1) === "_") {
            type = "Underline";
            i++;
          } else type = "Italic";
          break;
        case "*":
          type = "Bold";
          break;
        case "~":
          type = "Strikethrough";
          break;
        case "|":
          if (at(i + 1) === "|") {
            i++;
            type = "Spoiler";
          } else reserved(c);
          break;
        case "[":
          type = "TextUrl";
          break;
        case "`":
          if (at(i + 1) === "`" && at(i + 2) === "`") {
            i += 3;
            type = "Pre";
            let languageEnd = i;
            while (!isSpace(at(languageEnd)) && at(languageEnd) !== "`") languageEnd++;
            if (i !== languageEnd && languageEnd < input.length && at(languageEnd) !== "`") {
              type = "PreCode";
              argument = input.slice(i, languageEnd);
              i = languageEnd;
            }
            // skip one line break at the start of the block
            if (at(i) === "\n" || at(i) === "\r") {
              if ((at(i + 1) === "\n" || at(i + 1) === "\r") && at(i) !== at(i + 1)) i += 2;
              else i++;
            }
            i--;
          } else type = "Code";
          break;
        case "!":
          if (at(i + 1) === "[") {
            i++;
            type = "CustomEmoji";
          } else reserved(c);
          break;
        case "\n":
          out += "\n";
          canStartBlockquote = true;
          break;
        case ">":
          if (!canStartBlockquote) reserved(c);
          if (!haveBlockquote) {
            type = "BlockQuote";
            haveBlockquote = true;
          }
          break;
        default:
          reserved(c);
      }
      if (type === undefined) continue;
      open.push({ type, argument, offset: out.length, inputPos, outputPos: out.length });
      continue;
    }

    // the end of an entity
    let entity = top as OpenEntity;
    let type: V2Type | "ExpandableBlockQuote" = entity.type;
    if (c === "\n" && type !== "BlockQuote") {
      // "**>" + "||" at the end of a quote's last line makes it expandable
      if (type !== "Spoiler" || entity.inputPos !== i - 2) cantFindEnd(entity);
      open.pop();
      entity = open.at(-1) as OpenEntity;
      if (entity.type !== "BlockQuote") cantFindEnd(entity);
      type = "ExpandableBlockQuote";
    }
    let skip = out.length === entity.offset;
    let produced: MessageEntity | undefined;
    const offset = entity.offset;
    switch (type) {
      case "Bold":
      case "Italic":
      case "Code":
      case "Strikethrough":
        break;
      case "Underline":
      case "Spoiler":
        i++;
        break;
      case "Pre":
      case "PreCode":
        i += 2;
        break;
      case "TextUrl": {
        let url = "";
        if (at(i + 1) !== "(") {
          url = out.slice(entity.outputPos);
        } else {
          i += 2;
          const urlBegin = i;
          while (i < input.length && at(i) !== ")") {
            if (at(i) === "\\" && isAsciiEscapable(input[i + 1])) {
              url += at(i + 1);
              i += 2;
              continue;
            }
            url += at(i++);
          }
          if (at(i) !== ")") {
            throw new EntityParseError(
              `Can't find end of a URL at byte offset ${byteOffset(input, urlBegin)}`,
            );
          }
        }
        produced = linkEntity(url, offset, out.length - offset, lookupUser);
        if (!produced) skip = true;
        break;
      }
      case "CustomEmoji": {
        if (at(i + 1) !== "(")
          throw new EntityParseError("The entity must contain a tg://emoji or tg://time URL");
        i += 2;
        let url = "";
        const urlBegin = i;
        while (i < input.length && at(i) !== ")") {
          if (at(i) === "\\" && isAsciiEscapable(input[i + 1])) {
            url += at(i + 1);
            i += 2;
            continue;
          }
          url += at(i++);
        }
        if (at(i) !== ")") {
          throw new EntityParseError(
            `Can't find end of a URL at byte offset ${byteOffset(input, urlBegin)}`,
          );
        }
        const emoji = /^tg:\/\/emoji\?id=(\d+)$/.exec(url);
        if (!emoji) throw new EntityParseError("Invalid tg://emoji or tg://time URL specified");
        produced = {
          type: "custom_emoji",
          offset,
          length: out.length - offset,
          custom_emoji_id: emoji[1] ?? "",
        };
        break;
      }
      case "BlockQuote":
      case "ExpandableBlockQuote":
        haveBlockquote = false;
        out += at(i);
        canStartBlockquote = true;
        skip = false;
        break;
    }
    if (!skip) {
      const length = out.length - offset;
      entities.push(produced ?? simpleEntity(type, offset, length, entity.argument));
    }
    open.pop();
  }

  if (haveBlockquote) {
    let type: "blockquote" | "expandable_blockquote" = "blockquote";
    let last = open.at(-1);
    if (last && last.type === "Spoiler" && last.inputPos === input.length - 2) {
      open.pop();
      last = open.at(-1);
      type = "expandable_blockquote";
    }
    if (last && last.type === "BlockQuote") {
      const length = out.length - last.offset;
      if (length !== 0) entities.push({ type, offset: last.offset, length });
      open.pop();
    }
  }
  const unclosed = open.at(-1);
  if (unclosed) cantFindEnd(unclosed);
  return { text: out, entities: sortEntities(entities) };
}

function simpleEntity(
  type: V2Type | "ExpandableBlockQuote",
  offset: number,
  length: number,
  argument: string,
): MessageEntity {
  switch (type) {
    case "Bold":
      return { type: "bold", offset, length };
    case "Italic":
      return { type: "italic", offset, length };
    case "Underline":
      return { type: "underline", offset, length };
    case "Strikethrough":
      return { type: "strikethrough", offset, length };
    case "Spoiler":
      return { type: "spoiler", offset, length };
    case "Code":
      return { type: "code", offset, length };
    case "Pre":
      return { type: "pre", offset, length };
    case "PreCode":
      return { type: "pre", offset, length, language: argument };
    case "BlockQuote":
      return { type: "blockquote", offset, length };
    case "ExpandableBlockQuote":
      return { type: "expandable_blockquote", offset, length };
    case "TextUrl":
    case "CustomEmoji":
      throw new Error(`${type} entities are built by the caller`);
  }
}

/** Legacy "Markdown": *bold*, _italic_, `code`, ```pre```, [text](url); only _*`[ can be escaped. */
export function parseMarkdownLegacy(input: string, lookupUser: UserLookup): ParsedText {
  const at = (i: number): string => (i < input.length ? (input[i] ?? "") : "");
  let out = "";
  const entities: MessageEntity[] = [];
  const size = input.length;

  for (let i = 0; i < size; i++) {
    const c = at(i);
    if (c === "\\" && "_*`[".includes(at(i + 1)) && at(i + 1) !== "") {
      i++;
      out += at(i);
      continue;
    }
    if (c !== "_" && c !== "*" && c !== "`" && c !== "[") {
      out += c;
      continue;
    }

    const beginPos = i;
    const endChar = c === "[" ? "]" : c;
    let isPre = false;
    i++;
    let language = "";
    if (c === "`" && at(i) === "`" && at(i + 1) === "`") {
      i += 2;
      isPre = true;
      let languageEnd = i;
      while (!isSpace(at(languageEnd)) && at(languageEnd) !== "`") languageEnd++;
      if (i !== languageEnd && languageEnd < size && at(languageEnd) !== "`") {
        language = input.slice(i, languageEnd);
        i = languageEnd;
      }
      if (at(i) === "\n" || at(i) === "\r") {
        if ((at(i + 1) === "\n" || at(i + 1) === "\r") && at(i) !== at(i + 1)) i += 2;
        else i++;
      }
    }

    const offset = out.length;
    while (
      i < size &&
      (at(i) !== endChar || (isPre && !(at(i + 1) === "`" && at(i + 2) === "`")))
    ) {
      out += at(i++);
    }
    if (i === size) {
      throw new EntityParseError(
        `Can't find end of the entity starting at byte offset ${byteOffset(input, beginPos)}`,
      );
    }
    const length = out.length - offset;
    if (length > 0) {
      if (c === "_") entities.push({ type: "italic", offset, length });
      else if (c === "*") entities.push({ type: "bold", offset, length });
      else if (c === "[") {
        let url = "";
        if (at(i + 1) !== "(") url = input.slice(beginPos + 1, i);
        else {
          i += 2;
          while (i < size && at(i) !== ")") url += at(i++);
        }
        const entity = linkEntity(url, offset, length, lookupUser);
        if (entity) entities.push(entity);
      } else if (isPre) {
        entities.push(
          language ? { type: "pre", offset, length, language } : { type: "pre", offset, length },
        );
      } else entities.push({ type: "code", offset, length });
    }
    if (isPre) i += 2;
  }
  return { text: out, entities: sortEntities(entities) };
}
