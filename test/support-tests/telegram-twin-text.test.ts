// The twin's text handling against the Bot API's rules (ported from TDLib): HTML and Markdown
// parsing with their exact error texts, trimming, UTF-16 entity offsets and length limits, and
// the multipart parser used for uploads.
import { describe, expect, it } from "vitest";
import { assertLength, formatText, parseMultipart } from "../support/telegram-twin/index.ts";

const noUsers = (): undefined => undefined;
const html = (text: string) => formatText(text, "HTML", undefined, "text", noUsers);
const md2 = (text: string) => formatText(text, "MarkdownV2", undefined, "text", noUsers);
const md = (text: string) => formatText(text, "Markdown", undefined, "text", noUsers);

function parseError(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected a parse error");
}

describe("parse_mode HTML", () => {
  it("maps every supported tag to its entity", () => {
    const result = html(
      "<b>b</b><strong>s</strong><i>i</i><em>e</em><u>u</u><ins>n</ins><s>s</s><strike>k</strike><del>d</del>" +
        '<span class="tg-spoiler">p</span><tg-spoiler>q</tg-spoiler><a href="https://example.com/x">l</a>' +
        "<code>c</code><pre>p</pre><blockquote>q</blockquote><blockquote expandable>x</blockquote>" +
        '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>',
    );
    expect(result.text).toBe("bsieunskdpqlcpqx👍");
    expect(result.entities.map((e) => e.type)).toEqual([
      "bold",
      "bold",
      "italic",
      "italic",
      "underline",
      "underline",
      "strikethrough",
      "strikethrough",
      "strikethrough",
      "spoiler",
      "spoiler",
      "text_link",
      "code",
      "pre",
      "blockquote",
      "expandable_blockquote",
      "custom_emoji",
    ]);
    expect(result.entities[11]).toEqual({
      type: "text_link",
      offset: 11,
      length: 1,
      url: "https://example.com/x",
    });
  });

  it("decodes the four named entities and numeric ones, and keeps unknown ones literally", () => {
    expect(html("&lt;b&gt; &amp; &quot;q&quot; &#65;&#x42; &nbsp; &copy").text).toBe(
      '<b> & "q" AB &nbsp; &copy',
    );
    expect(html("a &#0; b").text).toBe("a &#0; b");
  });

  it("reports malformed markup with Telegram's messages and UTF-8 byte offsets", () => {
    const prefix = "Bad Request: can't parse entities: ";
    expect(parseError(() => html("<div>x</div>"))).toBe(
      `${prefix}Unsupported start tag "div" at byte offset 0`,
    );
    expect(parseError(() => html("Привет <x>"))).toBe(
      `${prefix}Unsupported start tag "x" at byte offset 13`,
    );
    expect(parseError(() => html("a < b"))).toBe(
      `${prefix}Unsupported start tag "" at byte offset 2`,
    );
    expect(parseError(() => html("<b>x</i>"))).toBe(
      `${prefix}Unmatched end tag at byte offset 4, expected "</b>", found "</i>"`,
    );
    expect(parseError(() => html("<b>x"))).toBe(
      `${prefix}Can't find end tag corresponding to start tag "b"`,
    );
    expect(parseError(() => html("x</b>"))).toBe(`${prefix}Unexpected end tag at byte offset 1`);
    expect(parseError(() => html("<b"))).toBe(`${prefix}Unclosed start tag at byte offset 0`);
    expect(parseError(() => html('<span class="x">s</span>'))).toBe(
      `${prefix}Tag "span" must have class "tg-spoiler" at byte offset 0`,
    );
    expect(parseError(() => html("<a href=x/y>l</a>"))).toBe(
      `${prefix}Unexpected end of name token at byte offset 8`,
    );
  });

  it("turns pre+code with a language into one pre entity", () => {
    const result = html('<pre><code class="language-python">print(1)</code></pre>');
    expect(result.entities).toEqual([{ type: "pre", offset: 0, length: 8, language: "python" }]);
    expect(html('<code class="language-js">x</code>').entities).toEqual([
      { type: "code", offset: 0, length: 1 },
    ]);
  });

  it("counts offsets in UTF-16 code units and drops invalid links", () => {
    const result = html("📈 <b>BTC</b> <a href='not a url'>x</a>");
    expect(result.entities).toEqual([{ type: "bold", offset: 3, length: 3 }]);
  });

  it("trims like Telegram: trailing whitespace, and leading space only before the first entity", () => {
    expect(html("\n  <b>x</b>  \n").text).toBe("x");
    expect(html("\n  <b>x</b>  \n").entities).toEqual([{ type: "bold", offset: 0, length: 1 }]);
    expect(formatText("  plain  ", undefined, undefined, "text", noUsers).text).toBe("plain");
  });
});

