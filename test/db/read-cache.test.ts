// Reads kept between updates (src/db/read-cache.ts) are served only while nothing written since
// could have changed them: the write tracker sees every statement the client sends, on both
// databases, and bumps a table when its write becomes visible — a plain statement when it has run,
// a transaction's writes at its commit (not before) or rollback.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { READ_CACHE_TTL_MS, ReadCache } from "../../src/db/read-cache.ts";
import { WriteTracker } from "../../src/db/write-tracker.ts";
import { PROVIDERS, type TestDatabase, createTestDatabase } from "../support/db.ts";

describe("WriteTracker.written", () => {
  it("tells the table of the statements Prisma sends on either database", () => {
    expect(WriteTracker.written("SELECT `main`.`users`.`id` FROM `main`.`users`")).toBeNull();
    expect(WriteTracker.written('  select * from "public"."users"')).toBeNull();
    expect(WriteTracker.written("BEGIN IMMEDIATE")).toBeNull();
    expect(WriteTracker.written("COMMIT")).toBeNull();
    expect(WriteTracker.written("INSERT INTO `main`.`users` (`uid`) VALUES (?)")).toBe("users");
    expect(WriteTracker.written('INSERT INTO "public"."sessions" ("key") VALUES ($1)')).toBe(
      "sessions",
    );
    expect(WriteTracker.written("UPDATE `main`.`portfolios` SET `name` = ?")).toBe("portfolios");
    expect(WriteTracker.written('DELETE FROM "public"."telegram_chats" WHERE 1')).toBe(
      "telegram_chats",
    );
    expect(WriteTracker.written("INSERT OR IGNORE INTO users VALUES (1)")).toBe("users");
    // what it cannot read counts as a write to everything
    expect(WriteTracker.written("WITH x AS (SELECT 1) DELETE FROM users")).toBe("*");
    expect(WriteTracker.written("PRAGMA wal_checkpoint(TRUNCATE)")).toBe("*");
  });
});

describe("ReadCache without a database", () => {
  it("serves a value until its tables are written or it expires; other tables do not count", async () => {
    const writes = new WriteTracker();
    let now = 0;
    const cache = new ReadCache<{ n: number }>(writes, ["users"], () => now);
    let loads = 0;
    const load = async () => ({ n: ++loads });
    expect((await cache.get("a", load)).n).toBe(1);
    expect((await cache.get("a", load)).n).toBe(1);
    expect((await cache.get("b", load)).n).toBe(2);
    writes.bump("orders");
    expect((await cache.get("a", load)).n).toBe(1);
    writes.bump("users");
    expect((await cache.get("a", load)).n).toBe(3);
    writes.bump("*");
    expect((await cache.get("a", load)).n).toBe(4);
    now += READ_CACHE_TTL_MS;
    expect((await cache.get("a", load)).n).toBe(5);
  });

  it("never serves what was read while a write ran", async () => {
    const writes = new WriteTracker();
    const cache = new ReadCache<{ v: string }>(writes, ["users"]);
    // the write lands while the read is under way: what it read may be the old row
    const first = await cache.get("k", async () => {
      writes.bump("users");
      return { v: "old" };
    });
    expect(first.v).toBe("old");
    expect((await cache.get("k", async () => ({ v: "new" }))).v).toBe("new");
  });

  it("hands out frozen values, and a disabled cache always loads", async () => {
    const cache = new ReadCache<{ v: number }>(new WriteTracker(), ["users"]);
    const value = await cache.get("k", async () => ({ v: 1 }));
    expect(Object.isFrozen(value)).toBe(true);
    const off = ReadCache.disabled<number>();
    let loads = 0;
    await off.get("k", async () => ++loads);
    await off.get("k", async () => ++loads);
    expect(loads).toBe(2);
  });
});

describe.each(PROVIDERS)("write tracking on %s", (provider) => {
  let tdb: TestDatabase;
  beforeAll(async () => {
    tdb = await createTestDatabase(provider);
  });
  afterAll(async () => {
    await tdb?.drop();
  });

  const users = () => tdb.db.writes!.version(["users"]);
  const newUser = () => ({ uid: randomUUID(), telegramUserId: randomUUID(), timeZone: "UTC" });

  it("reads leave the versions alone; a plain write bumps its table only", async () => {
    const before = users();
    const sessions = tdb.db.writes!.version(["sessions"]);
    await tdb.db.prisma.user.findMany();
    await tdb.db.prisma.session.findMany();
    expect(users()).toBe(before);
    await tdb.db.prisma.user.create({ data: newUser() });
    expect(users()).toBeGreaterThan(before);
    expect(tdb.db.writes!.version(["sessions"])).toBe(sessions);
  });

  it("a transaction's writes count at its commit, not before", async () => {
    const before = users();
    let inside = -1;
    await tdb.db.prisma.$transaction(async (tx) => {
      await tx.user.create({ data: newUser() });
      inside = users();
    });
    expect(inside).toBe(before);
    expect(users()).toBeGreaterThan(before);
  });

  it("a rolled back transaction and raw SQL count too", async () => {
    const before = users();
    await expect(
      tdb.db.prisma.$transaction(async (tx) => {
        await tx.user.create({ data: newUser() });
        throw new Error("undo");
      }),
    ).rejects.toThrow("undo");
    const afterRollback = users();
    expect(afterRollback).toBeGreaterThan(before);
    await tdb.db.prisma.$executeRawUnsafe(
      provider === "postgres"
        ? `UPDATE "users" SET "timeZone" = 'UTC' WHERE 1 = 0`
        : "UPDATE users SET timeZone = 'UTC' WHERE 1 = 0",
    );
    expect(users()).toBeGreaterThan(afterRollback);
  });

  it("a cached read is read again after a write to its table", async () => {
    const created = await tdb.db.prisma.user.create({ data: newUser() });
    const cache = new ReadCache<{ timeZone: string } | null>(tdb.db.writes!, ["users"]);
    const read = () =>
      cache.get(String(created.id), () =>
        tdb.db.prisma.user.findUnique({
          where: { id: created.id },
          select: { timeZone: true },
        }),
      );
    expect((await read())?.timeZone).toBe("UTC");
    await tdb.db.prisma.user.update({
      where: { id: created.id },
      data: { timeZone: "Europe/Berlin" },
    });
    expect((await read())?.timeZone).toBe("Europe/Berlin");
  });
});
