// Running strategies from the chat:
//   /run STRATEGY on PORTFOLIO [SYMBOLS]   start (what is left out is asked, see
//                                          strategy-run.ts; live portfolios ask
//                                          for a confirmation)
//   /running                               each instance: version, portfolio, symbols, state,
//                                          last signal, orders today, PnL since start; buttons
//                                          to pause, resume, stop and switch to a newer version
//   /stop [STRATEGY [on PORTFOLIO]]        stop one (buttons when it is not named)
//   /pause strategy NAME, /resume strategy NAME   (plain /pause and /resume stay the
//                                          portfolio's entry pause, see portfolio-controls.ts)
// The work is the domain's (StrategyInstanceService); this file parses and formats.
import { fmt, FormattedString } from "@grammyjs/parse-mode";
import { Composer } from "grammy";
import type { InlineKeyboardButton } from "grammy/types";
import type {
  RunningInstance,
  StrategyInstanceView,
} from "../../../domain/strategies/instance-types.ts";
import { isDomainError } from "../../../domain/errors.ts";
import { formatLocal } from "../../../lib/time.ts";
import { UnknownSymbolError } from "../../../market/types.ts";
import type { CommandRegistry } from "../../commands/registry.ts";
import type { ActorContext, BotContext } from "../../context.ts";
import { formatMoney } from "../../format/numbers.ts";
import { editFmt, replyFmt } from "../../format/reply.ts";
import { startedText } from "./strategy-run-text.ts";
import { button, keyboard } from "../../keyboards.ts";
import { inScope, refuse } from "../../middlewares/access.ts";
import { callbackData } from "../../callback-data.ts";
import { RUN_STRATEGY, type RunStrategyArgs } from "./strategy-run.ts";

/** The buttons of /running and /stop ("srn:<p|r|s|v>:<instance id>"). */
const RUN_BUTTONS = {
  pause: callbackData("srn", "p", { id: "id" }),
  resume: callbackData("srn", "r", { id: "id" }),
  stop: callbackData("srn", "s", { id: "id" }),
  upgrade: callbackData("srn", "v", { id: "id" }),
};
type RunAction = keyof typeof RUN_BUTTONS;
type RunButton = (typeof RUN_BUTTONS)[RunAction];

const argsOf = (ctx: BotContext) => (typeof ctx.match === "string" ? ctx.match.trim() : "");
const ON_WORD = /^(on|на)$/i;
const STATUS_ICON = { RUNNING: "▶️", PAUSED: "⏸", STOPPED: "⏹" } as const;

export interface RunWords {
  name: string | null;
  portfolio: string | null;
  /** the words that may be symbols (after the portfolio, or after the name without "on") */
  rest: string[];
}

/**
 * "MeanRev on Swing BTCUSDT ETHUSDT", "MeanRev BTCUSDT", "MeanRev on Swing", "": the words
 * before "on" (or the first word) name the strategy; after "on" come the portfolio and the
 * symbols, told apart by the caller (a trailing word that is a symbol is a symbol).
 */
export function splitRunWords(text: string): RunWords {
  const words = text.split(/[\s,]+/).filter(Boolean);
  const on = words.findIndex((w) => ON_WORD.test(w));
  if (on < 0) return { name: words[0] ?? null, portfolio: null, rest: words.slice(1) };
  return { name: words.slice(0, on).join(" ") || null, portfolio: null, rest: words.slice(on + 1) };
}

async function isSymbol(ctx: ActorContext, word: string): Promise<boolean> {
  try {
    await ctx.deps.services.instruments.resolve(word);
    return true;
  } catch (e) {
    // the instrument service explains unknown symbols as domain errors (with suggestions)
    if (e instanceof UnknownSymbolError || isDomainError(e)) return false;
    throw e;
  }
}

/** The strategy, portfolio and symbols the quick syntax gives, resolved (errors answered). */
async function readRunArgs(ctx: ActorContext, text: string): Promise<RunStrategyArgs> {
  const words = splitRunWords(text);
  const { services } = ctx.deps;
  const hasOn = text.split(/[\s,]+/).some((w) => ON_WORD.test(w));
  let portfolioWords: string[] = [];
  let symbols = words.rest;
  if (hasOn) {
    // symbols from the end; what is left before them names the portfolio
    let cut = words.rest.length;
    while (cut > 0 && (await isSymbol(ctx, words.rest[cut - 1]!))) cut--;
    portfolioWords = words.rest.slice(0, cut);
    symbols = words.rest.slice(cut);
  }
  const strategy = words.name ? await services.strategies.active(ctx.actor, words.name) : null;
  const portfolio = portfolioWords.length
    ? await services.portfolios.findPortfolioByName(ctx.actor, portfolioWords.join(" "))
    : null;
  const resolved: string[] = [];
  // an unknown symbol is explained with suggestions by the instrument service
  for (const s of symbols) resolved.push((await services.instruments.resolve(s)).symbol);
  return {
    name: strategy?.name ?? null,
    portfolioId: portfolio?.id ?? null,
    symbols: resolved,
  };
}

