// The questions a step-by-step "new strategy" conversation asks, read from each kind's zod schema
// (so a parameter added to a kind is asked for without touching the bot), and the check of one
// answer as it is given: the parameter alone first, then — once every required parameter has an
// answer — the whole schema, whose cross-parameter rules (fast below slow, upper above lower)
// name the parameter at fault.
import { z } from "zod";
import { ValidationError } from "../domain/errors.ts";
import { compileRules, normalizeSource } from "./kinds/rules.ts";
import { definitionOf, paramIssueToError } from "./params.ts";
import type { StrategyKind } from "./types.ts";

export interface ParamQuestion {
  name: string;
  /** no answer needed: the parameter may be left out (offered as "Skip") */
  optional: boolean;
  /** the value used when the answer is the default (offered as a button), as text */
  fallback: string | null;
  /** the values to choose from, for a choice parameter (SMA/EMA) */
  choices: string[];
}

type Schema = z.ZodType;

/** The object schema behind a kind's parameters (rules wrap theirs in a transform). */
function objectOf(kind: StrategyKind): z.ZodObject {
  let schema: Schema = definitionOf(kind).params as Schema;
  while (!(schema instanceof z.ZodObject)) {
    if (schema instanceof z.ZodPipe) schema = schema.in as Schema;
    else throw new Error(`strategy kind ${kind} has no object schema`);
  }
  return schema;
}

interface Shape {
  optional: boolean;
  fallback: unknown;
  choices: string[];
}

/** What a field's schema says about defaults, optionality and choices, through its wrappers. */
function shapeOf(schema: Schema): Shape {
  if (schema instanceof z.ZodOptional) {
    const inner = shapeOf(schema.unwrap() as Schema);
    return { ...inner, optional: true };
  }
  if (schema instanceof z.ZodDefault) {
    const inner = shapeOf(schema.unwrap() as Schema);
    return { ...inner, fallback: schema.def.defaultValue };
  }
  if (schema instanceof z.ZodPipe) {
    const fromIn = shapeOf(schema.in as Schema);
    const fromOut = shapeOf(schema.out as Schema);
    return {
      optional: fromIn.optional || fromOut.optional,
      fallback: fromIn.fallback ?? fromOut.fallback,
      choices: fromIn.choices.length ? fromIn.choices : fromOut.choices,
    };
  }
  if (schema instanceof z.ZodEnum)
    return { optional: false, fallback: undefined, choices: schema.options.map(String) };
  return { optional: false, fallback: undefined, choices: [] };
}

/** The parameters of a kind to ask for, in the schema's order (the kind tag left out). */
export function paramQuestions(kind: StrategyKind): ParamQuestion[] {
  const shape = objectOf(kind).shape as Record<string, Schema>;
  return Object.entries(shape)
    .filter(([name]) => name !== "kind")
    .map(([name, field]) => {
      const s = shapeOf(field);
      return {
        name,
        optional: s.optional,
        fallback: s.fallback === undefined || s.fallback === null ? null : String(s.fallback),
        choices: s.choices,
      };
    });
}

export type AnswerCheck =
  | { ok: true }
  /** `param` is the parameter at fault: the one answered, or an earlier one it contradicts */
  | { ok: false; param: string; error: ValidationError };

/** The rules text parsed as it is answered: the parser's error names the statement and word. */
function checkRulesSource(text: string): AnswerCheck {
  try {
    compileRules(normalizeSource(text));
    return { ok: true };
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
    return { ok: false, param: "source", error: e };
  }
}

/**
 * Checks `value` as the answer for `name` (undefined: skipped), given the answers so far (text as
 * typed; skipped parameters absent) and which questions have been asked. The parameter alone
 * first; the whole set only once every question has been asked, because before that a default
 * of a later question (slow = 50) would judge an answer (fast = 60) the user may still make right.
 */
export function checkAnswer(
  kind: StrategyKind,
  answers: Record<string, string>,
  asked: ReadonlySet<string>,
  name: string,
  value: string | undefined,
): AnswerCheck {
  const object = objectOf(kind);
  const field = (object.shape as Record<string, Schema>)[name];
  if (!field) throw new Error(`strategy kind ${kind} has no parameter ${name}`);
  const alone = z.object({ [name]: field });
  const single = alone.safeParse(value === undefined ? {} : { [name]: value }, {
    reportInput: true,
  });
  if (!single.success)
    return { ok: false, param: name, error: paramIssueToError(single.error.issues[0]!, alone) };
  if (kind === "rules" && name === "source" && value !== undefined) {
    const parsed = checkRulesSource(value);
    if (!parsed.ok) return parsed;
  }
  const all: Record<string, string> = { ...answers };
  if (value === undefined) delete all[name];
  else all[name] = value;
  if (paramQuestions(kind).some((q) => q.name !== name && !asked.has(q.name))) return { ok: true };
  const whole = (definitionOf(kind).params as Schema).safeParse(
    { ...all, kind },
    { reportInput: true },
  );
  if (whole.success) return { ok: true };
  const issue = whole.error.issues[0]!;
  const at = String(issue.path[0] ?? name);
  // the parameter the rule names, when it was asked (answered, or skipped: a multiplier needs a
  // dip); a rule about one not asked is the answer's fault
  const param = at === name || asked.has(at) || Object.hasOwn(all, at) ? at : name;
  return { ok: false, param, error: paramIssueToError(issue, object) };
}

/** The timeframe the rules text names itself ("every 4h"), or null. */
export function rulesTimeframe(source: string): string | null {
  return compileRules(normalizeSource(source)).timeframe;
}
