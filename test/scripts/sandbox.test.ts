// `npm run sandbox` as a newcomer uses it: a terminal chat with the real bot through the twin.
// Switch to a new user, /start, press a button by its number, quit; the temporary data goes away.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");

it("chats with the bot from the terminal, presses buttons by number, and cleans up on :quit", async () => {
  const child = spawn(path.join(ROOT, "node_modules/.bin/tsx"), ["scripts/sandbox.ts"], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp" },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let output = "";
  const waiters: Array<() => void> = [];
  const onData = (d: Buffer) => {
    output += d.toString();
    for (const w of waiters.splice(0)) w();
  };
  child.stdout.on("data", onData);
  child.stderr.on("data", onData);
  const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
  const waitFor = async (pattern: RegExp, timeoutMs = 60_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!pattern.test(output)) {
      if (Date.now() > deadline) throw new Error(`no ${pattern} in sandbox output:\n${output}`);
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 250);
      });
    }
  };
  try {
    await waitFor(/TradeDesk sandbox — you are user 1000/);
    const dataDir = output.match(/Data: (\S+)/)![1]!;
    expect(fs.existsSync(dataDir)).toBe(true);

    child.stdin.write(":as 4242 Zoe en\n");
    await waitFor(/now user 4242/);
    child.stdin.write("/start\n");
    await waitFor(/Welcome to TradeDesk[\s\S]*\[1\] English/);
    child.stdin.write("1\n");
    await waitFor(/Which time zone are you in\?/);

    child.stdin.write(":quit\n");
    expect(await exited).toBe(0);
    expect(fs.existsSync(dataDir)).toBe(false);
  } finally {
    child.kill("SIGKILL");
  }
});
