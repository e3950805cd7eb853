// Flood limits (sliding windows, 429 with retry_after) and injected faults, checked against the
// limiter directly and through a real grammY client, with and without @grammyjs/auto-retry.
import { autoRetry } from "@grammyjs/auto-retry";
import { Api, GrammyError } from "grammy";
import { afterEach, describe, expect, it } from "vitest";
import { SendRateLimiter, TelegramTwin } from "../support/telegram-twin/index.ts";

describe("SendRateLimiter", () => {
  it("allows one send per chat per second by default and reports the exact wait", () => {
    const limiter = new SendRateLimiter();
    limiter.configure({});
    expect(limiter.check(1, false, 10_000)).toBeUndefined();
    limiter.record(1, 10_000);
    expect(limiter.check(1, false, 10_400)).toBe(1); // 600 ms left, rounded up
    expect(limiter.check(2, false, 10_400)).toBeUndefined(); // other chats are independent
    expect(limiter.check(1, false, 10_999)).toBe(1);
    expect(limiter.check(1, false, 11_000)).toBeUndefined(); // the window is (now - 1 s, now]
    expect(limiter.rejected).toBe(2);
  });

  it("tolerates bursts that keep the average rate", () => {
    const limiter = new SendRateLimiter();
    limiter.configure({ burst: 3 }); // 3 sends within any 3 s
    for (const t of [0, 10, 20]) {
      expect(limiter.check(7, false, t)).toBeUndefined();
      limiter.record(7, t);
    }
    expect(limiter.check(7, false, 30)).toBe(3); // until the send at t=0 leaves: 2970 ms
    expect(limiter.check(7, false, 3000)).toBeUndefined();
  });

  it("caps all chats together at globalPerSecond", () => {
    const limiter = new SendRateLimiter();
    limiter.configure({ globalPerSecond: 30 });
    for (let chat = 1; chat <= 30; chat++) {
      expect(limiter.check(chat, false, 500)).toBeUndefined();
      limiter.record(chat, 500);
    }
    expect(limiter.check(31, false, 900)).toBe(1);
    expect(limiter.check(31, false, 1500)).toBeUndefined();
  });

  it("caps a group at groupPerMinute over a sliding minute", () => {
    const limiter = new SendRateLimiter();
    limiter.configure({});
    for (let i = 0; i < 20; i++) {
      expect(limiter.check(-100, true, i * 1000)).toBeUndefined();
      limiter.record(-100, i * 1000);
    }
    expect(limiter.check(-100, true, 20_000)).toBe(40); // the first send leaves at 60 s
    expect(limiter.check(-100, true, 60_000)).toBeUndefined();
    expect(limiter.check(-100, false, 20_000)).toBeUndefined(); // private chats have no minute cap
  });

  it("scales every rate for benchmarks", () => {
    const limiter = new SendRateLimiter();
    limiter.configure({ scale: 10 });
    limiter.record(5, 0);
    expect(limiter.check(5, false, 50)).toBe(1);
    expect(limiter.check(5, false, 100)).toBeUndefined(); // 10 per second
  });
});

