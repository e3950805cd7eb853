// Job leadership among instances on one database (src/db/leadership.ts), on SQLite and on
// PostgreSQL: one holder at a time, a follower takes over when the leader releases or dies (its
// process killed, or its PostgreSQL session terminated), and jobs run on exactly one instance.
import { spawn } from "node:child_process";
import path from "node:path";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { InstanceConflictError, createApp } from "../../src/app.ts";
import { Leadership, type LeaderLock, openLeaderLock } from "../../src/db/leadership.ts";
import { JobScheduler } from "../../src/jobs/scheduler.ts";
import { startHarness } from "../support/app-harness.ts";
import { PROVIDERS, type TestDatabase, createTestDatabase } from "../support/db.ts";
import { adminQuery } from "../support/postgres.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const silent = pino({ level: "silent" });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await sleep(50);
  }
  return check();
}

let cleanup: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const fn of cleanup.reverse()) await fn();
  cleanup = [];
});

async function database(provider: (typeof PROVIDERS)[number]): Promise<TestDatabase> {
  const db = await createTestDatabase(provider);
  cleanup.push(() => db.drop());
  return db;
}

function lock(url: string): LeaderLock {
  const l = openLeaderLock(url, "jobs");
  cleanup.push(() => l.release());
  return l;
}

/** Holds the jobs lock from another process until it is killed. */
function holdInChild(url: string): Promise<{ kill: () => void }> {
  const code = `
    import { openLeaderLock } from "./src/db/leadership.ts";
    const lock = openLeaderLock(${JSON.stringify(url)}, "jobs");
    console.log((await lock.tryAcquire()) ? "held" : "refused");
    setInterval(() => lock.held(), 1000); // keeps the lock (and its connection) referenced
  `;
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", code], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "inherit"],
  });
  cleanup.push(() => child.kill("SIGKILL"));
  return new Promise((resolve, reject) => {
    child.stdout!.on("data", (d: Buffer) => {
      if (d.toString().includes("held")) resolve({ kill: () => child.kill("SIGKILL") });
      else reject(new Error(`child: ${d.toString()}`));
    });
    child.on("exit", (c) => reject(new Error(`child exited with ${c}`)));
  });
}

describe.each(PROVIDERS)("leadership on %s", (provider) => {
  it("one holder at a time; the other takes over after a release", async () => {
    const db = await database(provider);
    const a = lock(db.url);
    const b = lock(db.url);
    expect(await a.tryAcquire()).toBe(true);
    expect(await a.tryAcquire()).toBe(true); // again: still ours
    expect(await b.tryAcquire()).toBe(false);
    expect(await b.tryAcquire()).toBe(false);
    await a.release();
    expect(a.held()).toBe(false);
    expect(await b.tryAcquire()).toBe(true);
    expect(await a.tryAcquire()).toBe(false);
  });

  it("a leader whose process is killed is replaced", async () => {
    const db = await database(provider);
    const holder = await holdInChild(db.url);
    const follower = lock(db.url);
    expect(await follower.tryAcquire()).toBe(false);
    holder.kill();
    expect(await until(() => follower.tryAcquire(), 10_000)).toBe(true);
  });

  it("jobs run on exactly one instance, and on the other once the leader is gone", async () => {
    const db = await database(provider);
    const runs = { a: 0, b: 0 };
    const instance = (name: "a" | "b") => {
      const leadership = new Leadership(lock(db.url), { retryMs: 200 });
      const jobs = new JobScheduler(silent, { isLeader: () => leadership.isLeader() });
      jobs.add({ name: "tick", pattern: "* * * * * *", run: async () => void runs[name]++ });
      cleanup.push(async () => {
        await jobs.stop();
        await leadership.stop();
      });
      return { leadership, jobs };
    };
    const a = instance("a");
    expect(await a.leadership.start()).toBe(true);
    a.jobs.start();
    const b = instance("b");
    expect(await b.leadership.start()).toBe(false);
    b.jobs.start();
    await sleep(2_600);
    expect(runs.a).toBeGreaterThanOrEqual(2);
    expect(runs.b).toBe(0);

    await a.jobs.stop();
    await a.leadership.stop();
    const before = runs.a;
    expect(await until(() => runs.b >= 1, 5_000)).toBe(true);
    expect(b.leadership.isLeader()).toBe(true);
    expect(runs.a).toBe(before);
  });
});

describe("leadership on postgres: the leader's session is terminated", () => {
  it("the leader stops leading at once, and exactly one instance leads again", async () => {
    const db = await database("postgres");
    const changes: string[] = [];
    const a = new Leadership(lock(db.url), {
      retryMs: 200,
      onChange: (l) => changes.push(`a:${l}`),
    });
    const b = new Leadership(lock(db.url), {
      retryMs: 200,
      onChange: (l) => changes.push(`b:${l}`),
    });
    cleanup.push(
      () => a.stop(),
      () => b.stop(),
    );
    expect(await a.start()).toBe(true);
    expect(await b.start()).toBe(false);
    const name = new URL(db.url).pathname.slice(1);
    const killed = await adminQuery<{ ok: boolean }>(
      `SELECT pg_terminate_backend(l.pid) AS ok FROM pg_locks l JOIN pg_database d ON d.oid = l.database
        WHERE l.locktype = 'advisory' AND l.granted AND d.datname = $1`,
      [name],
    );
    expect(killed).toEqual([{ ok: true }]);
    // a notices the loss; whichever (re)connects first leads, and only one does
    expect(await until(() => changes.includes("a:false"), 5_000)).toBe(true);
    expect(await until(() => a.isLeader() !== b.isLeader(), 5_000)).toBe(true);
    await sleep(600);
    expect(a.isLeader() !== b.isLeader()).toBe(true);
  });
});

describe("a second instance in polling mode", () => {
  it("refuses to start while the first polls, with a message that says why", async () => {
    const h = await startHarness();
    cleanup.push(() => h.stop());
    const second = await createApp(h.config, { logger: silent, migrate: false });
    const refused = await second.start().then(
      () => null,
      (e: unknown) => e,
    );
    await second.stop();
    expect(refused).toBeInstanceOf(InstanceConflictError);
    expect(String(refused)).toMatch(/already receiving updates by long polling/);
    expect(String(refused)).toMatch(/BOT_MODE=webhook/);
  });
});
