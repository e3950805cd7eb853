// The failover drill: two TradeDesk processes (the bundle `npm start` builds, run as it runs it) in webhook mode behind a small round-robin load balancer, on one PostgreSQL database. While
// they drain a backlog of notifications and answer users, the leader is killed with SIGKILL — no
// shutdown code runs, its advisory-lock session and outbox claims are simply abandoned. Then:
// - the survivor leads within a minute and runs the jobs (the users' schedules fire on it);
// - every schedule fires exactly once per due minute (one outbox row per firing) and its report
//   is delivered;
// - every notification of the backlog is delivered; a second copy can only come from a message
//   the killed process had handed to Telegram but not yet marked sent (the outbox is
//   at-least-once by design: Telegram has no idempotency key), so duplicates are bounded by what
//   one process has in flight;
// - every user command is answered, the ones the load balancer sent to the dead process by the
//   survivor.
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness } from "../support/app-harness.ts";
import { type BuiltApp, buildAppForTest } from "../support/built-app.ts";
import { createTestDatabase } from "../support/db.ts";
import { type Trader, approvedTrader, textOf } from "../support/e2e-trader.ts";
import { DEFAULT_BOT } from "../support/telegram-twin/index.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const TRADERS = 12;
const BACKLOG_PER_TRADER = 15;
/** the drainer's default in-flight bound: what one killed process can have sent but not marked */
const MAX_IN_FLIGHT = 32;

let built: BuiltApp;
beforeAll(async () => {
  built = await buildAppForTest();
}, 60_000);
afterAll(() => built.remove());

let cleanup: Array<() => Promise<unknown> | void> = [];
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

async function until(check: () => Promise<boolean> | boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return check();
}

