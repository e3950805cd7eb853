// Database URLs appear in logs, CLI output and error messages; their passwords must not.

const HIDDEN = "***";

// "scheme://user:password@rest", taken textually: the password runs from the first ':' after
// the user to the LAST '@', so a password with an unencoded '@', '/', '#' or '?' is still caught.
// A "scheme://" at the start is always taken as the scheme, never as part of a user name.
const USERINFO = /^([a-z][a-z0-9+.-]*:\/\/|(?![a-z][a-z0-9+.-]*:\/\/))([^:]*):(.*)@(.*)$/is;

/**
 * The URL fit for messages: the password (in the authority, or as a `password` query parameter,
 * which libpq also accepts) replaced by `***`. It never returns a password, even for malformed
 * input: a password the URL parser would misplace (say into the fragment) is cut out of the
 * text instead, and text that does not parse at all is not echoed; only its scheme is kept.
 */
export function redactUrl(url: string): string {
  const m = USERINFO.exec(url);
  if (!m) return redactParsed(url);
  const parsed = tryParse(url);
  // the parser's reading is trusted only when its user and password are exactly the typed ones
  if (parsed && parsed.username === m[2] && parsed.password === m[3]) return redactParsed(url);
  return redactParsed(`${m[1]}${m[2]}:${HIDDEN}@${m[4]}`);
}

function redactParsed(url: string): string {
  const u = tryParse(url);
  if (!u) {
    const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(url)?.[0];
    return scheme ? `${scheme}(unparsable URL)` : "(unparsable URL)";
  }
  let hidden = false;
  if (u.password) {
    u.password = HIDDEN;
    hidden = true;
  }
  for (const key of [...u.searchParams.keys()]) {
    if (key.toLowerCase() === "password") {
      u.searchParams.set(key, HIDDEN);
      hidden = true;
    }
  }
  // unchanged input stays as typed (the parser would turn file:./dev.db into file:///dev.db)
  return hidden ? u.href : url;
}

function tryParse(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}
