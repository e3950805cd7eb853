// Sessions, conversations and the update queue are per person in each chat: two members of one
// group never share an order draft or a conversation; a private chat keeps the key it always had
// (sessions stored before the change stay valid).
import type { Context } from "grammy";
import { describe, expect, it } from "vitest";
import { sessionKey } from "../../src/bot/bot.ts";

const ctxOf = (chat?: { id: number; type: string }, from?: { id: number }) =>
  ({ chat, from }) as unknown as Context;

describe("sessionKey", () => {
  it("keeps a private chat's key: the chat id", () => {
    expect(sessionKey(ctxOf({ id: 7201, type: "private" }, { id: 7201 }))).toBe("7201");
  });

  it("keys each member of a group apart", () => {
    const group = { id: -1007203, type: "supergroup" };
    const alice = sessionKey(ctxOf(group, { id: 7201 }));
    const bob = sessionKey(ctxOf(group, { id: 7202 }));
    expect(alice).toBe("-1007203:7201");
    expect(bob).toBe("-1007203:7202");
  });

  it("falls back to the chat without a sender (channel posts) and to the sender without a chat", () => {
    expect(sessionKey(ctxOf({ id: -100999, type: "channel" }))).toBe("-100999");
    expect(sessionKey(ctxOf(undefined, { id: 7201 }))).toBe("7201");
    expect(sessionKey(ctxOf())).toBeUndefined();
  });
});