async function runCommand(ctx: ActorContext): Promise<void> {
  const args = await readRunArgs(ctx, argsOf(ctx));
  if (args.name && args.portfolioId !== null && args.symbols.length) {
    const portfolio = await ctx.deps.services.portfolios.getPortfolio(ctx.actor, args.portfolioId);
    if (portfolio.isPaper) {
      const started = await ctx.deps.services.strategyInstances.start(ctx.actor, {
        strategyName: args.name,
        portfolioId: args.portfolioId,
        symbols: args.symbols,
      });
      await replyFmt(
        ctx,
        startedText((k, p) => ctx.t(k, p), started),
      );
      return;
    }
  }
  // something is missing, or a live portfolio wants a confirmation: ask
  await ctx.conversation.enter(RUN_STRATEGY, args);
}

// ───────────── /running ─────────────

function instanceBlock(ctx: BotContext, locale: string, v: RunningInstance): FormattedString {
  const zone = ctx.user?.timeZone ?? "UTC";
  const newer =
    v.latestVersion > v.strategyVersion
      ? ` (${ctx.t("running-newer", { version: v.latestVersion })})`
      : "";
  const head = fmt`${STATUS_ICON[v.status]} ${FormattedString.b(`${v.strategyName} v${v.strategyVersion}`)}${newer} · ${v.portfolioName}${v.isPaper ? "" : ` · ${ctx.t("running-live")}`}`;
  const state =
    v.status === "PAUSED" && v.consecutiveErrors > 0
      ? ctx.t("running-paused-errors", { count: v.consecutiveErrors })
      : ctx.t(`running-status-${v.status.toLowerCase()}`);
  const signal = v.lastSignal
    ? ctx.t("running-last-signal", {
        action: ctx.t(`strategy-action-${v.lastSignal.action}`),
        symbol: v.lastSignal.symbol,
        reason: v.lastSignal.reason,
        when: formatLocal(v.lastSignalAt ?? v.startedAt, zone),
      })
    : ctx.t("running-no-signal");
  const lines = [
    head,
    fmt`   ${v.symbols.join(", ")} · ${state}`,
    fmt`   ${signal}`,
    fmt`   ${ctx.t("running-orders-today", { count: v.ordersToday })} · ${ctx.t("running-pnl")}: ${formatMoney(v.pnlSinceStart, v.currency, locale, true)}`,
  ];
  if (v.lastError && v.consecutiveErrors > 0)
    lines.push(fmt`   ⚠️ ${FormattedString.code(v.lastError.slice(0, 200))}`);
  return FormattedString.join(lines, "\n");
}

function instanceButtons(ctx: BotContext, v: StrategyInstanceView): InlineKeyboardButton[] {
  const label = `${v.strategyName}·${v.portfolioName}`.slice(0, 24);
  const row = [
    v.status === "RUNNING"
      ? button(`⏸ ${label}`, RUN_BUTTONS.pause.pack({ id: v.id }))
      : button(`▶️ ${label}`, RUN_BUTTONS.resume.pack({ id: v.id })),
    button(`⏹ ${ctx.t("running-stop")}`, RUN_BUTTONS.stop.pack({ id: v.id })),
  ];
  if (v.latestVersion > v.strategyVersion)
    row.push(button(`⬆️ v${v.latestVersion}`, RUN_BUTTONS.upgrade.pack({ id: v.id })));
  return row;
}

async function runningView(ctx: ActorContext) {
  const list = await ctx.deps.services.strategyInstances.running(ctx.actor);
  const locale = await ctx.i18n.getLocale();
  const title = FormattedString.b(ctx.t("running-title", { count: list.length }));
  if (!list.length) {
    return {
      text: fmt`${title}\n\n${ctx.t("running-none")}\n${FormattedString.code("/run MeanRev on Main BTCUSDT")}`,
      markup: keyboard([]),
    };
  }
  return {
    text: fmt`${title}\n\n${FormattedString.join(
      list.map((v) => instanceBlock(ctx, locale, v)),
      "\n\n",
    )}`,
    markup: keyboard(list.map((v) => instanceButtons(ctx, v))),
  };
}

async function runningCommand(ctx: ActorContext): Promise<void> {
  const view = await runningView(ctx);
  await replyFmt(ctx, view.text, view.markup);
}

// ───────────── /stop, /pause strategy, /resume strategy ─────────────

