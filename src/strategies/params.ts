// Reading a strategy's stored parameters: the kind picks the definition, the definition's zod
// schema validates and fills defaults, and the first problem becomes a ValidationError that names
// the parameter ("fast", "stopLossPct") with an i18n key, like every other domain error.
import { z } from "zod";
import { editDistance } from "../market/symbols.ts";
import { ValidationError } from "../domain/errors.ts";
import {
  type AnyStrategyDefinition,
  STRATEGY_DEFINITIONS,
  strategyDefinition,
} from "./registry.ts";
import { STRATEGY_KINDS, type StrategyKind, type StoredStrategyParams } from "./types.ts";
import type { Interval } from "../market/types.ts";
import { withoutTimeframeStatement } from "./kinds/rules.ts";

/** The field every parameter error is reported on; `param` names the parameter itself. */
export const PARAM_FIELD = "strategyParam";

type Issue = z.core.$ZodIssue & { input?: unknown; params?: Record<string, unknown> };

const shown = (value: unknown): string =>
  value === undefined
    ? "—"
    : (typeof value === "string" ? value : String(JSON.stringify(value))).slice(0, 40);

function knownKeys(schema: z.ZodType): string[] {
  return schema instanceof z.ZodObject ? Object.keys(schema.shape as object) : [];
}

function closest(word: string, candidates: string[]): string | undefined {
  const lower = word.toLowerCase();
  const scored = candidates
    .map((c) => ({ c, d: editDistance(lower, c.toLowerCase()) }))
    .sort((a, b) => a.d - b.d);
  return scored[0] && scored[0].d <= 2 ? scored[0].c : undefined;
}

/** The first zod issue as a ValidationError naming the parameter. */
export function paramIssueToError(issue: Issue, schema: z.ZodType): ValidationError {
  const param = issue.path.map(String).join(".") || "params";
  if (issue.code === "unrecognized_keys") {
    const name = issue.keys[0] ?? "";
    const known = knownKeys(schema).filter((k) => k !== "kind");
    const guess = closest(name, known);
    return new ValidationError(
      PARAM_FIELD,
      "error-strategy-param-unknown",
      { param: name, known: known.join(", "), suggestion: guess ?? "none" },
      guess ? [guess] : [],
    );
  }
  if (issue.code === "custom" && typeof issue.params?.key === "string") {
    const { key, ...rest } = issue.params;
    const params: Record<string, string | number> = { param };
    for (const [k, v] of Object.entries(rest)) params[k] = typeof v === "number" ? v : String(v);
    return new ValidationError(PARAM_FIELD, key, params);
  }
  // a missing parameter: whatever the schema expected (a number, a number or a string), the
  // message is the same
  if (
    issue.input === undefined &&
    (issue.code === "invalid_type" || issue.code === "invalid_union")
  )
    return new ValidationError(PARAM_FIELD, "error-strategy-param-required", { param });
  if (issue.code === "too_small" || issue.code === "too_big") {
    const limit = Number(issue.code === "too_small" ? issue.minimum : issue.maximum);
    return new ValidationError(
      PARAM_FIELD,
      issue.code === "too_small" ? "error-strategy-param-min" : "error-strategy-param-max",
      { param, limit, value: shown(issue.input) },
    );
  }
  if (issue.code === "invalid_value")
    return new ValidationError(
      PARAM_FIELD,
      "error-strategy-param-choice",
      { param, value: shown(issue.input), options: issue.values.map(String).join(", ") },
      issue.values.map(String),
    );
  if (issue.code === "invalid_type" && issue.expected === "object" && param === "params")
    return new ValidationError(PARAM_FIELD, "error-strategy-params-object");
  return new ValidationError(PARAM_FIELD, "error-strategy-param-invalid", {
    param,
    value: shown(issue.input),
  });
}

/** Parameters validated by one definition's schema, or the ValidationError naming the problem. */
export function validateWith<P>(definition: { params: z.ZodType<P> }, raw: unknown): P {
  // the input in each issue lets the error show back what was typed
  const result = definition.params.safeParse(raw, { reportInput: true });
  if (result.success) return result.data;
  throw paramIssueToError(result.error.issues[0] as Issue, definition.params);
}

/** The definition of a stored or typed kind, or a ValidationError listing the kinds there are. */
export function definitionOf(kind: unknown): AnyStrategyDefinition {
  const definition =
    typeof kind === "string" ? strategyDefinition(kind.trim().toLowerCase()) : undefined;
  if (definition) return definition;
  const available = STRATEGY_KINDS.filter((k) => Object.hasOwn(STRATEGY_DEFINITIONS, k));
  const guess = typeof kind === "string" ? closest(kind, [...available]) : undefined;
  throw new ValidationError(
    "strategyKind",
    "error-strategy-kind-unknown",
    { value: shown(kind), kinds: available.join(", ") },
    guess ? [guess] : [...available],
  );
}

export interface ParsedStrategy<P = unknown> {
  definition: AnyStrategyDefinition;
  params: P;
}

/**
 * Stored parameters (`{ kind, ...params }`, see StoredStrategyParams) validated by their kind:
 * what the runtime and the backtester call before running a strategy version.
 */
export function parseStoredParams(raw: unknown): ParsedStrategy {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw))
    throw new ValidationError(PARAM_FIELD, "error-strategy-params-object");
  const definition = definitionOf((raw as Record<string, unknown>).kind);
  const params: unknown = validateWith(definition, raw);
  return { definition, params };
}

/**
 * The canonical JSON to store for a kind's parameters: validated, defaults filled in, decimals
 * as strings, with the kind tag first. Parsing it again gives the same parameters.
 */
export function canonicalParams(
  kind: StrategyKind,
  raw: Record<string, unknown>,
): StoredStrategyParams {
  const definition = definitionOf(kind);
  const params: unknown = validateWith(definition, { ...raw, kind });
  const json = JSON.parse(JSON.stringify(params)) as Record<string, unknown>;
  return { ...json, kind };
}

/**
 * Stored parameters to be evaluated on `timeframe` instead of their own (/backtest's TIMEFRAME
 * argument, which "replaces the strategy's own for this test"). Every kind reads `timeframe`;
 * rules text that names one ("every 4h") wins over it, so that statement is left out.
 */
export function storedWithTimeframe(
  stored: Record<string, unknown>,
  timeframe: Interval,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...stored, timeframe };
  if (stored.kind === "rules" && typeof stored.source === "string")
    out.source = withoutTimeframeStatement(stored.source);
  return out;
}
