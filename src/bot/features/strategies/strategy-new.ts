// /strategy new, step by step, for what the one-line syntax leaves out: the kind (buttons), then
// each parameter the kind's schema declares (its default, its choices or "Skip" as buttons), each
// answer checked as it is given and asked again with the reason; rules text is parsed at once and
// the parser's error shown. Then a name no strategy of the user has, a summary card, and Confirm
// saves version 1. The questions come from the schema (strategies/param-fields.ts), so a kind's
// new parameter is asked for without touching this file. Database work runs inside
// conversation.external() with serializable results, since a conversation replays.
import { fmt, FormattedString } from "@grammyjs/parse-mode";
import { isDomainError } from "../../../domain/errors.ts";
import {
  type ParamQuestion,
  checkAnswer,
  paramQuestions,
  rulesTimeframe,
} from "../../../strategies/param-fields.ts";
import { canonicalParams } from "../../../strategies/params.ts";
import { STRATEGY_KINDS, type StrategyKind } from "../../../strategies/types.ts";
import { type BotContext, type BotConversation, type ConvContext, actorOf } from "../../context.ts";
import { describeDomainError } from "../../errors.ts";
import { replyFmt } from "../../format/reply.ts";
import { button, grid, keyboard } from "../../keyboards.ts";
import { askPress, askText, cancellable, dropButtons } from "../../conversations/ask.ts";
import { newStrategyConfirm, newStrategyKind, paramAnswer } from "./callback-data.ts";

export const NEW_STRATEGY = "new-strategy";

export interface NewStrategyConversationArgs {
  name: string | null;
  kind: StrategyKind | null;
}

type T = (key: string, params?: Record<string, string | number>) => string;

const explain = (c: BotContext | ConvContext, e: unknown): string => {
  if (isDomainError(e)) return describeDomainError((k, p) => c.t(k, p), e);
  throw e;
};

/** The buttons under a question: its choices or its default, else "Skip" when optional. */
function answerButtons(t: T, q: ParamQuestion): Array<{ label: string; value: string | null }> {
  if (q.choices.length)
    return q.choices.map((c) => ({
      label: c === q.fallback ? t("strategy-new-default", { value: c }) : c,
      value: c,
    }));
  if (q.fallback !== null)
    return [{ label: t("strategy-new-default", { value: q.fallback }), value: q.fallback }];
  if (q.optional) return [{ label: t("strategy-new-skip"), value: null }];
  return [];
}

function questionText(t: T, kind: StrategyKind, q: ParamQuestion, step: string): string {
  const hint = q.optional && q.fallback === null ? `\n${t("strategy-new-optional")}` : "";
  return `${step} ${t(`strategy-param-${q.name}`, { kind })}${hint}`;
}

/** One parameter: a press on one of its buttons or a typed answer (undefined: skipped). */
async function askParam(
  conversation: BotConversation,
  ctx: ConvContext,
  t: T,
  text: string,
  buttons: Array<{ label: string; value: string | null }>,
): Promise<string | undefined> {
  const prompt = await ctx.reply(text, {
    ...(buttons.length
      ? {
          reply_markup: keyboard(
            grid(
              buttons.map((b, i) => button(b.label, paramAnswer.pack({ index: i }))),
              2,
            ),
          ),
        }
      : {}),
  });
  const answer = await askPress(
    conversation,
    paramAnswer,
    t("strategy-new-answer-again"),
    (typed) => ({ value: { typed } }),
  );
  const { value } = answer;
  if ("typed" in value) {
    // typed rather than pressed: no stale default or Skip left under an answered question
    if (buttons.length) await dropButtons(answer.ctx, prompt);
    return value.typed;
  }
  const pressed = buttons[value.index];
  return pressed?.value ?? undefined;
}

/** The stored parameters as "name: value" lines for the summary card. */
function summaryLines(params: Record<string, unknown>): FormattedString {
  const lines = Object.entries(params)
    .filter(([k]) => k !== "kind")
    .map(
      ([k, v]) => fmt`${k}: ${FormattedString.code(typeof v === "string" ? v : JSON.stringify(v))}`,
    );
  return FormattedString.join(lines, "\n");
}

