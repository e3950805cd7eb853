// Running strategies from the chat:
//   /run STRATEGY on PORTFOLIO [SYMBOLS]   start (the quick syntax: run-args.ts; what is left
//                                          out is asked, see strategy-run.ts; live portfolios
//                                          ask for a confirmation)
//   /running                               each instance: version, portfolio, symbols, state,
//                                          last signal, orders today, PnL since start; buttons
//                                          to pause, resume, stop and switch to a newer version
//                                          (running-view.ts)
//   /stop [STRATEGY [on PORTFOLIO]]        stop one (buttons when it is not named)
//   /pause strategy NAME, /resume strategy NAME   (plain /pause and /resume stay the
//                                          portfolio's entry pause, see portfolio-controls.ts)
// The work is the domain's (StrategyInstanceService); this file declares the commands and
// answers the buttons.
import { fmt } from "@grammyjs/parse-mode";
import { Composer } from "grammy";
import type { CommandRegistry } from "../../commands/registry.ts";
import type { ActorContext, BotContext } from "../../context.ts";
import { editFmt, replyFmt } from "../../format/reply.ts";
import { button, keyboard } from "../../keyboards.ts";
import { inScope, refuse } from "../../middlewares/access.ts";
import { RUN_BUTTONS, type RunAction } from "./callback-data.ts";
import { ON_WORD, readRunArgs, splitRunWords } from "./run-args.ts";
import { runningView } from "./running-view.ts";
import { startedText, stoppedText } from "./strategy-run-text.ts";
import { RUN_STRATEGY } from "./strategy-run.ts";

type RunButton = (typeof RUN_BUTTONS)[RunAction];

const argsOf = (ctx: BotContext) => (typeof ctx.match === "string" ? ctx.match.trim() : "");

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
