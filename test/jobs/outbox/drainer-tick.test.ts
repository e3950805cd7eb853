// The outbox drainer's poll tick on node-cron, under fake time: it beats once a second (counted
// over several seconds, so a wrong pattern fails), a row written straight into the table (no
// wake(), as another process would) is sent at the next beat and not before, and stop() ends the
// beat. A real SQLite database; the sender records instead of talking HTTP.
import { setImmediate as realTurn } from "node:timers/promises";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { OutboxSender, OutgoingMessage } from "../../../src/jobs/outbox/outbox-sender.ts";
import { OutboxDrainer } from "../../../src/jobs/outbox/drainer.ts";
import { systemClock } from "../../../src/lib/clock.ts";
import { type TestDatabase, createTestDatabase } from "../../support/db.ts";
import { silentLogger } from "./support.ts";

class RecordingSender implements OutboxSender {
  readonly sent: Array<{ at: number; text: string }> = [];
  async send(message: OutgoingMessage) {
    const { part } = message;
    this.sent.push({ at: Date.now(), text: part.kind === "text" ? part.text : part.caption });
    return null;
  }
}

let tdb: TestDatabase;
let chatId: number;
let userId: number;
beforeAll(async () => {
  tdb = await createTestDatabase("sqlite");
  const user = await tdb.db.prisma.user.create({
    data: { uid: "tick-user", telegramUserId: "900001", status: "APPROVED" },
  });
  const chat = await tdb.db.prisma.telegramChat.create({
    data: { uid: "tick-chat", userId: user.id, chatId: "900001", type: "PRIVATE" },
  });
  userId = user.id;
  chatId = chat.id;
});
afterAll(() => tdb.drop());

/**
 * Moves fake time `ms` on in steps of 100 ms, letting the real event loop turn after each step:
 * the SQLite adapter lets the loop turn before every statement (a real setImmediate, which fake
 * time does not run), so a tick's queries finish only while real turns go by.
 */
async function advance(ms: number): Promise<void> {
  for (let left = ms; left > 0; left -= 100) {
    await vi.advanceTimersByTimeAsync(Math.min(100, left));
    for (let i = 0; i < 50; i++) await realTurn();
  }
}

describe("the outbox drainer's poll tick", () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: new Date("2026-03-10T12:00:00.000Z") });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("runs every second, and a row written between beats is sent at the next one", async () => {
    const sender = new RecordingSender();
    const drainer = new OutboxDrainer({
      db: tdb.db,
      sender,
      logger: silentLogger,
      clock: systemClock,
    });
    const t0 = Date.now();
    await drainer.start();
    expect(drainer.ticks).toBe(1); // start's own
    await advance(5_000);
    expect(drainer.ticks).toBe(6);

    // 300 ms after a beat: nobody wakes the drainer, so only the next beat can find the row
    await advance(300);
    await tdb.db.prisma.notificationOutbox.create({
      data: {
        uid: "tick-row",
        chatId,
        userId,
        type: "REPORT",
        severity: "INFO",
        title: "",
        message: "between beats",
        format: "text",
        dedupeKey: "tick-row",
        nextAttemptAt: new Date(),
      },
    });
    await advance(600);
    expect(sender.sent).toEqual([]);
    await advance(200);
    expect(sender.sent.map((s) => [s.at - t0, s.text])).toEqual([[6_000, "between beats"]]);
    expect(drainer.ticks).toBe(7);

    await drainer.stop();
    await advance(3_000);
    expect(drainer.ticks).toBe(7);
    const row = await tdb.db.prisma.notificationOutbox.findUniqueOrThrow({
      where: { uid: "tick-row" },
    });
    expect(row.status).toBe("SENT");
  });
});
