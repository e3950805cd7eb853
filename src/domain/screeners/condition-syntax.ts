// Screener conditions and sort keys as people type them:
//   "RSI(14) < 30"   "rsi14 < 30"   "EMA(20) > EMA(50)"   "PRICE_CHANGE_PCT(24) > 5"
//   "VOLUME_SPIKE(20) >= 2"   "DIST_FROM_HIGH_PCT(30d) < 5"   "price > 100"
//   sort: "RSI(14) asc", "change24 desc" — any indicator, then asc/desc (desc by default).
import { parseNumberInput } from "../../lib/decimal.ts";
import { numberInputError } from "../bounds.ts";
import { ValidationError } from "../errors.ts";
import type { IndicatorSpec } from "../indicators/indicator-spec.ts";
import { parseIndicator } from "../indicators/indicator-syntax.ts";
import {
  type Comparator,
  type ScreenerCondition,
  type SortOrder,
  validateCondition,
} from "./screener-config.ts";

const COMPARISON = /^(.+?)\s*(<=|>=|=<|=>|<|>|≤|≥)\s*(.+)$/;

const NORMAL: Record<string, Comparator> = {
  "<": "<",
  ">": ">",
  "<=": "<=",
  "=<": "<=",
  "≤": "<=",
  ">=": ">=",
  "=>": ">=",
  "≥": ">=",
};

function operandOf(text: string): IndicatorSpec | number {
  const number = text.replace(/%$/, "");
  const parsed = parseNumberInput(number);
  if (parsed.ok) return parsed.value.toNumber();
  // "1,000": a thousand or one? Said so, rather than "unknown indicator"
  if (parsed.problem === "ambiguous") numberInputError("screenerCondition", number, parsed);
  return parseIndicator(text);
}

export function parseCondition(text: string): ScreenerCondition {
  const m = text.trim().match(COMPARISON);
  if (!m) {
    throw new ValidationError("screenerCondition", "error-screener-condition-syntax", {
      value: text.trim(),
    });
  }
  const left = operandOf(m[1]!);
  if (typeof left === "number") {
    throw new ValidationError("screenerCondition", "error-screener-condition-left");
  }
  return validateCondition({ left, op: NORMAL[m[2]!], right: operandOf(m[3]!) });
}

export function parseSort(text: string): { by: IndicatorSpec; order: SortOrder } {
  const words = text.trim().split(/\s+/);
  const last = words.at(-1)?.toLowerCase();
  const order: SortOrder = last === "asc" || last === "desc" ? last : "desc";
  const spec = last === "asc" || last === "desc" ? words.slice(0, -1).join("") : words.join("");
  if (!spec) throw new ValidationError("screenerSort", "error-screener-sort-syntax");
  return { by: parseIndicator(spec), order };
}
