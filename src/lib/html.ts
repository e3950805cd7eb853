// Telegram HTML (the subset of HTML its parse_mode "HTML" accepts): escaping user-supplied text
// so it can never break the markup around it, and turning markup back into plain text when
// Telegram refuses to parse it.

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" };

/** Escapes text for use inside Telegram HTML, including attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ESCAPES[c] ?? c);
}

const NAMED_ENTITIES: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: "\u00a0",
};

/** Decodes the entities Telegram understands (&lt; &gt; &amp; &quot;, numeric) and a few common ones. */
export function unescapeHtml(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, body: string) => {
    if (body[0] === "#") {
      const code =
        body[1] === "x" || body[1] === "X"
          ? Number.parseInt(body.slice(2), 16)
          : Number.parseInt(body.slice(1), 10);
      return Number.isInteger(code) && code >= 0 && code <= 0x10ffff
        ? String.fromCodePoint(code)
        : whole;
    }
    return Object.hasOwn(NAMED_ENTITIES, body.toLowerCase())
      ? NAMED_ENTITIES[body.toLowerCase()]!
      : whole;
  });
}

/** The text a reader sees: tags removed, entities decoded. */
export function htmlToPlainText(html: string): string {
  return unescapeHtml(html.replace(/<\/?[a-z][^>]*>/gi, ""));
}
