// Scrubbing of secrets from what gets logged: values under secret-sounding keys at any depth, and
// secrets inside text (a signed request's query string in an error message, a JSON body with an
// "apiKey"). The logger's redact paths catch the usual shapes cheaply; this catches the rest.

export const REDACTED = "[redacted]";

/** Keys whose values are secrets wherever they appear. */
const SECRET_KEY =
  /^(api[-_]?key|secret|secret[-_]?key|api[-_]?secret|password|passphrase|signature|x-mbx-apikey|authorization|token|private[-_]?key|secrets[-_]master[-_]key)$/i;
/** Names that mark a secret in query strings, form bodies and JSON text. */
const NAMES =
  "signature|api[-_]?key|apikey|api[-_]?secret|secret|secret[-_]?key|password|passphrase|x-mbx-apikey|token";
/** `signature=abc` / `apiKey=abc` in URLs, bodies and messages */
const QUERY_SECRET = new RegExp(`\\b(${NAMES})=[^&\\s"'#,;)]*`, "gi");
/** `"apiKey":"abc"` / `'secret': 'abc'` in JSON-ish text */
const JSON_SECRET = new RegExp(`(["'])(${NAMES})\\1(\\s*:\\s*)(["'])(?:\\\\.|(?!\\4).)*\\4`, "gi");
/** `X-MBX-APIKEY: abc` header lines */
const HEADER_SECRET = /\b(x-mbx-apikey|authorization)(\s*:\s*)[^\s,;"'}]+/gi;

export function isSecretKey(name: string): boolean {
  return SECRET_KEY.test(name);
}

export function scrubText(text: string): string {
  if (!/[=:]/.test(text)) return text;
  return text
    .replace(QUERY_SECRET, (_m, name: string) => `${name}=${REDACTED}`)
    .replace(
      JSON_SECRET,
      (_m, q: string, name: string, sep: string, vq: string) =>
        `${q}${name}${q}${sep}${vq}${REDACTED}${vq}`,
    )
    .replace(HEADER_SECRET, (_m, name: string, sep: string) => `${name}${sep}${REDACTED}`);
}

const MAX_DEPTH = 8;

/**
 * A copy of `value` with secret keys censored and strings scrubbed; the same reference when
 * nothing changed (so the common case allocates nothing). Errors become plain objects with
 * their message and stack scrubbed.
 */
export function scrubValue(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === "string") return scrubText(value);
  if (value === null || typeof value !== "object" || depth > MAX_DEPTH) return value;
  if (seen.has(value)) return value;
  seen.add(value);
  if (Array.isArray(value)) {
    let changed = false;
    const out = value.map((v) => {
      const s = scrubValue(v, depth + 1, seen);
      if (s !== v) changed = true;
      return s;
    });
    return changed ? out : value;
  }
  // only plain records and errors are walked: Dates, Decimals, Buffers print as themselves
  const proto = Object.getPrototypeOf(value) as object | null;
  const isError = value instanceof Error;
  if (!isError && proto !== Object.prototype && proto !== null) return value;
  const source = value as Record<string, unknown>;
  const keys = isError
    ? [...new Set(["name", "message", "stack", ...Object.keys(source)])]
    : Object.keys(source);
  let changed = isError;
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const v = source[key];
    if (v === undefined) continue;
    const s =
      isSecretKey(key) && v !== null && v !== "" ? REDACTED : scrubValue(v, depth + 1, seen);
    if (s !== v) changed = true;
    out[key] = s;
  }
  return changed ? out : value;
}
