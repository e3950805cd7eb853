// /newalert: an alert step by step for people who prefer buttons to the quick syntax. Each step
// adds words to the same /alert command the quick syntax takes, so both paths share one parser
// and one validation, and the last message teaches the one-line command. The questions are in
// alert-new-ask.ts and, kind by kind, alert-new-conditions.ts. Database work runs inside
// conversation.external(), so replays never repeat it.
import { type FormattedString } from "@grammyjs/parse-mode";
import { parseAlertCommand } from "../../../domain/alerts/alert-syntax.ts";
import { parseDuration } from "../../../domain/alerts/durations.ts";
import { type BotContext, type BotConversation, type ConvContext, actorOf } from "../../context.ts";
import { askText, cancellable } from "../../conversations/ask.ts";
import { pick } from "./alert-new-ask.ts";
import { KINDS, type Kind, conditionWords } from "./alert-new-conditions.ts";
import { createdReply, duration, explain } from "./alert-text.ts";
import { newAlertStep } from "./callback-data.ts";

export const ALERT_NEW = "new-alert";

const REPEATS = ["once", "15m", "1h", "4h", "1d"];

export async function newAlert(conversation: BotConversation, ctx: ConvContext): Promise<void> {
  await cancellable(async () => {
    const kind = (await pick(conversation, ctx, newAlertStep.kind, ctx.t("newalert-kind"), KINDS, {
      label: (v) => ctx.t(`newalert-kind-${v}`),
      perRow: 2,
    })) as Kind;

    await ctx.reply(ctx.t("newalert-symbol"));
    const { value: symbol } = await askText<string>(conversation, async (text) => {
      const found = await conversation.external(async (o: BotContext) => {
        try {
          return { symbol: (await o.deps.services.instruments.resolve(text)).symbol, error: null };
        } catch (e) {
          return { symbol: null, error: explain(o, e) };
        }
      });
      return found.symbol ? { value: found.symbol } : { error: found.error ?? "" };
    });

    const words = await conditionWords(conversation, ctx, kind, symbol);
    const repeat = await pick(
      conversation,
      ctx,
      newAlertStep.repeat,
      ctx.t("newalert-repeat"),
      REPEATS,
      {
        label: (v) =>
          v === "once"
            ? ctx.t("alert-once")
            : ctx.t("alert-every", { cooldown: duration(ctx.t.bind(ctx), parseDuration(v)!) }),
        perRow: 3,
      },
    );
    const command = [...words, ...(repeat === "once" ? ["once"] : ["every", repeat])].join(" ");
    try {
      parseAlertCommand(command);
    } catch (e) {
      await ctx.reply(
        `${explain(ctx, e)}\n${ctx.t("newalert-try-command", { command: `/alert ${command}` })}`,
      );
      return;
    }
    const reply = await conversation.external(async (o: BotContext) => {
      try {
        const created = await o.deps.services.alerts.createFromText(actorOf(o), command);
        const text: FormattedString = createdReply(o, await o.i18n.getLocale(), created);
        return { text: text.text, entities: text.entities, error: null };
      } catch (e) {
        return { text: null, entities: [], error: explain(o, e) };
      }
    });
    if (reply.text === null) {
      await ctx.reply(
        `${reply.error}\n${ctx.t("newalert-try-command", { command: `/alert ${command}` })}`,
      );
      return;
    }
    await ctx.reply(reply.text, { entities: reply.entities });
    await ctx.reply(ctx.t("newalert-next-time", { command: `/alert ${command}` }));
  });
}
