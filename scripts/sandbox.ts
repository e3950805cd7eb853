// npm run sandbox — try TradeDesk without a bot token: starts the local Telegram twin and the real
// bot (SQLite in a temporary folder, paper trading, offline prices) and lets you chat with it from
// the terminal as any simulated user, in private or in a group. What a typed line means is in
// scripts/sandbox-input.ts (`:help` prints it). Nothing typed ends the sandbox but :quit or
// Ctrl+D: a button that is gone, a command the bot refuses, a broken line are reported and the
// chat goes on. The bot's JSON log goes to a file (its path printed at start and kept after
// :quit), so chat lines are never interleaved with log lines.
//
// `npm run sandbox -- --live` also starts the local exchange twin and runs the bot on it as on
// Binance (live market data, live accounts with the printed key pair): scripts/sandbox-live.ts.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import pino from "pino";
import { createApp } from "../src/app.ts";
import { loadConfig } from "../src/config.ts";
import {
  DEFAULT_BOT,
  type SimulatedGroup,
  type SimulatedUser,
  TelegramTwin,
} from "../test/support/telegram-twin/index.ts";
import type { CallbackAnswer, TwinMessage } from "../test/support/telegram-twin/types.ts";
import { SANDBOX_HELP, type SandboxAction, parseLine } from "./sandbox-input.ts";
import {
  ExchangeCommandError,
  liveBanner,
  runExchangeCommand,
  startSandboxExchange,
} from "./sandbox-live.ts";

const ADMIN_ID = 1000;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tradedesk-sandbox-"));
const logPath = path.join(os.tmpdir(), `${path.basename(dir)}.log`);
const log = pino(
  { level: process.env.LOG_LEVEL ?? "info" },
  pino.destination({ dest: logPath, sync: true }),
);
const say = (text: string) => process.stdout.write(`\x1b[90m[sandbox]\x1b[0m ${text}\n`);
// whatever slips past a handler lands in the log with a one-line note, never ends the chat
process.on("unhandledRejection", (e) => {
  log.error({ err: e }, "unhandled rejection in the sandbox");
  say(`an error was logged to ${logPath}`);
});

const live = process.argv.slice(2).includes("--live");
const exchange = live ? await startSandboxExchange() : null;
const twin = await TelegramTwin.start();
const config = loadConfig({
  ...process.env,
  BOT_TOKEN: DEFAULT_BOT.token,
  ADMIN_TELEGRAM_IDS: String(ADMIN_ID),
  DATABASE_URL: `file:${path.join(dir, "sandbox.db")}`,
  // the sandbox's backups stay with its temporary database
  BACKUP_DIR: path.join(dir, "backups"),
  TELEGRAM_API_ROOT: twin.apiRoot,
  LOG_LEVEL: process.env.LOG_LEVEL ?? "info",
  // any free port: several sandboxes (or a running bot) on one machine must not collide
  METRICS_PORT: process.env.METRICS_PORT ?? "0",
  // --live: Binance is the exchange twin (market data, live accounts, a generated master key)
  ...exchange?.env,
});
const app = await createApp(config, { logger: log });
await app.start();

const users = new Map<number, SimulatedUser>();
function become(id: number, name?: string, language?: string): SimulatedUser {
  const existing = users.get(id);
  if (existing) return existing;
  const user = twin.user({
    id,
    first_name: name ?? (id === ADMIN_ID ? "Admin" : `User${id}`),
    language_code: language ?? "en",
  });
  users.set(id, user);
  return user;
}
let me = become(ADMIN_ID);

const groups = new Map<string, SimulatedGroup>();
let here: SimulatedGroup | null = null;
const hereId = () => here?.id ?? me.chatId;
const hereName = () => (here ? `group “${here.chat.title ?? here.id}”` : "your private chat");

/** Per chat: the latest bot message that was sent or edited with buttons (maybe since emptied). */
const lastWithButtons = new Map<number, TwinMessage>();

function buttonsOf(message: TwinMessage): string[] {
  const markup = message.reply_markup as
    { inline_keyboard?: Array<Array<{ text: string }>> } | undefined;
  return (markup?.inline_keyboard ?? []).flat().map((b) => b.text);
}

/** Where a bot message went, unless it is your own private chat: a group, or someone else. */
function chatLabel(chatId: number): string {
  for (const g of groups.values()) if (g.id === chatId) return ` in “${g.chat.title ?? chatId}”`;
  return chatId === me.chatId ? "" : ` → user ${chatId}`;
}

function show(kind: "sent" | "edited", message: TwinMessage): void {
  const buttons = buttonsOf(message);
  const last = lastWithButtons.get(message.chat_id);
  const emptied =
    kind === "edited" &&
    buttons.length === 0 &&
    last?.message_id === message.message_id &&
    buttonsOf(last).length > 0;
  if (buttons.length > 0 || last?.message_id === message.message_id)
    lastWithButtons.set(message.chat_id, message);
  const where = chatLabel(message.chat_id);
  const header =
    kind === "edited"
      ? `\x1b[33m[bot edited #${message.message_id}${where}]\x1b[0m`
      : `\x1b[36m[bot #${message.message_id}${where}]\x1b[0m`;
  const body = message.text ?? message.caption ?? "";
  const file = message.photo ?? message.document;
  const attached = file
    ? `\n(${message.photo ? "photo" : "document"} ${file.fileName ?? ""}, ${file.size ?? "?"} bytes)`
    : "";
  const listed = buttons.length
    ? `\n${buttons.map((b, i) => `  [${i + 1}] ${b}`).join("\n")}`
    : emptied
      ? "\n  (its buttons are gone: numbers are sent as text now)"
      : "";
  process.stdout.write(`\n${header} ${body}${attached}${listed}\n> `);
}

