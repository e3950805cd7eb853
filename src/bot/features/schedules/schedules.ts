// Schedules and reports from Telegram:
// - /newschedule starts the creation conversation (schedule-create.ts);
// - /schedules lists the user's schedules with their next run (in the schedule's zone), paged,
//   with pause/resume, delete (confirmed) and "run now" (enqueues the report at once) buttons;
// - /report [portfolio] [period] sends the portfolio summary now, chart first.
// Every button press is re-authorized and re-validated: ids come from the callback data, and the
// domain checks that the schedule is the presser's own.
import { fmt, FormattedString } from "@grammyjs/parse-mode";
import { Composer, InputFile } from "grammy";
import type { InlineKeyboardButton } from "grammy/types";
import { isDomainError } from "../../../domain/errors.ts";
import { firingDedupeKey } from "../../../domain/schedules/schedule-firing.ts";
import { type Period, parsePeriod } from "../../../lib/time.ts";
import type { CommandRegistry } from "../../commands/registry.ts";
import type { ActorContext, BotContext } from "../../context.ts";
import { NEW_SCHEDULE } from "./schedule-create.ts";
import { describeDomainError } from "../../errors.ts";
import { editFmt, replyFmt } from "../../format/reply.ts";
import { button, keyboard } from "../../keyboards.ts";
import {
  deleteSchedule,
  deleteScheduleAsk,
  pauseSchedule,
  resumeSchedule,
  runSchedule,
  schedulesAt,
} from "./callback-data.ts";
import { inScope, refuse } from "../../middlewares/access.ts";
import { composerFromDeps } from "../../reports/composer-from-deps.ts";
import { CHART_FILE_NAME } from "../../reports/report-composer.ts";
import { scheduleEntry } from "./schedule-text.ts";
import { onPage, pageWindow, pagerRow } from "../../pagination.ts";
import { splitFormatted } from "../../reports/split-formatted.ts";

export const SCHEDULES_PAGE_SIZE = 5;
/** Telegram's limit for a photo caption. */
const CAPTION_LIMIT = 1024;

async function schedulesPage(
  ctx: ActorContext,
  requestedPage: number,
): Promise<{ text: FormattedString; markup: { inline_keyboard: InlineKeyboardButton[][] } }> {
  const t = (k: string, p?: Record<string, string | number>) => ctx.t(k, p);
  const list = await ctx.deps.services.schedules.list(ctx.actor, {
    page: requestedPage,
    pageSize: SCHEDULES_PAGE_SIZE,
  });
  const pages = Math.max(1, Math.ceil(list.total / list.pageSize));
  const title = FormattedString.b(
    t("schedules-title", { page: list.page, pages, count: list.total }),
  );
  if (list.total === 0) {
    return { text: fmt`${title}\n\n${t("schedules-none")}`, markup: keyboard([]) };
  }
  const first = (list.page - 1) * list.pageSize + 1;
  const entries = list.schedules.map((s, i) => scheduleEntry(t, s, first + i));
  const rows: InlineKeyboardButton[][] = list.schedules.map((s, i) => {
    const n = first + i;
    return [
      s.isActive
        ? button(t("schedules-btn-pause", { n }), pauseSchedule.pack({ id: s.id, page: list.page }))
        : button(
            t("schedules-btn-resume", { n }),
            resumeSchedule.pack({ id: s.id, page: list.page }),
          ),
      button(t("schedules-btn-run", { n }), runSchedule.pack({ id: s.id, page: list.page })),
      button(
        t("schedules-btn-delete", { n }),
        deleteScheduleAsk.pack({ id: s.id, page: list.page }),
      ),
    ];
  });
  rows.push(pagerRow("schedules", pageWindow(list.total, list.page, list.pageSize)));
  return {
    text: fmt`${title}\n\n${FormattedString.join(entries, "\n\n")}`,
    markup: keyboard(rows),
  };
}

async function showPage(ctx: ActorContext, page: number, edit: boolean): Promise<void> {
  const { text, markup } = await schedulesPage(ctx, page);
  if (edit) await editFmt(ctx, text, markup);
  else await replyFmt(ctx, text, markup);
}

async function alertError(ctx: BotContext, e: unknown): Promise<void> {
  if (!isDomainError(e)) throw e;
  await ctx.answerCallbackQuery({
    text: describeDomainError((k, p) => ctx.t(k, p), e).slice(0, 200),
    show_alert: true,
  });
}

/** Enqueues a schedule's report now, into its destination chat, through the outbox. */
async function runNow(ctx: ActorContext, scheduleId: number): Promise<void> {
  const { services } = ctx.deps;
  const schedule = await services.schedules.get(ctx.actor, scheduleId);
  if (!schedule.destination?.isActive) {
    await ctx.answerCallbackQuery({ text: ctx.t("schedules-run-no-chat"), show_alert: true });
    return;
  }
  const now = services.clock.now();
  // one manual run per schedule and minute: a double tap does not send two reports
  const minute = new Date(Math.floor(now.getTime() / 60_000) * 60_000);
  const firing = {
    schedule,
    owner: ctx.actor,
    dueAt: minute,
    catchUp: false,
    skipped: 0,
    manual: true,
    nextRunAt: schedule.nextRunAt,
  };
  const composer = composerFromDeps(ctx.deps);
  const report = await composer.compose(firing).catch((e: unknown) => {
    if (!isDomainError(e)) ctx.deps.logger.warn({ err: e, schedule: scheduleId }, "run now failed");
    return composer.composeFailure(firing, e);
  });
  const created = await services.notifications.enqueueNow({
    userId: ctx.actor.id,
    type: "REPORT",
    severity: "INFO",
    title: report.title,
    message: report.message,
    format: "html",
    dedupeKey: firingDedupeKey(schedule.id, minute, true),
    attachment: report.attachment,
    chatId: schedule.destination.id,
  });
  await ctx.answerCallbackQuery({
    text: ctx.t(created > 0 ? "schedules-run-queued" : "schedules-run-not-queued", {
      name: schedule.name,
    }),
    show_alert: created === 0,
  });
}

