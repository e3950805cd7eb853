// Splitting a long message into parts Telegram accepts (4,096 characters per message, 1,024 per
// caption), without ever breaking an HTML tag or entity.
//
// Lengths are measured on the source (tags and entities included, in UTF-16 code units as
// Telegram counts), which is never shorter than what Telegram measures after parsing: a part that
// fits here always fits there.
//
// Where to cut, best first: after a line break where no tag is open; after a space where no tag
// is open; anywhere no tag is open; and only when a single tagged stretch is itself longer than
// a part (a huge <pre> block), inside it: then the part closes the open tags and the next part
// reopens them, so every part is well-formed on its own. A code point is never cut in half.

interface Token {
  text: string;
  /** "open"/"close" for tags, "char" for a character or an entity such as &amp; */
  kind: "open" | "close" | "char";
  /** tag name, lower case */
  name?: string;
}

const ENTITY = /^&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/i;
const TAG_NAME = /^<\/?([a-z][\w-]*)/i;

function tokenize(source: string, html: boolean): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    if (html && c === "<" && /[a-z/]/i.test(source[i + 1] ?? "")) {
      const end = tagEnd(source, i);
      if (end > 0) {
        const text = source.slice(i, end);
        const name = TAG_NAME.exec(text)?.[1]?.toLowerCase();
        if (name) {
          tokens.push({ text, kind: text[1] === "/" ? "close" : "open", name });
          i = end;
          continue;
        }
      }
    }
    if (html && c === "&") {
      const entity = ENTITY.exec(source.slice(i, i + 12));
      if (entity) {
        tokens.push({ text: entity[0], kind: "char" });
        i += entity[0].length;
        continue;
      }
    }
    const cp = String.fromCodePoint(source.codePointAt(i)!);
    tokens.push({ text: cp, kind: "char" });
    i += cp.length;
  }
  return tokens;
}

/** Index just past the '>' closing the tag that starts at `start` (quotes respected), or -1. */
function tagEnd(source: string, start: number): number {
  let quote: string | null = null;
  for (let i = start + 1; i < source.length; i++) {
    const c = source[i];
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === ">") {
      return i + 1;
    } else if (c === "<") {
      return -1;
    }
  }
  return -1;
}

type Stack = readonly Token[];

function apply(stack: Stack, t: Token): Stack {
  if (t.kind === "open") return [...stack, t];
  if (t.kind === "close") {
    const at = stack.map((s) => s.name).lastIndexOf(t.name);
    return at < 0 ? stack : [...stack.slice(0, at), ...stack.slice(at + 1)];
  }
  return stack;
}

function closing(stack: Stack): string {
  let out = "";
  for (let i = stack.length - 1; i >= 0; i--) out += `</${stack[i]!.name}>`;
  return out;
}

function closingLength(stack: Stack): number {
  let n = 0;
  for (const t of stack) n += t.name!.length + 3;
  return n;
}

interface Cut {
  /** tokens consumed */
  end: number;
  /** length of the part's text at this point */
  length: number;
  stack: Stack;
}

type CutKind = "line" | "space" | "outside" | "lineInside" | "spaceInside" | "anywhere";
const PREFERENCE: CutKind[] = ["line", "space", "outside", "lineInside", "spaceInside", "anywhere"];

function split(source: string, limit: number, html: boolean): string[] {
  if (source.length <= limit) return [source];
  const tokens = tokenize(source, html);
  const parts: string[] = [];
  let stack: Stack = [];
  let i = 0;
  while (i < tokens.length) {
    let text = stack.map((t) => t.text).join("");
    let st = stack;
    const cuts: Partial<Record<CutKind, Cut>> = {};
    let j = i;
    while (j < tokens.length) {
      const t = tokens[j]!;
      const next = apply(st, t);
      if (text.length + t.text.length + closingLength(next) > limit) break;
      text += t.text;
      st = next;
      j++;
      const cut: Cut = { end: j, length: text.length, stack: st };
      const outside = st.length === 0;
      if (t.kind === "char" && t.text === "\n") cuts[outside ? "line" : "lineInside"] = cut;
      else if (t.kind === "char" && /\s/u.test(t.text))
        cuts[outside ? "space" : "spaceInside"] = cut;
      if (outside) cuts.outside = cut;
      cuts.anywhere = cut;
    }
    if (j === tokens.length) {
      parts.push(text + closing(st));
      break;
    }
    const kind = PREFERENCE.find((k) => cuts[k]);
    if (!kind) {
      // not even one token fits after the reopened tags: only a limit smaller than a tag does that
      throw new RangeError(`cannot split message: limit ${limit} is too small`);
    }
    const cut = cuts[kind]!;
    parts.push(text.slice(0, cut.length) + closing(cut.stack));
    stack = cut.stack;
    i = cut.end;
  }
  // a cut between blank lines can leave a part with nothing visible; Telegram refuses those
  return parts.filter((p) => visible(p, html));
}

function visible(part: string, html: boolean): boolean {
  const text = html ? part.replace(/<[^>]*>/g, "") : part;
  return text.trim().length > 0;
}

/** Splits Telegram HTML into well-formed parts of at most `limit` characters. */
export function splitHtml(html: string, limit: number): string[] {
  return split(html, limit, true);
}

/** Splits plain text into parts of at most `limit` characters, preferring line breaks. */
export function splitText(text: string, limit: number): string[] {
  return split(text, limit, false);
}
