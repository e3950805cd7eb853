// The SQLite adapter's reading connection: a plain read outside a transaction is answered while
// another task's transaction is open (it does not queue behind it) and sees what was committed
// before it began, never the open transaction's writes; once the transaction commits, the next
// read sees them. Writes still queue: a plain write waits for the open transaction, also one
// from a second client of the same file in this process (the statements of a transaction let the
// event loop turn, so the write lock is held across turns: a second client that waited in
// SQLite's busy loop instead would block the thread the transaction needs, until its timeout).
// Background statements take those turns; a user's (runInteractive) run straight through.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/client.ts";
import { isPlainRead } from "../../src/db/sqlite-adapter.ts";
import { runInteractive } from "../../src/lib/interactive.ts";
import { type TestDatabase, createTestDatabase } from "../support/db.ts";

/** `promise`'s value, or "pending" when it has not settled after a few turns of the loop */
async function settledSoon<T>(promise: Promise<T>): Promise<T | "pending"> {
  const later = new Promise<"pending">((resolve) => setTimeout(() => resolve("pending"), 200));
  return Promise.race([promise, later]);
}

describe("SQLite reading connection", () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase("sqlite");
  });
  afterAll(async () => {
    await db?.drop();
  });

  it("tells plain reads from everything else", () => {
    expect(isPlainRead("SELECT `main`.`users`.`id` FROM `main`.`users` WHERE 1")).toBe(true);
    expect(isPlainRead("  select 1")).toBe(true);
    for (const sql of [
      "INSERT INTO `main`.`sessions` (`key`) VALUES (?) RETURNING `key`",
      "UPDATE users SET name = ?",
      "DELETE FROM sessions",
      "WITH x AS (SELECT 1) SELECT * FROM x",
      "PRAGMA wal_checkpoint(TRUNCATE)",
      "BEGIN",
      "SELECTED", // not the keyword
    ])
      expect(isPlainRead(sql)).toBe(false);
  });

  it("answers a read while a transaction is open, with what was committed before it", async () => {
    const prisma = db.db.prisma;
    await prisma.session.create({ data: { key: "before", value: "1" } });
    let finish!: () => void;
    const held = new Promise<void>((resolve) => (finish = resolve));
    let wrote!: () => void;
    const written = new Promise<void>((resolve) => (wrote = resolve));
    const tx = prisma.$transaction(async (t) => {
      await t.session.create({ data: { key: "inside", value: "2" } });
      wrote();
      await held;
    });
    await written;

    // the read does not wait for the transaction, and does not see its write
    const during = await settledSoon(prisma.session.findMany({ orderBy: { key: "asc" } }));
    expect(during === "pending" ? during : during.map((s) => s.key)).toEqual(["before"]);
    // a plain write still queues behind the transaction
    const write = prisma.session.create({ data: { key: "after", value: "3" } });
    expect(await settledSoon(write)).toBe("pending");

    finish();
    await tx;
    await write;
    const keys = (await prisma.session.findMany({ orderBy: { key: "asc" } })).map((s) => s.key);
    expect(keys).toEqual(["after", "before", "inside"]);
  });

  it("sees a write as soon as it has returned", async () => {
    const prisma = db.db.prisma;
    for (let i = 0; i < 50; i++) {
      await prisma.session.upsert({
        where: { key: "counter" },
        create: { key: "counter", value: String(i) },
        update: { value: String(i) },
      });
      const read = await prisma.session.findUniqueOrThrow({ where: { key: "counter" } });
      expect(read.value).toBe(String(i));
    }
  });

  it("keeps a rolled-back transaction's writes out of every read", async () => {
    const prisma = db.db.prisma;
    await expect(
      prisma.$transaction(async (t) => {
        await t.session.create({ data: { key: "ghost", value: "x" } });
        expect(await prisma.session.count({ where: { key: "ghost" } })).toBe(0);
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    expect(await prisma.session.count({ where: { key: "ghost" } })).toBe(0);
  });

  it("lets background statements take turns, and runs a user's straight through", async () => {
    const prisma = db.db.prisma;
    /** background reads that completed while a chain of 20 reads ran, as a user's or not */
    async function backgroundDuring(asUser: boolean): Promise<number> {
      let background = 0;
      let stop = false;
      const job = (async () => {
        while (!stop) {
          await prisma.session.count();
          background++;
        }
      })();
      while (background < 3) await new Promise((resolve) => setImmediate(resolve));
      const before = background;
      const chain = async () => {
        for (let i = 0; i < 20; i++) await prisma.session.count();
      };
      await (asUser ? runInteractive(chain) : chain());
      const during = background - before;
      stop = true;
      await job;
      return during;
    }
    // two background chains alternate, statement by statement
    expect(await backgroundDuring(false)).toBeGreaterThanOrEqual(10);
    // a user's chain goes through at once: at most the background read already under way ends
    expect(await backgroundDuring(true)).toBeLessThanOrEqual(1);
  });

  it("queues a second client's write on the same file behind an open transaction, in this process", async () => {
    const first = db.db.prisma;
    const second = openDatabase(db.url);
    try {
      const order: string[] = [];
      const tx = first.$transaction(async (t) => {
        await t.session.create({ data: { key: "tx-1", value: "1" } });
        order.push("tx-1");
        // the other client's write is issued now, while this transaction holds the write lock
        await new Promise((resolve) => setTimeout(resolve, 50));
        await t.session.create({ data: { key: "tx-2", value: "2" } });
        order.push("tx-2");
      });
      await new Promise((resolve) => setTimeout(resolve, 10));
      const started = Date.now();
      await second.prisma.session.create({ data: { key: "other", value: "3" } });
      order.push("other");
      await tx;
      // waited for the commit, not for SQLite's busy timeout (10 s), and nothing failed
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(order).toEqual(["tx-1", "tx-2", "other"]);
      const keys = (
        await first.session.findMany({ where: { key: { in: ["tx-1", "tx-2", "other"] } } })
      )
        .map((x) => x.key)
        .sort();
      expect(keys).toEqual(["other", "tx-1", "tx-2"]);
    } finally {
      await second.close();
    }
  }, 30_000);
});
