// The questions /newalert asks (alert-new.ts): a choice of buttons that may also be typed, and a
// number typed and checked at once. Each answer is words of the /alert quick syntax.
import { parseDecimal } from "../../../lib/decimal.ts";
import type { BotConversation, ConvContext } from "../../context.ts";
import { narrowed } from "../../callback-data.ts";
import { askPress, askText } from "../../conversations/ask.ts";
import { button, grid, keyboard } from "../../keyboards.ts";
import { explain } from "./alert-text.ts";
import type { NewAlertStep } from "./callback-data.ts";

/** Buttons for `values` with the callback data of their question, `perRow` to a row. */
function choices(
  step: NewAlertStep,
  values: readonly string[],
  label?: (v: string) => string,
  perRow = 4,
) {
  return keyboard(
    grid(
      values.map((v) => button(label ? label(v) : v, step.pack({ value: v }))),
      perRow,
    ),
  );
}

/**
 * One of `values` as buttons; with `typed`, an answer may be typed too (the words to use, null to
 * ask again, or the reason to ask again with).
 */
export async function pick(
  conversation: BotConversation,
  ctx: ConvContext,
  step: NewAlertStep,
  question: string,
  values: readonly string[],
  options: {
    label?: (v: string) => string;
    typed?: (text: string) => string | null | { error: string };
    perRow?: number;
  } = {},
): Promise<string> {
  await ctx.reply(question, {
    reply_markup: choices(step, values, options.label, options.perRow),
  });
  const typed = options.typed;
  // only the answers this question offered: a forged press of another value is not an answer
  const offered = narrowed(step, ({ value }) => values.includes(value));
  const { value } = await askPress(
    conversation,
    offered,
    ctx.t("newalert-press-button"),
    typed &&
      ((text) => {
        const words = typed(text);
        return typeof words === "string" ? { value: words } : words;
      }),
  );
  return typeof value === "string" ? value : value.value;
}

/**
 * A number typed by the user, checked by `accept`: the words to use, null (asked again with a
 * generic reason), or thrown domain errors (asked again with their reason: not a number,
 * ambiguous, too large — the domain's own bounds, at the step where the number is typed).
 */
export async function askNumber(
  conversation: BotConversation,
  ctx: ConvContext,
  question: string,
  accept: (text: string) => string | null,
): Promise<string> {
  await ctx.reply(question);
  const { value } = await askText<string>(conversation, (text, c) => {
    let words: string | null;
    try {
      words = accept(text.replace(/\s/g, ""));
    } catch (e) {
      return { error: `${explain(c, e)}\n${c.t("newalert-type-again")}` };
    }
    return words === null ? { error: c.t("newalert-number-again") } : { value: words };
  });
  return value;
}

/** A number above 0 and at most `max`, "%" or "x" after it allowed. */
export const positive = (max: number) => (text: string) => {
  const d = parseDecimal(text.replace(/[%x]$/i, ""));
  return d && d.gt(0) && d.lte(max) ? d.toFixed() : null;
};
