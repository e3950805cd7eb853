// The quick alert syntax (what follows /alert), parsed into a validated condition and options
// (alert-command-format.ts writes a config back). Words are case-insensitive:
//
//   BTCUSDT above 70000                 ETHUSDT below 2500 once          BTCUSDT is above 70000
//   SOLUSDT move 5% 1h [up|down]        ETHUSDT rsi14 1h below 30        BTCUSDT ema20 cross ema50 4h [up|down]
//   BTCUSDT price cross sma200 1d       BTCUSDT macd 1h cross up         AAPL bb20 1d touch lower
//   BTCUSDT vol20 15m spike 3           BTCUSDT atr14 1h move 2
//   position BTCUSDT pnl -500           position BTCUSDT pnl -5%         position BTCUSDT drawdown 10%
//   risk 80% [rule dailyLossLimitPct]   ... [in PORTFOLIO NAME]           (position and risk alerts)
// Options anywhere after the symbol: "once", "every 30m" (repeating with that cooldown), "is"
// (fire while the condition holds rather than when it becomes true), a severity word (info,
// warning, error, critical). The words are read in alert-tokens.ts.
import { isIndicatorWord, parseIndicator } from "../indicators/indicator-syntax.ts";
import { SEVERITIES, type Severity } from "../notifications/notification-types.ts";
import type { AlertCondition } from "./alert-config.ts";
import {
  crossDirection,
  needs,
  numberToken,
  percentToken,
  takeInterval,
  unknownWord,
  usage,
} from "./alert-tokens.ts";
import {
  type AlertOptionsInput,
  validateAlertCondition,
  validateAlertOptions,
} from "./alert-validation.ts";
import { parseDuration } from "./durations.ts";

interface ParsedAlert {
  condition: AlertCondition;
  options: AlertOptionsInput;
  /** the portfolio named with "in NAME" (position and risk alerts), null for the active one */
  portfolio: string | null;
}

interface Extracted {
  words: string[];
  options: AlertOptionsInput;
  portfolio: string | null;
}