async function onButton(ctx: BotContext): Promise<void> {
  const data = ctx.callbackQuery?.data;
  if (!inScope(ctx, "user")) return refuse(ctx, "user");
  const at = schedulesAt.unpack(data);
  if (at) {
    await ctx.answerCallbackQuery();
    return showPage(ctx, at.page, true);
  }
  const actions = [
    ["p", pauseSchedule],
    ["r", resumeSchedule],
    ["x", deleteScheduleAsk],
    ["X", deleteSchedule],
    ["n", runSchedule],
  ] as const;
  const [action, press] = actions
    .map(([name, codec]) => [name, codec.unpack(data)] as const)
    .find(([, values]) => values !== null) ?? [null, null];
  if (!press) return void (await ctx.answerCallbackQuery({ text: ctx.t("button-stale") }));
  const { id, page } = press;
  const { schedules } = ctx.deps.services;
  try {
    switch (action) {
      case "p": {
        const s = await schedules.pause(ctx.actor, id);
        await ctx.answerCallbackQuery({ text: ctx.t("schedules-paused-done", { name: s.name }) });
        return showPage(ctx, page, true);
      }
      case "r": {
        const s = await schedules.resume(ctx.actor, id);
        await ctx.answerCallbackQuery({ text: ctx.t("schedules-resumed-done", { name: s.name }) });
        return showPage(ctx, page, true);
      }
      case "x": {
        const s = await schedules.get(ctx.actor, id);
        await ctx.answerCallbackQuery();
        return editFmt(
          ctx,
          fmt`${ctx.t("schedules-delete-confirm", { name: s.name })}`,
          keyboard([
            [
              button(`🗑 ${ctx.t("schedules-delete-yes")}`, deleteSchedule.pack({ id, page })),
              button(`« ${ctx.t("schedules-delete-keep")}`, schedulesAt.pack({ page })),
            ],
          ]),
        );
      }
      case "X": {
        const s = await schedules.get(ctx.actor, id);
        await schedules.remove(ctx.actor, id);
        await ctx.answerCallbackQuery({ text: ctx.t("schedules-deleted", { name: s.name }) });
        return showPage(ctx, page, true);
      }
      case "n":
        return runNow(ctx, id);
    }
  } catch (e) {
    await alertError(ctx, e);
  }
}

/** "/report [portfolio words…] [period]": the period is the last word when it is one. */
export function parseReportArgs(text: string): { portfolio: string | null; period: Period } {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const last = words.length ? parsePeriod(words[words.length - 1]) : null;
  if (last) words.pop();
  const portfolio = words.join(" ").replace(/^["'«](.*)["'»]$/, "$1") || null;
  return { portfolio, period: last ?? "today" };
}

async function reportCommand(ctx: ActorContext): Promise<void> {
  const args = parseReportArgs(typeof ctx.match === "string" ? ctx.match : "");
  const { services } = ctx.deps;
  const portfolio = await services.portfolios.resolvePortfolio(ctx.actor, args.portfolio);
  await ctx.replyWithChatAction("upload_photo").catch(() => undefined);
  const zone = ctx.user?.timeZone ?? ctx.actor.timeZone;
  const data = await services.reports.portfolioSummary(ctx.actor, portfolio.id, {
    period: args.period,
    timeZone: zone,
  });
  const composer = composerFromDeps(ctx.deps);
  const view = {
    t: (k: string, p?: Record<string, string | number>) => ctx.t(k, p),
    locale: await ctx.i18n.getLocale(),
    zone,
    market: { name: ctx.deps.market.name, synthetic: ctx.deps.market.synthetic },
  };
  const rendered = await composer.render(data, view);
  const full = fmt`${FormattedString.b(rendered.title)}\n${rendered.body}`;
  let rest: FormattedString | null = full;
  if (rendered.chart) {
    const fits = full.text.length <= CAPTION_LIMIT;
    const caption = fits ? full : FormattedString.b(rendered.title);
    await ctx.replyWithPhoto(new InputFile(rendered.chart.png, CHART_FILE_NAME), {
      caption: caption.text,
      caption_entities: caption.entities,
    });
    rest = fits ? null : rendered.body;
  }
  if (rest) for (const part of splitFormatted(rest)) await replyFmt(ctx, part);
}

export function registerSchedules(registry: CommandRegistry): void {
  registry.add({
    name: "newschedule",
    scope: "user",
    group: "schedules",
    descriptionKey: "cmd-newschedule",
    exampleKey: "cmd-newschedule-example",
    handler: (ctx) => ctx.conversation.enter(NEW_SCHEDULE),
  });
  registry.add({
    name: "schedules",
    scope: "user",
    group: "schedules",
    descriptionKey: "cmd-schedules",
    exampleKey: "cmd-schedules-example",
    handler: (ctx) => showPage(ctx, 1, false),
  });
  registry.add({
    name: "report",
    scope: "user",
    group: "reports",
    descriptionKey: "cmd-report",
    exampleKey: "cmd-report-example",
    handler: reportCommand,
  });
}

/** The schedule list's buttons ("sch:<action>:<id>:<page>"). */
export function schedulesFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  onPage(composer, "schedules", "user", (ctx, page) => schedulesPage(ctx, page));
  composer.callbackQuery(/^sch:/, onButton);
  return composer;
}
