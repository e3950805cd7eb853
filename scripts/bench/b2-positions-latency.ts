// B2 — /positions latency: a portfolio with 50 open positions (made by real fills), 5,000
// `/positions` updates through the production bot's bot.handleUpdate (every middleware: user
// loading, i18n, the flood limiter, the session and conversation storage; then the valuation with
// live offline quotes and the formatting) with the Bot API answered in-process (an API transformer,
// no HTTP); the baseline is a bare grammY bot whose /positions only replies "ok", fed the same
// updates the same way in the same run. Goal: p99 ≤ 2 × the bare bot's p99 + 5 ms, for one user
// sending every update and for 20 users (each with their own 50 positions) sending them in turn,
// so that what the app keeps per user between updates is measured with a crowd, not one person.
//
// The app is built as the tests build it (createApp with a known botInfo, so no getMe, and never
// started: no polling, no jobs) on a fresh migrated and seeded SQLite file. The per-user flood
// limit is raised for the run (see RATE_LIMIT_PER_WINDOW): one user sends every command back to
// back, which the default limit would answer with "slow down".
//
// Run alone: npx tsx scripts/bench/b2-positions-latency.ts [--quick]
import { pathToFileURL } from "node:url";
import { Bot, type Transformer } from "grammy";
import type { Update } from "grammy/types";
import pino from "pino";
import { type App, createApp } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";
import { type Actor, SYSTEM, toActor } from "../../src/domain/users/actor.ts";
import { Decimal } from "../../src/lib/decimal.ts";
import { BOT_INFO, TOKEN } from "./bench-bot.ts";
import {
  type Captured,
  capturingDatabase,
  isTransactionMarker,
  normalizeSql,
} from "./capturing-database.ts";
import { type BenchOptions, type BenchResult, createTempDatabase, round } from "./support.ts";

export const POSITIONS = 50;
/** users in the crowd run, each with POSITIONS positions of their own */
export const USERS = 20;
export const UPDATES = 5_000;
export const WARMUP = 200;
/** goal: app p99 ≤ GOAL_FACTOR × bare p99 + GOAL_SLACK_MS */
export const GOAL_FACTOR = 2;
export const GOAL_SLACK_MS = 5;
/**
 * The per-user flood limit for the run: the most the config accepts (1,000 commands per 100 ms,
 * i.e. 10,000/s; the default is 5 per 2 s), so every back-to-back command is served. The limiter
 * middleware still runs on every update.
 */
export const RATE_LIMIT_PER_WINDOW = 1_000;
export const RATE_LIMIT_WINDOW_MS = 100;

const USER_ID = 777_001;
/** What the in-process Bot API saw: how many messages were sent, and the last one's text. */
export interface Replies {
  count: number;
  lastText: string;
}

/** Answers every Bot API call at once, as Telegram would (no network), counting messages. */
export function answerInProcess(replies: Replies): Transformer {
  let messageId = 1;
  return (async (_prev, method, payload) => {
    const p = payload as { chat_id?: number; text?: string };
    if (!method.startsWith("send")) return { ok: true, result: true };
    replies.count++;
    replies.lastText = p.text ?? "";
    const chatId = Number(p.chat_id ?? 0);
    return {
      ok: true,
      result: { message_id: messageId++, date: 0, chat: { id: chatId, type: "private" }, text: "" },
    };
  }) as Transformer;
}

/** a /positions update from user number `user` (0: the one the single-user run uses) */
function positionsUpdate(id: number, user = 0): Update {
  const from = USER_ID + user;
  return {
    update_id: id,
    message: {
      message_id: id,
      date: Math.floor(Date.now() / 1000),
      chat: { id: from, type: "private", first_name: "Bench" },
      from: { id: from, is_bot: false, first_name: "Bench", language_code: "en" },
      text: "/positions",
      entities: [{ type: "bot_command", offset: 0, length: 10 }],
    },
  } as Update;
}

export interface Latencies {
  p50: number;
  p99: number;
  mean: number;
  max: number;
}

/**
 * Feeds `warmup` then `count` /positions updates one after the other, from `users` users in turn;
 * ms per counted update. `firstId` keeps update ids unique across runs on one app.
 */