/** Takes the option words out of the token list (they may appear anywhere after the symbol). */
function extractOptions(tokens: string[], allowPortfolio: boolean): Extracted {
  const words: string[] = [];
  const options: AlertOptionsInput = {};
  let portfolio: string | null = null;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const lower = token.toLowerCase();
    if (lower === "once") {
      options.once = true;
    } else if (lower === "every" || lower === "cooldown") {
      const ms = parseDuration(tokens[i + 1] ?? "");
      if (ms === null) needs("error-alert-needs-duration", token);
      options.cooldownMs = ms;
      options.once = false;
      i++;
    } else if (lower === "is" || lower === "while") {
      options.trigger = "level";
    } else if ((SEVERITIES as readonly string[]).includes(token.toUpperCase())) {
      options.severity = token.toUpperCase() as Severity;
    } else if (lower === "severity") {
      const next = tokens[i + 1]?.toUpperCase() ?? "";
      if (!(SEVERITIES as readonly string[]).includes(next))
        needs("error-alert-needs-severity", token);
      options.severity = next as Severity;
      i++;
    } else if (allowPortfolio && lower === "in" && i > 0) {
      const name = tokens.slice(i + 1).join(" ");
      if (!name) needs("error-alert-needs-name", token);
      portfolio = name.replace(/^["'«](.*)["'»]$/, "$1");
      break;
    } else {
      words.push(token);
    }
  }
  return { words, options, portfolio };
}

function parsePosition(words: string[]): AlertCondition {
  const [symbol, verb, value] = words;
  if (!symbol || !verb) usage();
  const lower = verb.toLowerCase();
  if (lower === "pnl") {
    if (!value) needs("error-alert-needs-number", verb);
    const percent = value.endsWith("%");
    const threshold = numberToken(percent ? value.slice(0, -1) : value, verb);
    if (words.length > 3) unknownWord(words[3]!);
    return validateAlertCondition({
      kind: "POSITION_PNL",
      symbol,
      threshold,
      unit: percent ? "percent" : "amount",
    });
  }
  if (lower === "drawdown" || lower === "dd") {
    const percent = percentToken(value, verb);
    if (words.length > 3) unknownWord(words[3]!);
    return validateAlertCondition({ kind: "POSITION_DRAWDOWN", symbol, percent });
  }
  return unknownWord(verb);
}

function parseRisk(words: string[]): AlertCondition {
  const percent = percentToken(words[0], "risk");
  let rule: string | undefined;
  if (words[1]) {
    if (words[1].toLowerCase() !== "rule") unknownWord(words[1]);
    rule = words[2];
    if (!rule) needs("error-alert-needs-name", words[1]);
    if (words.length > 3) unknownWord(words[3]!);
  }
  return validateAlertCondition({ kind: "RISK_USAGE", percent, ...(rule ? { rule } : {}) });
}

function parsePriceMove(symbol: string, words: string[]): AlertCondition {
  // "move 5% 1h up" or "move 5% in 1h"
  const percent = percentToken(words[1], words[0]!);
  let i = 2;
  if (words[i]?.toLowerCase() === "in") i++;
  const windowMs = parseDuration(words[i] ?? "");
  if (windowMs === null) needs("error-alert-needs-duration", words[0]!);
  const direction = crossDirection(words[i + 1]);
  if (direction === null) unknownWord(words[i + 1]!);
  if (words.length > i + 2) unknownWord(words[i + 2]!);
  return validateAlertCondition({ kind: "PRICE_MOVE", symbol, percent, windowMs, direction });
}

function parseIndicatorAlert(symbol: string, words: string[]): AlertCondition {
  const indicator = parseIndicator(words[0]!);
  const rest = words.slice(1);
  const interval = takeInterval(rest);
  if (!interval) needs("error-alert-needs-interval", words[0]!);
  const [verbWord, arg, extra, ...more] = rest;
  if (!verbWord) usage();
  const verb = verbWord.toLowerCase();
  const done = (used: number) => {
    if (rest.length > used) unknownWord(rest[used]!);
  };
  switch (verb) {
    case "above":
    case "below":
      done(2);
      return validateAlertCondition({
        kind: "INDICATOR_LEVEL",
        symbol,
        interval,
        indicator,
        direction: verb,
        level: numberToken(arg, verbWord),
      });
    case "cross":
    case "crosses":
    case "crossing": {
      if (indicator.kind === "MACD") {
        const direction = crossDirection(arg);
        if (direction === null) unknownWord(arg!);
        done(2);
        return validateAlertCondition({
          kind: "MACD_CROSS",
          symbol,
          interval,
          indicator,
          direction,
        });
      }
      if (!arg || !isIndicatorWord(arg)) needs("error-alert-needs-ma", verbWord);
      const slow = parseIndicator(arg);
      const direction = crossDirection(extra);
      if (direction === null) unknownWord(extra!);
      if (more.length) unknownWord(more[0]!);
      return validateAlertCondition({
        kind: "MA_CROSS",
        symbol,
        interval,
        fast: indicator,
        slow,
        direction,
      });
    }
    case "touch":
    case "touches": {
      const band = arg?.toLowerCase();
      const normalized =
        band === "top" || band === "up"
          ? "upper"
          : band === "bottom" || band === "low"
            ? "lower"
            : band;
      done(2);
      return validateAlertCondition({
        kind: "BB_TOUCH",
        symbol,
        interval,
        indicator,
        band: normalized,
      });
    }
    case "spike":
      done(2);
      return validateAlertCondition({
        kind: "INDICATOR_LEVEL",
        symbol,
        interval,
        indicator,
        direction: "above",
        level: numberToken(arg, verbWord, true),
      });
    case "move":
    case "moves":
      done(2);
      return validateAlertCondition({
        kind: "ATR_MOVE",
        symbol,
        interval,
        indicator,
        multiplier: numberToken(arg, verbWord, true),
      });
    default:
      return unknownWord(verbWord);
  }
}

/** Parses the text after /alert; throws ValidationError (field "alertSyntax" or the bad field). */
export function parseAlertCommand(text: string): ParsedAlert {
  const tokens = text.trim().split(/\s+/).filter(Boolean);
  if (tokens.length < 2) usage();
  const head = tokens[0]!.toLowerCase();
  const scoped = head === "position" || head === "risk";
  const { words, options, portfolio } = extractOptions(tokens.slice(1), scoped);
  // validate the options now, so "every 5s" is refused before anything else is looked up
  validateAlertOptions(options);
  if (head === "position") return { condition: parsePosition(words), options, portfolio };
  if (head === "risk") return { condition: parseRisk(words), options, portfolio };
  const symbol = tokens[0]!;
  const first = words[0]?.toLowerCase();
  if (!first) usage();
  let condition: AlertCondition;
  if (first === "above" || first === "below") {
    if (words.length > 2) unknownWord(words[2]!);
    condition = validateAlertCondition({
      kind: "PRICE_LEVEL",
      symbol,
      direction: first,
      level: numberToken(words[1], words[0]!),
    });
  } else if (first === "move" || first === "moves") {
    condition = parsePriceMove(symbol, words);
  } else if (isIndicatorWord(words[0]!)) {
    condition = parseIndicatorAlert(symbol, words);
  } else {
    unknownWord(words[0]!);
  }
  return { condition, options, portfolio };
}
