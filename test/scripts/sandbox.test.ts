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

it(
  "with --live also runs a Binance twin TradeDesk trades on, with a demo key and price control",
  { timeout: 150_000 },
  async () => {
    const child = spawn(
      path.join(ROOT, "node_modules/.bin/tsx"),
      ["scripts/sandbox.ts", "--live"],
      {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp" },
        stdio: ["pipe", "pipe", "pipe"],
      },
    );
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
      // tsx, ccxt and the app start on a shared, busy machine: give the start time
      await waitFor(/API key: [0-9a-f]{64}\n\s+Secret: {2}[0-9a-f]{64}/, 140_000);
      expect(output).toMatch(/Live trading on a local Binance twin \(http:\/\/127\.0\.0\.1:\d+\)/);
      child.stdin.write(":balance\n");
      await waitFor(/USDT: free 10000, locked 0/);
      child.stdin.write(":price btc/usdt 80000\n");
      await waitFor(/BTCUSDT now 80000 on the exchange twin/);
      child.stdin.write(":price NOPE 1\n");
      await waitFor(/cannot set NOPE/);
      child.stdin.write(":quit\n");
      expect(await exited).toBe(0);
    } finally {
      child.kill("SIGKILL");
    }
  },
);
