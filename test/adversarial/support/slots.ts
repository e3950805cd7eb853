// Where a command takes an id or a name, read off its own example in the registry (the example
// every command must declare: "/cancel 42", "/transfer 2000 USDT Main Swing", "/link K7PM-2XQA"),
// so a command added later is attacked without a new test. Each slot is filled once with one of
// the victim's identifiers and once with a same-shaped identifier nobody owns; the two answers must
// read the same once the identifier itself is masked.

/** What kind of identifier a word of an example stands for. */
export type SlotKind = "number" | "name" | "person" | "code";

export interface Template {
  command: string;
  /** the example's words after the command */
  words: string[];
  /** positions of words that are identifier slots, with their kind */
  slots: Array<{ index: number; kind: SlotKind }>;
}

/** Words an example uses as keywords, not as names ("on", "all", "strategy", periods...). */
const KEYWORD = /^[a-z][a-z0-9=%.]*$/;
const SYMBOL = /^[A-Z0-9]{2,}$/;

export function slotKind(word: string): SlotKind | null {
  if (/^-?\d+$/.test(word)) return "number";
  if (/^@\w+$/.test(word)) return "person";
  if (/^[A-Z0-9]{4}-[A-Z0-9]{4}$/.test(word)) return "code";
  if (KEYWORD.test(word) || SYMBOL.test(word)) return null;
  if (/^[A-Z][A-Za-z0-9]*$/.test(word)) return "name";
  return null;
}

/** The templates of one command: each alternative of its example ("/a X · /a all Y"). */
export function templatesOf(command: string, example: string): Template[] {
  const out: Template[] = [];
  for (const alternative of example.split("·")) {
    const [head, ...words] = alternative.trim().split(/\s+/);
    if (head !== `/${command}`) continue;
    // a JSON argument is one literal, never slots
    const json = words.findIndex((w) => w.startsWith("{"));
    const plain = json < 0 ? words : [...words.slice(0, json), words.slice(json).join(" ")];
    const slots = plain.flatMap((word, index) => {
      const kind = index === json ? null : slotKind(word);
      return kind ? [{ index, kind }] : [];
    });
    out.push({ command, words: plain, slots });
  }
  if (out.length === 0) out.push({ command, words: [], slots: [] });
  return out;
}

export function fill(template: Template, index: number, value: string): string {
  const words = template.words.map((w, i) => (i === index ? value : w));
  return [`/${template.command}`, ...words].join(" ");
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * The answer with the identifier masked: every whole-word, case-insensitive occurrence of it (a
 * number also as shown with thousands separators, a name also word by word) becomes ‹ID›.
 */
export function mask(text: string, identifier: string): string {
  if (identifier.trim() === "") return text;
  const forms = new Set([identifier]);
  if (/^-?\d+$/.test(identifier)) forms.add(Number(identifier).toLocaleString("en-US"));
  // a command may read only the first word of a two-word name ("Alice paper" → “Alice”)
  for (const word of identifier.split(/\s+/)) if (word.length > 2) forms.add(word);
  let out = text;
  for (const form of [...forms].sort((a, b) => b.length - a.length)) {
    out = out.replace(new RegExp(`(?<![\\w-])${escape(form)}(?![\\w])`, "gi"), "‹ID›");
  }
  return out;
}
