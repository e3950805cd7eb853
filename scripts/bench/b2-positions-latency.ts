// B2 — /positions latency: a portfolio with 50 open positions (made by real fills), 5,000
// `/positions` updates through the production bot's bot.handleUpdate (every middleware, the
// session and conversation storage, the valuation with live offline quotes, formatting) with the
// Bot API answered in-process; the baseline is a bare grammY bot whose /positions only replies
// "ok", fed the same updates the same way. Goal: p99 within 2 × the bare bot's p99 + 5 ms.
//
// Run alone: npx tsx scripts/bench/b2-positions-latency.ts [--quick]
import { pathToFileURL } from "node:url";
import { Bot, type Transformer } from "grammy";
import type { Update, UserFromGetMe } from "grammy/types";
import pino from "pino";
import { type App, createApp } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";
import { SYSTEM, toActor } from "../../src/domain/users/actor.ts";
import { Decimal } from "../../src/lib/decimal.ts";
import { type BenchOptions, type BenchResult, createTempDatabase, round } from "./support.ts";

export const POSITIONS = 50;
export const UPDATES = 5_000;
const WARMUP = 200;
const USER_ID = 777_001;
const TOKEN = "123456:BENCHTOKENabcdefghij";

const BOT_INFO: UserFromGetMe = {
  id: 42,
  is_bot: true,
  first_name: "TradeDesk",
  username: "tradedesk_bench_bot",
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
  has_topics_enabled: false,
  allows_users_to_create_topics: false,
  can_manage_bots: false,
  supports_join_request_queries: false,
};

/** Answers every Bot API call at once, as Telegram would (no network). */
const answerInProcess: Transformer = (async (_prev, method, payload) => {
  const chatId = Number((payload as { chat_id?: number }).chat_id ?? 0);
  const message = { message_id: 1, date: 0, chat: { id: chatId, type: "private" }, text: "" };
  return { ok: true, result: method.startsWith("send") ? message : true };
}) as Transformer;

function positionsUpdate(id: number): Update {
  return {
    update_id: id,
    message: {
      message_id: id,
      date: Math.floor(Date.now() / 1000),
      chat: { id: USER_ID, type: "private", first_name: "Bench" },
      from: { id: USER_ID, is_bot: false, first_name: "Bench", language_code: "en" },
      text: "/positions",
      entities: [{ type: "bot_command", offset: 0, length: 10 }],
    },
  } as Update;
}

export interface Latencies {
  p50: number;
  p99: number;
  mean: number;
}

/** Feeds `count` /positions updates one after the other; milliseconds per update. */
async function measure(
  handle: (u: Update) => Promise<void>,
  count: number,
  warmup: number,
): Promise<Latencies> {
  let id = 1;
  for (let i = 0; i < warmup; i++) await handle(positionsUpdate(id++));
  const ms: number[] = [];
  for (let i = 0; i < count; i++) {
    const update = positionsUpdate(id++);
    const start = performance.now();
    await handle(update);
    ms.push(performance.now() - start);
  }
  ms.sort((a, b) => a - b);
  const at = (q: number) => ms[Math.min(ms.length - 1, Math.floor(q * ms.length))]!;
  return { p50: at(0.5), p99: at(0.99), mean: ms.reduce((a, b) => a + b, 0) / ms.length };
}

