// /newschedule: what to run (portfolio summary, PnL report and its period, or a screener), which
// portfolio or screener, when (a preset, or a custom cron expression shown back with its next five
// run times in the user's zone and confirmed; an invalid one is explained with an example and
// asked again), which chat, and a name. The domain checks everything again when saving.
// Database work runs inside conversation.external() with serializable results, since a
// conversation replays from the start on every update.
import { fmt, FormattedString } from "@grammyjs/parse-mode";
import { isDomainError } from "../../../domain/errors.ts";
import {
  CRON_EXAMPLE,
  SCHEDULE_PRESET_NAMES,
  type SchedulePreset,
  isSchedulePreset,
} from "../../../domain/schedules/cron-schedule.ts";
import type {
  ScheduleTargetInput,
  ScheduleWhen,
} from "../../../domain/schedules/schedule-types.ts";
import { PERIODS } from "../../../lib/time.ts";
import { type BotContext, type BotConversation, type ConvContext, actorOf } from "../../context.ts";
import { describeDomainError } from "../../errors.ts";
import { replyFmt } from "../../format/reply.ts";
import { button, grid, keyboard } from "../../keyboards.ts";
import { periodLabel } from "../../reports/report-parts.ts";
import {
  describeDestination,
  describeTarget,
  describeWhen,
  kindLabel,
  presetLabel,
  runTimesList,
} from "./schedule-text.ts";
import { askPress, askText, cancellable } from "../../conversations/ask.ts";
import { callbackData } from "../../callback-data.ts";

export const NEW_SCHEDULE = "new-schedule";

// the conversation's buttons, step by step ("nsc:<step>:<choice>")
const pickKind = callbackData("nsc", "k", { kind: ["sum", "pnl", "scr"] });
const pickScreener = callbackData("nsc", "sc", { id: "id" });
const pickPortfolio = callbackData("nsc", "pf", { id: "id" });
const pickPeriod = callbackData("nsc", "pd", { period: PERIODS });
const pickWhen = callbackData("nsc", "w", { when: [...SCHEDULE_PRESET_NAMES, "custom"] });
const confirmCron = callbackData("nsc", "cf", { answer: ["yes", "no"] });
const pickChat = callbackData("nsc", "c", { id: "id" });
/** the suggested name, taken as it is */
const NAME_SUGGESTED = callbackData("nsc", "nm", {}).pack({});

type Outcome<T> = { ok: true; value: T } | { ok: false; error: string };

/** Runs domain work; a domain error comes back as its explanation in the user's language. */
async function attempt<T>(c: BotContext, work: () => Promise<T> | T): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (e) {
    if (!isDomainError(e)) throw e;
    return { ok: false, error: describeDomainError((k, p) => c.t(k, p), e) };
  }
}

interface Preview {
  cron: string;
  preset: SchedulePreset | null;
  runs: string[];
}