twin.events.on("message", ({ kind, message }) => {
  if (message.sender === "bot" && kind !== "deleted") show(kind, message);
});

// what the bot answers to a button press: a toast (a short note) or an alert (a box to close)
twin.events.on("callbackAnswer", (answer: CallbackAnswer) => {
  if (!answer.text) return;
  const tag = answer.show_alert ? "\x1b[35m[alert]\x1b[0m" : "\x1b[35m[toast]\x1b[0m";
  process.stdout.write(`\n${tag} ${answer.text}\n> `);
});

function openGroup(title: string): SimulatedGroup {
  const existing = groups.get(title);
  if (existing) {
    existing.addMember(me);
    return existing;
  }
  const group = twin.group({ id: -1_000_000_000_001 - groups.size, title, type: "supergroup" });
  group.addMember(me, "creator");
  group.addBot({ by: me });
  groups.set(title, group);
  return group;
}

function press(button: number, messageId?: number): void {
  const message =
    messageId === undefined
      ? lastWithButtons.get(hereId())
      : twin.messages(hereId()).find((m) => m.message_id === messageId && m.sender === "bot");
  if (!message) {
    say(
      messageId === undefined
        ? `no message with buttons in ${hereName()} yet`
        : `no bot message #${messageId} in ${hereName()}`,
    );
    return;
  }
  // the message as it is now: its buttons may have been removed or changed since it was shown
  const current = twin.messages(hereId()).find((m) => m.message_id === message.message_id);
  const buttons = current ? buttonsOf(current) : [];
  if (button < 1 || button > buttons.length) {
    say(
      buttons.length
        ? `message #${message.message_id} has buttons 1–${buttons.length}, not ${button}`
        : `message #${message.message_id} has no buttons any more`,
    );
    return;
  }
  me.press(hereId(), message.message_id, button - 1);
}

function run(action: SandboxAction): boolean {
  switch (action.kind) {
    case "empty":
      return true;
    case "quit":
      return false;
    case "help":
      console.log(SANDBOX_HELP);
      return true;
    case "who":
      say(`user ${me.id} (${me.user.first_name}, ${me.user.language_code}) in ${hereName()}`);
      return true;
    case "invalid":
      say(action.reason);
      return true;
    case "as":
      me = become(action.id, action.name, action.language);
      if (here) here.addMember(me);
      say(`now user ${me.id} (${me.user.first_name}) in ${hereName()}`);
      return true;
    case "group":
      here = openGroup(action.title);
      say(
        `now in group “${action.title}” (chat ${here.id}) with the bot; :private goes back. ` +
          "In groups the bot reads commands only (privacy mode), e.g. /link CODE from /chats.",
      );
      return true;
    case "private":
      here = null;
      say("back in your private chat with the bot");
      return true;
    case "press":
      press(action.button, action.messageId);
      return true;
    case "send":
      me.send(action.text, here ? { chat: here.id } : {});
      return true;
    case "price":
    case "balance":
      if (!exchange) {
        say(
          `:${action.kind} acts on the exchange twin: start the sandbox with npm run sandbox -- --live`,
        );
        return true;
      }
      try {
        say(runExchangeCommand(exchange.twin, action));
      } catch (e) {
        if (!(e instanceof ExchangeCommandError)) throw e;
        say(e.message);
      }
      return true;
  }
}

const rl = readline.createInterface({ input: process.stdin, output: process.stdout, prompt: "> " });
console.log(`TradeDesk sandbox — you are user ${ADMIN_ID} (an admin). Send /start. Data: ${dir}`);
console.log(`Bot log (JSON): ${logPath}`);
if (exchange) console.log(liveBanner(exchange));
console.log("Numbers press buttons of the last message with buttons; :help lists the rest.");
rl.prompt();
rl.on("line", (line) => {
  const current = lastWithButtons.get(hereId());
  const now = current
    ? twin.messages(hereId()).find((m) => m.message_id === current.message_id)
    : undefined;
  let goOn = true;
  try {
    goOn = run(parseLine(line, now ? buttonsOf(now).length : 0));
  } catch (e) {
    // a refused press or send (a blocked bot, a button that is not a callback) is the twin
    // saying what Telegram would not allow: shown, and the chat goes on
    say(`not done: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!goOn) return rl.close();
  rl.prompt();
});
rl.on("close", () => {
  void (async () => {
    await app.stop();
    await twin.stop();
    await exchange?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
    console.log(`\nStopped. The bot's log stays at ${logPath}`);
    process.exit(0);
  })();
});
