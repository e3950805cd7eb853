// The commands that take risk off a portfolio, as freqtrade's Telegram set has them:
//   /close SYMBOL|all [portfolio]   cancel the symbol's open orders, then close at market (a card
//                                    first: what will be sold or bought back, at about what value)
//   /cancelall [portfolio]          cancel every open order (after one confirmation)
//   /pause [portfolio|all]          stop new entries; exits, cancels and /close still work
//   /resume [portfolio|all]         allow entries again
// The work is the domain's (PortfolioCloseout, EntryPauseService); this file parses and formats.
import { fmt, FormattedString } from "@grammyjs/parse-mode";
import { Composer } from "grammy";
import type { ClosePlan } from "../../../domain/portfolios/portfolio-closeout.ts";
import type { PauseTarget } from "../../../domain/portfolios/entry-pause.ts";
import type { PortfolioView } from "../../../domain/portfolios/portfolio-service.ts";
import { UnknownSymbolError } from "../../../market/types.ts";
import type { CommandRegistry } from "../../commands/registry.ts";
import type { ActorContext, BotContext } from "../../context.ts";
import { formatMoney, formatQuantity } from "../../format/numbers.ts";
import { editFmt, replyFmt } from "../../format/reply.ts";
import type { Translate } from "../../i18n.ts";
import { button, keyboard } from "../../keyboards.ts";
import { cancelAllConfirm, cancelAllKeep, closeConfirm, closeKeep } from "./callback-data.ts";
import { inScope, refuse } from "../../middlewares/access.ts";
import { cancelReport, closeReport } from "./closeout-text.ts";
import { strategyPauseCommand } from "../strategy-runs/strategy-runs.ts";

const ALL = "*";

const argsOf = (ctx: BotContext) => (typeof ctx.match === "string" ? ctx.match.trim() : "");
const translate =
  (ctx: BotContext): Translate =>
  (k, p) =>
    ctx.t(k, p);

/** "BTCUSDT Swing", "all", "Swing BTCUSDT": the symbol (or all) first or last, the rest a name. */
async function parseCloseArgs(
  ctx: ActorContext,
  text: string,
): Promise<{ symbol: string; portfolio: string | null } | null> {
  const words = text.split(/\s+/).filter(Boolean);
  if (!words.length) return null;
  const pick = async (word: string): Promise<string | null> => {
    if (word.toLowerCase() === "all") return ALL;
    try {
      return (await ctx.deps.services.instruments.resolve(word)).symbol;
    } catch (e) {
      if (e instanceof UnknownSymbolError) return null;
      throw e;
    }
  };
  const first = await pick(words[0]!);
  if (first) return { symbol: first, portfolio: words.slice(1).join(" ") || null };
  if (words.length > 1) {
    const last = await pick(words[words.length - 1]!);
    if (last) return { symbol: last, portfolio: words.slice(0, -1).join(" ") || null };
  }
  // neither end is a symbol: resolving the first word again explains it (with suggestions)
  await ctx.deps.services.instruments.resolve(words[0]!);
  return null;
}

