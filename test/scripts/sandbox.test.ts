// `npm run sandbox` as a newcomer uses it: a terminal chat with the real bot through the twin,
// driven here as a child process with piped stdin. The input rules (scripts/sandbox-input.ts)
// unit by unit; then one session: :help, bad input that must not end it (an unknown :command, a
// press with no buttons, a press on a message whose buttons are gone, a number after the
// buttons went away — sent as text), :say to send a number as text, a toast shown inline, the
// JSON log in a file and not on screen, :price refused without --live, :group to post /link in a group, and :quit cleaning up.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseLine } from "../../scripts/sandbox-input.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");

describe("what a sandbox line means", () => {
  it("presses with a number only while the last message has that button; otherwise sends text", () => {
    expect(parseLine("2", 3)).toEqual({ kind: "press", button: 2 });
    expect(parseLine(" 4 ", 3)).toEqual({ kind: "send", text: "4" });
    expect(parseLine("1", 0)).toEqual({ kind: "send", text: "1" });
    expect(parseLine("0", 3)).toEqual({ kind: "send", text: "0" });
    expect(parseLine(":say 2", 3)).toEqual({ kind: "send", text: "2" });
    expect(parseLine(":say  :as 5  ", 3)).toEqual({ kind: "send", text: ":as 5" });
    expect(parseLine(":press 7", 0)).toEqual({ kind: "press", button: 7 });
    expect(parseLine(":press 2 #41", 0)).toEqual({ kind: "press", button: 2, messageId: 41 });
    expect(parseLine("/buy BTCUSDT 0.01", 3)).toEqual({ kind: "send", text: "/buy BTCUSDT 0.01" });
    expect(parseLine(":as 42 Zoe RU", 0)).toEqual({
      kind: "as",
      id: 42,
      name: "Zoe",
      language: "ru",
    });
    expect(parseLine(":group", 0)).toEqual({ kind: "group", title: "Trading desk" });
    expect(parseLine(":group Desk 2", 0)).toEqual({ kind: "group", title: "Desk 2" });
    for (const bad of [":press", ":press x", ":as", ":as zoe", ":say", ":frobnicate"])
      expect(parseLine(bad, 3).kind).toBe("invalid");
    expect(parseLine("   ", 3)).toEqual({ kind: "empty" });
  });
});

it("a whole session: help, bad input, toasts, a group with /link, logs in a file, :quit", async () => {
  const child = spawn(path.join(ROOT, "node_modules/.bin/tsx"), ["scripts/sandbox.ts"], {
    cwd: ROOT,
    // the script types faster than a person: the bot's per-user flood limit is raised
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "/tmp",
      RATE_LIMIT_PER_WINDOW: "1000",
    },
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
  /** Waits for `pattern` in what was printed after `from` (an offset into the output). */
  const waitFor = async (pattern: RegExp, from = 0, timeoutMs = 90_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = output.slice(from).match(pattern);
      if (m) return m;
      if (Date.now() > deadline) throw new Error(`no ${pattern} in sandbox output:\n${output}`);
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 250);
      });
    }
  };
  /** Types a line and waits for `pattern` in what follows. */
  const type = async (line: string, pattern: RegExp) => {
    const from = output.length;
    child.stdin.write(`${line}\n`);
    return waitFor(pattern, from);
  };
  try {
    await waitFor(/TradeDesk sandbox — you are user 1000/);
    const dataDir = (await waitFor(/Data: (\S+)/))[1]!;
    const logPath = (await waitFor(/Bot log \(JSON\): (\S+)/))[1]!;
    expect(fs.existsSync(dataDir)).toBe(true);

    await type(":help", /:press N \[MSG\][\s\S]*:say TEXT[\s\S]*:group \[Title\]/);
    await type(":frobnicate", /unknown sandbox command ":frobnicate"/);
    await type(":press 1", /no message with buttons in your private chat yet/);
    // the exchange commands need the exchange twin, which only --live starts
    await type(":price BTCUSDT 65000", /start the sandbox with npm run sandbox -- --live/);

    // the admin's menu: a toast from a button is shown inline
    await type("/start", /You are an admin/);
    const settings = await type("/settings", /\[(\d+)\] 📁 Default portfolio/);
    await type(settings[1]!, /\[1\] No portfolios yet/);
    await type("1", /\[toast\]\S* Create one first with \/newportfolio\./);
    await type(":press 9", /has buttons 1–\d+, not 9/);

    // a newcomer: a press, then buttons that go away; numbers after that are text
    await type(":as 4242 Zoe en", /now user 4242 \(Zoe\)/);
    const welcome = await type(
      "/start",
      /\[bot #(\d+)\]\S* Welcome to TradeDesk[\s\S]*\[1\] English/,
    );
    await type("1", /Which time zone are you in\?[\s\S]*\[1\] UTC/);
    // a number in the range of the buttons, sent as text on purpose
    await type(":say 1", /“1” is not a time zone I know/);
    await type("1", /Anything the admin should know[\s\S]*\[1\] Skip/);
    await type("1", /its buttons are gone[\s\S]*Your request has been sent to the admins/);
    await type(`:press 1 ${welcome[1]}`, /message #\d+ has no buttons any more/);
    // the last message's buttons are gone: a plain 1 is text now, and the bot answers it
    await type("1", /waiting for an admin's approval/);
    expect(output).not.toMatch(/Error: no button/);

    // a group: the admin gets a link code in private and posts /link in the group
    await type(":as 1000", /now user 1000/);
    const chats = await type("/chats", /\[(\d+)\] ➕ Add a group or channel/);
    const code = (await type(chats[1]!, /\/link ([A-Z0-9-]{6,12})\s/))[1]!;
    await type(":group Desk", /now in group “Desk”/);
    await type(
      `/link ${code}`,
      /\[bot #\d+ in “Desk”\]\S* Linked: notifications will arrive in Desk/,
    );
    await type(":who", /user 1000 \(Admin, en\) in group “Desk”/);
    await type(":private", /back in your private chat/);

    // the log went to its file, never between the chat lines
    expect(output).not.toMatch(/\{"level":/);
    const log = fs.readFileSync(logPath, "utf8").trim().split("\n");
    expect(log.length).toBeGreaterThan(0);
    expect(JSON.parse(log[0]!)).toHaveProperty("level");

    child.stdin.write(":quit\n");
    expect(await exited).toBe(0);
    expect(fs.existsSync(dataDir)).toBe(false);
    expect(output).toContain(`The bot's log stays at ${logPath}`);
    fs.rmSync(logPath, { force: true });
  } finally {
    child.kill("SIGKILL");
  }
}, 600_000);
