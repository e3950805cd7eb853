// Screeners from Telegram: /newscreener builds one step by step (screener-new.ts),
// /screen NAME runs it now and answers with the ranked table, /screeners lists them with run and
// delete buttons. Button presses are re-authorized and go through the domain, which checks
// ownership again.
import { fmt, FormattedString } from "@grammyjs/parse-mode";
import { Composer } from "grammy";
import type { ScreenerResult } from "../../../domain/screeners/screener-service.ts";
import type { CommandRegistry } from "../../commands/registry.ts";
import type { ActorContext, ActorExtras, BaseContext, BotContext } from "../../context.ts";
import { explain } from "../alerts/alert-text.ts";
import { SCREENER_NEW } from "./screener-new.ts";
import { describeScreener, screenerResultText } from "./screener-text.ts";
import { editFmt, replyFmt } from "../../format/reply.ts";
import { button, keyboard } from "../../keyboards.ts";
import {
  deleteScreener,
  deleteScreenerNo,
  deleteScreenerYes,
  runScreener,
} from "./callback-data.ts";
import { inScope, refuse } from "../../middlewares/access.ts";
import { onPage, pageWindow, pagerRow } from "../../pagination.ts";

async function resultReply(ctx: BotContext, result: ScreenerResult): Promise<void> {
  const market = ctx.deps.market;
  const text = screenerResultText(ctx.t.bind(ctx), await ctx.i18n.getLocale(), result, {
    timeZone: ctx.user?.timeZone ?? "UTC",
    source: market.synthetic ? ctx.t("price-synthetic") : market.name,
  });
  const id = result.screener?.id;
  await replyFmt(
    ctx,
    text,
    id ? keyboard([[button(ctx.t("screener-run-again"), runScreener.pack({ id }))]]) : undefined,
  );
}

const SCREENERS_PAGE_SIZE = 8;

async function listText(ctx: BaseContext & ActorExtras, requested = 1) {
  const list = await ctx.deps.services.screeners.list(ctx.actor);
  const title = FormattedString.b(ctx.t("screeners-title", { count: list.length }));
  if (!list.length)
    return { text: fmt`${title}\n\n${ctx.t("screeners-none")}`, markup: keyboard([]) };
  const window = pageWindow(list.length, requested, SCREENERS_PAGE_SIZE);
  const shown = list.slice(window.offset, window.offset + window.size);
  const t = ctx.t.bind(ctx);
  const lines = shown.map(
    (s, i) =>
      fmt`${window.offset + i + 1}. ${FormattedString.b(s.name)}\n    ${FormattedString.i(describeScreener(t, s.config))}`,
  );
  const rows = shown.map((s, i) => [
    button(`▶️ ${window.offset + i + 1}. ${s.name}`.slice(0, 60), runScreener.pack({ id: s.id })),
    button(`🗑 ${window.offset + i + 1}`, deleteScreener.pack({ id: s.id })),
  ]);
  return {
    text: fmt`${title}\n\n${FormattedString.join(lines, "\n")}`,
    markup: keyboard([...rows, pagerRow("screeners", window)]),
  };
}

async function screenersCommand(ctx: ActorContext): Promise<void> {
  const { text, markup } = await listText(ctx);
  await replyFmt(ctx, text, markup);
}

async function screenCommand(ctx: ActorContext): Promise<void> {
  const name = (typeof ctx.match === "string" ? ctx.match : "")
    .trim()
    .replace(/^["'«](.*)["'»]$/, "$1");
  if (!name) {
    await ctx.reply(ctx.t("screen-usage"));
    return screenersCommand(ctx);
  }
  let result: ScreenerResult;
  try {
    const screener = await ctx.deps.services.screeners.findByName(ctx.actor, name);
    result = await ctx.deps.services.screeners.run(ctx.actor, screener.id);
  } catch (e) {
    await ctx.reply(explain(ctx, e));
    return;
  }
  await resultReply(ctx, result);
}

async function onButton(ctx: BotContext): Promise<void> {
  if (!inScope(ctx, "user")) return refuse(ctx, "user");
  const data = ctx.callbackQuery?.data;
  const screeners = ctx.deps.services.screeners;
  try {
    if (deleteScreenerNo.unpack(data)) {
      await ctx.answerCallbackQuery();
      const { text, markup } = await listText(ctx);
      return editFmt(ctx, text, markup);
    }
    const run = runScreener.unpack(data);
    if (run) {
      await ctx.answerCallbackQuery({ text: ctx.t("screener-running") });
      return resultReply(ctx, await screeners.run(ctx.actor, run.id));
    }
    const ask = deleteScreener.unpack(data);
    if (ask) {
      const { id } = ask;
      const screener = await screeners.get(ctx.actor, id);
      await ctx.answerCallbackQuery();
      return editFmt(
        ctx,
        fmt`${ctx.t("screener-delete-confirm", { name: screener.name })}`,
        keyboard([
          [
            button(ctx.t("screener-delete-yes"), deleteScreenerYes.pack({ id })),
            button(ctx.t("screener-delete-no"), deleteScreenerNo.pack({})),
          ],
        ]),
      );
    }
    const confirmed = deleteScreenerYes.unpack(data);
    if (confirmed) {
      const { id } = confirmed;
      const screener = await screeners.get(ctx.actor, id);
      await screeners.delete(ctx.actor, id);
      await ctx.answerCallbackQuery({
        text: ctx.t("screener-deleted", { name: screener.name }).slice(0, 200),
      });
      const { text, markup } = await listText(ctx);
      return editFmt(ctx, text, markup);
    }
    await ctx.answerCallbackQuery({ text: ctx.t("button-stale") });
  } catch (e) {
    await ctx.answerCallbackQuery({ text: explain(ctx, e).slice(0, 200), show_alert: true });
  }
}

/** The buttons of /screeners and of screener results. */
export function screenersFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  onPage(composer, "screeners", "user", (ctx, page) => listText(ctx, page));
  composer.callbackQuery(/^sc:/, onButton);
  return composer;
}

export function registerScreeners(registry: CommandRegistry): void {
  registry.add({
    name: "screen",
    scope: "user",
    group: "alerts",
    descriptionKey: "cmd-screen",
    exampleKey: "cmd-screen-example",
    handler: screenCommand,
  });
  registry.add({
    name: "newscreener",
    scope: "user",
    group: "alerts",
    descriptionKey: "cmd-newscreener",
    exampleKey: "cmd-newscreener-example",
    handler: (ctx) => ctx.conversation.enter(SCREENER_NEW),
  });
  registry.add({
    name: "screeners",
    scope: "user",
    group: "alerts",
    descriptionKey: "cmd-screeners",
    exampleKey: "cmd-screeners-example",
    handler: screenersCommand,
  });
}
