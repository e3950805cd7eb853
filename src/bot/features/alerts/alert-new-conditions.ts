// The questions of /newalert (alert-new.ts) that depend on the kind of alert: for each kind the
// words after the symbol in the /alert quick syntax — interval, direction, levels, the two lines
// of a crossing (checked as they are given: a line cannot cross itself), and so on.
import { MAX_PERCENT } from "../../../domain/alerts/alert-config.ts";
import { parseDuration } from "../../../domain/alerts/durations.ts";
import { formatIndicator, type IndicatorSpec } from "../../../domain/indicators/indicator-spec.ts";
import { parseIndicator } from "../../../domain/indicators/indicator-syntax.ts";
import { readNumber, readPositive } from "../../../domain/bounds.ts";
import { Decimal, parseDecimal } from "../../../lib/decimal.ts";
import type { BotConversation, ConvContext } from "../../context.ts";
import { askNumber, pick, positive } from "./alert-new-ask.ts";
import { explain } from "./alert-text.ts";
import { newAlertStep } from "./callback-data.ts";

export const KINDS = [
  "price",
  "move",
  "rsi",
  "ma",
  "macd",
  "bb",
  "atr",
  "vol",
  "pnl",
  "dd",
] as const;
export type Kind = (typeof KINDS)[number];
const INTERVALS = ["15m", "1h", "4h", "1d"];
const WINDOWS = ["15m", "1h", "4h", "1d"];

async function askInterval(conversation: BotConversation, ctx: ConvContext): Promise<string> {
  return pick(conversation, ctx, newAlertStep.interval, ctx.t("newalert-interval"), INTERVALS);
}

async function askDirection(
  conversation: BotConversation,
  ctx: ConvContext,
  values: readonly string[],
): Promise<string> {
  return pick(conversation, ctx, newAlertStep.direction, ctx.t("newalert-direction"), values, {
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
  return pick(conversation, ctx, newAlertStep.line, question, values, {
    typed: (text) => maLine(ctx, text, first),
  });
}

/** The words after the symbol for each kind of alert. */
export async function conditionWords(
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
      const window = await pick(
        conversation,
        ctx,
        newAlertStep.window,
        ctx.t("newalert-move-window"),
        WINDOWS,
        {
          typed: (text) => (parseDuration(text) !== null ? text.toLowerCase() : null),
        },
      );
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
      const band = await pick(
        conversation,
        ctx,
        newAlertStep.band,
        ctx.t("newalert-band"),
        ["upper", "lower"],
        {
          label: (v) => ctx.t(`newalert-band-${v}`),
        },
      );
      return [symbol, "bb20", interval, "touch", band];
    }
    case "atr": {
      const interval = await askInterval(conversation, ctx);
      const k = await pick(
        conversation,
        ctx,
        newAlertStep.multiplier,
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
        newAlertStep.multiplier,
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
