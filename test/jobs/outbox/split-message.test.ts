// Splitting long messages: parts within the limit, cut on line breaks outside tags first, never
// inside a tag, an entity or a surrogate pair, every part well-formed, and nothing lost.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { htmlToPlainText } from "../../../src/lib/html.ts";
import { CAPTION_LIMIT, TEXT_LIMIT, renderParts } from "../../../src/jobs/outbox/message-parts.ts";
import { splitHtml, splitText } from "../../../src/jobs/outbox/split-message.ts";

/** True when every tag opened in `html` is closed, in order, and no tag is cut. */
function wellFormed(html: string): boolean {
  const stack: string[] = [];
  for (const m of html.matchAll(/<(\/?)([a-z][\w-]*)[^>]*>/gi)) {
    const name = m[2]!.toLowerCase();
    if (m[1]) {
      if (stack.pop() !== name) return false;
    } else stack.push(name);
  }
  const withoutTags = html.replace(/<\/?[a-z][\w-]*[^>]*>/gi, "");
  return stack.length === 0 && !/[<>]/.test(withoutTags) && !/&[#a-z0-9]*$/i.test(withoutTags);
}

describe("splitHtml", () => {
  it("leaves short messages alone", () => {
    expect(splitHtml("<b>hi</b>\nthere", 4096)).toEqual(["<b>hi</b>\nthere"]);
  });

  it("cuts on line breaks where no tag is open", () => {
    const lines = Array.from({ length: 40 }, (_, i) => `<b>row ${i}</b> ${"x".repeat(20)}`);
    const parts = splitHtml(lines.join("\n"), 200);
    for (const p of parts) {
      expect(p.length).toBeLessThanOrEqual(200);
      expect(wellFormed(p)).toBe(true);
      // each part is whole lines
      for (const line of p.split("\n").filter(Boolean)) expect(lines).toContain(line);
    }
    expect(parts.join("").replace(/\n/g, "")).toBe(lines.join(""));
  });

  it("never cuts a line break inside a tag when one outside is available", () => {
    const html = `<pre>a\nb\nc</pre>\n${"y".repeat(30)}\n<i>z</i>`;
    const parts = splitHtml(html, 40);
    expect(parts[0]).toBe("<pre>a\nb\nc</pre>\n");
    expect(parts.every(wellFormed)).toBe(true);
  });

  it("splits an over-long line on spaces, then hard, keeping entities whole", () => {
    const words = Array.from({ length: 100 }, (_, i) => `w${i}&amp;`).join(" ");
    const parts = splitHtml(words, 50);
    expect(parts.every((p) => p.length <= 50 && wellFormed(p))).toBe(true);
    expect(parts.join("")).toBe(words); // cuts fall after the space: nothing lost
    const hard = splitHtml("&lt;".repeat(100), 42);
    expect(hard.every((p) => p.length <= 42 && /^(&lt;)+$/.test(p))).toBe(true);
    expect(hard.join("")).toBe("&lt;".repeat(100));
  });

  it("closes and reopens tags only when a tagged stretch is longer than a part", () => {
    const html = `<pre><code class="language-ts">${"const a = 1;\n".repeat(30)}</code></pre>`;
    const parts = splitHtml(html, 120);
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) {
      expect(p.length).toBeLessThanOrEqual(120);
      expect(p.startsWith('<pre><code class="language-ts">')).toBe(true);
      expect(p.endsWith("</code></pre>")).toBe(true);
    }
    expect(parts.map(htmlToPlainText).join("")).toBe(htmlToPlainText(html));
  });

  it("never splits a surrogate pair", () => {
    const text = "😀".repeat(50);
    const parts = splitText(text, 11);
    expect(parts.every((p) => p.length <= 11 && [...p].every((c) => c === "😀"))).toBe(true);
    expect(parts.join("")).toBe(text);
  });

  it("keeps every visible character, in order, within the limit (property)", () => {
    const piece = fc.oneof(
      fc.constantFrom("\n", " ", "&amp;", "&lt;", "😀", "é"),
      fc.string({ unit: fc.constantFrom("a", "b", "c", " "), maxLength: 30 }),
      fc
        .tuple(
          fc.constantFrom("b", "i", "code", "u"),
          fc.string({ unit: fc.constantFrom("x", "y", " ", "\n"), maxLength: 60 }),
        )
        .map(([tag, inner]) => `<${tag}>${inner}</${tag}>`),
      fc
        .string({ unit: fc.constantFrom("q", " "), maxLength: 20 })
        .map((t) => `<a href="https://e.x/?a=1&amp;b=2">${t}</a>`),
    );
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 80 }),
        fc.integer({ min: 60, max: 300 }),
        (pieces, limit) => {
          const html = pieces.join("");
          const parts = splitHtml(html, limit);
          for (const p of parts) {
            expect(p.length).toBeLessThanOrEqual(limit);
            expect(wellFormed(p)).toBe(true);
          }
          const visible = (s: string) => htmlToPlainText(s).replace(/\s/g, "");
          expect(parts.map(visible).join("")).toBe(visible(html));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("renderParts", () => {
  it("puts the escaped title in bold above an HTML message", () => {
    const parts = renderParts({
      title: "Fill <BTC> & co",
      message: "Bought <b>1</b>",
      format: "html",
      hasAttachment: false,
    });
    expect(parts).toEqual([
      {
        kind: "text",
        text: "<b>Fill &lt;BTC&gt; &amp; co</b>\nBought <b>1</b>",
        html: true,
        boldPrefix: 0,
      },
    ]);
  });

  it("sends plain text without parse mode, the title as a bold entity", () => {
    const parts = renderParts({
      title: "Alert",
      message: "a < b",
      format: "text",
      hasAttachment: false,
    });
    expect(parts).toEqual([{ kind: "text", text: "Alert\na < b", html: false, boldPrefix: 5 }]);
  });

  it("splits long messages into parts within Telegram's limit", () => {
    const message = Array.from({ length: 500 }, (_, i) => `line ${i}: ${"z".repeat(40)}`).join(
      "\n",
    );
    const parts = renderParts({ title: "Report", message, format: "html", hasAttachment: false });
    expect(parts.length).toBeGreaterThan(5);
    expect(parts.every((p) => p.kind === "text" && p.text.length <= TEXT_LIMIT)).toBe(true);
  });

  it("captions a photo when title and message fit, otherwise sends the text after it", () => {
    const short = renderParts({
      title: "Chart",
      message: "PnL",
      format: "html",
      hasAttachment: true,
    });
    expect(short).toEqual([
      { kind: "photo", caption: "<b>Chart</b>\nPnL", html: true, boldPrefix: 0 },
    ]);
    const long = renderParts({
      title: "Chart",
      message: "m".repeat(CAPTION_LIMIT + 1),
      format: "html",
      hasAttachment: true,
    });
    expect(long[0]).toEqual({ kind: "photo", caption: "<b>Chart</b>", html: true, boldPrefix: 0 });
    expect(long.slice(1).every((p) => p.kind === "text")).toBe(true);
  });
});
