// A conversation whose earlier steps met Telegram errors (429, 5xx) answers its next steps at
// once (issue 15, Telegram faults). The conversations plugin replays its log on every update,
// failed attempts included; the retry transformer used to sleep through each recorded failure's
// delay again on every replay, so each answer waited the sum of all the delays the conversation
// had ever met (see src/bot/api-retry.ts).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "../support/app-harness.ts";
import { type Trader, approvedTrader, press, say } from "../support/e2e-trader.ts";

describe("retries inside a conversation", () => {
  let h: Harness;
  let trader: Trader;

  beforeAll(async () => {
    h = await startHarness({ env: { RATE_LIMIT_PER_WINDOW: "1000" } });
    trader = await approvedTrader(h, { telegramId: 7711, firstName: "Rita" });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("waits out each 429 once, not again on every later step", async () => {
    const user = trader.user;
    const tooMany = () =>
      h.twin.failNext({ chatId: user.chatId, method: "sendMessage", status: 429, retryAfter: 2 });
    const timed = async <T>(step: () => Promise<T>) => {
      const started = Date.now();
      const result = await step();
      return { result, ms: Date.now() - started };
    };
    tooMany();
    const kinds = await timed(() => say(h, user, "/strategy new", (t) => /Which kind/.test(t)));
    expect(kinds.ms).toBeGreaterThanOrEqual(1900);
    tooMany();
    const type = await timed(() =>
      press(h, user, kinds.result, "MA crossover", (t) => /^1\/8\. type/.test(t)),
    );
    expect(type.ms).toBeGreaterThanOrEqual(1900);
    tooMany();
    const fast = await timed(() =>
      press(h, user, type.result, "EMA", (t) => /^2\/8\. fast/.test(t)),
    );
    expect(fast.ms).toBeGreaterThanOrEqual(1900);
    // no fault now: the answer must not wait the 6 s of delays the steps above met
    const slow = await timed(() => say(h, user, "10", (t) => /^3\/8\. slow/.test(t)));
    expect(slow.ms).toBeLessThan(1500);
    const timeframe = await timed(() =>
      press(h, user, slow.result, "50 (default)", (t) => /^4\/8\. timeframe/.test(t)),
    );
    expect(timeframe.ms).toBeLessThan(1500);
    // and every prompt went out once
    const prompts = h.twin.messages(user.chatId).filter((m) => /^\d\/8\./.test(m.text ?? ""));
    expect(prompts.map((m) => m.text!.slice(0, 4))).toEqual(["1/8.", "2/8.", "3/8.", "4/8."]);
  }, 60_000);
});