async function measure(
  handle: (u: Update) => Promise<void>,
  count: number,
  warmup: number,
  users = 1,
  firstId = 1,
): Promise<Latencies> {
  let id = firstId;
  // Between two updates the event loop turns, as it does when updates arrive over the network.
  // Without that, a run of handleUpdate calls that never wait on I/O (better-sqlite3 answers
  // synchronously) starves the timers, among them the flood limiter's window reset.
  const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
  for (let i = 0; i < warmup; i++) {
    await turn();
    await handle(positionsUpdate(id++, i % users));
  }
  const ms: number[] = [];
  for (let i = 0; i < count; i++) {
    await turn();
    const update = positionsUpdate(id++, i % users);
    const start = performance.now();
    await handle(update);
    ms.push(performance.now() - start);
  }
  ms.sort((a, b) => a - b);
  const at = (q: number) => ms[Math.min(ms.length - 1, Math.floor(q * ms.length))]!;
  return {
    p50: at(0.5),
    p99: at(0.99),
    mean: ms.reduce((a, b) => a + b, 0) / ms.length,
    max: ms.at(-1)!,
  };
}

/**
 * `count` approved users, each with a paper portfolio holding `positions` long positions made by
 * fills.
 */
export async function seedPositions(app: App, positions = POSITIONS, count = 1): Promise<void> {
  const admin = toActor(await app.services.users.registerFromTelegram({ telegramUserId: "1" }));
  for (let i = 0; i < count; i++) await seedUser(app, admin, USER_ID + i, positions);
}

async function seedUser(
  app: App,
  admin: Actor,
  telegramId: number,
  positions: number,
): Promise<void> {
  const { users, portfolios, instruments, trades } = app.services;
  const user = await users.registerFromTelegram({
    telegramUserId: String(telegramId),
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
  const catalog = (await instruments.list()).slice(0, positions);
  if (catalog.length < positions) throw new Error(`only ${catalog.length} instruments seeded`);
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
        brokerTradeId: `b2-${telegramId}-${n++}`,
      });
    }
  }
}

export interface B2App {
  app: App;
  /** the messages the app sent through the in-process Bot API */
  replies: Replies;
  /** the SQL statements (normalized, transaction markers left out) the app sends during fn */
  statementsOf(fn: () => Promise<void>): Promise<string[]>;
  /** stops the app and removes its database */
  close(): Promise<void>;
}

/**
 * The production app on a fresh SQLite file with `positions` open positions (seedPositions) and
 * the Bot API answered in-process. Not started: updates go straight to app.bot.handleUpdate.
 */
export async function createB2App(
  log: (line: string) => void = () => {},
  positions = POSITIONS,
  users = 1,
): Promise<B2App> {
  const temp = await createTempDatabase("sqlite", "b2");
  // the app's own kind of client, with Prisma's query events on: what one update sends is counted
  const capturing = capturingDatabase(temp);
  let app: App;
  try {
    const config = loadConfig({
      BOT_TOKEN: TOKEN,
      ADMIN_TELEGRAM_IDS: "1",
      DATABASE_URL: temp.url,
      LOG_LEVEL: "silent",
      RATE_LIMIT_PER_WINDOW: String(RATE_LIMIT_PER_WINDOW),
      RATE_LIMIT_WINDOW_MS: String(RATE_LIMIT_WINDOW_MS),
      JOBS_ENABLED: "false",
      // the users who hold positions, and the admin who approves them
      MAX_USERS: String(users + 1),
    });
    app = await createApp(config, {
      logger: pino({ level: "silent" }),
      botInfo: BOT_INFO,
      migrate: false,
      database: capturing.database,
    });
  } catch (e) {
    await capturing.database.close();
    await temp.drop();
    throw e;
  }
  const close = async () => {
    try {
      // never started: this stops the idle jobs and outbox drainer and closes the database
      await app.stop();
    } finally {
      await temp.drop();
    }
  };
  const replies: Replies = { count: 0, lastText: "" };
  try {
    log(`seeding ${users} × ${positions} positions by fills`);
    await seedPositions(app, positions, users);
    // botInfo is known, so handleUpdate needs no bot.init() (that would only call getMe)
    app.bot.api.config.use(answerInProcess(replies));
  } catch (e) {
    await close();
    throw e;
  }
  const statementsOf = async (fn: () => Promise<void>) => {
    const sink: Captured[] = [];
    capturing.state.sink = sink;
    try {
      await fn();
    } finally {
      capturing.state.sink = null;
    }
    return sink.filter((c) => !isTransactionMarker(c.sql)).map((c) => normalizeSql(c.sql));
  };
  return { app, replies, statementsOf, close };
}

