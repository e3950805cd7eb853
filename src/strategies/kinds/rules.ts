// Rules written in chat (see rules-syntax.ts): the stored parameters are the text itself and its
// timeframe, { kind: "rules", source, timeframe }, and the text is parsed again whenever it runs,
// so what a user wrote is always what runs. Parsing is pure and cached by text.
//
// On each closed candle: with a position open, a stop-loss or take-profit on the close comes first
// (exits.ts), then the first sell rule whose condition holds; when flat, the first buy rule whose
// condition holds. A strategy adds to nothing it holds: one entry, then exits.
import { z } from "zod";
import { type FloatSeries, toFloatSeries } from "../../domain/indicators/float-series.ts";
import { type IndicatorSpec, formatIndicator } from "../../domain/indicators/indicator-spec.ts";
import { ValidationError } from "../../domain/errors.ts";
import type { StrategyDefinition, StrategyIntent } from "../types.ts";
import { positionExit } from "./exits.ts";
import { decimalText, intervalField, kindTag } from "./fields.ts";
import { windowIndicator } from "./window-indicators.ts";
import {
  type Comparison,
  type Operand,
  type RulesProgram,
  indicatorsOf,
  parseRules,
  rulesLookback,
} from "./rules-syntax.ts";

const CACHE_LIMIT = 200;
const cache = new Map<string, RulesProgram>();

/** The parsed program of a (valid) source, cached: the same text always parses the same. */
export function compileRules(source: string): RulesProgram {
  const hit = cache.get(source);
  if (hit) return hit;
  const program = parseRules(source);
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  cache.set(source, program);
  return program;
}

/** The source as stored: statements trimmed and separated by "; ". */
export const normalizeSource = (source: string): string =>
  source
    .split(/[;\n]/)
    .map((s) => s.trim().replace(/\s+/g, " "))
    .filter(Boolean)
    .join("; ");

/** Keywords of the statement that names the timeframe ("every 4h", "on 1d"); see rules-syntax. */
const TIMEFRAME_KEYWORDS = new Set(["every", "on"]);

/**
 * The source without its timeframe statement, for running it on another timeframe (a backtest's
 * TIMEFRAME argument): the text's own "every 4h" would otherwise win over the stored timeframe.
 */
export const withoutTimeframeStatement = (source: string): string =>
  normalizeSource(source)
    .split("; ")
    .filter((s) => !TIMEFRAME_KEYWORDS.has(s.split(" ")[0]!.toLowerCase()))
    .join("; ");

export const rulesParams = z
  .strictObject({
    kind: kindTag("rules"),
    source: z.string(),
    timeframe: intervalField("1h").optional(),
  })
  .transform((p, ctx) => {
    const source = normalizeSource(p.source);
    let program: RulesProgram;
    try {
      program = compileRules(source);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      ctx.addIssue({
        code: "custom",
        path: ["source"],
        message: e.key,
        params: { key: e.key, ...e.params },
      });
      return z.NEVER;
    }
    // "every 4h" in the text wins: it is what the user wrote last and what they read back
    return { kind: "rules" as const, source, timeframe: program.timeframe ?? p.timeframe ?? "1h" };
  });

export type RulesParams = z.output<typeof rulesParams>;

export interface RulesState {
  /** the close the last entry was made at (or its fill price once told), as a decimal string */
  entryPrice: string | null;
}

function holds(c: Comparison, values: Map<string, number | null>): boolean {
  const value = (o: Operand) =>
    "number" in o ? o.number : values.get(formatIndicator(o.indicator));
  const a = value(c.left);
  const b = value(c.right);
  // an indicator without a value yet (too few candles) makes the comparison false
  if (a === null || a === undefined || b === null || b === undefined) return false;
  switch (c.op) {
    case "<":
      return a < b;
    case "<=":
      return a <= b;
    case ">":
      return a > b;
    case ">=":
      return a >= b;
  }
}

/** An indicator's value at the last candle of a window given as float columns. */
export type IndicatorReader = (spec: IndicatorSpec, series: FloatSeries) => number | null;

/**
 * The rules kind reading its indicators with `read`: windowIndicator, which gives the values
 * computeIndicator gives over the same window, faster (tests compare the two kinds' runs).
 */
export const rulesDefinition = (
  read: IndicatorReader,
): StrategyDefinition<RulesParams, RulesState> => ({
  kind: "rules",
  params: rulesParams,
  timeframe: (p) => p.timeframe,
  lookback: (p) => rulesLookback(compileRules(p.source)),
  initialState: () => ({ entryPrice: null }),

  onCandle(input) {
    const { candles, position, params, state } = input;
    const last = candles.at(-1);
    if (!last) return { intents: [], state };
    const program = compileRules(params.source);
    const holding = position.quantity.gt(0);
    const remembered = holding ? state.entryPrice : null;

    const exit = positionExit(
      {
        stopLossPct: program.stopLossPct ?? undefined,
        takeProfitPct: program.takeProfitPct ?? undefined,
      },
      position,
      remembered,
      last.close,
    );
    if (exit) return { intents: [exit], state: { entryPrice: null } };

    // a backtest hands out its run's float columns; live, the window is converted here
    const series = input.floatSeries ? input.floatSeries() : toFloatSeries(candles);
    const values = new Map<string, number | null>();
    for (const [key, spec] of indicatorsOf(program)) values.set(key, read(spec, series));
    const wanted = holding ? "sell" : "buy";
    const rule = program.rules.find(
      (r) => r.action === wanted && r.when.some((group) => group.every((c) => holds(c, values))),
    );
    if (!rule) return { intents: [], state: { entryPrice: remembered } };
    const intent: StrategyIntent = {
      id: `${rule.action}-${rule.statement}`,
      action: rule.action,
      size: rule.size,
      orderType: "MARKET",
      reason: "signal",
    };
    const entryPrice = rule.action === "buy" ? decimalText(last.close) : remembered;
    return { intents: [intent], state: { entryPrice } };
  },

  onFill(_params, state, fill) {
    if (fill.side === "BUY") return { entryPrice: decimalText(fill.price) };
    return state;
  },
});

export const rules = rulesDefinition(windowIndicator);
