// What /running shows (and the buttons redraw): each instance of the user's strategies with its
// state, and pause or resume, stop and "switch to the newest version" buttons under it.
import { fmt, FormattedString } from "@grammyjs/parse-mode";
import type { InlineKeyboardButton } from "grammy/types";
import type { StrategyInstanceView } from "../../../domain/strategies/instance-types.ts";
import type { ActorContext, BotContext } from "../../context.ts";
import { button, keyboard } from "../../keyboards.ts";
import { RUN_BUTTONS } from "./callback-data.ts";
import { instanceBlock } from "./strategy-run-text.ts";

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

export async function runningView(ctx: ActorContext) {
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