export interface B2Sizes {
  updates: number;
  warmup: number;
  positions: number;
  /** users in the crowd run (each with `positions` positions) */
  users: number;
}

/** updates whose SQL is captured after the timed run (they are not timed) */
export const SQL_SAMPLES = 5;

export interface B2Measurement extends B2Sizes {
  app: Latencies;
  /** the same updates from `users` users in turn */
  crowd: Latencies;
  /** SQL statements per /positions update over SQL_SAMPLES updates (they may differ) */
  statements: { min: number; max: number; list: string[] };
  bare: Latencies;
  /** GOAL_FACTOR × bare p99 + GOAL_SLACK_MS */
  budgetMs: number;
  /** app p99 / budget (≤ 1 meets the goal) */
  budgetShare: number;
  /** app p99 / bare p99 and app p50 / bare p50 */
  p99Ratio: number;
  p50Ratio: number;
  passed: boolean;
}

/** Both bots, the same updates, in this process: the app first, then the bare bot. */
export async function measureB2(
  sizes: B2Sizes,
  log: (line: string) => void = () => {},
): Promise<B2Measurement> {
  const { updates, warmup, positions, users } = sizes;
  const { app, replies, statementsOf, close } = await createB2App(log, positions, users);
  let full: Latencies;
  let crowd: Latencies;
  let statements: B2Measurement["statements"];
  try {
    const handle = (u: Update) => app.bot.handleUpdate(u);
    log(`${warmup} + ${updates} /positions updates through the app from one user`);
    full = await measure(handle, updates, warmup);
    log(`${warmup} + ${updates} /positions updates through the app from ${users} users in turn`);
    crowd = await measure(handle, updates, warmup, users, warmup + updates + 1);
    // then a few more, untimed, with their SQL captured (Prisma's query events cost time)
    const counts: number[] = [];
    let list: string[] = [];
    for (let i = 0; i < SQL_SAMPLES; i++) {
      const update = positionsUpdate(2 * (warmup + updates) + 1 + i);
      list = await statementsOf(() => app.bot.handleUpdate(update));
      counts.push(list.length);
    }
    statements = { min: Math.min(...counts), max: Math.max(...counts), list };
    // every update must have been a full /positions answer, not "slow down" or an error
    const cards = replies.lastText.split("🟢").length - 1;
    const sent = 2 * (warmup + updates) + SQL_SAMPLES;
    if (replies.count !== sent || cards !== positions) {
      throw new Error(
        `the app sent ${replies.count} messages for ${sent} updates, the last with ` +
          `${cards} of ${positions} positions: ${replies.lastText.slice(0, 200)}`,
      );
    }
  } finally {
    await close();
  }

  const bareReplies: Replies = { count: 0, lastText: "" };
  const bare = new Bot(TOKEN, { botInfo: BOT_INFO });
  bare.api.config.use(answerInProcess(bareReplies));
  bare.command("positions", (ctx) => ctx.reply("ok"));
  log(`${warmup} + ${updates} /positions updates through a bare grammY bot`);
  const baseline = await measure((u) => bare.handleUpdate(u), updates, warmup);
  if (bareReplies.count !== warmup + updates) throw new Error("the bare bot did not answer");

  const budgetMs = GOAL_FACTOR * baseline.p99 + GOAL_SLACK_MS;
  return {
    ...sizes,
    app: full,
    crowd,
    statements,
    bare: baseline,
    budgetMs,
    budgetShare: Math.max(full.p99, crowd.p99) / budgetMs,
    p99Ratio: full.p99 / baseline.p99,
    p50Ratio: full.p50 / baseline.p50,
    passed: full.p99 <= budgetMs && crowd.p99 <= budgetMs,
  };
}