async function closePlanText(ctx: ActorContext, plan: ClosePlan, symbol: string) {
  const locale = await ctx.i18n.getLocale();
  const t = translate(ctx);
  const lines: FormattedString[] = [
    FormattedString.b(
      symbol === ALL
        ? t("close-title-all", { portfolio: plan.portfolio.name })
        : t("close-title-symbol", { symbol, portfolio: plan.portfolio.name }),
    ),
  ];
  for (const p of plan.positions) {
    const lot = (await ctx.deps.services.instruments.resolve(p.symbol)).rules.lotSize;
    const value = p.value ? ` ≈ ${formatMoney(p.value, p.currency, locale)}` : "";
    const strategy = p.strategyName ? ` (${t("close-strategy", { name: p.strategyName })})` : "";
    lines.push(
      fmt`• ${t(`order-side-${p.side.toLowerCase()}`)} ${formatQuantity(p.quantity, lot, locale)} ${p.symbol}${value}${strategy}`,
    );
  }
  if (plan.openOrders.length)
    lines.push(
      fmt`${t("close-cancels-first", {
        count: plan.openOrders.length,
        ids: plan.openOrders.map((o) => `#${o.orderId}`).join(", "),
      })}`,
    );
  lines.push(fmt``, fmt`${t("close-market-note")}`);
  return FormattedString.join(lines, "\n");
}

async function closeCommand(ctx: ActorContext): Promise<void> {
  const parsed = await parseCloseArgs(ctx, argsOf(ctx));
  if (!parsed) {
    await ctx.reply(ctx.t("close-usage"));
    return;
  }
  const { portfolios, closeout } = ctx.deps.services;
  const portfolio = await portfolios.resolvePortfolio(ctx.actor, parsed.portfolio);
  const scope = parsed.symbol === ALL ? {} : { symbol: parsed.symbol };
  const plan = await closeout.plan(ctx.actor, portfolio.id, scope);
  if (!plan.positions.length && !plan.openOrders.length) {
    await ctx.reply(
      parsed.symbol === ALL
        ? ctx.t("close-nothing-all", { portfolio: portfolio.name })
        : ctx.t("close-nothing-symbol", { symbol: parsed.symbol, portfolio: portfolio.name }),
    );
    return;
  }
  await replyFmt(
    ctx,
    await closePlanText(ctx, plan, parsed.symbol),
    keyboard([
      [
        button(
          `✅ ${ctx.t("close-confirm")}`,
          closeConfirm.pack({ portfolioId: portfolio.id, symbol: parsed.symbol }),
        ),
        button(ctx.t("close-keep"), closeKeep.pack({})),
      ],
    ]),
  );
}

async function cancelAllCommand(ctx: ActorContext): Promise<void> {
  const { portfolios, closeout } = ctx.deps.services;
  const portfolio = await portfolios.resolvePortfolio(ctx.actor, argsOf(ctx) || null);
  const plan = await closeout.plan(ctx.actor, portfolio.id);
  if (!plan.openOrders.length) {
    await ctx.reply(ctx.t("cancelall-none", { portfolio: portfolio.name }));
    return;
  }
  await replyFmt(
    ctx,
    fmt`${FormattedString.b(ctx.t("cancelall-confirm", { count: plan.openOrders.length, portfolio: portfolio.name }))}\n${plan.openOrders.map((o) => `#${o.orderId} ${ctx.t(`order-side-${o.side.toLowerCase()}`)} ${o.symbol}`).join("\n")}`,
    keyboard([
      [
        button(
          `✖️ ${ctx.t("cancelall-yes")}`,
          cancelAllConfirm.pack({ portfolioId: portfolio.id }),
        ),
        button(ctx.t("cancelall-no"), cancelAllKeep.pack({})),
      ],
    ]),
  );
}

async function pauseTarget(ctx: ActorContext): Promise<{ target: PauseTarget; label: string }> {
  const word = argsOf(ctx);
  if (word.toLowerCase() === "all") return { target: "all", label: ctx.t("pause-all-label") };
  const portfolio = await ctx.deps.services.portfolios.resolvePortfolio(ctx.actor, word || null);
  return { target: { portfolioId: portfolio.id }, label: portfolio.name };
}

const names = (list: PortfolioView[]) => list.map((p) => p.name).join(", ");

async function pauseCommand(ctx: ActorContext, paused: boolean): Promise<void> {
  // "/pause strategy NAME": a running strategy, not a portfolio's entries
  const strategy = /^(strategy|стратегию|стратегия)(\s+|$)/i.exec(argsOf(ctx));
  if (strategy) {
    await strategyPauseCommand(ctx, paused, argsOf(ctx).slice(strategy[0].length).trim());
    return;
  }
  const { target, label } = await pauseTarget(ctx);
  const { entryPause } = ctx.deps.services;
  const change = paused
    ? await entryPause.pause(ctx.actor, target)
    : await entryPause.resume(ctx.actor, target);
  const verb = paused ? "pause" : "resume";
  if (!change.changed.length && !change.unchanged.length) {
    await ctx.reply(ctx.t("error-no-portfolio"));
    return;
  }
  const lines = change.changed.length
    ? [ctx.t(`${verb}-done`, { portfolios: names(change.changed) })]
    : [ctx.t(`${verb}-already`, { portfolios: label })];
  if (change.changed.length && change.unchanged.length)
    lines.push(ctx.t(`${verb}-already`, { portfolios: names(change.unchanged) }));
  lines.push(ctx.t(`${verb}-hint`));
  await ctx.reply(lines.join("\n"));
}

export function registerPortfolioControls(registry: CommandRegistry): void {
  registry.add({
    name: "close",
    scope: "user",
    group: "trading",
    descriptionKey: "cmd-close",
    exampleKey: "cmd-close-example",
    handler: closeCommand,
  });
  registry.add({
    name: "cancelall",
    scope: "user",
    group: "trading",
    descriptionKey: "cmd-cancelall",
    exampleKey: "cmd-cancelall-example",
    handler: cancelAllCommand,
  });
  registry.add({
    name: "pause",
    scope: "user",
    group: "trading",
    descriptionKey: "cmd-pause",
    exampleKey: "cmd-pause-example",
    handler: (ctx) => pauseCommand(ctx, true),
  });
  registry.add({
    name: "resume",
    scope: "user",
    group: "trading",
    descriptionKey: "cmd-resume",
    exampleKey: "cmd-resume-example",
    handler: (ctx) => pauseCommand(ctx, false),
  });
}

/** The confirmation buttons of /close and /cancelall. */
export function portfolioControlsFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.callbackQuery([closeKeep.filter, cancelAllKeep.filter], async (ctx) => {
    await ctx.answerCallbackQuery();
    await editFmt(ctx, fmt`${ctx.t("close-kept")}`, keyboard([]));
  });
  composer.callbackQuery(closeConfirm.filter, async (ctx) => {
    if (!inScope(ctx, "user")) return refuse(ctx, "user");
    const press = closeConfirm.unpack(ctx.callbackQuery.data);
    if (!press) return ctx.answerCallbackQuery(ctx.t("button-stale"));
    const { portfolioId, symbol } = press;
    const scope = symbol === ALL ? {} : { symbol };
    const { closeout } = ctx.deps.services;
    await ctx.answerCallbackQuery({ text: ctx.t("order-sending") });
    // the card's buttons go first, so a second tap cannot send the closes twice
    await ctx
      .editMessageReplyMarkup({ reply_markup: { inline_keyboard: [] } })
      .catch(() => undefined);
    const t = translate(ctx);
    const canceled = await closeout.cancelOpenOrders(ctx.actor, portfolioId, scope);
    const closed = await closeout.closePositions(ctx.actor, portfolioId, scope);
    const lines = [
      ...(canceled.canceled.length || canceled.refused.length ? cancelReport(t, canceled) : []),
      ...(closed.placed.length || closed.refused.length
        ? closeReport(t, closed)
        : [fmt`${t("close-no-positions")}`]),
    ];
    await replyFmt(ctx, FormattedString.join(lines, "\n"));
  });
  composer.callbackQuery(cancelAllConfirm.filter, async (ctx) => {
    if (!inScope(ctx, "user")) return refuse(ctx, "user");
    const portfolioId = cancelAllConfirm.unpack(ctx.callbackQuery.data)?.portfolioId;
    if (portfolioId === undefined) return ctx.answerCallbackQuery(ctx.t("button-stale"));
    await ctx.answerCallbackQuery({ text: ctx.t("order-sending") });
    await ctx
      .editMessageReplyMarkup({ reply_markup: { inline_keyboard: [] } })
      .catch(() => undefined);
    const outcome = await ctx.deps.services.closeout.cancelOpenOrders(ctx.actor, portfolioId);
    await replyFmt(ctx, FormattedString.join(cancelReport(translate(ctx), outcome), "\n"));
  });
  return composer;
}
