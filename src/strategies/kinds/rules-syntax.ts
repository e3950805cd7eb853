// The rules language users write a strategy in, in the indicator vocabulary alerts and screeners
// use (RSI(14), rsi14, SMA(200), close, macd, bb20.upper ...):
//
//   buy 10% when RSI(14) < 30 and close > SMA(200); sell all when RSI(14) > 70; stop 3%; take 8%
//
// Statements are separated by ";" or new lines:
//   buy|sell SIZE when COND [and|or COND]...   SIZE: 10% (of equity), 100 USDT / 100$ / $100
//                                               (quote), 0.5 (quantity), all (sell only)
//   stop N%   take N%                           stop-loss / take-profit from the entry price
//   every 1h  |  on 4h                          the timeframe (default: the stored one, or 1h)
// COND is "A < B" (<, <=, >, >=) with an indicator or a number on either side; "and" binds
// tighter than "or". Every mistake is a ValidationError on field "strategyRules" whose params say
// which statement (1-based), the word at fault and, where there is one, a suggestion.
import { Decimal, parseNumberInput } from "../../lib/decimal.ts";
import { INTERVALS, type Interval, parseInterval } from "../../market/intervals.ts";
import { editDistance } from "../../market/symbols.ts";
import { ValidationError, isDomainError } from "../../domain/errors.ts";
import {
  type IndicatorSpec,
  formatIndicator,
  minCandles,
} from "../../domain/indicators/indicator-spec.ts";
import { isIndicatorWord, parseIndicator } from "../../domain/indicators/indicator-syntax.ts";
import type { IntentSize } from "../types.ts";

export const RULES_FIELD = "strategyRules";
/** Longest indicator period a rule may use: a year of daily candles is plenty for live fetching. */
export const MAX_RULES_PERIOD = 250;
export const MAX_RULES_SOURCE = 1000;
export const MAX_STATEMENTS = 20;
export const MAX_CONDITIONS = 10;
const MAX_STOP_PCT = new Decimal(100);
const MAX_TAKE_PCT = new Decimal(10_000);
const MAX_QUOTE = new Decimal("1e15");
const MAX_QUANTITY = new Decimal("1e10");

export type Comparator = "<" | "<=" | ">" | ">=";
export type Operand = { indicator: IndicatorSpec } | { number: number };

export interface Comparison {
  left: Operand;
  op: Comparator;
  right: Operand;
}

/** Any of the groups holds when all comparisons of that group hold ("and" inside "or"). */
export type Condition = Comparison[][];

export interface TradeRule {
  action: "buy" | "sell";
  size: IntentSize;
  when: Condition;
  /** 1-based statement number, for intent ids and messages */
  statement: number;
}

export interface RulesProgram {
  rules: TradeRule[];
  stopLossPct: Decimal | null;
  takeProfitPct: Decimal | null;
  timeframe: Interval | null;
}

const KEYWORDS = ["buy", "sell", "stop", "take", "every", "on"] as const;
const OPERATORS: Record<string, Comparator> = {
  "<": "<",
  ">": ">",
  "<=": "<=",
  "=<": "<=",
  "≤": "<=",
  ">=": ">=",
  "=>": ">=",
  "≥": ">=",
};
const COMPARISON = /^(.+?)\s*(<=|>=|=<|=>|<|>|≤|≥)\s*(.+)$/;
/** names the indicator syntax knows, for "did you mean" */
const INDICATOR_NAMES = [
  "RSI",
  "SMA",
  "EMA",
  "MACD",
  "BB",
  "ATR",
  "VOL",
  "VOLUME",
  "PRICE",
  "CLOSE",
  "CHANGE",
];

function fail(
  key: string,
  params: Record<string, string | number> = {},
  suggestions: string[] = [],
): never {
  throw new ValidationError(RULES_FIELD, key, params, suggestions);
}