/** The live instance a command names ("NAME" or "NAME on PORTFOLIO"), or null after asking. */
async function namedInstance(ctx: ActorContext, text: string, verb: "stop" | "pause" | "resume") {
  const words = splitRunWords(text);
  const hasOn = text.split(/\s+/).some((w) => ON_WORD.test(w));
  const { strategyInstances, portfolios } = ctx.deps.services;
  const portfolioId = hasOn
    ? (await portfolios.findPortfolioByName(ctx.actor, words.rest.join(" "))).id
    : undefined;
  const name = hasOn ? words.name : text;
  const found = await strategyInstances.findLive(ctx.actor, name ?? "", portfolioId);
  if (found.length === 1) return found[0]!;
  await ctx.reply(ctx.t("stop-which"), {
    reply_markup: keyboard(
      found.map((v) => [
        button(`${v.strategyName} · ${v.portfolioName}`, RUN_BUTTONS[verb].pack({ id: v.id })),
      ]),
    ),
  });
  return null;
}

async function stopCommand(ctx: ActorContext): Promise<void> {
  const text = argsOf(ctx);
  if (!text) {
    const live = await ctx.deps.services.strategyInstances.list(ctx.actor);
    if (!live.length) {
      await ctx.reply(ctx.t("running-none"));
      return;
    }
    await ctx.reply(ctx.t("stop-which"), {
      reply_markup: keyboard(
        live.map((v) => [
          button(`⏹ ${v.strategyName} · ${v.portfolioName}`, RUN_BUTTONS.stop.pack({ id: v.id })),
        ]),
      ),
    });
    return;
  }
  const instance = await namedInstance(ctx, text, "stop");
  if (!instance) return;
  const stopped = await ctx.deps.services.strategyInstances.stop(ctx.actor, instance.id);
  await ctx.reply(stoppedText(ctx, stopped));
}

function stoppedText(ctx: BotContext, v: StrategyInstanceView): string {
  return `⏹ ${ctx.t("stop-done", { name: v.strategyName, portfolio: v.portfolioName })}\n${ctx.t("stop-positions-hint")}`;
}

/** `/pause strategy NAME` and `/resume strategy NAME` (called from portfolio-controls.ts). */
export async function strategyPauseCommand(
  ctx: ActorContext,
  paused: boolean,
  text: string,
): Promise<void> {
  if (!text) {
    await ctx.reply(ctx.t(paused ? "pause-strategy-usage" : "resume-strategy-usage"));
    return;
  }
  const instance = await namedInstance(ctx, text, paused ? "pause" : "resume");
  if (!instance) return;
  const { strategyInstances } = ctx.deps.services;
  const after = paused
    ? await strategyInstances.pause(ctx.actor, instance.id)
    : await strategyInstances.resume(ctx.actor, instance.id);
  await ctx.reply(
    ctx.t(paused ? "strategy-paused" : "strategy-resumed", {
      name: after.strategyName,
      portfolio: after.portfolioName,
    }),
  );
}

export function registerStrategyRuns(registry: CommandRegistry): void {
  registry.add({
    name: "run",
    scope: "user",
    group: "strategies",
    descriptionKey: "cmd-run",
    exampleKey: "cmd-run-example",
    handler: runCommand,
  });
  registry.add({
    name: "running",
    scope: "user",
    group: "strategies",
    descriptionKey: "cmd-running",
    exampleKey: "cmd-running-example",
    handler: runningCommand,
  });
  registry.add({
    name: "stop",
    scope: "user",
    group: "strategies",
    descriptionKey: "cmd-stop",
    exampleKey: "cmd-stop-example",
    handler: stopCommand,
  });
}

/** The buttons of /running and /stop: pause, resume, stop, switch to the newest version. */
export function strategyRunsFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  for (const [action, codec] of Object.entries(RUN_BUTTONS) as [RunAction, RunButton][])
    composer.callbackQuery(codec.filter, async (ctx) => {
      if (!inScope(ctx, "user")) return refuse(ctx, "user");
      const pressed = codec.unpack(ctx.callbackQuery.data);
      if (pressed === null) return ctx.answerCallbackQuery(ctx.t("button-stale"));
      const { strategyInstances } = ctx.deps.services;
      const { actor } = ctx;
      const { id } = pressed;
      let note: string;
      if (action === "pause") {
        const v = await strategyInstances.pause(actor, id);
        note = ctx.t("strategy-paused", { name: v.strategyName, portfolio: v.portfolioName });
      } else if (action === "resume") {
        const v = await strategyInstances.resume(actor, id);
        note = ctx.t("strategy-resumed", { name: v.strategyName, portfolio: v.portfolioName });
      } else if (action === "upgrade") {
        const v = await strategyInstances.switchVersion(actor, id);
        note = ctx.t("strategy-switched", {
          name: v.strategyName,
          version: v.strategyVersion,
          portfolio: v.portfolioName,
        });
      } else {
        const v = await strategyInstances.stop(actor, id);
        note = stoppedText(ctx, v);
      }
      await ctx.answerCallbackQuery({ text: note.split("\n")[0]!.slice(0, 200) });
      const view = await runningView(ctx);
      await editFmt(ctx, fmt`${note}\n\n${view.text}`, view.markup);
    });
  return composer;
}