/** One approved user with a paper portfolio holding POSITIONS long positions, made by fills. */
export async function seedPositions(app: App): Promise<{ portfolioId: number }> {
  const { users, portfolios, instruments, trades } = app.services;
  const admin = toActor(await users.registerFromTelegram({ telegramUserId: "1" }));
  const user = await users.registerFromTelegram({
    telegramUserId: String(USER_ID),
    firstName: "Bench",
  });
  const actor = toActor(await users.approve(admin, user.id));
  const account = await portfolios.createAccount(actor, {
    brokerCode: "PAPER",
    name: "Bench",
    baseCurrency: "USDT",
    openingBalance: new Decimal("10000000"),
  });
  const portfolio = await portfolios.createPortfolio(actor, {
    accountId: account.id,
    name: "Main",
  });
  const catalog = (await instruments.list()).slice(0, POSITIONS);
  if (catalog.length < POSITIONS) throw new Error(`only ${catalog.length} instruments seeded`);
  let n = 0;
  for (const instrument of catalog) {
    const quote = await app.market.quote(instrument.symbol);
    const price = new Decimal(String(quote.last));
    for (const qty of ["3", "2"]) {
      await trades.ingestFill(SYSTEM, {
        portfolioId: portfolio.id,
        instrumentId: instrument.id,
        side: "BUY",
        quantity: new Decimal(qty),
        price,
        fee: new Decimal(0),
        execTime: new Date(Date.now() - 60_000),
        brokerTradeId: `b2-${n++}`,
      });
    }
  }
  return { portfolioId: portfolio.id };
}

async function run(opts: BenchOptions): Promise<BenchResult> {
  const updates = opts.quick ? 200 : UPDATES;
  const warmup = opts.quick ? 20 : WARMUP;
  const temp = await createTempDatabase("sqlite", "b2");
  try {
    const config = loadConfig({
      BOT_TOKEN: TOKEN,
      ADMIN_TELEGRAM_IDS: "1",
      DATABASE_URL: temp.url,
      LOG_LEVEL: "silent",
      // one user sending 5,000 commands back to back: the flood limit would answer most of them
      RATE_LIMIT_PER_WINDOW: "1000",
      RATE_LIMIT_WINDOW_MS: "100",
      JOBS_ENABLED: "false",
    });
    const app = await createApp(config, {
      logger: pino({ level: "silent" }),
      botInfo: BOT_INFO,
      migrate: false,
    });
    try {
      opts.log(`seeding ${POSITIONS} positions by fills`);
      await seedPositions(app);

      app.bot.api.config.use(answerInProcess);
      await app.bot.init();
      opts.log(`${updates} /positions updates through the app`);
      const full = await measure((u) => app.bot.handleUpdate(u), updates, warmup);

      const bare = new Bot(TOKEN, { botInfo: BOT_INFO });
      bare.api.config.use(answerInProcess);
      bare.command("positions", (ctx) => ctx.reply("ok"));
      opts.log(`${updates} /positions updates through a bare bot`);
      const baseline = await measure((u) => bare.handleUpdate(u), updates, warmup);

      const budget = 2 * baseline.p99 + 5;
      const passed = full.p99 <= budget;
      const row = (label: string, l: Latencies) => [
        label,
        round(l.p50, 3),
        round(l.p99, 3),
        round(l.mean, 3),
      ];
      return {
        id: "B2",
        title: `/positions with ${POSITIONS} positions: ${updates} updates through bot.handleUpdate (goal p99 ≤ 2 × bare + 5 ms)`,
        passed,
        table: {
          columns: ["bot", "p50 ms", "p99 ms", "mean ms"],
          rows: [row("TradeDesk /positions", full), row("bare grammY reply", baseline)],
        },
        summary: [
          `p99 ${full.p99.toFixed(2)} ms against a budget of ${budget.toFixed(2)} ms (2 × ${baseline.p99.toFixed(3)} + 5): ${(full.p99 / budget).toFixed(2)} of the budget.`,
          `p50 ratio app / bare: ${(full.p50 / baseline.p50).toFixed(1)} ×. Flood limit raised for the bench (one user, back-to-back commands).`,
        ].join("\n"),
        app: full,
        bare: baseline,
        budgetMs: budget,
      };
    } finally {
      await app.database.close();
    }
  } finally {
    await temp.drop();
  }
}

const b2 = { id: "B2" as const, title: "/positions latency against a bare bot", run };
export default b2;

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const result = await run({
    quick: process.argv.includes("--quick"),
    log: (line) => process.stderr.write(`  ${line}\n`),
  });
  console.log(`${result.title}\n${result.summary}\n${result.passed ? "PASS" : "FAIL"}`);
  process.exit(result.passed ? 0 : 1);
}
