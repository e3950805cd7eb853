// /newalert: an alert step by step for people who prefer buttons to the quick syntax. Each step
// adds words to the same /alert command the quick syntax takes, so both paths share one parser
// and one validation, and the last message teaches the one-line command. Database work runs
// inside conversation.external(), so replays never repeat it.
import { type FormattedString } from "@grammyjs/parse-mode";
import { MAX_PERCENT } from "../../../domain/alerts/alert-config.ts";
import { parseAlertCommand } from "../../../domain/alerts/alert-syntax.ts";
import { parseDuration } from "../../../domain/alerts/durations.ts";
import { isDomainError } from "../../../domain/errors.ts";
import { formatIndicator, type IndicatorSpec } from "../../../domain/indicators/indicator-spec.ts";
import { parseIndicator } from "../../../domain/indicators/indicator-syntax.ts";
import { readNumber, readPositive } from "../../../domain/bounds.ts";
import { Decimal, parseDecimal } from "../../../lib/decimal.ts";
import { type BotContext, type BotConversation, type ConvContext, actorOf } from "../../context.ts";
import { describeDomainError } from "../../errors.ts";
import { createdReply, duration } from "./alert-text.ts";
import { button, grid, keyboard } from "../../keyboards.ts";
import { askChoice, askText, cancellable } from "../../conversations/ask.ts";

export const ALERT_NEW = "new-alert";

const KINDS = ["price", "move", "rsi", "ma", "macd", "bb", "atr", "vol", "pnl", "dd"] as const;
type Kind = (typeof KINDS)[number];
const INTERVALS = ["15m", "1h", "4h", "1d"];
const WINDOWS = ["15m", "1h", "4h", "1d"];
const REPEATS = ["once", "15m", "1h", "4h", "1d"];

function explain(ctx: BotContext | ConvContext, e: unknown): string {
  if (isDomainError(e)) return describeDomainError((k, p) => ctx.t(k, p), e);
  throw e;
}

/** Buttons for `values` with callback data `na:<step>:<value>`, `perRow` to a row. */
function choices(
  ctx: ConvContext,
  step: string,
  values: readonly string[],
  label?: (v: string) => string,
  perRow = 4,
) {
  return keyboard(
    grid(
      values.map((v) => button(label ? label(v) : v, `na:${step}:${v}`)),
      perRow,
    ),
  );
}

async function pick(
  conversation: BotConversation,
  ctx: ConvContext,
  step: string,
  question: string,
  values: readonly string[],
  options: {
    label?: (v: string) => string;
    typed?: (text: string) => string | null | { error: string };
    perRow?: number;
  } = {},
): Promise<string> {
  await ctx.reply(question, {
    reply_markup: choices(ctx, step, values, options.label, options.perRow),
  });
  const { value } = await askChoice(
    conversation,
    new RegExp(`^na:${step}:([\\w.%-]+)$`),
    ctx.t("newalert-press-button"),
    options.typed,
  );
  return value;
}

/**
 * A number typed by the user, checked by `accept`: the words to use, null (asked again with a
 * generic reason), or thrown domain errors (asked again with their reason: not a number,
 * ambiguous, too large — the domain's own bounds, at the step where the number is typed).
 */
