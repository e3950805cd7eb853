// Two drainers (two connection pools, as two bot instances would have) on one PostgreSQL database
// at once: claims with FOR UPDATE SKIP LOCKED under the claim lock never hand the same row to
// both, both do work, and each chat still gets its messages once and in order.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../../src/db/client.ts";
import { TELEGRAM_LIMITS, scaleLimits } from "../../../src/jobs/outbox/rate-limiter.ts";
import { type TestDatabase, createTestDatabase } from "../../support/db.ts";
import { TelegramTwin } from "../../support/telegram-twin/index.ts";
import {
  deliveredSeqs,
  drainerFor,
  insertMany,
  privateChats,
  waitUntilSettled,
} from "./support.ts";

describe("two drainers on one PostgreSQL database", () => {
  let tdb: TestDatabase;
  let twin: TelegramTwin;
  beforeAll(async () => {
    tdb = await createTestDatabase("postgres");
    twin = await TelegramTwin.start();
  });
  afterAll(async () => {
    await twin.stop();
    await tdb.drop();
  });

  it("never send the same row twice", async () => {
    twin.setLimits({ scale: 10 });
    const chats = await privateChats(tdb.db, twin, 40);
    await insertMany(tdb.db, chats, 15);
    // each instance gets half of the global budget, as the deployment notes say
    const limits = { ...scaleLimits(TELEGRAM_LIMITS, 10), globalPerSecond: 150 };
    const second = openDatabase(tdb.url, { poolSize: 5 });
    const a = drainerFor(tdb.db, twin, {
      limits,
      workerId: "instance-a",
      batchSize: 20,
      perChatClaim: 2,
    });
    const b = drainerFor(second, twin, {
      limits,
      workerId: "instance-b",
      batchSize: 20,
      perChatClaim: 2,
    });
    try {
      await Promise.all([a.start(), b.start()]);
      await waitUntilSettled(tdb.db, 30_000);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
      await second.close();
    }

    for (const chat of chats) expect(deliveredSeqs(twin, chat)).toEqual([...Array(15).keys()]);
    expect(twin.callsTo("sendMessage").filter((c) => c.status === 200)).toHaveLength(600);
    const sent = a.stats().sent + b.stats().sent;
    expect(sent).toBe(600);
    // a chat changing hands starts from the previous holder's delivery times: no 429
    expect(twin.stats().rateLimited).toBe(0);
    // both took part (small batches, so neither can hold every chat at once)
    expect(a.stats().sent).toBeGreaterThan(50);
    expect(b.stats().sent).toBeGreaterThan(50);
  });
});
