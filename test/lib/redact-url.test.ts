// Database URLs in messages: the password never shows, whatever the input looks like.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { redactUrl } from "../../src/lib/redact-url.ts";

describe("redactUrl", () => {
  it("replaces the password and keeps the rest", () => {
    expect(redactUrl("postgresql://app:s3cret@db.example:5432/trade?schema=public")).toBe(
      "postgresql://app:***@db.example:5432/trade?schema=public",
    );
  });

  it("leaves a URL without a password as it is", () => {
    expect(redactUrl("postgresql://app@127.0.0.1:5432/trade")).toBe(
      "postgresql://app@127.0.0.1:5432/trade",
    );
    expect(redactUrl("file:./data/dev.db")).toBe("file:./data/dev.db");
  });

  it("hides a password given as a query parameter", () => {
    const out = redactUrl("postgresql://db.example/trade?user=app&password=s3cret&sslmode=require");
    expect(out).not.toContain("s3cret");
    expect(out).toContain("sslmode=require");
  });

  it("never echoes input it cannot parse", () => {
    expect(redactUrl("postgresql://app:s3cret@[bad-host/trade")).toBe(
      "postgresql:(unparsable URL)",
    );
    expect(redactUrl("postgresql://[bad-host/trade")).toBe("postgresql:(unparsable URL)");
    expect(redactUrl("app:s3cret@nowhere")).not.toContain("s3cret");
    expect(redactUrl("not a url, password s3cret")).toBe("(unparsable URL)");
  });

  it("cuts out a password the URL parser would misread", () => {
    // an unencoded '#' would put the rest of the password into the fragment
    expect(redactUrl("postgresql://app:pa#ss@db.example/trade")).not.toContain("ss@");
    expect(redactUrl("postgresql://app:p/w@db.example/trade")).toBe(
      "postgresql://app:***@db.example/trade",
    );
    expect(redactUrl("postgresql://app:p@w@db.example/trade")).toBe(
      "postgresql://app:***@db.example/trade",
    );
  });

  it("never returns the password, for any password (property)", () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 4 }).filter((s) => /[a-z0-9]{4}/i.test(s)),
        fc.constantFrom("postgresql://app:", "postgres://u:", "postgresql://:"),
        fc.constantFrom("@127.0.0.1:5432/db", "@[::1]/db", "@host name/db", "@"),
        (password, head, tail) => {
          const out = redactUrl(head + password + tail);
          // the password as typed, or as the URL parser would percent-encode it
          expect(out).not.toContain(password);
          expect(out).not.toContain(encodeURIComponent(password));
        },
      ),
    );
  });
});
