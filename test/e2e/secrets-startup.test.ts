// npm start with a master key that cannot be used stops at once with a message naming the
// variable and the fix (never a stack trace, never the key): a short SECRETS_MASTER_KEY, both
// variables at once, a key file anyone on the machine can read.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BuiltApp, buildAppForTest } from "../support/built-app.ts";
import { DEFAULT_BOT } from "../support/telegram-twin/index.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");

let built: BuiltApp;
beforeAll(async () => {
  built = await buildAppForTest();
}, 60_000);
afterAll(() => built.remove());

function startMain(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, built.args, {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: os.tmpdir(),
      BOT_TOKEN: DEFAULT_BOT.token,
      ADMIN_TELEGRAM_IDS: "900001",
      // never reached: the key is checked before the database is opened
      DATABASE_URL: `file:${path.join(os.tmpdir(), `td-never-${randomBytes(4).toString("hex")}.db`)}`,
      TELEGRAM_API_ROOT: "http://127.0.0.1:9",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr.on("data", (d: Buffer) => (output += d.toString()));
  return new Promise((resolve) => child.on("exit", (code) => resolve({ code, output })));
}

describe("npm start with an unusable master key", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "td-keyfile-"));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("names a malformed SECRETS_MASTER_KEY and how to make one", async () => {
    const { code, output } = await startMain({ SECRETS_MASTER_KEY: "hunter2hunter2" });
    expect(code).toBe(2);
    expect(output).toMatch(/SECRETS_MASTER_KEY must be 32 random bytes.*openssl rand -base64 32/);
    expect(output).not.toContain("hunter2hunter2");
    expect(output).not.toMatch(/at .*\.ts:\d+/);
  });

  it("refuses both variables at once, and a world-readable key file", async () => {
    const file = path.join(dir, "master.key");
    const key = randomBytes(32).toString("base64");
    fs.writeFileSync(file, key, { mode: 0o644 });
    fs.chmodSync(file, 0o644);
    const both = await startMain({ SECRETS_MASTER_KEY: key, SECRETS_KEY_FILE: file });
    expect(both.code).toBe(2);
    expect(both.output).toMatch(/SECRETS_KEY_FILE cannot be set together with SECRETS_MASTER_KEY/);
    const open = await startMain({ SECRETS_KEY_FILE: file });
    expect(open.code).toBe(2);
    expect(open.output).toContain(`SECRETS_KEY_FILE ${file} is readable by every user`);
    expect(open.output).toContain(`chmod 600 ${file}`);
    for (const out of [both.output, open.output]) {
      expect(out).not.toContain(key);
      expect(out).not.toMatch(/at .*\.ts:\d+/);
    }
  });
});
