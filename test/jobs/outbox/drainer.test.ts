// The outbox drainer against the Telegram twin (real HTTP, Telegram's limits enforced by the twin)
// and real SQLite and PostgreSQL databases: exactly-once delivery in order per chat within the
// limits, 429 storms, 5xx and network failures, blocked chats, HTML the server refuses, long
// messages and photos. Judged by the twin's own log and timestamps, not by the drainer's word.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { TELEGRAM_LIMITS, scaleLimits } from "../../../src/jobs/outbox/rate-limiter.ts";
import { NotificationService } from "../../../src/domain/notifications/notification-service.ts";
import { systemClock } from "../../../src/lib/clock.ts";
import { PROVIDERS, type TestDatabase, createTestDatabase } from "../../support/db.ts";
import { TelegramTwin } from "../../support/telegram-twin/index.ts";
import {
  deliveredSeqs,
  drainerFor,
  enqueueMany,
  groupChat,
  insertMany,
  maxInAnyWindow,
  minGap,
  privateChats,
  waitUntilSettled,
} from "./support.ts";

describe.each(PROVIDERS)("OutboxDrainer on %s", (provider) => {
  let tdb: TestDatabase;
  let twin: TelegramTwin;
  beforeAll(async () => {
    tdb = await createTestDatabase(provider);
  });
  afterAll(() => tdb.drop());
  beforeEach(async () => {
    twin = await TelegramTwin.start();
    // earlier tests' rows must not be drained again
    await tdb.db.prisma.notificationOutbox.deleteMany();
  });
  afterEach(() => twin.stop());

  const notifications = () =>
    new NotificationService({ db: tdb.db.prisma, provider, clock: systemClock });

  it("delivers 1,000 notifications to 50 chats exactly once, in order, within the limits", async () => {
    const scale = 20;
    twin.setLimits({ scale });
    const limits = scaleLimits(TELEGRAM_LIMITS, scale);
    const chats = await privateChats(tdb.db, twin, 50);
    await insertMany(tdb.db, chats, 20);

    const drainer = drainerFor(tdb.db, twin, { limits });
    const stats = await drainer.drainOnce();

    expect(stats).toMatchObject({ sent: 1000, failed: 0, retried: 0, floods: 0 });
    expect(twin.stats().rateLimited).toBe(0);
    const all: number[] = [];
    for (const chat of chats) {
      expect(deliveredSeqs(twin, chat)).toEqual([...Array(20).keys()]);
      const times = twin.sendTimestamps(chat.telegramChatId);
      expect(minGap(times)).toBeGreaterThanOrEqual(1000 / limits.perChatPerSecond);
      all.push(...times);
    }
    expect(maxInAnyWindow(all, 1000)).toBeLessThanOrEqual(limits.globalPerSecond);
    expect(await tdb.db.prisma.notificationOutbox.count({ where: { status: "SENT" } })).toBe(1000);
  });

  it("drains chats with more rows than the per-chat claim cap to the end", async () => {
    twin.setLimits({ scale: 20 });
    const chats = await privateChats(tdb.db, twin, 2);
    await enqueueMany(tdb.db, chats, 12);
    const stats = await drainerFor(tdb.db, twin, {
      limits: scaleLimits(TELEGRAM_LIMITS, 20),
      perChatClaim: 3,
    }).drainOnce();
    expect(stats.sent).toBe(24);
    for (const chat of chats) expect(deliveredSeqs(twin, chat)).toEqual([...Array(12).keys()]);
  });

  it("keeps to Telegram's real limits: 1 per second per chat, 20 per minute per group", async () => {
    twin.setLimits({});
    const people = await privateChats(tdb.db, twin, 3);
    const group = await groupChat(tdb.db, twin, people[0]!);
    const chats = [...people, group];
    await enqueueMany(tdb.db, chats, 3);

    const started = Date.now();
    const stats = await drainerFor(tdb.db, twin, { limits: TELEGRAM_LIMITS }).drainOnce();

    expect(stats.sent).toBe(12);
    expect(twin.stats().rateLimited).toBe(0);
    for (const chat of chats) {
      expect(deliveredSeqs(twin, chat)).toEqual([0, 1, 2]);
      expect(minGap(twin.sendTimestamps(chat.telegramChatId))).toBeGreaterThanOrEqual(1000);
    }
    // three rounds a second apart, not one chat after another
    expect(Date.now() - started).toBeLessThan(4000);
  });

  it("rides out a 429 storm, a burst of 5xx and dropped connections, delivering each once", async () => {
    twin.setLimits({ scale: 20 });
    const chats = await privateChats(tdb.db, twin, 10);
    await enqueueMany(tdb.db, chats, 10);
    twin.failNext({ method: "sendMessage", status: 429, times: 12, retryAfter: 1 });
    twin.failNext({ method: "sendMessage", status: 502, times: 8 });
    twin.failNext({ method: "sendMessage", status: 500, times: 4 });
    twin.failWithNetworkError({ method: "sendMessage", times: 3 });

    const drainer = drainerFor(tdb.db, twin, {
      limits: scaleLimits(TELEGRAM_LIMITS, 20),
      backoff: { baseMs: 50, maxMs: 400 },
    });
    await drainer.start();
    try {
      await waitUntilSettled(tdb.db, 30_000);
    } finally {
      await drainer.stop();
    }

    for (const chat of chats) expect(deliveredSeqs(twin, chat)).toEqual([...Array(10).keys()]);
    expect(await tdb.db.prisma.notificationOutbox.count({ where: { status: "SENT" } })).toBe(100);
    expect(twin.stats()).toMatchObject({ faultsInjected: 24, networkErrors: 3, rateLimited: 0 });
    expect(drainer.stats().floods).toBe(12);
    expect(drainer.stats().retried).toBeGreaterThanOrEqual(27);
  });

  it("gives up after maxAttempts into FAILED, and moves on to the chat's next rows", async () => {
    const [chat] = await privateChats(tdb.db, twin, 1);
    await enqueueMany(tdb.db, [chat!], 2);
    twin.failNext({ chatId: chat!.telegramChatId, status: 502, times: 3 });
    const drainer = drainerFor(tdb.db, twin, {
      limits: scaleLimits(TELEGRAM_LIMITS, 20),
      maxAttempts: 3,
      backoff: { baseMs: 20, maxMs: 40 },
    });
    await drainer.start();
    try {
      await waitUntilSettled(tdb.db, 10_000);
    } finally {
      await drainer.stop();
    }
    const rows = await tdb.db.prisma.notificationOutbox.findMany({ orderBy: { id: "asc" } });
    expect(rows.map((r) => r.status)).toEqual(["FAILED", "SENT"]);
    expect(rows[0]).toMatchObject({
      failCount: 3,
      lastError: "after 3 attempts: 502: Bad Gateway",
    });
    expect(deliveredSeqs(twin, chat!)).toEqual([1]);
  });

  it("marks a chat that blocked the bot inactive and fails its rows; other chats are unaffected", async () => {
    twin.setLimits({ scale: 20 });
    const chats = await privateChats(tdb.db, twin, 5);
    const blocked = chats[2]!;
    await enqueueMany(tdb.db, chats, 5);
    twin.blockChat(blocked.telegramChatId);

    const stats = await drainerFor(tdb.db, twin, {
      limits: scaleLimits(TELEGRAM_LIMITS, 20),
    }).drainOnce();

    expect(stats).toMatchObject({ sent: 20, failed: 5 });
    for (const chat of chats) {
      expect(deliveredSeqs(twin, chat)).toEqual(chat === blocked ? [] : [0, 1, 2, 3, 4]);
    }
    // one refused attempt, then nothing more is tried there
    const attempts = twin
      .callsTo("sendMessage")
      .filter((c) => String(c.params.chat_id) === String(blocked.telegramChatId));
    expect(attempts).toHaveLength(1);
    const chatRow = await tdb.db.prisma.telegramChat.findUniqueOrThrow({
      where: { id: blocked.id },
    });
    expect(chatRow).toMatchObject({
      isActive: false,
      deactivatedReason: "403: Forbidden: bot was blocked by the user",
    });
    const user = await tdb.db.prisma.user.findUniqueOrThrow({ where: { id: blocked.userId } });
    expect(user.blockedBotAt).not.toBeNull();
    const rows = await tdb.db.prisma.notificationOutbox.findMany({ where: { chatId: blocked.id } });
    expect(
      rows.every((r) => r.status === "FAILED" && r.lastError?.startsWith("chat blocked")),
    ).toBe(true);
    // nothing new is routed to it until the user writes again
    const later = await notifications().enqueue(tdb.db.prisma, {
      userId: blocked.userId,
      type: "ACCOUNT",
      severity: "CRITICAL",
      title: "x",
      message: "y",
      format: "text",
      dedupeKey: "after-block",
    });
    expect(later).toBe(0);
  });

  it("fails a row at once on a permanent 400, with Telegram's description", async () => {
    const [chat] = await privateChats(tdb.db, twin, 1);
    // a chat the twin does not know: "chat not found"
    const ghost = await tdb.db.prisma.telegramChat.create({
      data: { uid: "ghost", userId: chat!.userId, chatId: "-1009999999999", type: "GROUP" },
    });
    await notifications().enqueue(tdb.db.prisma, {
      userId: chat!.userId,
      chatId: ghost.id,
      type: "REPORT",
      severity: "INFO",
      title: "t",
      message: "m",
      format: "text",
      dedupeKey: "ghost",
    });
    const stats = await drainerFor(tdb.db, twin, { limits: TELEGRAM_LIMITS }).drainOnce();
    expect(stats).toMatchObject({ sent: 0, failed: 1 });
    const row = await tdb.db.prisma.notificationOutbox.findFirstOrThrow({
      where: { chatId: ghost.id },
    });
    expect(row).toMatchObject({ status: "FAILED", lastError: "400: Bad Request: chat not found" });
  });

  it("resends HTML the server cannot parse as plain text, once", async () => {
    const [chat] = await privateChats(tdb.db, twin, 1);
    const enqueue = (dedupeKey: string, message: string) =>
      notifications().enqueue(tdb.db.prisma, {
        userId: chat!.userId,
        type: "ALERT_TRIGGERED",
        severity: "WARNING",
        title: "BTC <alert>",
        message,
        format: "html",
        dedupeKey,
      });
    await enqueue("broken", "price <b>above 50k &amp; rising");
    const drainer = drainerFor(tdb.db, twin, { limits: scaleLimits(TELEGRAM_LIMITS, 20) });
    expect(await drainer.drainOnce()).toMatchObject({ sent: 1, failed: 0 });

    const calls = twin.callsTo("sendMessage");
    expect(calls.map((c) => c.status)).toEqual([400, 200]);
    expect(calls[1]!.params.parse_mode).toBeUndefined();
    const [message] = twin.messages(chat!.telegramChatId);
    expect(message!.text).toBe("BTC <alert>\nprice above 50k & rising");
    // the title is still bold, as an entity
    expect(message!.entities).toEqual([{ type: "bold", offset: 0, length: 11 }]);
    const row = await tdb.db.prisma.notificationOutbox.findFirstOrThrow({
      where: { dedupeKey: "broken" },
    });
    expect(row).toMatchObject({ status: "SENT", format: "text" });
    expect(row.lastError).toContain("sent as plain text");

    // a well-formed message is sent as HTML: bold title, markup kept
    await enqueue("fine", "price <b>above</b> 50k");
    await drainer.drainOnce();
    const last = twin.lastMessage(chat!.telegramChatId)!;
    expect(last.text).toBe("BTC <alert>\nprice above 50k");
    expect(last.parse_mode).toBe("HTML");
  });

  it("splits a long message into parts on line boundaries, each within 4,096 characters", async () => {
    twin.setLimits({ scale: 20 });
    const [chat] = await privateChats(tdb.db, twin, 1);
    const lines = Array.from({ length: 300 }, (_, i) => `<b>${i}</b> ${"row ".repeat(10)}`);
    await notifications().enqueue(tdb.db.prisma, {
      userId: chat!.userId,
      type: "REPORT",
      severity: "INFO",
      title: "Daily report",
      message: lines.join("\n"),
      format: "html",
      dedupeKey: "long",
      replyMarkup: { inline_keyboard: [[{ text: "Open", callback_data: "open" }]] },
    });
    await drainerFor(tdb.db, twin, { limits: scaleLimits(TELEGRAM_LIMITS, 20) }).drainOnce();

    const parts = twin.messages(chat!.telegramChatId);
    expect(parts.length).toBeGreaterThan(2);
    for (const p of parts) {
      expect(p.text!.length).toBeLessThanOrEqual(4096);
      expect(p.html!.length).toBeLessThanOrEqual(4096);
    }
    // split between lines: every part starts with a whole line, and together they are the report
    const text = parts.map((p) => p.text).join("\n");
    const expected = ["Daily report", ...lines.map((l) => l.replace(/<\/?b>/g, "").trim())];
    expect(text.split("\n").map((l) => l.trim())).toEqual(expected);
    // the buttons go under the last part only
    expect(parts.map((p) => p.reply_markup !== undefined)).toEqual(
      parts.map((_, i) => i === parts.length - 1),
    );
    const row = await tdb.db.prisma.notificationOutbox.findFirstOrThrow({
      where: { dedupeKey: "long" },
    });
    expect(row).toMatchObject({ status: "SENT", partsSent: parts.length });
  });

  it("sends an attachment as a photo, with the text as caption or after it", async () => {
    const [chat] = await privateChats(tdb.db, twin, 1);
    // a 1×1 PNG
    const png = Buffer.from(
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
      "base64",
    );
    const enqueue = (dedupeKey: string, message: string) =>
      notifications().enqueue(tdb.db.prisma, {
        userId: chat!.userId,
        type: "REPORT",
        severity: "INFO",
        title: "Equity curve",
        message,
        format: "html",
        dedupeKey,
        attachment: { bytes: png, fileName: "equity.png" },
      });
    await enqueue("short", "Up <b>3%</b> this week");
    await enqueue("long", "x".repeat(2000));
    await drainerFor(tdb.db, twin, { limits: scaleLimits(TELEGRAM_LIMITS, 20) }).drainOnce();

    const [first, second, third] = twin.messages(chat!.telegramChatId);
    expect(first!.photo?.bytes).toEqual(png);
    expect(first!.caption).toBe("Equity curve\nUp 3% this week");
    expect(second!.photo?.fileName).toBe("equity.png");
    expect(second!.caption).toBe("Equity curve");
    expect(third!.text).toBe("x".repeat(2000));
  });
});