const ms = (v: number) => `${v.toFixed(2)} ms`;

export function b2Result(m: B2Measurement): BenchResult {
  const row = (label: string, l: Latencies) => [
    label,
    round(l.p50, 3),
    round(l.p99, 3),
    round(l.mean, 3),
    round(l.max, 1),
  ];
  const { app, crowd, bare, statements } = m;
  const perUpdate =
    statements.min === statements.max
      ? String(statements.min)
      : `${statements.min}–${statements.max}`;
  return {
    id: "B2",
    title: `/positions with ${m.positions} positions: ${m.updates} updates through bot.handleUpdate against a bare grammY bot (goal p99 ≤ ${GOAL_FACTOR} × bare + ${GOAL_SLACK_MS} ms)`,
    passed: m.passed,
    table: {
      columns: ["bot", "p50 ms", "p99 ms", "mean ms", "max ms"],
      rows: [
        row("TradeDesk /positions", app),
        row(`… ${m.users} users in turn`, crowd),
        row("bare grammY reply", bare),
        [
          "app / bare",
          round(m.p50Ratio, 1),
          round(m.p99Ratio, 1),
          round(app.mean / bare.mean, 1),
          "—",
        ],
      ],
    },
    summary: [
      `p50 ${ms(app.p50)} vs bare ${ms(bare.p50)}; p99 ${ms(app.p99)} vs bare ${ms(bare.p99)} (${m.p99Ratio.toFixed(0)} ×); ${m.users} users in turn: p50 ${ms(crowd.p50)}, p99 ${ms(crowd.p99)}.`,
      `Goal p99 ≤ ${GOAL_FACTOR} × ${ms(bare.p99)} + ${GOAL_SLACK_MS} ms = ${ms(m.budgetMs)} for one user and for ${m.users}: ${m.passed ? "met" : "missed"}, the app's worse p99 is ${m.budgetShare.toFixed(2)} × that budget.`,
      `SQL per /positions update: ${perUpdate} ${perUpdate === "1" ? "statement" : "statements"} (Prisma query events over ${SQL_SAMPLES} untimed updates after the run; transaction markers left out; one instance, which keeps the user, session and portfolio between updates); the last one's:`,
      ...statements.list.map((sql, i) => `  ${i + 1}. ${sql}`),
      `${m.warmup} warm-up updates per bot, not counted. Flood limit raised for the run to ${RATE_LIMIT_PER_WINDOW} per ${RATE_LIMIT_WINDOW_MS} ms (back-to-back commands); every update checked to get a full ${m.positions}-position answer.`,
    ].join("\n"),
    sizes: { updates: m.updates, warmup: m.warmup, positions: m.positions, users: m.users },
    app,
    crowd,
    bare,
    statementsPerUpdate: { min: statements.min, max: statements.max },
    statements: statements.list,
    budgetMs: m.budgetMs,
    budgetShare: m.budgetShare,
    p50Ratio: m.p50Ratio,
    p99Ratio: m.p99Ratio,
  };
}

async function run(opts: BenchOptions): Promise<BenchResult> {
  const sizes = opts.quick
    ? { updates: 200, warmup: 20, positions: POSITIONS, users: USERS }
    : { updates: UPDATES, warmup: WARMUP, positions: POSITIONS, users: USERS };
  return b2Result(await measureB2(sizes, opts.log));
}

const b2 = {
  id: "B2" as const,
  title: "/positions latency (50 positions) against a bare grammY bot",
  run,
};
export default b2;

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const result = await run({
    quick: process.argv.includes("--quick"),
    log: (line) => process.stderr.write(`  ${line}\n`),
  });
  console.log(`${result.title}\n${result.summary}\n${result.passed ? "PASS" : "FAIL"}`);
  // grammY and Prisma leave timers behind; the harness exits explicitly the same way
  process.exit(result.passed ? 0 : 1);
}