describe("limits and faults through the HTTP API", () => {
  let twin: TelegramTwin | undefined;
  afterEach(async () => {
    await twin?.stop();
    twin = undefined;
  });

  async function error(promise: Promise<unknown>): Promise<GrammyError> {
    const caught = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(caught).toBeInstanceOf(GrammyError);
    return caught as GrammyError;
  }

  it("answers 429 with retry_after when setLimits is exceeded, on a controlled clock", async () => {
    let clock = 1_000_000;
    twin = await TelegramTwin.start({ now: () => clock });
    const api = new Api(twin.bot.token, { apiRoot: twin.apiRoot });
    const user = twin.user({ id: 3001, first_name: "Lena" });
    twin.setLimits({ perChatPerSecond: 1, groupPerMinute: 20 });

    await api.sendMessage(user.chatId, "first");
    clock += 300;
    const limited = await error(api.sendMessage(user.chatId, "second"));
    expect(limited.error_code).toBe(429);
    expect(limited.description).toBe("Too Many Requests: retry after 1");
    expect(limited.parameters.retry_after).toBe(1);
    // edits count as sends too
    const firstId = twin.messages(user.chatId)[0]?.message_id ?? 0;
    expect((await error(api.editMessageText(user.chatId, firstId, "edited"))).error_code).toBe(429);

    clock += 700;
    await api.sendMessage(user.chatId, "third");
    expect(twin.messages(user.chatId).map((m) => m.text)).toEqual(["first", "third"]);
    expect(twin.sendTimestamps(user.chatId)).toEqual([1_000_000, 1_001_000]);
    expect(twin.stats()).toMatchObject({ sendsAccepted: 2, rateLimited: 2 });

    twin.setLimits(null);
    await api.sendMessage(user.chatId, "unlimited");
    await api.sendMessage(user.chatId, "again");
    expect(twin.stats().rateLimited).toBe(2);
  });

  it("delivers through setLimits' 429 when the bot uses auto-retry", async () => {
    twin = await TelegramTwin.start();
    const api = new Api(twin.bot.token, { apiRoot: twin.apiRoot });
    api.config.use(autoRetry());
    const user = twin.user({ id: 3002, first_name: "Max" });
    twin.setLimits({ perChatPerSecond: 1 });

    await Promise.all([api.sendMessage(user.chatId, "a"), api.sendMessage(user.chatId, "b")]);
    expect(
      twin
        .messages(user.chatId)
        .map((m) => m.text)
        .sort(),
    ).toEqual(["a", "b"]);
    expect(twin.stats().rateLimited).toBeGreaterThanOrEqual(1);
    const [first, second] = twin.sendTimestamps(user.chatId);
    expect((second ?? 0) - (first ?? 0)).toBeGreaterThanOrEqual(1000);
  });

  it("serves queued faults once each, filtered by method and chat, with Telegram's wording", async () => {
    twin = await TelegramTwin.start();
    const api = new Api(twin.bot.token, { apiRoot: twin.apiRoot });
    const a = twin.user({ id: 3003, first_name: "Ann" });
    const b = twin.user({ id: 3004, first_name: "Ben" });

    twin.failNext({ method: "sendMessage", status: 429, retryAfter: 7 });
    const limited = await error(api.sendMessage(a.chatId, "x"));
    expect(limited.description).toBe("Too Many Requests: retry after 7");
    expect(limited.parameters.retry_after).toBe(7);

    twin.failNext({ chatId: b.chatId, status: 403, times: 2 });
    await api.sendMessage(a.chatId, "a is fine");
    expect((await error(api.sendMessage(b.chatId, "x"))).description).toBe(
      "Forbidden: bot was blocked by the user",
    );
    expect((await error(api.sendChatAction(b.chatId, "typing"))).error_code).toBe(403);
    await api.sendMessage(b.chatId, "b recovered");

    twin.failNext({ status: 500 });
    expect((await error(api.getMe())).description).toBe("Internal Server Error");
    twin.failNext({ status: 502 });
    expect((await error(api.sendMessage(a.chatId, "x"))).error_code).toBe(502);
    twin.failNext({ status: 400 });
    expect((await error(api.sendMessage(a.chatId, "x"))).description).toMatch(
      /^Bad Request: can't parse entities: /,
    );
    // a fault without a method never hits getUpdates (an idle poll would swallow it)
    twin.failNext({ status: 500 });
    await api.getUpdates({ timeout: 0 });
    expect((await error(api.getMe())).error_code).toBe(500);
    expect(twin.stats().faultsInjected).toBe(7);
    expect(twin.messages(a.chatId).map((m) => m.text)).toEqual(["a is fine"]);
  });

  it("lets auto-retry recover from an injected 429", async () => {
    twin = await TelegramTwin.start();
    const api = new Api(twin.bot.token, { apiRoot: twin.apiRoot });
    api.config.use(autoRetry({ maxDelaySeconds: 2 }));
    const user = twin.user({ id: 3005, first_name: "Nina" });
    twin.failNext({ method: "sendMessage", status: 429, retryAfter: 1 });
    const started = Date.now();
    await api.sendMessage(user.chatId, "made it");
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(twin.lastMessage(user.chatId)?.text).toBe("made it");
    expect(twin.callsTo("sendMessage").map((call) => call.status)).toEqual([429, 200]);
  });
});
