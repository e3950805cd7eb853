// npm run sandbox — try TradeDesk without a bot token: starts the local Telegram twin and the real
// bot (SQLite in a temporary folder, paper trading, offline prices) and lets you chat with it from
// the terminal as any simulated user.
//
//   type text or /commands          send them as the current user
//   1, 2, ... (a number alone)      press that button of the last message with buttons
//   :as 42 [Name] [lang]            become another user (the first admin is 1000)
//   :who                            who you are
//   :quit                           stop (also Ctrl+D)
//
// npm run sandbox -- --live — the same, plus a local Binance twin (prices, order book, balances)
// that TradeDesk trades on for real through its live ccxt gateway: add a Binance account with
// /newaccount and the demo API key printed at start, trade, and move prices so orders fill:
//   :price BTCUSDT 85000            set a symbol's price on the exchange twin
//   :balance                        the demo account's balances on the exchange twin
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import pino from "pino";
import { createApp } from "../src/app.ts";
import { loadConfig } from "../src/config.ts";
import {
  DEFAULT_BOT,
  type SimulatedUser,
  TelegramTwin,
} from "../test/support/telegram-twin/index.ts";
import type { TwinMessage } from "../test/support/telegram-twin/types.ts";
import { ExchangeTwin } from "../test/support/exchange-twin/index.ts";

const ADMIN_ID = 1000;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tradedesk-sandbox-"));
const twin = await TelegramTwin.start();
const live = process.argv.includes("--live");
const exchange = live ? await ExchangeTwin.start() : null;
const demoKey = {
  apiKey: randomBytes(32).toString("hex"),
  secret: randomBytes(32).toString("hex"),
};
if (exchange) {
  exchange.registerKey(demoKey);
  exchange.addBalance("main", "USDT", "10000");
}
const liveEnv = exchange
  ? {
      // prices, instruments and live orders all from the exchange twin
      MARKET_DATA: "binance",
      EXCHANGE_API_URL: exchange.url,
      EXCHANGE_SANDBOX_URL: exchange.url,
      LIVE_TRADING: "binance",
      // the secret store for the demo key: a throwaway master key for this run
      SECRETS_MASTER_KEY: randomBytes(32).toString("base64"),
      SECRETS_KEY_FILE: "",
    }
  : {};
const config = loadConfig({
  ...process.env,
  BOT_TOKEN: DEFAULT_BOT.token,
  ADMIN_TELEGRAM_IDS: String(ADMIN_ID),
  DATABASE_URL: `file:${path.join(dir, "sandbox.db")}`,
  // the sandbox's backups stay with its temporary database
  BACKUP_DIR: path.join(dir, "backups"),
  TELEGRAM_API_ROOT: twin.apiRoot,
  LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
  ...liveEnv,
});
const app = await createApp(config, { logger: pino({ level: config.LOG_LEVEL }) });
await app.start();

const users = new Map<number, SimulatedUser>();
function become(id: number, name = `User${id}`, language = "en"): SimulatedUser {
  const existing = users.get(id);
  if (existing) return existing;
  const user = twin.user({ id, first_name: name, language_code: language });
  users.set(id, user);
  return user;
}
let me = become(ADMIN_ID, "Admin");
let lastWithButtons: TwinMessage | null = null;

function buttonsOf(message: TwinMessage): string[] {
  const markup = message.reply_markup as
    { inline_keyboard?: Array<Array<{ text: string }>> } | undefined;
  return (markup?.inline_keyboard ?? []).flat().map((b) => b.text);
}

function show(kind: string, message: TwinMessage): void {
  const who = message.chat_id === me.chatId ? "" : ` → chat ${message.chat_id}`;
  const header =
    kind === "edited" ? `\x1b[33m[bot edited${who}]\x1b[0m` : `\x1b[36m[bot${who}]\x1b[0m`;
  const body = message.text ?? message.caption ?? (message.photo ? "(photo)" : "");
  const photo = message.photo
    ? `\n(photo ${message.photo.fileName ?? ""}, ${message.photo.size ?? "?"} bytes)`
    : "";
  const buttons = buttonsOf(message);
  const listed = buttons.length ? `\n${buttons.map((b, i) => `  [${i + 1}] ${b}`).join("\n")}` : "";
  if (buttons.length && message.chat_id === me.chatId) lastWithButtons = message;
  process.stdout.write(`\n${header} ${body}${photo}${listed}\n> `);
}

twin.events.on("message", ({ kind, message }) => {
  if (message.sender === "bot" && kind !== "deleted") show(kind, message);
});

const rl = readline.createInterface({ input: process.stdin, output: process.stdout, prompt: "> " });
console.log(`TradeDesk sandbox — you are user ${ADMIN_ID} (an admin). Send /start. Data: ${dir}`);
console.log("Numbers press buttons; :as ID [Name] [lang] switches user; :quit stops.");
if (exchange) {
  console.log(
    `Live trading on a local Binance twin (${exchange.url}), 10000 USDT on the demo account.\n` +
      `Add it with /newaccount (broker Binance) and this demo key:\n` +
      `  API key: ${demoKey.apiKey}\n  Secret:  ${demoKey.secret}\n` +
      ":price SYMBOL PRICE moves the exchange's price (resting orders fill); :balance shows its balances.",
  );
}
rl.prompt();
rl.on("line", (line) => {
  const text = line.trim();
  if (!text) return rl.prompt();
  if (text === ":quit") return rl.close();
  if (text === ":who") {
    console.log(`user ${me.id}`);
    return rl.prompt();
  }
  const price = text.match(/^:price\s+(\S+)\s+(\d+(?:\.\d+)?)$/);
  if (price && exchange) {
    const symbol = price[1]!.toUpperCase().replace("/", "");
    try {
      exchange.setPrice(symbol, price[2]!);
      console.log(`${symbol} now ${exchange.price(symbol).last} on the exchange twin`);
    } catch (e) {
      console.log(`cannot set ${symbol}: ${e instanceof Error ? e.message : String(e)}`);
    }
    return rl.prompt();
  }
  if (text === ":balance" && exchange) {
    for (const [asset, b] of Object.entries(exchange.balances())) {
      console.log(`${asset}: free ${b.free}, locked ${b.locked}`);
    }
    return rl.prompt();
  }
  const as = text.match(/^:as\s+(\d+)(?:\s+(\S+))?(?:\s+(\w\w))?$/);
  if (as) {
    me = become(Number(as[1]), as[2], as[3]);
    lastWithButtons = null;
    console.log(`now user ${me.id}`);
    return rl.prompt();
  }
  if (/^\d+$/.test(text) && lastWithButtons) {
    const index = Number(text) - 1;
    const buttons = buttonsOf(lastWithButtons);
    if (index >= 0 && index < buttons.length) {
      me.press(lastWithButtons, buttons[index]!);
      return;
    }
  }
  me.send(text);
});
rl.on("close", () => {
  void (async () => {
    await app.stop();
    await twin.stop();
    await exchange?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  })();
});
