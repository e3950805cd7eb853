// Alerts from Telegram: /alert in quick syntax (src/domain/alerts/alert-syntax.ts), /newalert
// step by step (alert-new.ts), /alerts as a paged list with pause, resume and
// delete buttons, and the AlertNotifier that words fired alerts in each owner's language for the
// alert job (the wording itself: alert-text.ts). Every button press is
// re-authorized and acted on through the domain, which checks ownership again.
import { fmt, FormattedString } from "@grammyjs/parse-mode";
import { Composer } from "grammy";
import type { InlineKeyboardButton } from "grammy/types";
import type { AlertNotifier } from "../../../domain/alerts/alert-notifier.ts";
import { ALERT_PAGE_SIZE } from "../../../domain/alerts/alert-service.ts";
import { formatLocal } from "../../../lib/time.ts";
import type { CommandRegistry } from "../../commands/registry.ts";
import type { ActorContext, BaseContext, BotContext } from "../../context.ts";
import { ALERT_NEW } from "./alert-new.ts";
import { createdReply, describeOptions, explain, renderFired } from "./alert-text.ts";
import { toHtml } from "../../format/html.ts";
import { editFmt, replyFmt } from "../../format/reply.ts";
import { button, grid, keyboard } from "../../keyboards.ts";
import {
  alertsAt,
  deleteAlert,
  deleteAlertAsk,
  pauseAlert,
  pauseFiredAlert,
  resumeAlert,
} from "./callback-data.ts";
import { onPage, pageWindow, pagerRow } from "../../pagination.ts";
import { inScope, refuse } from "../../middlewares/access.ts";
import type { Notifier } from "../../notifier.ts";

/** The AlertNotifier the alert job uses: renders in the owner's language, HTML for the outbox. */
export function createAlertNotifier(notifier: Notifier): AlertNotifier {
  return {
    render(fired) {
      const t = notifier.translator(fired.owner);
      const { title, body, markup } = renderFired(t, notifier.localeOf(fired.owner), fired);
      return { title, message: toHtml(body), format: "html", replyMarkup: markup ?? null };
    },
  };
}

// ───────────── /alert ─────────────

async function alertCommand(ctx: ActorContext): Promise<void> {
  const text = typeof ctx.match === "string" ? ctx.match.trim() : "";
  if (!text) {
    await replyFmt(ctx, usage(ctx));
    return;
  }
  let created;
  try {
    created = await ctx.deps.services.alerts.createFromText(ctx.actor, text);
  } catch (e) {
    await ctx.reply(`${explain(ctx, e)}\n${ctx.t("alert-usage-hint")}`);
    return;
  }
  await replyFmt(ctx, createdReply(ctx, await ctx.i18n.getLocale(), created));
}

const EXAMPLES = [
  "BTCUSDT above 70000",
  "ETHUSDT below 2500 once",
  "SOLUSDT move 5% 1h",
  "ETHUSDT rsi14 1h below 30",
  "BTCUSDT ema20 cross ema50 4h",
  "BTCUSDT macd 1h cross up",
  "AAPL bb20 1d touch lower",
  "BTCUSDT vol20 15m spike 3",
  "BTCUSDT atr14 1h move 2",
  "position BTCUSDT pnl -5%",
  "position BTCUSDT drawdown 10% every 30m",
  "risk 80%",
];

function usage(ctx: BaseContext): FormattedString {
  const examples = EXAMPLES.map((e) => FormattedString.code(`/alert ${e}`));
  return fmt`${FormattedString.b(ctx.t("alert-usage-title"))}\n${FormattedString.join(examples, "\n")}\n\n${ctx.t("alert-usage-options")}\n${ctx.t("alert-usage-semantics")}`;
}

// ───────────── /alerts ─────────────

interface ListPage {
  text: FormattedString;
  markup: { inline_keyboard: InlineKeyboardButton[][] };
}