describe("parse_mode MarkdownV2 and Markdown", () => {
  it("parses the MarkdownV2 markup", () => {
    const result = md2("*b* _i_ __u__ ~s~ ||p|| `c` [l](https://t.me/x) \\. end");
    expect(result.text).toBe("b i u s p c l . end");
    expect(result.entities.map((e) => e.type)).toEqual([
      "bold",
      "italic",
      "underline",
      "strikethrough",
      "spoiler",
      "code",
      "text_link",
    ]);
    expect(md2("```ts\nconst x = 1;\n```").entities).toEqual([
      { type: "pre", offset: 0, length: 12, language: "ts" },
    ]);
    expect(md2(">quoted\n>lines\nafter").entities).toEqual([
      { type: "blockquote", offset: 0, length: 13 },
    ]);
  });

  it("rejects reserved characters and unclosed entities with Telegram's messages", () => {
    const prefix = "Bad Request: can't parse entities: ";
    expect(parseError(() => md2("Price: 1.5"))).toBe(
      `${prefix}Character '.' is reserved and must be escaped with the preceding '\\'`,
    );
    expect(parseError(() => md2("*bold"))).toBe(
      `${prefix}Can't find end of Bold entity at byte offset 0`,
    );
    expect(parseError(() => md2("ok [x](http://a.b"))).toBe(
      `${prefix}Can't find end of a URL at byte offset 7`,
    );
  });

  it("parses legacy Markdown", () => {
    expect(md("*b* _i_ `c` [l](https://t.me)").entities.map((e) => e.type)).toEqual([
      "bold",
      "italic",
      "code",
      "text_link",
    ]);
    expect(parseError(() => md("snake_case"))).toBe(
      "Bad Request: can't parse entities: Can't find end of the entity starting at byte offset 5",
    );
  });

  it("refuses an unknown parse mode", () => {
    expect(parseError(() => formatText("x", "BBCode", undefined, "text", noUsers))).toBe(
      "Bad Request: unsupported parse_mode",
    );
  });
});

describe("length limits", () => {
  it("counts after parsing, in UTF-16 units: 4096 for text, 1024 for captions", () => {
    expect(() => assertLength(html(`<i>${"a".repeat(4096)}</i>`), "text")).not.toThrow();
    expect(parseError(() => assertLength(html("a".repeat(4097)), "text"))).toBe(
      "Bad Request: message is too long",
    );
    // an emoji outside the BMP is two UTF-16 units
    expect(parseError(() => assertLength(html("😀".repeat(2049)), "text"))).toBe(
      "Bad Request: message is too long",
    );
    const caption = formatText("c".repeat(1025), undefined, undefined, "caption", noUsers);
    expect(parseError(() => assertLength(caption, "caption"))).toBe(
      "Bad Request: message caption is too long",
    );
    expect(formatText("", undefined, undefined, "caption", noUsers)).toEqual({
      text: "",
      entities: [],
    });
  });
});

describe("multipart parser", () => {
  it("reads fields and files, with grammY's unquoted file names, byte for byte", () => {
    const bytes = Buffer.from([0, 13, 10, 45, 45, 255, 1]); // CR LF "--" inside the file
    const body = Buffer.concat([
      Buffer.from(
        '--XyZ\r\ncontent-disposition:form-data;name="chat_id"\r\n\r\n42\r\n--XyZ\r\n' +
          'Content-Disposition: form-data; name="caption"\r\n\r\nПривет\r\n--XyZ\r\n' +
          'content-disposition:form-data;name="abc";filename=chart.png\r\ncontent-type:application/octet-stream\r\n\r\n',
        "utf8",
      ),
      bytes,
      Buffer.from("\r\n--XyZ--\r\n", "utf8"),
    ]);
    const parsed = parseMultipart(body, "XyZ");
    expect(parsed.fields).toEqual([
      { name: "chat_id", value: "42" },
      { name: "caption", value: "Привет" },
    ]);
    expect(parsed.files).toHaveLength(1);
    expect(parsed.files[0]).toMatchObject({ name: "abc", fileName: "chart.png" });
    expect(parsed.files[0]?.data.equals(bytes)).toBe(true);
  });

  it("rejects a body without its closing delimiter", () => {
    expect(() =>
      parseMultipart(Buffer.from('--b\r\ncontent-disposition: form-data; name="x"\r\n\r\nv'), "b"),
    ).toThrow(/unterminated/);
  });
});
