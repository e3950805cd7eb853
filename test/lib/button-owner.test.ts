import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  isPrivateChatId,
  MAX_CALLBACK_BYTES,
  splitOwner,
  tagMarkup,
  tagOwner,
} from "../../src/lib/button-owner.ts";

// callback data as the bot builds it: ASCII, no "~", short enough to leave room for the tag
const data = fc.stringMatching(/^[a-z]{1,6}(:[A-Za-z0-9/_-]{0,10}){0,4}$/);
// Telegram user ids: positive, up to 52 bits
const telegramId = fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER });

describe("button owner tags", () => {
  it("round-trip: the data comes back unchanged with its owner", () => {
    fc.assert(
      fc.property(data, telegramId, (d, id) => {
        const tagged = tagOwner(d, id);
        expect(Buffer.byteLength(tagged)).toBeLessThanOrEqual(MAX_CALLBACK_BYTES);
        expect(splitOwner(tagged)).toEqual({ data: d, owner: String(id) });
      }),
    );
  });

  it("untagged data has no owner, and a tag that is not an id is not taken for one", () => {
    expect(splitOwner("ord:ok:abc")).toEqual({ data: "ord:ok:abc", owner: null });
    expect(splitOwner("menu/0/1//h1f~")).toEqual({ data: "menu/0/1//h1f~", owner: null });
    expect(splitOwner("x~Z!")).toEqual({ data: "x~Z!", owner: null });
  });

  it("refuses to build data over Telegram's 64 bytes", () => {
    expect(() => tagOwner("a".repeat(60), 123456789)).toThrow(/64 bytes/);
  });

  it("tags every callback button of a keyboard, leaves other buttons and the input alone", () => {
    const markup = {
      inline_keyboard: [
        [
          { text: "A", callback_data: "al:np:1" },
          { text: "Site", url: "https://example.org" },
        ],
        [{ text: "B", callback_data: "x:1~2n9c" }],
      ],
    };
    const copy = structuredClone(markup);
    const tagged = tagMarkup(markup, 7201);
    expect(markup).toEqual(copy);
    expect(tagged.inline_keyboard[0]![0]).toEqual({ text: "A", callback_data: "al:np:1~5k1" });
    expect(tagged.inline_keyboard[0]![1]).toEqual({ text: "Site", url: "https://example.org" });
    // already tagged: keeps its owner
    expect(tagged.inline_keyboard[1]![0]).toEqual({ text: "B", callback_data: "x:1~2n9c" });
    expect(tagMarkup(null, 1)).toBeNull();
    expect(tagMarkup({ remove_keyboard: true }, 1)).toEqual({ remove_keyboard: true });
  });

  it("tells private chat ids from groups and channels", () => {
    expect(isPrivateChatId(7201)).toBe(true);
    expect(isPrivateChatId("7201")).toBe(true);
    expect(isPrivateChatId(-1007203)).toBe(false);
    expect(isPrivateChatId("-42")).toBe(false);
    expect(isPrivateChatId("@channel")).toBe(false);
    expect(isPrivateChatId(undefined)).toBe(false);
  });
});
