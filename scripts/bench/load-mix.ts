// B5's command mix through the bot: every simulated user sends the commands traders send, one
// after another with no think time, all users at once, for a fixed time — as Telegram updates
// into the production bot's bot.handleUpdate (every middleware: user loading, i18n, the flood
// limiter, session and conversation storage; the handler's domain calls; the formatting), with
// the Bot API answered in-process (no HTTP), as B2 does. Per command: calls, p50/p99 latency of
// the whole update, and errors (a rejected update, or the bot's apology sent instead of an
// answer).
import type { Transformer } from "grammy";
import type { Update } from "grammy/types";
import pino from "pino";
import { type App, createApp } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";
import { RATE_LIMIT_PER_WINDOW, RATE_LIMIT_WINDOW_MS } from "./b2-positions-latency.ts";
import { BOT_INFO, TOKEN } from "./bench-bot.ts";
import type { LoadedPortfolio } from "./load-workload.ts";
import { seededRandom } from "./support.ts";

interface MixCommand {
  name: string;
  /** relative frequency in the mix */
  weight: number;
  /** the message the user types for this portfolio */
  text(owner: LoadedPortfolio): string;
}

export const MIX: MixCommand[] = [
  { name: "/positions", weight: 25, text: (o) => `/positions ${o.portfolioName}` },
  { name: "/pnl month", weight: 20, text: (o) => `/pnl month ${o.portfolioName}` },
  // /orders lists the active portfolio's
  { name: "/orders", weight: 20, text: () => "/orders open" },
  { name: "/balance", weight: 20, text: () => "/balance" },
  { name: "/report", weight: 15, text: (o) => `/report ${o.portfolioName} month` },
];

export interface MixFigures {
  command: string;
  calls: number;
  errors: number;
  p50: number;
  p99: number;
}

/** The bot's apology for an unexpected error (locales/en/core.ftl error-unexpected). */
const APOLOGY = /something went wrong on my side/;

const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : 0;

/**
 * The production app on the load's database, never started (no polling, no jobs), with the
 * flood limit raised as B2 raises it: each user sends back to back.
 */
export async function createMixApp(databaseUrl: string): Promise<App> {
  const config = loadConfig({
    BOT_TOKEN: TOKEN,
    ADMIN_TELEGRAM_IDS: "1",
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: "silent",
    RATE_LIMIT_PER_WINDOW: String(RATE_LIMIT_PER_WINDOW),
    RATE_LIMIT_WINDOW_MS: String(RATE_LIMIT_WINDOW_MS),
    JOBS_ENABLED: "false",
    MAX_USERS: "10000",
  });
  return createApp(config, {
    logger: pino({ level: "silent" }),
    botInfo: BOT_INFO,
    migrate: false,
  });
}

/**
 * Answers every Bot API call at once; a message to a chat whose text is the bot's apology
 * counts as an error of the command that chat is running.
 */
function answerAndWatch(apologies: Map<number, number>, sent: Map<number, string[]>): Transformer {
  let messageId = 1;
  return (async (_prev, method, payload) => {
    const p = payload as { chat_id?: number; text?: string; caption?: string };
    if (!method.startsWith("send")) return { ok: true, result: true };
    const chatId = Number(p.chat_id ?? 0);
    const text = p.text ?? p.caption ?? "";
    sent.get(chatId)?.push(text);
    if (APOLOGY.test(text)) apologies.set(chatId, (apologies.get(chatId) ?? 0) + 1);
    return {
      ok: true,
      result: { message_id: messageId++, date: 0, chat: { id: chatId, type: "private" }, text: "" },
    };
  }) as Transformer;
}

export interface MixResult {
  figures: MixFigures[];
  firstErrors: string[];
  users: number;
  /** each command's first answer (all it sent, joined), to check it answered the command */
  samples: Record<string, string>;
}

let updateId = 1;

function messageUpdate(telegramId: number, text: string): Update {
  const id = updateId++;
  const command = /^\/\w+/.exec(text)![0];
  return {
    update_id: id,
    message: {
      message_id: id,
      date: Math.floor(Date.now() / 1000),
      chat: { id: telegramId, type: "private", first_name: "Load" },
      from: { id: telegramId, is_bot: false, first_name: "Load", language_code: "en" },
      text,
      entities: [{ type: "bot_command", offset: 0, length: command.length }],
    },
  } as Update;
}

/**
 * Runs the mix: one loop per user (its portfolios taken in turn), all loops concurrently, until
 * `seconds` have passed. The first error of each command is kept for the report.
 */
export async function runMix(
  app: App,
  owners: LoadedPortfolio[],
  seconds: number,
): Promise<MixResult> {
  const apologies = new Map<number, number>();
  /** the texts (and captions) sent to each chat by the command it is running */
  const sent = new Map<number, string[]>();
  app.bot.api.config.use(answerAndWatch(apologies, sent));
  const samples: Record<string, string> = {};
  const byUser = new Map<number, LoadedPortfolio[]>();
  for (const o of owners) byUser.set(o.telegramId, [...(byUser.get(o.telegramId) ?? []), o]);
  const times = new Map<string, number[]>(MIX.map((c) => [c.name, []]));
  const errors = new Map<string, number>(MIX.map((c) => [c.name, 0]));
  const firstErrors: string[] = [];
  const total = MIX.reduce((sum, c) => sum + c.weight, 0);
  // between two updates the event loop turns, as it does when updates arrive over the network
  const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
  const deadline = Date.now() + seconds * 1000;
  await Promise.all(
    [...byUser.entries()].map(async ([telegramId, portfolios], u) => {
      const random = seededRandom(7000 + u);
      for (let n = 0; n < MIX.length || Date.now() < deadline; n++) {
        // each user's first round sends every command once (rotated, so users do not all start
        // alike), past the deadline if need be: a short run (the test's) on a loaded machine still
        // measures each one however slow the others are; then the weighted mix
        let pick = random() * total;
        const command =
          n < MIX.length
            ? MIX[(n + u) % MIX.length]!
            : (MIX.find((c) => (pick -= c.weight) < 0) ?? MIX[MIX.length - 1]!);
        const text = command.text(portfolios[n % portfolios.length]!);
        await turn();
        sent.set(telegramId, []);
        const before = apologies.get(telegramId) ?? 0;
        const started = process.hrtime.bigint();
        let failure: string | null = null;
        try {
          await app.bot.handleUpdate(messageUpdate(telegramId, text));
        } catch (err) {
          failure = String(err);
        }
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        if (!failure && (apologies.get(telegramId) ?? 0) > before) failure = "the bot apologized";
        if (failure) {
          errors.set(command.name, errors.get(command.name)! + 1);
          if (firstErrors.length < 5) firstErrors.push(`${text}: ${failure}`);
        } else {
          times.get(command.name)!.push(ms);
          samples[command.name] ??= sent.get(telegramId)!.join("\n");
        }
      }
    }),
  );
  const figures = MIX.map((c) => {
    const sorted = times.get(c.name)!.sort((a, b) => a - b);
    return {
      command: c.name,
      calls: sorted.length,
      errors: errors.get(c.name)!,
      p50: percentile(sorted, 50),
      p99: percentile(sorted, 99),
    };
  });
  return { figures, firstErrors, users: byUser.size, samples };
}
