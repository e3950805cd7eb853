// The bot's session storage on the session table (src/wiring/session-store.ts), on SQLite and
// PostgreSQL: the stored format of @grammyjs/storage-prisma, an update's keys served from one
// read while the update lasts, and the writes it skips (unchanged and recently written) or not.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SESSION_REFRESH_MS, SessionStore } from "../../src/wiring/session-store.ts";
import { PROVIDERS, type TestDatabase, createTestDatabase } from "../support/db.ts";

describe.each(PROVIDERS)("SessionStore on %s", (provider) => {
  let tdb: TestDatabase;
  let now = Date.now();
  let store: SessionStore;
  beforeAll(async () => {
    tdb = await createTestDatabase(provider);
    store = new SessionStore(tdb.db.prisma.session, () => now);
  });
  afterAll(async () => {
    await tdb?.drop();
  });

  const row = (key: string) => tdb.db.prisma.session.findUnique({ where: { key } });

  it("reads and writes rows as JSON text, like the adapter it replaces, and deletes them", async () => {
    await tdb.db.prisma.session.create({ data: { key: "10", value: '{"v":1,"draft":"x"}' } });
    expect(await store.read("10")).toEqual({ v: 1, draft: "x" });
    expect(await store.read("missing")).toBeUndefined();
    await store.write("11", { v: 1 });
    expect((await row("11"))?.value).toBe('{"v":1}');
    await store.write("11", { v: 2 });
    expect((await row("11"))?.value).toBe('{"v":2}');
    await store.delete("11");
    expect(await row("11")).toBeNull();
    // deleting what is already gone is no error
    await store.delete("11");
  });

  it("serves an update's keys from one read until the update releases them", async () => {
    await tdb.db.prisma.session.create({ data: { key: "20", value: '{"v":1}' } });
    await tdb.db.prisma.session.create({ data: { key: "conv:20", value: '{"c":true}' } });
    const release = await store.prefetch(["20", "conv:20", "none"]);
    // changed behind its back: the update keeps what it read at its start
    await tdb.db.prisma.session.update({ where: { key: "20" }, data: { value: '{"v":9}' } });
    expect(await store.read("20")).toEqual({ v: 1 });
    expect(await store.read("conv:20")).toEqual({ c: true });
    expect(await store.read("none")).toBeUndefined();
    release();
    expect(await store.read("20")).toEqual({ v: 9 });
  });

  it("skips storing what the update read when the row is recent, and refreshes an old one", async () => {
    now = Date.now();
    await store.write("30", { v: 1 });
    const written = (await row("30"))!.updatedAt;
    let release = await store.prefetch(["30"]);
    await store.write("30", { v: 1 });
    release();
    expect((await row("30"))!.updatedAt).toEqual(written);

    // another instance wrote meanwhile: an unchanged write of ours does not undo theirs
    release = await store.prefetch(["30"]);
    await tdb.db.prisma.session.update({ where: { key: "30" }, data: { value: '{"v":5}' } });
    await store.write("30", { v: 1 });
    release();
    expect((await row("30"))!.value).toBe('{"v":5}');

    // a change is written, and what follows in the same update compares with it
    release = await store.prefetch(["30"]);
    await store.write("30", { v: 6 });
    expect((await row("30"))!.value).toBe('{"v":6}');
    expect(await store.read("30")).toEqual({ v: 6 });
    release();

    // unchanged but last written longer ago than the refresh interval: written, so retention
    // (sessions not written for days) never prunes a session in use
    const before = (await row("30"))!.updatedAt;
    now = before.getTime() + SESSION_REFRESH_MS + 1;
    release = await store.prefetch(["30"]);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await store.write("30", { v: 6 });
    release();
    expect((await row("30"))!.updatedAt.getTime()).toBeGreaterThan(before.getTime());

    // outside an update's prefetch every write is stored
    now = Date.now();
    const last = (await row("30"))!.updatedAt;
    await new Promise((resolve) => setTimeout(resolve, 5));
    await store.write("30", { v: 6 });
    expect((await row("30"))!.updatedAt.getTime()).toBeGreaterThan(last.getTime());
  });

  it("deletes within an update only a row the update saw, and keeps one written by another instance", async () => {
    await tdb.db.prisma.session.create({ data: { key: "40", value: '{"v":1}' } });
    let release = await store.prefetch(["40", "41"]);
    await store.delete("40");
    expect(await row("40")).toBeNull();
    expect(await store.read("40")).toBeUndefined();
    // "41" was absent at the start of the update; a row another instance stored since stays
    await tdb.db.prisma.session.create({ data: { key: "41", value: '{"v":2}' } });
    await store.delete("41");
    release();
    expect((await row("41"))?.value).toBe('{"v":2}');
    release = await store.prefetch(["41"]);
    await store.delete("41");
    release();
    expect(await row("41")).toBeNull();
  });
});
