// The order card's "TP / SL" button: asks for a take-profit and a stop-loss (a price, or a
// percent from the entry such as 5%; each may be skipped), checking each as it is typed, then
// shows the card again with them — the card resolves the levels and shows their expected PnL.
import { dec } from "../../../lib/decimal.ts";
import {
  type BotContext,
  type BotConversation,
  type ConvContext,
  withActor,
} from "../../context.ts";
import { button, keyboard } from "../../keyboards.ts";
import { showCard } from "./flow.ts";
import { type OrderDraft, parseLevel } from "./quick-syntax.ts";
import { askText, cancellable } from "../../conversations/ask.ts";

export const ORDER_BRACKET = "order-bracket";

const SKIP = "bk:skip";

/**
 * A typed level, or why not: a positive price or percent, and — when the entry's limit price is
 * known already — on the right side of it (above for a buy's take-profit, below for its stop).
 */
function checkLevel(
  text: string,
  draft: OrderDraft,
  role: "tp" | "sl",
  t: (k: string, p?: Record<string, string | number>) => string,
): { value: string } | { error: string } {
  const level = parseLevel(text.trim().replace(/\s+%$/, "%"));
  if (!level) return { error: t("bracket-level-invalid", { value: text.trim().slice(0, 20) }) };
  if (!level.endsWith("%") && draft.price) {
    const above = (draft.side === "BUY") === (role === "tp");
    const price = dec(level);
    const entry = dec(draft.price);
    if (above ? !price.gt(entry) : !price.lt(entry))
      return {
        error: t(above ? "bracket-level-above" : "bracket-level-below", {
          value: level,
          entry: draft.price,
        }),
      };
  }
  return { value: level };
}

export async function orderBracket(
  conversation: BotConversation,
  ctx: ConvContext,
  start: OrderDraft,
): Promise<void> {
  await cancellable(async () => {
    const t = (k: string, p?: Record<string, string | number>) => ctx.t(k, p);
    const skip = keyboard([[button(`⏭ ${t("bracket-skip")}`, SKIP)]]);
    const ask = async (role: "tp" | "sl") => {
      const prompt = await ctx.reply(t(role === "tp" ? "bracket-ask-tp" : "bracket-ask-sl"), {
        reply_markup: skip,
      });
      return (
        await askText<string | null>(
          conversation,
          (text, c) => checkLevel(text, start, role, (k, p) => c.t(k, p)),
          { skipData: SKIP, skipValue: null, prompt },
        )
      ).value;
    };
    const takeProfit = await ask("tp");
    const stopLoss = await ask("sl");
    const draft: OrderDraft = { ...start, takeProfit, stopLoss };
    await conversation.external((c: BotContext) => showCard(withActor(c), draft));
  });
}
