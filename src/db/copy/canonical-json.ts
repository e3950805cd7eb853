// Canonical text of a JSON document, so the same value stored as SQLite TEXT and as PostgreSQL
// JSONB compares equal: keys sorted, no whitespace, numbers normalized exactly.
//
// JSON.parse would turn numbers into doubles (and node 20 has no access to a number's source
// text), so a change in the 17th digit of a JSON number could go unseen. This small parser keeps
// every number as its text and normalizes it with decimal.js instead ("1.50" and "1.5e0" → "1.5").
import { Decimal } from "../../lib/decimal.ts";

type Json = null | boolean | string | { num: string } | Json[] | { obj: Map<string, Json> };

class Parser {
  private i = 0;
  constructor(private readonly s: string) {}

  parseDocument(): Json {
    const value = this.value();
    this.ws();
    if (this.i !== this.s.length) this.fail("unexpected text after the value");
    return value;
  }

  private fail(why: string): never {
    throw new SyntaxError(`invalid JSON at ${this.i}: ${why}`);
  }

  private ws(): void {
    while (this.i < this.s.length && " \t\n\r".includes(this.s[this.i]!)) this.i++;
  }

  private value(): Json {
    this.ws();
    const c = this.s[this.i];
    if (c === "{") return this.object();
    if (c === "[") return this.array();
    if (c === '"') return this.string();
    for (const [word, v] of [
      ["true", true],
      ["false", false],
      ["null", null],
    ] as const) {
      if (this.s.startsWith(word, this.i)) {
        this.i += word.length;
        return v;
      }
    }
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(this.s.slice(this.i, this.i + 400));
    if (!m) this.fail("expected a value");
    this.i += m[0].length;
    return { num: m[0] };
  }

  private object(): Json {
    this.i++;
    const obj = new Map<string, Json>();
    this.ws();
    if (this.s[this.i] === "}") {
      this.i++;
      return { obj };
    }
    for (;;) {
      this.ws();
      if (this.s[this.i] !== '"') this.fail("expected a key");
      const key = this.string();
      this.ws();
      if (this.s[this.i++] !== ":") this.fail("expected ':'");
      // duplicate keys: the last one wins, as in JSON.parse and PostgreSQL's jsonb
      obj.set(key, this.value());
      this.ws();
      const c = this.s[this.i++];
      if (c === "}") return { obj };
      if (c !== ",") this.fail("expected ',' or '}'");
    }
  }

  private array(): Json {
    this.i++;
    const out: Json[] = [];
    this.ws();
    if (this.s[this.i] === "]") {
      this.i++;
      return out;
    }
    for (;;) {
      out.push(this.value());
      this.ws();
      const c = this.s[this.i++];
      if (c === "]") return out;
      if (c !== ",") this.fail("expected ',' or ']'");
    }
  }

  private string(): string {
    // find the closing quote, skipping escapes, and let JSON.parse decode the literal exactly
    const start = this.i;
    this.i++;
    while (this.i < this.s.length) {
      const c = this.s[this.i];
      if (c === "\\") this.i += 2;
      else if (c === '"') break;
      else this.i++;
    }
    if (this.i >= this.s.length) this.fail("unterminated string");
    this.i++;
    return JSON.parse(this.s.slice(start, this.i)) as string;
  }
}

function normalizeNumber(text: string): string {
  const d = new Decimal(text);
  return d.isZero() ? "0" : d.toFixed();
}

function render(v: Json): string {
  if (v === null || typeof v === "boolean") return String(v);
  if (typeof v === "string") return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(render).join(",")}]`;
  if ("num" in v) return normalizeNumber(v.num);
  const keys = [...v.obj.keys()].sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${render(v.obj.get(k)!)}`).join(",")}}`;
}

/** The canonical text of a JSON document; throws SyntaxError when `text` is not JSON. */
export function canonicalJson(text: string): string {
  return render(new Parser(text).parseDocument());
}
