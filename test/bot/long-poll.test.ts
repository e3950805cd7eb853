// A Bot API call that hangs is given up after TELEGRAM_TIMEOUT_SECONDS (the drill with a hung
// connection is in test/adversarial/support/telegram-fault-suite.ts); the long poll, which
// Telegram holds open on purpose while nothing comes, must always end inside that timeout.
import { describe, expect, it } from "vitest";
import { longPollSeconds } from "../../src/bot/bot.ts";

describe("longPollSeconds", () => {
  it("is the runner's 30 s when the client timeout leaves room for it", () => {
    expect(longPollSeconds(60)).toBe(30);
    expect(longPollSeconds(35)).toBe(30);
  });

  it("stays 5 s inside a shorter client timeout, and never below 1 s", () => {
    expect(longPollSeconds(34)).toBe(29);
    expect(longPollSeconds(10)).toBe(5);
    expect(longPollSeconds(5)).toBe(1);
  });
});
