// Shared set-up for the drain tests: people and groups that exist both in the database and in the
// Telegram twin, notifications enqueued through the real service, a drainer talking HTTP to the
// twin, and checks that read the twin's own log and timestamps.
import { Api } from "grammy";
import pino from "pino";
import type { Database } from "../../../src/db/client.ts";
import { NotificationService } from "../../../src/domain/notifications/notification-service.ts";
import { systemClock } from "../../../src/lib/clock.ts";
import { TelegramOutboxSender } from "../../../src/bot/outbox/telegram-sender.ts";
import { OutboxDrainer, type OutboxDrainerOptions } from "../../../src/jobs/outbox/drainer.ts";
import type { OutboxLimits } from "../../../src/jobs/outbox/rate-limiter.ts";
import type { TelegramTwin } from "../../support/telegram-twin/index.ts";

export interface TestChat {
  /** telegram_chats.id */
  id: number;
  userId: number;
  /** Telegram's chat id, the twin's too */
  telegramChatId: number;
  kind: "PRIVATE" | "SUPERGROUP";
}

let nextTelegramId = 700_000;

/** `count` approved users, each with a private chat in the database and in the twin. */
export async function privateChats(
  db: Database,
  twin: TelegramTwin,
  count: number,
): Promise<TestChat[]> {
  const ids = Array.from({ length: count }, () => nextTelegramId++);
  await db.prisma.user.createMany({
    data: ids.map((id, i) => ({
      uid: `drain-user-${id}`,
      telegramUserId: String(id),
      firstName: `User ${i}`,
      status: "APPROVED" as const,
    })),
  });
  const users = await db.prisma.user.findMany({
    where: { telegramUserId: { in: ids.map(String) } },
  });
  await db.prisma.telegramChat.createMany({
    data: users.map((u) => ({
      uid: `drain-chat-${u.telegramUserId}`,
      userId: u.id,
      chatId: u.telegramUserId,
      type: "PRIVATE" as const,
    })),
  });
  const chats = await db.prisma.telegramChat.findMany({
    where: { chatId: { in: ids.map(String) } },
  });
  const byTelegramId = new Map(chats.map((c) => [c.chatId, c]));
  return ids.map((id, i) => {
    twin.user({ id, first_name: `User ${i}` });
    const chat = byTelegramId.get(String(id))!;
    return { id: chat.id, userId: chat.userId, telegramChatId: id, kind: "PRIVATE" as const };
  });
}

/** A supergroup the bot was added to, linked to `owner`. */
export async function groupChat(
  db: Database,
  twin: TelegramTwin,
  owner: TestChat,
): Promise<TestChat> {
  const telegramId = -(1_000_000_000 + nextTelegramId++);
  const chat = await db.prisma.telegramChat.create({
    data: {
      uid: `drain-group-${telegramId}`,
      userId: owner.userId,
      chatId: String(telegramId),
      type: "SUPERGROUP",
      title: "Desk",
    },
  });
  const creator = twin.user({ id: owner.telegramChatId, first_name: "Owner" });
  twin
    .group({ id: telegramId, title: "Desk" })
    .addMember(creator, "creator")
    .addBot({ by: creator });
  return { id: chat.id, userId: owner.userId, telegramChatId: telegramId, kind: "SUPERGROUP" };
}

/** The text every test message carries, so the twin's log tells which row it was. */
export function marker(chat: TestChat, seq: number): string {
  return `n:${chat.telegramChatId}:${seq}`;
}

/**
 * Enqueues `perChat` plain-text notifications to each chat (seq 0..perChat-1), round by round
 * so that rows of different chats interleave in the table as they would in production. Through
 * NotificationService; for large volumes `insertMany` writes the same rows in bulk.
 */
export async function enqueueMany(db: Database, chats: TestChat[], perChat: number): Promise<void> {
  const service = new NotificationService({
    db: db.prisma,
    provider: db.provider,
    clock: systemClock,
  });
  for (let seq = 0; seq < perChat; seq++) {
    await db.prisma.$transaction(async (tx) => {
      for (const chat of chats) {
        await service.enqueue(tx, {
          userId: chat.userId,
          chatId: chat.id,
          type: "REPORT",
          severity: "INFO",
          title: "",
          message: marker(chat, seq),
          format: "text",
          dedupeKey: `seq-${seq}`,
        });
      }
    });
  }
}

/** The rows enqueueMany would create, written with one statement per 1,000 (setup speed). */
export async function insertMany(db: Database, chats: TestChat[], perChat: number): Promise<void> {
  const now = new Date();
  const rows = [];
  for (let seq = 0; seq < perChat; seq++) {
    for (const chat of chats) {
      rows.push({
        uid: `row-${chat.id}-${seq}-${Math.random().toString(36).slice(2)}`,
        chatId: chat.id,
        userId: chat.userId,
        type: "REPORT",
        severity: "INFO" as const,
        title: "",
        message: marker(chat, seq),
        format: "text",
        dedupeKey: `seq-${seq}`,
        nextAttemptAt: now,
        createdAt: now,
      });
    }
  }
  for (let i = 0; i < rows.length; i += 1000) {
    await db.prisma.notificationOutbox.createMany({ data: rows.slice(i, i + 1000) });
  }
}

export const silentLogger = pino({ level: process.env.OUTBOX_TEST_LOG ?? "silent" });

export function drainerFor(
  db: Database,
  twin: TelegramTwin,
  options: Partial<OutboxDrainerOptions> & { limits: OutboxLimits },
): OutboxDrainer {
  return new OutboxDrainer({
    db,
    // a plain Api: no auto-retry (the drainer handles 429 itself)
    sender: new TelegramOutboxSender(new Api(twin.bot.token, { apiRoot: twin.apiRoot })),
    logger: silentLogger,
    clock: systemClock,
    ...options,
  });
}

/** The seq numbers of the marker messages the twin accepted in a chat, in arrival order. */
export function deliveredSeqs(twin: TelegramTwin, chat: TestChat): number[] {
  return twin
    .messages(chat.telegramChatId)
    .map((m) => /^n:-?\d+:(\d+)$/.exec(m.text ?? "")?.[1])
    .filter((s): s is string => s !== undefined)
    .map(Number);
}

/** The most sends the twin accepted within any `windowMs`, over all chats. */
export function maxInAnyWindow(timestamps: number[], windowMs: number): number {
  const sorted = [...timestamps].sort((a, b) => a - b);
  let best = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while (sorted[end]! - sorted[start]! >= windowMs) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

/** The smallest gap between consecutive accepted sends to one chat (Infinity with < 2 sends). */
export function minGap(timestamps: readonly number[]): number {
  let gap = Number.POSITIVE_INFINITY;
  for (let i = 1; i < timestamps.length; i++)
    gap = Math.min(gap, timestamps[i]! - timestamps[i - 1]!);
  return gap;
}

/** Polls until every outbox row has left PENDING/SENDING (or the time is up). */
export async function waitUntilSettled(db: Database, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await db.prisma.notificationOutbox.count({
      where: { status: { in: ["PENDING", "SENDING"] } },
    });
    if (open === 0) return;
    if (Date.now() > deadline) throw new Error(`${open} outbox rows still undelivered`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
