// `npm start` under a supervisor that signals only the process it started (npm): SIGTERM or SIGINT
// to npm must stop the bot itself — no process of the tree may survive, polling Telegram as an
// orphan. The tree is read from `ps` before the signal and each pid is checked afterwards.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_BOT, TelegramTwin } from "../support/telegram-twin/index.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");

/** Every descendant of `root`, from one `ps` snapshot. */
function descendants(root: number): number[] {
  const rows = execFileSync("ps", ["-eo", "pid=,ppid="], { encoding: "utf8" })
    .trim()
    .split("\n")
    .map((line) => line.trim().split(/\s+/).map(Number) as [number, number]);
  const found: number[] = [];
  const queue = [root];
  while (queue.length) {
    const parent = queue.shift()!;
    for (const [pid, ppid] of rows) {
      if (ppid === parent) {
        found.push(pid);
        queue.push(pid);
      }
    }
  }
  return found;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return check();
}

let cleanup: Array<() => Promise<unknown> | void> = [];
afterEach(async () => {
  for (const fn of cleanup.reverse()) await fn();
  cleanup = [];
});

describe.each(["SIGTERM", "SIGINT"] as const)("npm start and %s", (signal) => {
  it("stops the whole process tree, and the bot stops polling", async () => {
    const twin = await TelegramTwin.start();
    cleanup.push(() => twin.stop());
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tradedesk-signals-"));
    cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    const npm: ChildProcess = spawn("npm", ["start", "--silent"], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? "",
        HOME: dir,
        BOT_TOKEN: DEFAULT_BOT.token,
        ADMIN_TELEGRAM_IDS: "900001",
        DATABASE_URL: `file:${path.join(dir, "bot.db")}`,
        TELEGRAM_API_ROOT: twin.apiRoot,
        METRICS_PORT: "0",
        LOG_LEVEL: "info",
        LOG_FORMAT: "json",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    npm.stdout!.on("data", (d: Buffer) => (output += d.toString()));
    npm.stderr!.on("data", (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => npm.on("exit", (code) => resolve(code)));
    let tree: number[] = [];
    cleanup.push(() => {
      for (const pid of [npm.pid!, ...tree]) if (alive(pid)) process.kill(pid, "SIGKILL");
    });

    await twin.waitForPolling({ timeoutMs: 60_000 });
    tree = descendants(npm.pid!);
    expect(tree.length).toBeGreaterThan(0);

    npm.kill(signal);
    await exited;
    const gone = await until(() => tree.every((pid) => !alive(pid)), 8_000);
    expect(
      tree
        .filter(alive)
        .map((pid) =>
          execFileSync("ps", ["-o", "pid=,args=", "-p", String(pid)], { encoding: "utf8" }).trim(),
        ),
      output,
    ).toEqual([]);
    expect(gone).toBe(true);
    expect(output).toMatch(/"msg":"stopped"/);

    // nobody polls any more
    const polls = twin.callsTo("getUpdates").length;
    await new Promise((r) => setTimeout(r, 1500));
    expect(twin.callsTo("getUpdates").length).toBe(polls);
  });
});

describe("npm start killed with SIGKILL (nothing to forward)", () => {
  it("the bot notices its parent is gone and stops", async () => {
    const twin = await TelegramTwin.start();
    cleanup.push(() => twin.stop());
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tradedesk-signals-"));
    cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    const npm = spawn("npm", ["start", "--silent"], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? "",
        HOME: dir,
        BOT_TOKEN: DEFAULT_BOT.token,
        ADMIN_TELEGRAM_IDS: "900001",
        DATABASE_URL: `file:${path.join(dir, "bot.db")}`,
        TELEGRAM_API_ROOT: twin.apiRoot,
        METRICS_PORT: "0",
        LOG_LEVEL: "silent",
      },
      stdio: "ignore",
    });
    let tree: number[] = [];
    cleanup.push(() => {
      for (const pid of tree) if (alive(pid)) process.kill(pid, "SIGKILL");
    });
    await twin.waitForPolling({ timeoutMs: 60_000 });
    tree = descendants(npm.pid!);
    npm.kill("SIGKILL");
    expect(await until(() => tree.every((pid) => !alive(pid)), 8_000)).toBe(true);
  });
});
