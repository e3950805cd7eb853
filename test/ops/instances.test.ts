// Two instances in webhook mode on one PostgreSQL database, as behind a load balancer: both start
// (no polling conflict), both answer updates, exactly one runs the jobs, and when it stops the
// other takes over within seconds; /healthz of each says which one leads.
import net from "node:net";
import pino from "pino";
import { afterAll, describe, expect, it } from "vitest";
import { type App, createApp } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";
import type { HealthReport } from "../../src/ops/health.ts";
import { createTestDatabase, type TestDatabase } from "../support/db.ts";
import { DEFAULT_BOT, TelegramTwin } from "../support/telegram-twin/index.ts";

const silent = pino({ level: "silent" });
let cleanup: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const fn of cleanup.reverse()) await fn();
  cleanup = [];
});

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function until(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return check();
}

async function instance(db: TestDatabase, twin: TelegramTwin): Promise<App> {
  const port = await freePort();
  const app = await createApp(
    loadConfig({
      BOT_TOKEN: DEFAULT_BOT.token,
      ADMIN_TELEGRAM_IDS: "900001",
      DATABASE_URL: db.url,
      TELEGRAM_API_ROOT: twin.apiRoot,
      LOG_LEVEL: "silent",
      BOT_MODE: "webhook",
      WEBHOOK_URL: `http://127.0.0.1:${port}/telegram/hook`,
      PORT: String(port),
      HOST: "127.0.0.1",
      LEADER_RETRY_SECONDS: "1",
    }),
    { logger: silent, migrate: false },
  );
  await app.start();
  let stopped = false;
  cleanup.push(async () => {
    if (!stopped) await app.stop();
  });
  const stop = app.stop.bind(app);
  app.stop = async () => {
    stopped = true;
    await stop();
  };
  return app;
}

async function healthOf(app: App): Promise<HealthReport> {
  const { port } = app.opsAddress()!;
  return (await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()) as HealthReport;
}

describe("two instances in webhook mode on one PostgreSQL database", () => {
  it("one runs the jobs; the other takes over when it stops", async () => {
    const db = await createTestDatabase("postgres");
    cleanup.push(() => db.drop());
    const twin = await TelegramTwin.start();
    cleanup.push(() => twin.stop());

    const a = await instance(db, twin);
    const b = await instance(db, twin);
    expect(a.leadership.isLeader()).toBe(true);
    expect(b.leadership.isLeader()).toBe(false);
    expect((await healthOf(a)).jobs.leading).toBe(true);
    const follower = await healthOf(b);
    expect(follower.jobs.leading).toBe(false);
    expect(follower.ok).toBe(true); // a follower is not late with jobs it does not run

    // jobs run on the leader only
    await new Promise((r) => setTimeout(r, 2_500));
    const runsOf = (app: App) => app.jobs.status().find((j) => j.name === "order-sync")!.runs;
    expect(runsOf(a)).toBeGreaterThanOrEqual(1);
    expect(runsOf(b)).toBe(0);

    await a.stop();
    expect(await until(() => b.leadership.isLeader(), 5_000)).toBe(true);
    expect(await until(() => runsOf(b) >= 1, 5_000)).toBe(true);
    expect((await healthOf(b)).jobs.leading).toBe(true);
  });
});