/** Round-robin over the instances; a request an instance cannot take goes to the next one. */
async function loadBalancer(backends: number[]) {
  let next = 0;
  const served = new Map<number, number>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const body = Buffer.concat(chunks);
      for (let tries = 0; tries < backends.length; tries++) {
        const port = backends[next++ % backends.length]!;
        try {
          const answer = await fetch(`http://127.0.0.1:${port}${req.url}`, {
            method: req.method,
            headers: req.headers as Record<string, string>,
            body,
          });
          served.set(port, (served.get(port) ?? 0) + 1);
          res.writeHead(answer.status, { "content-type": "application/json" });
          res.end(Buffer.from(await answer.arrayBuffer()));
          return;
        } catch {
          // connection refused or reset: that instance is gone, try the next
        }
      }
      res.writeHead(502).end();
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    port,
    served,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

interface Instance {
  port: number;
  child: ChildProcess;
  output: () => string;
  leading: () => Promise<boolean>;
}

function startInstance(env: Record<string, string>, port: number, lbPort: number): Instance {
  const child = spawn(process.execPath, built.args, {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? os.tmpdir(),
      ...env,
      BOT_MODE: "webhook",
      WEBHOOK_URL: `http://127.0.0.1:${lbPort}/telegram/hook`,
      PORT: String(port),
      HOST: "127.0.0.1",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (d: Buffer) => (output = (output + d.toString()).slice(-20_000)));
  child.stderr!.on("data", (d: Buffer) => (output = (output + d.toString()).slice(-20_000)));
  cleanup.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  });
  return {
    port,
    child,
    output: () => output,
    async leading() {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/healthz`);
        const report = (await res.json()) as { jobs: { leading: boolean } };
        return report.jobs.leading;
      } catch {
        return false;
      }
    },
  };
}

describe("failover drill: two processes on one PostgreSQL, the leader killed mid-run", () => {
  it("the survivor takes over; schedules fire once, notifications and answers are not lost", async () => {
    const db = await createTestDatabase("postgres");
    cleanup.push(() => db.drop());

    // the users, their schedules and a backlog of notifications, written through the services
    const h = await startHarness({ provider: "postgres", database: db });
    cleanup.push(() => h.twin.stop());
    const traders: Trader[] = [];
    for (let i = 0; i < TRADERS; i++) {
      traders.push(await approvedTrader(h, { telegramId: 700_100 + i, firstName: `Drill${i}` }));
    }
    const schedules = await Promise.all(
      traders.map((t) =>
        h.app.services.schedules.create(t.actor, {
          name: "Every minute",
          target: { kind: "PORTFOLIO_SUMMARY", portfolioId: t.portfolioId },
          when: { cron: "0 0 1 1 *" },
        }),
      ),
    );
    for (const [i, t] of traders.entries()) {
      for (let n = 0; n < BACKLOG_PER_TRADER; n++) {
        await h.app.services.notifications.enqueue(h.app.services.ctx.db, {
          userId: t.actor.id,
          type: "ACCOUNT",
          severity: "INFO",
          title: "Drill",
          message: `drill-${i}-${n}`,
          format: "text",
          dedupeKey: `drill:${i}:${n}`,
        });
      }
    }
    await h.app.stop();
    // half of the schedules are due as the processes start (whichever leads fires them), the other
    // half fall due after the kill (only the survivor can fire those)
    const prisma = db.db.prisma;
    const half = Math.floor(schedules.length / 2);
    const dueNow = (ids: number[]) =>
      prisma.schedule.updateMany({
        where: { id: { in: ids } },
        data: { nextRunAt: new Date(Date.now() - 30_000) },
      });
    await dueNow(schedules.slice(0, half).map((s) => s.id));

    const backupDir = fs.mkdtempSync(path.join(os.tmpdir(), "tradedesk-drill-"));
    cleanup.push(() => fs.rmSync(backupDir, { recursive: true, force: true }));
    const env = {
      BOT_TOKEN: DEFAULT_BOT.token,
      ADMIN_TELEGRAM_IDS: "900001",
      DATABASE_URL: db.url,
      TELEGRAM_API_ROOT: h.twin.apiRoot,
      LOG_LEVEL: "warn",
      LOG_FORMAT: "json",
      LEADER_RETRY_SECONDS: "1",
      // Telegram's real per-chat pace, so the backlog is still draining when the leader dies
      OUTBOX_PRIVATE_PER_SECOND: "1",
      BACKUP_DIR: backupDir,
    };
    const ports = [await freePort(), await freePort()];
    const lb = await loadBalancer(ports);
    cleanup.push(() => lb.close());

    const a = startInstance(env, ports[0]!, lb.port);
    expect(await until(() => a.leading(), 60_000), a.output()).toBe(true);
    const b = startInstance(env, ports[1]!, lb.port);
    expect(
      await until(
        async () =>
          await fetch(`http://127.0.0.1:${b.port}/healthz`).then(
            (r) => r.ok,
            () => false,
          ),
        60_000,
      ),
      b.output(),
    ).toBe(true);
    expect(await b.leading()).toBe(false);

    // users talk while the backlog drains; the load balancer spreads their updates
    const askPrice = () => traders.forEach((t) => t.user.send("/price BTCUSDT"));
    const priceAnswers = (t: Trader) =>
      h.twin.messages(t.user.chatId).filter((m) => /BTCUSDT/.test(textOf(m))).length;
    askPrice();
    expect(await until(() => traders.every((t) => priceAnswers(t) >= 1), 30_000)).toBe(true);
    const drillDelivered = () =>
      traders.reduce(
        (sum, t) =>
          sum +
          h.twin.messages(t.user.chatId).filter((m) => /drill-\d+-\d+/.test(textOf(m))).length,
        0,
      );
    expect(await until(() => drillDelivered() >= 10, 30_000)).toBe(true);

    // the leader dies mid-drain: no shutdown, no release
    const killedAt = Date.now();
    a.child.kill("SIGKILL");
    await new Promise((resolve) => a.child.once("exit", resolve));
    askPrice();
    await dueNow(schedules.slice(half).map((s) => s.id));

    expect(await until(() => b.leading(), 60_000), b.output()).toBe(true);
    const takeoverMs = Date.now() - killedAt;
    expect(takeoverMs).toBeLessThan(60_000);

    // answers: every user got one for each question (the dead instance's share went to b)
    expect(await until(() => traders.every((t) => priceAnswers(t) >= 2), 30_000)).toBe(true);

    // the backlog: all of it, the dead instance's claimed rows once their lease ran out
    const total = TRADERS * BACKLOG_PER_TRADER;
    expect(
      await until(() => {
        const texts = new Set(
          traders.flatMap((t) =>
            h.twin.messages(t.user.chatId).map((m) => textOf(m).match(/drill-\d+-\d+/)?.[0]),
          ),
        );
        texts.delete(undefined);
        return texts.size === total;
      }, 120_000),
      b.output(),
    ).toBe(true);
    const duplicates = drillDelivered() - total;
    expect(duplicates).toBeLessThanOrEqual(MAX_IN_FLIGHT);
    console.info(
      `failover drill: takeover ${takeoverMs} ms, backlog of ${total} delivered by ` +
        `${Math.round((Date.now() - killedAt) / 1000)} s after the kill, ${duplicates} duplicate(s); ` +
        `load balancer: ${JSON.stringify(Object.fromEntries(lb.served))}`,
    );

    // schedules: every one fired exactly once (one outbox row per firing), and delivered; the
    // runner ticks once a minute, so allow for one tick after the takeover
    const firings = () =>
      prisma.notificationOutbox.findMany({
        where: { dedupeKey: { startsWith: "schedule:" } },
        select: { dedupeKey: true, sentAt: true },
      });
    expect(
      await until(async () => (await firings()).length >= schedules.length, 90_000),
      b.output(),
    ).toBe(true);
    const fired = await firings();
    expect(fired.map((f) => f.dedupeKey.split(":")[1]).sort()).toEqual(
      schedules.map((s) => String(s.id)).sort(),
    );
    expect(await until(async () => (await firings()).every((f) => f.sentAt !== null), 30_000)).toBe(
      true,
    );

    b.child.kill("SIGTERM");
    await new Promise((resolve) => b.child.once("exit", resolve));
  }, 420_000);
});
