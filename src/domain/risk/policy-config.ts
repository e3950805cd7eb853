// A risk policy's configuration: JSON as users (or the bot) send it, validated into exact
// decimals, and back to canonical JSON for storage. Shape:
//
//   { "maxRiskPerTradePct": { "limit": "2", "action": "block" },
//     "dailyLossLimitPct":  { "limit": "3", "action": "block", "closePositions": true },
//     "maxOrdersPerDay":    { "limit": 10,  "action": "warn" } }
//
// Every key is a rule from rules.ts; limits are decimal strings (or JSON numbers, read through
// their text, never as floats); unknown keys are refused. A bad value throws a ValidationError
// whose field is the rule's name (or "config" for the whole object), so the user is told exactly
// what to fix, and nothing is saved.
import { z } from "zod";
import type { Decimal } from "../../lib/decimal.ts";
import { checkBound, parseNumberOrThrow } from "../bounds.ts";
import { ValidationError } from "../errors.ts";
import {
  LIMIT_DECIMALS,
  RISK_RULES,
  RULE_ACTIONS,
  RULE_SPECS,
  type RiskRule,
  type RuleAction,
} from "./rules.ts";

export interface RuleConfig {
  limit: Decimal;
  action: RuleAction;
  /** watch job: close the positions with market orders when breached (closable rules only) */
  closePositions: boolean;
}

export type PolicyConfig = Partial<Record<RiskRule, RuleConfig>>;

/** As stored in risk_policies.config (JSON). */
export type StoredRuleConfig = { limit: string; action: RuleAction; closePositions?: true };
export type StoredPolicyConfig = Partial<Record<RiskRule, StoredRuleConfig>>;

const ruleSchema = z.strictObject({
  limit: z.union([z.string(), z.number()]),
  action: z.enum(RULE_ACTIONS),
  closePositions: z.boolean().optional(),
});

const configSchema = z.strictObject(
  Object.fromEntries(RISK_RULES.map((r) => [r, ruleSchema.optional()])) as Record<
    RiskRule,
    z.ZodOptional<typeof ruleSchema>
  >,
);

type Issue = z.core.$ZodIssue & { input?: unknown };

/** The first schema problem as a ValidationError naming the rule (or "config"). */
function toValidationError(issue: Issue): ValidationError {
  const [rule, part] = issue.path.map(String);
  const value = issue.input === undefined ? "" : String(JSON.stringify(issue.input)).slice(0, 40);
  if (rule === undefined) {
    if (issue.code === "unrecognized_keys")
      return new ValidationError("config", "error-risk-unknown-rule", {
        name: issue.keys.join(", "),
      });
    return new ValidationError("config", "error-risk-config-object");
  }
  if (part === undefined) {
    if (issue.code === "unrecognized_keys")
      return new ValidationError(rule, "error-risk-unknown-key", { name: issue.keys.join(", ") });
    return new ValidationError(rule, "error-risk-rule-object");
  }
  const missing = !("input" in issue) || issue.input === undefined;
  if (part === "limit")
    return missing
      ? new ValidationError(rule, "error-risk-limit-required")
      : new ValidationError(rule, "error-not-a-number", { value });
  if (part === "action")
    return missing
      ? new ValidationError(rule, "error-risk-action-required")
      : new ValidationError(rule, "error-risk-action-invalid", { value });
  return new ValidationError(rule, "error-risk-close-flag", { value });
}

function parseLimit(rule: RiskRule, raw: string | number): Decimal {
  const spec = RULE_SPECS[rule];
  const text = typeof raw === "number" ? String(raw) : raw;
  const limit = parseNumberOrThrow(rule, text);
  // an amount limit is money like any other a person types: bounded so it stays storable
  if (spec.unit === "money") checkBound(rule, limit, "amount");
  const value = limit.toFixed();
  const tooLow = spec.minInclusive ? limit.lt(spec.min) : limit.lte(spec.min);
  const tooHigh = spec.max !== null && limit.gt(spec.max);
  if (spec.integer && !limit.isInteger())
    throw new ValidationError(rule, "error-risk-limit-whole", { value });
  if (tooLow || tooHigh) {
    const key = {
      pct: "error-risk-limit-pct",
      money: "error-must-be-positive",
      ratio: "error-risk-limit-leverage",
      count: "error-risk-limit-count",
    }[spec.unit];
    return rejectRange(rule, key, value, spec.min, spec.max);
  }
  if (limit.decimalPlaces() > LIMIT_DECIMALS)
    throw new ValidationError(rule, "error-too-many-decimals", { max: LIMIT_DECIMALS });
  return limit;
}

function rejectRange(
  rule: RiskRule,
  key: string,
  value: string,
  min: Decimal,
  max: Decimal | null,
): never {
  throw new ValidationError(rule, key, {
    value,
    min: min.toFixed(),
    max: max?.toFixed() ?? "",
  });
}

/** Validates a policy configuration; throws a ValidationError naming the first bad field. */
export function parsePolicyConfig(input: unknown): PolicyConfig {
  const parsed = configSchema.safeParse(input, { reportInput: true });
  if (!parsed.success) throw toValidationError(parsed.error.issues[0] as Issue);
  const out: PolicyConfig = {};
  for (const rule of RISK_RULES) {
    const raw = parsed.data[rule];
    if (!raw) continue;
    const spec = RULE_SPECS[rule];
    const limit = parseLimit(rule, raw.limit);
    if (raw.action === "reduce" && !spec.sizeDriven)
      throw new ValidationError(rule, "error-risk-reduce-not-applicable");
    if (raw.closePositions && !spec.closable)
      throw new ValidationError(rule, "error-risk-close-not-applicable");
    out[rule] = { limit, action: raw.action, closePositions: raw.closePositions === true };
  }
  if (Object.keys(out).length === 0) throw new ValidationError("config", "error-risk-no-rules");
  // one cash floor per policy: a percent or an amount, not both
  if (out.minCashPct && out.minCashAbs)
    throw new ValidationError("minCashAbs", "error-risk-min-cash-one-of");
  return out;
}

/** Canonical JSON for the database: limits as plain decimal strings, rules in table order. */
export function toStoredConfig(config: PolicyConfig): StoredPolicyConfig {
  const out: StoredPolicyConfig = {};
  for (const rule of RISK_RULES) {
    const r = config[rule];
    if (!r) continue;
    out[rule] = {
      limit: r.limit.toFixed(),
      action: r.action,
      ...(r.closePositions ? { closePositions: true as const } : {}),
    };
  }
  return out;
}

/** A stored configuration read back (validated again: the column is plain JSON). */
export function fromStoredConfig(json: unknown): PolicyConfig {
  return parsePolicyConfig(json);
}