export async function newSchedule(conversation: BotConversation, ctx: ConvContext): Promise<void> {
  await cancellable(async () => {
    const t = (k: string, p?: Record<string, string | number>) => ctx.t(k, p);
    const setup = await conversation.external(async (c: BotContext) => {
      const { portfolios, schedules } = c.deps.services;
      const [portfolioList, screeners, chats] = await Promise.all([
        portfolios.listPortfolios(actorOf(c)),
        schedules.screenersAvailable ? schedules.screenerChoices(actorOf(c)) : null,
        schedules.destinations(actorOf(c)),
      ]);
      return {
        zone: c.user?.timeZone ?? actorOf(c).timeZone,
        portfolios: portfolioList.map((p) => ({ id: p.id, name: p.name, isActive: p.isActive })),
        screeners,
        chats,
      };
    });
    const zone = setup.zone;

    // ── what ──
    const kinds = [
      button(`📊 ${t("schedule-kind-summary")}`, pickKind.pack({ kind: "sum" })),
      button(`💰 ${t("schedule-kind-pnl")}`, pickKind.pack({ kind: "pnl" })),
      ...(setup.screeners
        ? [button(`🔎 ${t("schedule-kind-screener")}`, pickKind.pack({ kind: "scr" }))]
        : []),
    ];
    await ctx.reply(t("schedule-ask-kind"), { reply_markup: keyboard(grid(kinds, 1)) });
    const kind = (await askPress(conversation, pickKind, t("schedule-ask-kind-again"))).value.kind;

    // ── which portfolio or screener ──
    let target: ScheduleTargetInput;
    let targetName: string;
    if (kind === "scr") {
      const screeners = setup.screeners ?? [];
      if (!setup.screeners) {
        await ctx.reply(t("error-schedule-screeners-unavailable"));
        return;
      }
      if (screeners.length === 0) {
        await ctx.reply(t("schedule-need-screener"));
        return;
      }
      await ctx.reply(t("schedule-ask-screener"), {
        reply_markup: keyboard(
          screeners.map((s) => [button(s.name, pickScreener.pack({ id: s.id }))]),
        ),
      });
      const { value } = await askPress(
        conversation,
        pickScreener,
        t("schedule-ask-screener-again"),
      );
      const screener = screeners.find((s) => s.id === value.id) ?? screeners[0]!;
      target = { kind: "SCREENER", screenerId: screener.id };
      targetName = screener.name;
    } else {
      if (setup.portfolios.length === 0) {
        await ctx.reply(t("schedule-need-portfolio"));
        return;
      }
      let portfolio = setup.portfolios.length === 1 ? setup.portfolios[0]! : null;
      if (!portfolio) {
        await ctx.reply(t("schedule-ask-portfolio"), {
          reply_markup: keyboard(
            setup.portfolios.map((p) => [
              button(`${p.isActive ? "▶️ " : ""}${p.name}`, pickPortfolio.pack({ id: p.id })),
            ]),
          ),
        });
        const { value } = await askPress(
          conversation,
          pickPortfolio,
          t("schedule-ask-portfolio-again"),
        );
        portfolio = setup.portfolios.find((p) => p.id === value.id) ?? setup.portfolios[0]!;
      }
      targetName = portfolio.name;
      if (kind === "pnl") {
        await ctx.reply(t("schedule-ask-period"), {
          reply_markup: keyboard(
            grid(
              PERIODS.map((p) => button(periodLabel(t, p), pickPeriod.pack({ period: p }))),
              3,
            ),
          ),
        });
        const { value } = await askPress(conversation, pickPeriod, t("schedule-ask-period-again"));
        target = { kind: "PNL_REPORT", portfolioId: portfolio.id, period: value.period };
      } else {
        target = { kind: "PORTFOLIO_SUMMARY", portfolioId: portfolio.id };
      }
    }

    // ── when ──
    await ctx.reply(t("schedule-ask-when", { zone }), {
      reply_markup: keyboard([
        ...grid(
          SCHEDULE_PRESET_NAMES.map((p) => button(presetLabel(t, p), pickWhen.pack({ when: p }))),
          2,
        ),
        [button(`✏️ ${t("schedule-custom-cron")}`, pickWhen.pack({ when: "custom" }))],
      ]),
    });
    const answer = await askPress(
      conversation,
      pickWhen,
      t("schedule-ask-when-again"),
      // an expression typed instead of pressing a button is taken as the custom one
      (text) => ({ value: text }),
    );
    const choice = { value: typeof answer.value === "string" ? answer.value : answer.value.when };
    let typed: string | null =
      isSchedulePreset(choice.value) || choice.value === "custom" ? null : choice.value;
    let when: ScheduleWhen;
    let preview: Preview;
    if (isSchedulePreset(choice.value)) {
      when = { preset: choice.value };
      const presetPreview = await previewOf(conversation, { preset: choice.value }, zone);
      if (!presetPreview.ok) {
        await ctx.reply(presetPreview.error);
        return;
      }
      preview = presetPreview.value;
    } else {
      for (;;) {
        if (typed === null) {
          await replyFmt(
            ctx,
            fmt`${t("schedule-ask-cron", { zone })}\n${FormattedString.code(CRON_EXAMPLE)} — ${t("schedule-cron-example-meaning")}`,
          );
          typed = (await askText(conversation, (text) => ({ value: text }))).value;
        }
        const checked = await previewOf(conversation, { cron: typed }, zone);
        if (!checked.ok) {
          await ctx.reply(`${checked.error}\n${t("schedule-ask-cron-again")}`);
          typed = (await askText(conversation, (text) => ({ value: text }))).value;
          continue;
        }
        await replyFmt(
          ctx,
          fmt`${t("schedule-cron-preview")} ${describeWhen(t, { ...checked.value, timeZone: zone })}\n${t("schedule-next-runs")}\n${runTimesList(
            checked.value.runs.map((r) => new Date(r)),
            zone,
          )}\n\n${t("schedule-confirm-cron")}`,
          keyboard([
            [
              button(`✅ ${t("schedule-confirm-yes")}`, confirmCron.pack({ answer: "yes" })),
              button(`✏️ ${t("schedule-confirm-change")}`, confirmCron.pack({ answer: "no" })),
            ],
          ]),
        );
        const confirm = await askPress(conversation, confirmCron, t("schedule-confirm-again"));
        if (confirm.value.answer === "yes") {
          when = { cron: checked.value.cron };
          preview = checked.value;
          break;
        }
        typed = null;
      }
    }

    // ── where ──
    let chatId: number | null = null;
    if (setup.chats.length > 1) {
      await ctx.reply(t("schedule-ask-chat"), {
        reply_markup: keyboard(
          setup.chats.map((c) => [button(describeDestination(t, c), pickChat.pack({ id: c.id }))]),
        ),
      });
      const { value } = await askPress(conversation, pickChat, t("schedule-ask-chat-again"));
      const chosen = setup.chats.find((c) => c.id === value.id);
      chatId = chosen && !chosen.isPrivate ? chosen.id : null;
    }

    // ── name ──
    const suggested = `${kindLabel(t, target.kind)} · ${targetName}`.slice(0, 40);
    const namePrompt = await ctx.reply(t("schedule-ask-name"), {
      reply_markup: keyboard([[button(suggested, NAME_SUGGESTED)]]),
    });
    for (;;) {
      const { value: name } = await askText<string>(conversation, (text) => ({ value: text }), {
        skipData: NAME_SUGGESTED,
        skipValue: suggested,
        prompt: namePrompt,
      });
      const saved = await conversation.external((c: BotContext) =>
        attempt(c, async () => {
          const s = await c.deps.services.schedules.create(actorOf(c), {
            name,
            target,
            when,
            timeZone: zone,
            chatId,
          });
          return {
            name: s.name,
            what: describeTarget((k, p) => c.t(k, p), s.target, s.targetName),
            where: describeDestination((k, p) => c.t(k, p), s.destination),
          };
        }),
      );
      if (!saved.ok) {
        await ctx.reply(`${saved.error}\n${t("schedule-ask-name-again")}`);
        continue;
      }
      await replyFmt(
        ctx,
        fmt`✅ ${FormattedString.b(t("schedule-saved", { name: saved.value.name }))}\n${saved.value.what}\n${describeWhen(t, { ...preview, timeZone: zone })} → ${saved.value.where}\n${t("schedule-next-runs")}\n${runTimesList(
          preview.runs.map((r) => new Date(r)),
          zone,
        )}\n\n${t("schedule-saved-hint")}`,
      );
      return;
    }
  });
}

async function previewOf(
  conversation: BotConversation,
  when: ScheduleWhen,
  zone: string,
): Promise<Outcome<Preview>> {
  return conversation.external((c: BotContext) =>
    attempt(c, () => {
      const p = c.deps.services.schedules.preview(when, zone);
      return { cron: p.cron, preset: p.preset, runs: p.runs.map((r) => r.toISOString()) };
    }),
  );
}
