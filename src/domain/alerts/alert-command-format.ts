// An alert's config written back as quick /alert syntax (alert-syntax.ts parses it): the default
// alert name and the "equivalent command" the step-by-step conversation shows.
import { type IndicatorSpec, formatIndicator } from "../indicators/indicator-spec.ts";
import { plainNumber } from "../indicators/rounding.ts";
import {
  type AlertCondition,
  type AlertConfig,
  type CrossDirection,
  DEFAULT_COOLDOWN_MS,
  DEFAULT_SEVERITY,
} from "./alert-config.ts";
import { formatDuration } from "./durations.ts";

/** The shortest word for a spec that parses back to it ("rsi14", "macd", "bb20", "SMA(50)"...). */
function indicatorWord(spec: IndicatorSpec): string {
  switch (spec.kind) {
    case "PRICE":
      return "price";
    case "RSI":
      return `rsi${spec.period}`;
    case "SMA":
      return `sma${spec.period}`;
    case "EMA":
      return `ema${spec.period}`;
    case "ATR":
      return `atr${spec.period}`;
    case "VOLUME_SPIKE":
      return `vol${spec.period}`;
    case "MACD":
      return spec.fast === 12 && spec.slow === 26 && spec.signal === 9 && !spec.output
        ? "macd"
        : formatIndicator(spec);
    case "BBANDS":
      return spec.stdDev === 2 && !spec.output ? `bb${spec.period}` : formatIndicator(spec);
    default:
      return formatIndicator(spec);
  }
}

function directionWord(direction: CrossDirection): string {
  return direction === "any" ? "" : ` ${direction}`;
}

/**
 * The condition as quick syntax (without options): the default alert name. `levelTrigger` puts
 * "is" before the verb ("BTCUSDT is above 70000", "ETHUSDT rsi14 1h is below 30").
 */
export function formatAlertCondition(c: AlertCondition, levelTrigger = false): string {
  const is = levelTrigger ? "is " : "";
  switch (c.kind) {
    case "PRICE_LEVEL":
      return `${c.symbol} ${is}${c.direction} ${c.level}`;
    case "PRICE_MOVE":
      return `${c.symbol} ${is}move ${c.percent}% ${formatDuration(c.windowMs)}${directionWord(c.direction)}`;
    case "INDICATOR_LEVEL":
      return c.indicator.kind === "VOLUME_SPIKE" && c.direction === "above"
        ? `${c.symbol} ${indicatorWord(c.indicator)} ${c.interval} ${is}spike ${plainNumber(c.level)}`
        : `${c.symbol} ${indicatorWord(c.indicator)} ${c.interval} ${is}${c.direction} ${plainNumber(c.level)}`;
    case "MA_CROSS":
      return `${c.symbol} ${indicatorWord(c.fast)} ${is}cross ${indicatorWord(c.slow)} ${c.interval}${directionWord(c.direction)}`;
    case "MACD_CROSS":
      return `${c.symbol} ${indicatorWord(c.indicator)} ${c.interval} ${is}cross${directionWord(c.direction)}`;
    case "BB_TOUCH":
      return `${c.symbol} ${indicatorWord(c.indicator)} ${c.interval} ${is}touch ${c.band}`;
    case "ATR_MOVE":
      return `${c.symbol} ${indicatorWord(c.indicator)} ${c.interval} ${is}move ${plainNumber(c.multiplier)}`;
    case "POSITION_PNL":
      return `position ${c.symbol} ${is}pnl ${c.threshold}${c.unit === "percent" ? "%" : ""}`;
    case "POSITION_DRAWDOWN":
      return `position ${c.symbol} ${is}drawdown ${c.percent}%`;
    case "RISK_USAGE":
      return `risk ${is}${c.percent}%${c.rule ? ` rule ${c.rule}` : ""}`;
  }
}

/** The options as quick syntax words ("once", "every 30m", "critical"), defaults left out. */
function formatAlertOptions(config: Pick<AlertConfig, "once" | "cooldownMs" | "severity">): string {
  const words: string[] = [];
  if (config.once) words.push("once");
  else if (config.cooldownMs !== DEFAULT_COOLDOWN_MS) {
    words.push(`every ${formatDuration(config.cooldownMs)}`);
  }
  if (config.severity !== DEFAULT_SEVERITY) words.push(config.severity.toLowerCase());
  return words.join(" ");
}

/** The whole alert as one /alert command. */
export function formatAlertCommand(config: AlertConfig, portfolio?: string | null): string {
  const options = formatAlertOptions(config);
  const scope = portfolio ? ` in ${portfolio}` : "";
  const condition = formatAlertCondition(config.condition, config.trigger === "level");
  return `${condition}${options ? ` ${options}` : ""}${scope}`;
}