async function listPage(ctx: ActorContext, offset: number): Promise<ListPage> {
  const alerts = ctx.deps.services.alerts;
  let page = await alerts.list(ctx.actor, { offset, limit: ALERT_PAGE_SIZE });
  if (!page.items.length && page.total > 0) {
    // the last alert of the last page was deleted: show the page before
    const last = Math.floor((page.total - 1) / ALERT_PAGE_SIZE) * ALERT_PAGE_SIZE;
    page = await alerts.list(ctx.actor, { offset: last, limit: ALERT_PAGE_SIZE });
  }
  const title = FormattedString.b(ctx.t("alerts-title", { count: page.total }));
  if (!page.total) {
    return { text: fmt`${title}\n\n${ctx.t("alerts-none")}`, markup: { inline_keyboard: [] } };
  }
  const zone = ctx.user?.timeZone ?? "UTC";
  const t = ctx.t.bind(ctx);
  const pages = Math.ceil(page.total / ALERT_PAGE_SIZE);
  const current = Math.floor(page.offset / ALERT_PAGE_SIZE) + 1;
  const lines = page.items.map((a, i) => {
    const fired = a.lastTriggeredAt
      ? ctx.t("alerts-fired", { count: a.triggerCount, when: formatLocal(a.lastTriggeredAt, zone) })
      : ctx.t("alerts-never-fired");
    return fmt`${page.offset + i + 1}. ${a.isActive ? "🟢" : "⏸"} ${FormattedString.code(a.name)}\n    ${FormattedString.i(`${describeOptions(t, a.config)} · ${fired}`)}`;
  });
  const buttons = page.items.flatMap((a, i) => {
    const n = page.offset + i + 1;
    return [
      a.isActive
        ? button(`⏸ ${n}`, pauseAlert.pack({ id: a.id, offset: page.offset }))
        : button(`▶️ ${n}`, resumeAlert.pack({ id: a.id, offset: page.offset })),
      button(`🗑 ${n}`, deleteAlertAsk.pack({ id: a.id, offset: page.offset })),
    ];
  });
  const nav = pagerRow("alerts", pageWindow(page.total, current, ALERT_PAGE_SIZE));
  const footer = ctx.t("alerts-page", { page: current, pages });
  return {
    text: fmt`${title}\n\n${FormattedString.join(lines, "\n")}\n\n${FormattedString.i(footer)}`,
    markup: keyboard([...grid(buttons, 4), nav]),
  };
}

async function alertsCommand(ctx: ActorContext): Promise<void> {
  const { text, markup } = await listPage(ctx, 0);
  await replyFmt(ctx, text, markup);
}

async function onListButton(ctx: BotContext): Promise<void> {
  if (!inScope(ctx, "user")) return refuse(ctx, "user");
  const data = ctx.callbackQuery?.data;
  const alerts = ctx.deps.services.alerts;
  try {
    const at = alertsAt.unpack(data);
    if (at) {
      await ctx.answerCallbackQuery();
      const page = await listPage(ctx, at.offset);
      return editFmt(ctx, page.text, page.markup);
    }
    const fired = pauseFiredAlert.unpack(data);
    if (fired) {
      const alert = await alerts.pause(ctx.actor, fired.id);
      await ctx.answerCallbackQuery({ text: ctx.t("alert-paused", { name: alert.name }) });
      await ctx
        .editMessageReplyMarkup({ reply_markup: { inline_keyboard: [] } })
        .catch(() => undefined);
      return;
    }
    const ask = deleteAlertAsk.unpack(data);
    if (ask) {
      const { id, offset } = ask;
      const alert = await alerts.get(ctx.actor, id);
      await ctx.answerCallbackQuery();
      return editFmt(
        ctx,
        fmt`${ctx.t("alert-delete-confirm")}\n${FormattedString.code(alert.name)}`,
        keyboard([
          [
            button(ctx.t("alert-delete-yes"), deleteAlert.pack({ id, offset })),
            button(ctx.t("alert-delete-no"), alertsAt.pack({ offset })),
          ],
        ]),
      );
    }
    const pause = pauseAlert.unpack(data);
    const resume = resumeAlert.unpack(data);
    const remove = deleteAlert.unpack(data);
    const offset = (pause ?? resume ?? remove)?.offset ?? 0;
    let notice: string;
    if (pause)
      notice = ctx.t("alert-paused", { name: (await alerts.pause(ctx.actor, pause.id)).name });
    else if (resume)
      notice = ctx.t("alert-resumed", { name: (await alerts.resume(ctx.actor, resume.id)).name });
    else if (remove) {
      const alert = await alerts.get(ctx.actor, remove.id);
      await alerts.delete(ctx.actor, remove.id);
      notice = ctx.t("alert-deleted", { name: alert.name });
    } else {
      await ctx.answerCallbackQuery({ text: ctx.t("button-stale") });
      return;
    }
    await ctx.answerCallbackQuery({ text: notice.slice(0, 200) });
    const page = await listPage(ctx, offset);
    await editFmt(ctx, page.text, page.markup);
  } catch (e) {
    await ctx.answerCallbackQuery({ text: explain(ctx, e).slice(0, 200), show_alert: true });
  }
}

/** The buttons of /alerts and of alert notifications. */
export function alertsFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  onPage(composer, "alerts", "user", (ctx, page) => listPage(ctx, (page - 1) * ALERT_PAGE_SIZE));
  composer.callbackQuery(/^al:/, onListButton);
  return composer;
}

export function registerAlerts(registry: CommandRegistry): void {
  registry.add({
    name: "alert",
    scope: "user",
    group: "alerts",
    descriptionKey: "cmd-alert",
    exampleKey: "cmd-alert-example",
    handler: alertCommand,
  });
  registry.add({
    name: "newalert",
    scope: "user",
    group: "alerts",
    descriptionKey: "cmd-newalert",
    exampleKey: "cmd-newalert-example",
    handler: (ctx) => ctx.conversation.enter(ALERT_NEW),
  });
  registry.add({
    name: "alerts",
    scope: "user",
    group: "alerts",
    descriptionKey: "cmd-alerts",
    exampleKey: "cmd-alerts-example",
    handler: alertsCommand,
  });
}
