// The outbox failure policy on its own: every failure class, the attempt count, the dead-letter
// limit and the bot-wide flood rule, without Telegram, a database or a clock.
import { describe, expect, it } from "vitest";
import { backoffDelay } from "../../../src/jobs/outbox/backoff.ts";
import { BotWideFloods, decideFailure } from "../../../src/jobs/outbox/failure-policy.ts";
import type { SendFailure } from "../../../src/jobs/outbox/outbox-sender.ts";

const policy = { maxAttempts: 3, backoff: { baseMs: 1000, maxMs: 8000 }, random: () => 1 };
const html = { failCount: 0, format: "html" };

describe("decideFailure", () => {
  it("waits out a 429 for the chat without counting an attempt, for every chat when global", () => {
    const flood = (global: boolean): SendFailure => ({
      kind: "flood",
      retryAfterMs: 7000,
      global,
      description: "429: slow",
    });
    expect(decideFailure(flood(false), { ...html, failCount: 2 }, policy)).toEqual({
      kind: "retry",
      delayMs: 7000,
      failCount: 2,
      error: "429: slow",
      pauseAll: false,
    });
    expect(decideFailure(flood(true), html, policy)).toMatchObject({
      kind: "retry",
      pauseAll: true,
    });
    expect(decideFailure(flood(false), html, policy, true)).toMatchObject({
      pauseAll: true,
    });
  });

  it("backs off transient failures, counting attempts, and gives up at maxAttempts", () => {
    const failure = { kind: "transient", description: "502: Bad Gateway" } as const;
    expect(decideFailure(failure, html, policy)).toEqual({
      kind: "retry",
      delayMs: 1000,
      failCount: 1,
      error: "502: Bad Gateway",
      pauseAll: false,
    });
    expect(decideFailure(failure, { ...html, failCount: 1 }, policy)).toMatchObject({
      kind: "retry",
      delayMs: 2000,
      failCount: 2,
    });
    expect(decideFailure(failure, { ...html, failCount: 2 }, policy)).toEqual({
      kind: "give-up",
      failCount: 3,
      error: "after 3 attempts: 502: Bad Gateway",
    });
  });

  it("resends broken HTML as text once, and gives up when the text is refused too", () => {
    const failure = { kind: "parse", description: "400: can't parse entities" } as const;
    expect(decideFailure(failure, html, policy)).toEqual({
      kind: "switch-to-text",
      error: "400: can't parse entities",
    });
    expect(decideFailure(failure, { failCount: 1, format: "text" }, policy)).toEqual({
      kind: "give-up",
      failCount: 2,
      error: "400: can't parse entities",
    });
  });

  it("blocks the chat on 403 and gives up at once on other client errors", () => {
    expect(decideFailure({ kind: "blocked", description: "403: blocked" }, html, policy)).toEqual({
      kind: "chat-blocked",
      error: "403: blocked",
    });
    expect(
      decideFailure({ kind: "permanent", description: "400: chat not found" }, html, policy),
    ).toEqual({ kind: "give-up", failCount: 1, error: "400: chat not found" });
  });
});

describe("BotWideFloods", () => {
  it("calls it bot-wide when three different chats get a 429 within a second", () => {
    const floods = new BotWideFloods();
    expect(floods.record("a", 0)).toBe(false);
    expect(floods.record("a", 100)).toBe(false);
    expect(floods.record("b", 200)).toBe(false);
    expect(floods.record("c", 900)).toBe(true);
    // a second later the first ones have left the window
    expect(floods.record("d", 1250)).toBe(false);
    expect(floods.record("e", 1300)).toBe(true);
  });
});

describe("backoffDelay", () => {
  it("doubles per failure between half and all of the step, capped", () => {
    const opts = { baseMs: 1000, maxMs: 8000 };
    expect(backoffDelay(1, opts, () => 0)).toBe(500);
    expect(backoffDelay(1, opts, () => 1)).toBe(1000);
    expect(backoffDelay(3, opts, () => 1)).toBe(4000);
    expect(backoffDelay(10, opts, () => 1)).toBe(8000);
    expect(backoffDelay(10, opts, () => 0)).toBe(4000);
  });
});