async function askNumber(
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

const positive = (max: number) => (text: string) => {
  const d = parseDecimal(text.replace(/[%x]$/i, ""));
  return d && d.gt(0) && d.lte(max) ? d.toFixed() : null;
};

async function askInterval(conversation: BotConversation, ctx: ConvContext): Promise<string> {
  return pick(conversation, ctx, "i", ctx.t("newalert-interval"), INTERVALS);
}

async function askDirection(
  conversation: BotConversation,
  ctx: ConvContext,
  values: readonly string[],
): Promise<string> {
  return pick(conversation, ctx, "d", ctx.t("newalert-direction"), values, {
    label: (v) => ctx.t(`newalert-dir-${v}`),
    perRow: 3,
  });
}

/** Two ways of writing one line ("ema20", "EMA(20)") are the same line. */
function sameLine(a: string, b: string): boolean {
  try {
    return formatIndicator(parseIndicator(a)) === formatIndicator(parseIndicator(b));
  } catch {
    return false;
  }
}

const FAST_LINES = ["price", "ema20", "ema50", "sma50"];
const SLOW_LINES = ["ema50", "sma100", "sma200"];

/**
 * One line of a crossing, checked as soon as it is typed: an indicator that parses (a period
 * out of range names the allowed range), a moving average or the price, and for the second line
 * not the first one again — with lines to try instead.
 */
function maLine(ctx: ConvContext, text: string, first?: string): string | { error: string } {
  let spec: IndicatorSpec;
  try {
    spec = parseIndicator(text);
  } catch (e) {
    return { error: `${explain(ctx, e)}\n${ctx.t("newalert-type-again")}` };
  }
  if (spec.kind !== "SMA" && spec.kind !== "EMA" && spec.kind !== "PRICE")
    return { error: ctx.t("newalert-ma-kind", { value: text }) };
  const words = text.toLowerCase().replace(/\s+/g, "");
  if (first !== undefined && sameLine(words, first)) return { error: sameLineError(ctx, first) };
  return words;
}

function sameLineError(ctx: ConvContext, first: string): string {
  const others = SLOW_LINES.filter((l) => !sameLine(l, first));
  return ctx.t("newalert-ma-same", { fast: first, suggestions: others.join(", ") });
}

async function askMa(
  conversation: BotConversation,
  ctx: ConvContext,
  question: string,
  values: string[],
  first?: string,
) {
  return pick(conversation, ctx, "m", question, values, {
    typed: (text) => maLine(ctx, text, first),
  });
}

/** The words after the symbol for each kind of alert. */
async function conditionWords(
  conversation: BotConversation,
  ctx: ConvContext,
  kind: Kind,
  symbol: string,
): Promise<string[]> {
  switch (kind) {
    case "price": {
      const direction = await askDirection(conversation, ctx, ["above", "below"]);
      const level = await askNumber(conversation, ctx, ctx.t("newalert-level-price"), (text) =>
        readPositive("alertLevel", text, "price").toFixed(),
      );
      return [symbol, direction, level];
    }
    case "move": {
      const percent = await askNumber(
        conversation,
        ctx,
        ctx.t("newalert-move-percent"),
        positive(1000),
      );
      const window = await pick(conversation, ctx, "w", ctx.t("newalert-move-window"), WINDOWS, {
        typed: (text) => (parseDuration(text) !== null ? text.toLowerCase() : null),
      });
      return [symbol, "move", `${percent}%`, window];
    }
    case "rsi": {
      const interval = await askInterval(conversation, ctx);
      const direction = await askDirection(conversation, ctx, ["above", "below"]);
      const level = await askNumber(conversation, ctx, ctx.t("newalert-level-rsi"), (text) => {
        const d = parseDecimal(text);
        return d && d.gt(0) && d.lt(100) ? d.toFixed() : null;
      });
      return [symbol, "rsi14", interval, direction, level];
    }
    case "ma": {
      const interval = await askInterval(conversation, ctx);
      const fast = await askMa(conversation, ctx, ctx.t("newalert-ma-fast"), FAST_LINES);
      // a line cannot cross itself: refused at this step (typed or pressed), not at the end
      let slow = await askMa(conversation, ctx, ctx.t("newalert-ma-slow"), SLOW_LINES, fast);
      while (sameLine(slow, fast)) {
        await ctx.reply(sameLineError(ctx, fast));
        slow = await askMa(conversation, ctx, ctx.t("newalert-ma-slow"), SLOW_LINES, fast);
      }
      const direction = await askDirection(conversation, ctx, ["up", "down", "any"]);
      return [symbol, fast, "cross", slow, interval, ...(direction === "any" ? [] : [direction])];
    }
    case "macd": {
      const interval = await askInterval(conversation, ctx);
      const direction = await askDirection(conversation, ctx, ["up", "down", "any"]);
      return [symbol, "macd", interval, "cross", ...(direction === "any" ? [] : [direction])];
    }
    case "bb": {
      const interval = await askInterval(conversation, ctx);
      const band = await pick(conversation, ctx, "b", ctx.t("newalert-band"), ["upper", "lower"], {
        label: (v) => ctx.t(`newalert-band-${v}`),
      });
      return [symbol, "bb20", interval, "touch", band];
    }
    case "atr": {
      const interval = await askInterval(conversation, ctx);
      const k = await pick(
        conversation,
        ctx,
        "x",
        ctx.t("newalert-atr-multiplier"),
        ["1.5", "2", "3"],
        {
          typed: positive(100),
        },
      );
      return [symbol, "atr14", interval, "move", k];
    }
    case "vol": {
      const interval = await askInterval(conversation, ctx);
      const k = await pick(
        conversation,
        ctx,
        "x",
        ctx.t("newalert-volume-multiplier"),
        ["2", "3", "5"],
        {
          typed: positive(1000),
        },
      );
      return [symbol, "vol20", interval, "spike", k];
    }
    case "pnl": {
      const threshold = await askNumber(
        conversation,
        ctx,
        ctx.t("newalert-pnl-threshold"),
        (text) => {
          const percent = text.endsWith("%");
          const d = percent
            ? readNumber("alertThreshold", text.slice(0, -1), "percent", new Decimal(MAX_PERCENT))
            : readNumber("alertThreshold", text, "amount");
          return !d.isZero() ? `${d.toFixed()}${percent ? "%" : ""}` : null;
        },
      );
      return ["position", symbol, "pnl", threshold];
    }
    case "dd": {
      const percent = await askNumber(
        conversation,
        ctx,
        ctx.t("newalert-drawdown"),
        positive(99.99),
      );
      return ["position", symbol, "drawdown", `${percent}%`];
    }
  }
}

export async function newAlert(conversation: BotConversation, ctx: ConvContext): Promise<void> {
  await cancellable(async () => {
    const kind = (await pick(conversation, ctx, "k", ctx.t("newalert-kind"), KINDS, {
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
    const repeat = await pick(conversation, ctx, "o", ctx.t("newalert-repeat"), REPEATS, {
      label: (v) =>
        v === "once"
          ? ctx.t("alert-once")
          : ctx.t("alert-every", { cooldown: duration(ctx.t.bind(ctx), parseDuration(v)!) }),
      perRow: 3,
    });
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