export async function newStrategy(
  conversation: BotConversation,
  ctx: ConvContext,
  args: NewStrategyConversationArgs,
): Promise<void> {
  await cancellable(async () => {
    const t: T = (k, p) => ctx.t(k, p);

    // a name given on the command line that is taken is said at once, and asked for at the end
    let name = args.name;
    if (name) {
      const taken = name;
      const clash = await conversation.external(async (c: BotContext) => {
        try {
          await c.deps.services.strategies.assertNameFree(actorOf(c), taken);
          return null;
        } catch (e) {
          return explain(c, e);
        }
      });
      if (clash) {
        await ctx.reply(clash);
        name = null;
      }
    }
    let kind = args.kind;
    if (!kind) {
      await ctx.reply(t("strategy-new-choose-kind"), {
        reply_markup: keyboard(
          grid(
            STRATEGY_KINDS.map((k) =>
              button(t(`strategy-kind-button-${k}`), newStrategyKind.pack({ kind: k })),
            ),
            2,
          ),
        ),
      });
      const { value } = await askPress(conversation, newStrategyKind, t("strategy-new-press-kind"));
      kind = STRATEGY_KINDS.find((k) => k === value.kind) ?? null;
      if (!kind) return;
    }
    const chosen: StrategyKind = kind;

    // the questions in the schema's order; a cross-parameter mistake found once all were asked
    // puts the parameter at fault back in front
    const questions = paramQuestions(chosen);
    const answers: Record<string, string> = {};
    const asked = new Set<string>();
    const pending = questions.map((q) => q.name);
    let problem = "";
    while (pending.length) {
      const name = pending[0]!;
      const q = questions.find((x) => x.name === name)!;
      // rules that name their timeframe ("every 4h") are not asked for another
      if (chosen === "rules" && name === "timeframe" && answers.source) {
        const own = rulesTimeframe(answers.source);
        if (own) {
          asked.add(name);
          pending.shift();
          continue;
        }
      }
      const step = `${questions.indexOf(q) + 1}/${questions.length}.`;
      const text = questionText(t, chosen, q, step);
      const value = await askParam(
        conversation,
        ctx,
        t,
        problem ? `❌ ${problem}\n\n${text}` : text,
        answerButtons(t, q),
      );
      const check = checkAnswer(chosen, answers, asked, name, value);
      if (check.ok || check.param !== name) {
        if (value === undefined) delete answers[name];
        else answers[name] = value;
        asked.add(name);
        pending.shift();
      }
      if (check.ok) {
        problem = "";
        continue;
      }
      problem = describeDomainError(t, check.error);
      if (check.param !== name) {
        delete answers[check.param];
        pending.unshift(check.param);
      }
    }

    if (!name) {
      await ctx.reply(t("strategy-new-ask-name"));
      name = (
        await askText<string>(conversation, async (text) =>
          conversation.external(async (c: BotContext) => {
            try {
              return { value: await c.deps.services.strategies.assertNameFree(actorOf(c), text) };
            } catch (e) {
              return { error: `${explain(c, e)}\n${c.t("strategy-new-ask-name-again")}` };
            }
          }),
        )
      ).value;
    }

    const params = canonicalParams(chosen, answers);
    await replyFmt(
      ctx,
      fmt`${FormattedString.b(t("strategy-new-summary", { name, kind: t(`strategy-kind-button-${chosen}`) }))}\n\n${summaryLines(params)}`,
      keyboard([
        [
          button(`✅ ${t("strategy-new-confirm")}`, newStrategyConfirm.pack({ answer: "yes" })),
          button(t("strategy-new-discard"), newStrategyConfirm.pack({ answer: "no" })),
        ],
      ]),
    );
    const { value } = await askPress(
      conversation,
      newStrategyConfirm,
      t("strategy-new-press-confirm"),
    );
    if (value.answer !== "yes") {
      await ctx.reply(t("strategy-new-discarded"));
      return;
    }
    const strategyName = name;
    const outcome = await conversation.external(async (c: BotContext) => {
      try {
        const v = await c.deps.services.strategies.saveKind(
          actorOf(c),
          strategyName,
          chosen,
          answers,
          { firstVersion: true },
        );
        const folios = await c.deps.services.portfolios.listPortfolios(actorOf(c));
        const portfolio = folios.find((p) => !p.archivedAt)?.name ?? null;
        return { ok: true as const, name: v.name, version: v.version, portfolio };
      } catch (e) {
        return { ok: false as const, error: explain(c, e) };
      }
    });
    if (!outcome.ok) {
      await ctx.reply(outcome.error);
      return;
    }
    // what to do next, as commands to copy (a name with spaces goes in quotes for /backtest)
    const quoted = /\s/.test(outcome.name) ? `"${outcome.name}"` : outcome.name;
    const run = outcome.portfolio
      ? fmt`\n${t("strategy-new-next-run")} ${FormattedString.code(`/run ${outcome.name} on ${outcome.portfolio} BTCUSDT`)}`
      : fmt``;
    await replyFmt(
      ctx,
      fmt`✅ ${t("strategy-created", { name: outcome.name, version: outcome.version })}\n${t("strategy-new-next-backtest")} ${FormattedString.code(`/backtest ${quoted} BTCUSDT`)}${run}`,
    );
  });
}
