import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { callbackData } from "../../src/bot/callback-data.ts";

const confirm = callbackData("ord", "ok", { token: "string" });
const fix = callbackData("ord", "fx", { token: "string", index: "index" });
const cancel = callbackData("ord", "cx", {
  id: "id",
  filter: ["open", "all"] as const,
  page: "id",
});
const fixed = callbackData("bkp", "now", {});

describe("callbackData", () => {
  it("writes the wire format buttons already carry, and reads it back", () => {
    expect(confirm.pack({ token: "k3x9" })).toBe("ord:ok:k3x9");
    expect(confirm.unpack("ord:ok:k3x9")).toEqual({ token: "k3x9" });
    expect(fix.pack({ token: "k3x9", index: 0 })).toBe("ord:fx:k3x9:0");
    expect(cancel.pack({ id: 12, filter: "all", page: 3 })).toBe("ord:cx:12:all:3");
    expect(cancel.unpack("ord:cx:12:all:3")).toEqual({ id: 12, filter: "all", page: 3 });
    expect(fixed.pack({})).toBe("bkp:now");
    expect(fixed.unpack("bkp:now")).toEqual({});
  });

  it("refuses to make data over Telegram's 64 bytes", () => {
    expect(() => confirm.pack({ token: "x".repeat(58) })).toThrow(/64 bytes/);
    expect(confirm.pack({ token: "x".repeat(57) })).toHaveLength(64);
    // bytes, not characters
    expect(() => confirm.pack({ token: "ж".repeat(29) })).toThrow(/64 bytes/);
  });

  it("refuses values the format cannot carry", () => {
    expect(() => confirm.pack({ token: "a:b" })).toThrow();
    expect(() => confirm.pack({ token: "a~b" })).toThrow();
    expect(() => confirm.pack({ token: "" })).toThrow();
    expect(() => cancel.pack({ id: 0, filter: "open", page: 1 })).toThrow();
    expect(() => cancel.pack({ id: -1, filter: "open", page: 1 })).toThrow();
    expect(() => cancel.pack({ id: 1.5, filter: "open", page: 1 })).toThrow();
    expect(() => cancel.pack({ id: 2 ** 53, filter: "open", page: 1 })).toThrow();
    expect(() => fix.pack({ token: "t", index: -1 })).toThrow();
  });

  it("reads forged and malformed data as null", () => {
    for (const data of [
      undefined,
      "",
      "ord",
      "ord:ok",
      "ord:ok:",
      "ord:ok:a:b",
      "ord:okay:a",
      "xord:ok:a",
      "ord:ok:a~1",
      "ord:cx:0:open:1",
      "ord:cx:-1:open:1",
      "ord:cx:1e3:open:1",
      "ord:cx:1.5:open:1",
      "ord:cx: 1:open:1",
      "ord:cx:99999999999999999:open:1",
      "ord:cx:12:mine:1",
      "ord:cx:12:open",
      "ord:cx:12:open:1:2",
      "ord:fx:t:-1",
      "bkp:now:1",
      "bkp:nowx",
    ])
      expect([
        data,
        cancel.unpack(data) ?? confirm.unpack(data) ?? fix.unpack(data) ?? fixed.unpack(data),
      ]).toEqual([data, null]);
  });

  it("filter matches exactly what unpack accepts among well-formed numbers", () => {
    expect(cancel.filter.test("ord:cx:12:open:1")).toBe(true);
    expect(cancel.filter.test("ord:cx:12:open:1:x")).toBe(false);
    expect(confirm.filter.test("ord:ok:abc")).toBe(true);
    expect(confirm.filter.test("ord:okx:abc")).toBe(false);
  });

  it("escapes enum words in the filter", () => {
    const odd = callbackData("x", "y", { w: ["a.b", "c|d"] as const });
    expect(odd.unpack("x:y:a.b")).toEqual({ w: "a.b" });
    expect(odd.unpack("x:y:aXb")).toBeNull();
    expect(odd.unpack("x:y:c")).toBeNull();
  });

  it("rejects a prefix the format cannot carry", () => {
    expect(() => callbackData("a:b", "c", {})).toThrow();
    expect(() => callbackData("a", "", {})).toThrow();
  });

  it("round-trips every value it can pack (property)", () => {
    const text = fc.string({ minLength: 1, maxLength: 20 }).filter((s) => !/[:~]/.test(s));
    fc.assert(
      fc.property(
        text,
        fc.nat({ max: Number.MAX_SAFE_INTEGER }),
        fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
        (token, index, id) => {
          const codec = callbackData("t", "a", { token: "string", index: "index", id: "id" });
          const values = { token, index, id };
          let data: string;
          try {
            data = codec.pack(values);
          } catch (e) {
            // only the length limit may refuse these values
            expect(String(e)).toMatch(/64 bytes/);
            expect(Buffer.byteLength(`t:a:${token}:${index}:${id}`, "utf8")).toBeGreaterThan(64);
            return;
          }
          expect(Buffer.byteLength(data, "utf8")).toBeLessThanOrEqual(64);
          expect(codec.filter.test(data)).toBe(true);
          expect(codec.unpack(data)).toEqual(values);
        },
      ),
    );
  });

  it("never throws on arbitrary input and accepts only what it packs (property)", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 70 }), (data) => {
        const values = cancel.unpack(data);
        if (values !== null) expect(cancel.pack(values)).toBe(data);
      }),
    );
  });
});