/** The nearest candidate by edit distance, when it is close enough to be a typo. */
function nearest(word: string, candidates: readonly string[], max = 2): string | undefined {
  let best: string | undefined;
  let bestDistance = max + 1;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

const short = (text: string): string => {
  const t = text.trim().replace(/\s+/g, " ");
  return t.length > 40 ? `${t.slice(0, 39)}…` : t;
};

function percentOf(text: string, statement: number, max: Decimal): Decimal {
  const m = /^(.+?)\s*%$/.exec(text.trim());
  const parsed = m ? parseNumberInput(m[1]!) : null;
  if (!parsed?.ok || !parsed.value.gt(0) || parsed.value.gt(max))
    fail("error-rules-percent", { statement, word: short(text), max: max.toFixed() });
  return parsed.value;
}

function sizeOf(text: string, action: "buy" | "sell", statement: number): IntentSize {
  const t = text.trim();
  if (/^all$/i.test(t)) {
    if (action === "buy") fail("error-rules-buy-all", { statement });
    return { kind: "all" };
  }
  if (t.endsWith("%")) return { kind: "equity-pct", value: percentOf(t, statement, MAX_STOP_PCT) };
  const quote = /^(?:\$\s*(.+)|(.+?)\s*(?:\$|usdt|usdc|usd|busd|eur|€|rub|₽))$/i.exec(t);
  const number = parseNumberInput(quote ? (quote[1] ?? quote[2]!) : t);
  if (!number.ok || !number.value.gt(0) || number.value.gt(quote ? MAX_QUOTE : MAX_QUANTITY))
    fail("error-rules-size", { statement, word: short(t) });
  return quote ? { kind: "quote", value: number.value } : { kind: "quantity", value: number.value };
}

/** An indicator in the rules' bounds, or the error pointing at the word. */
function indicatorOf(word: string, statement: number): IndicatorSpec {
  let spec: IndicatorSpec;
  try {
    spec = parseIndicator(word);
  } catch (e) {
    if (!isDomainError(e)) throw e;
    if (e.key === "error-indicator-period-range")
      return fail("error-rules-period", {
        statement,
        word: short(word),
        min: Number(e.params.min),
        max: MAX_RULES_PERIOD,
      });
    // a known indicator with parameters it cannot take ("MACD(26,12,9)", "rsi(a)")
    if (isIndicatorWord(word))
      return fail("error-rules-indicator-params", { statement, word: short(word) });
    const name = /^[a-z_]+/i.exec(word.trim())?.[0] ?? word;
    const guess = nearest(name, INDICATOR_NAMES);
    const suggestion = guess ? word.trim().replace(name, guess) : "none";
    return fail(
      "error-rules-indicator",
      { statement, word: short(word), suggestion },
      guess ? [suggestion] : [],
    );
  }
  if (spec.kind === "DIST_FROM_HIGH_PCT" || spec.kind === "DIST_FROM_LOW_PCT")
    fail("error-rules-indicator-daily", { statement, word: short(word) });
  const periods = Object.values(spec).filter((v): v is number => typeof v === "number");
  if (periods.some((p) => p > MAX_RULES_PERIOD))
    fail("error-rules-period", { statement, word: short(word), min: 2, max: MAX_RULES_PERIOD });
  return spec;
}

function operandOf(text: string, statement: number): Operand {
  const parsed = parseNumberInput(text);
  if (parsed.ok) return { number: parsed.value.toNumber() };
  return { indicator: indicatorOf(text, statement) };
}

function comparisonOf(text: string, statement: number): Comparison {
  const t = text.trim();
  if (!t) fail("error-rules-condition-empty", { statement });
  const m = COMPARISON.exec(t);
  if (!m) fail("error-rules-condition", { statement, word: short(t) });
  const left = operandOf(m[1]!, statement);
  const right = operandOf(m[3]!, statement);
  if ("number" in left && "number" in right)
    fail("error-rules-condition-constant", { statement, word: short(t) });
  return { left, op: OPERATORS[m[2]!]!, right };
}

function conditionOf(text: string, statement: number): Condition {
  const groups = text.split(/\s+or\s+/i).map((g) => g.split(/\s+and\s+/i));
  if (groups.flat().length > MAX_CONDITIONS)
    fail("error-rules-too-many-conditions", { statement, max: MAX_CONDITIONS });
  // "and" / "or" at either end leaves an empty piece: said as such rather than as a bad comparison
  if (/^\s*(and|or)\b|\b(and|or)\s*$/i.test(text))
    fail("error-rules-condition-empty", { statement });
  return groups.map((g) => g.map((c) => comparisonOf(c, statement)));
}

function tradeRuleOf(action: "buy" | "sell", rest: string, statement: number): TradeRule {
  const m = /^(.*?)\s*\bwhen\b\s*(.*)$/i.exec(rest);
  if (!m) {
    // "buy 10% if ..." or "buy 10% RSI(14) < 30": the missing word, and what stood there
    const stray = /^\S+\s+(\S+)/.exec(rest)?.[1];
    return fail("error-rules-when-missing", { statement, word: stray ? short(stray) : action });
  }
  if (!m[1]!.trim()) fail("error-rules-size-missing", { statement, action });
  return {
    action,
    size: sizeOf(m[1]!, action, statement),
    when: conditionOf(m[2]!, statement),
    statement,
  };
}

/** Parses and checks rules text; throws a ValidationError pointing at the first mistake. */
export function parseRules(source: string): RulesProgram {
  if (source.length > MAX_RULES_SOURCE) fail("error-rules-too-long", { max: MAX_RULES_SOURCE });
  const statements = source
    .split(/[;\n]/)
    .map((s) => s.trim())
    .filter(Boolean);
  if (!statements.length) fail("error-rules-empty");
  if (statements.length > MAX_STATEMENTS) fail("error-rules-too-many", { max: MAX_STATEMENTS });
  const program: RulesProgram = {
    rules: [],
    stopLossPct: null,
    takeProfitPct: null,
    timeframe: null,
  };
  statements.forEach((text, i) => {
    const statement = i + 1;
    const [first = "", ...others] = text.split(/\s+/);
    const keyword = first.toLowerCase();
    const rest = others.join(" ");
    switch (keyword) {
      case "buy":
      case "sell":
        program.rules.push(tradeRuleOf(keyword, rest, statement));
        return;
      case "stop":
      case "take": {
        const key = keyword === "stop" ? "stopLossPct" : "takeProfitPct";
        if (program[key] !== null) fail("error-rules-duplicate", { statement, word: keyword });
        program[key] = percentOf(rest, statement, keyword === "stop" ? MAX_STOP_PCT : MAX_TAKE_PCT);
        return;
      }
      case "every":
      case "on": {
        if (program.timeframe !== null) fail("error-rules-duplicate", { statement, word: keyword });
        const interval = parseInterval(rest);
        if (!interval)
          fail("error-rules-timeframe", {
            statement,
            word: short(rest || keyword),
            allowed: INTERVALS.join(", "),
          });
        program.timeframe = interval;
        return;
      }
      default: {
        const guess = nearest(keyword, KEYWORDS);
        fail(
          "error-rules-statement",
          { statement, word: short(first), suggestion: guess ?? "none" },
          guess ? [guess] : [],
        );
      }
    }
  });
  if (!program.rules.some((r) => r.action === "buy")) fail("error-rules-no-buy");
  return program;
}

/** Every indicator the program reads, once each (by canonical text). */
export function indicatorsOf(program: RulesProgram): Map<string, IndicatorSpec> {
  const out = new Map<string, IndicatorSpec>();
  for (const rule of program.rules)
    for (const group of rule.when)
      for (const c of group)
        for (const side of [c.left, c.right])
          if ("indicator" in side) out.set(formatIndicator(side.indicator), side.indicator);
  return out;
}

/** Candles the program needs: the longest indicator's warm-up, twice, for smoothed averages. */
export function rulesLookback(program: RulesProgram): number {
  let needed = 1;
  for (const spec of indicatorsOf(program).values()) needed = Math.max(needed, minCandles(spec));
  return needed * 2 + 1;
}
