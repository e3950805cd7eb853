// The runtime as an operator meets it: `npm start`'s build in a child process against the
// Telegram twin (bad configuration named variable by variable; a fresh SQLite file migrated on
// start; long polling; SIGTERM stops it cleanly within seconds), and webhook mode, where the
// twin delivers updates to the bot's own HTTP server.
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type Harness, ask, startHarness } from "../support/app-harness.ts";
import { type BuiltApp, buildAppForTest } from "../support/built-app.ts";
import { DEFAULT_BOT, TelegramTwin } from "../support/telegram-twin/index.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");

interface Run {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

let built: BuiltApp;
beforeAll(async () => {
  built = await buildAppForTest();
}, 60_000);
afterAll(() => built.remove());

function startMain(env: Record<string, string>): Run {
  // a clean environment: only what the operator would set, nothing from the test runner;
  // the bundle run as `npm start` runs it (node itself, the start script's flags)
  const child = spawn(process.execPath, built.args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", HOME: os.tmpdir(), ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal })),
  );
  return { child, output: () => output, exited };
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const text = (m: { text?: string; caption?: string }) => m.text ?? m.caption ?? "";

let cleanup: Array<() => Promise<unknown> | void> = [];
afterEach(async () => {
  for (const fn of cleanup.reverse()) await fn();
  cleanup = [];
});

describe("npm start (the built src/main.ts)", () => {
  it("names every missing or invalid variable and exits non-zero", async () => {
    const run = startMain({ BOT_TOKEN: "not-a-token", MAX_USERS: "-3", LOG_LEVEL: "loud" });
    cleanup.push(() => void run.child.kill("SIGKILL"));
    const { code } = await run.exited;
    expect(code).toBe(2);
    const out = run.output();
    expect(out).toMatch(/BOT_TOKEN/);
    expect(out).toMatch(/ADMIN_TELEGRAM_IDS/);
    expect(out).toMatch(/MAX_USERS/);
    expect(out).toMatch(/LOG_LEVEL/);
    expect(out).not.toMatch(/at .*\.ts:\d+/); // a message, not a stack trace
  });

  it("migrates a fresh SQLite file, answers by long polling, and stops on SIGTERM within seconds", async () => {
    const twin = await TelegramTwin.start();
    cleanup.push(() => twin.stop());
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tradedesk-main-"));
    cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    const run = startMain({
      BOT_TOKEN: DEFAULT_BOT.token,
      ADMIN_TELEGRAM_IDS: "900001",
      DATABASE_URL: `file:${path.join(dir, "bot.db")}`,
      TELEGRAM_API_ROOT: twin.apiRoot,
      LOG_LEVEL: "info",
      LOG_FORMAT: "json",
    });
    cleanup.push(() => void run.child.kill("SIGKILL"));
    await twin.waitForPolling({ timeoutMs: 60_000 });

    const admin = twin.user({ id: 900001, first_name: "Ada", language_code: "en" });
    const since = twin.mark();
    admin.send("/start");
    const hello = await twin.waitForMessage(admin.chatId, (m) => /\/users/.test(text(m)), {
      since,
      timeoutMs: 15_000,
    });
    expect(text(hello)).toContain("/users");
    expect(fs.existsSync(path.join(dir, "bot.db"))).toBe(true);

    const stopping = Date.now();
    run.child.kill("SIGTERM");
    const { code } = await run.exited;
    expect(code).toBe(0);
    expect(Date.now() - stopping).toBeLessThan(8_000);
    expect(run.output()).toMatch(/"msg":"stopped"/);
  });
});

describe("webhook mode", () => {
  let h: Harness | null = null;
  afterEach(async () => {
    await h?.stop();
    h = null;
  });

  it("registers the webhook with its secret and answers updates the twin posts to it", async () => {
    const port = await freePort();
    h = await startHarness({
      env: {
        BOT_MODE: "webhook",
        WEBHOOK_URL: `http://127.0.0.1:${port}/telegram/hook`,
        WEBHOOK_SECRET: "s3cret-token_1",
        PORT: String(port),
        HOST: "127.0.0.1",
      },
    });
    const setWebhook = h.twin.callsTo("setWebhook").at(-1);
    expect(setWebhook?.params).toMatchObject({
      url: `http://127.0.0.1:${port}/telegram/hook`,
      secret_token: "s3cret-token_1",
    });
    expect(h.twin.callsTo("getUpdates")).toHaveLength(0);

    const reply = await ask(h, h.admin, "/start", (t) => /\/users/.test(t));
    expect(text(reply)).toContain("/users");

    // a request without the secret is refused
    const forged = await fetch(`http://127.0.0.1:${port}/telegram/hook`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ update_id: 1 }),
    });
    expect(forged.status).toBe(401);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
  });
});
