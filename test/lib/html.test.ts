// Telegram HTML helpers: escaping makes any text safe inside markup; the plain-text fallback
// gives back exactly what a reader would have seen.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { escapeHtml, htmlToPlainText, unescapeHtml } from "../../src/lib/html.ts";

describe("html", () => {
  it("escapes the characters that would break markup", () => {
    expect(escapeHtml(`<b>"Tom" & Jerry</b>`)).toBe(
      "&lt;b&gt;&quot;Tom&quot; &amp; Jerry&lt;/b&gt;",
    );
  });

  it("round-trips any text through escape and unescape (property)", () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(unescapeHtml(escapeHtml(s))).toBe(s);
      }),
    );
  });

  it("strips tags and decodes entities for the plain-text fallback", () => {
    expect(
      htmlToPlainText(
        `<b>Fill</b> &lt;BTC&gt; <a href="https://x.y/?a=1&amp;b=2">link</a> &#128512; &#x41;`,
      ),
    ).toBe("Fill <BTC> link 😀 A");
    expect(htmlToPlainText("a < b and c > d")).toBe("a < b and c > d");
  });
});
