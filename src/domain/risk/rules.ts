// The risk rules a policy can hold, what each one measures and which values make sense for it.
// One table drives validation, the strictest-wins merge, pre-trade evaluation, the watch job and
// the bot's labels, so a new rule is added in one place.
import { Decimal } from "../../lib/decimal.ts";

export const RISK_RULES = [
  "maxRiskPerTradePct",
  "maxExposurePerAssetPct",
  "maxExposurePerAssetAbs",
  "dailyLossLimitPct",
  "maxLeverage",
  "maxOrdersPerDay",
  "minCashPct",
  "minCashAbs",
] as const;
export type RiskRule = (typeof RISK_RULES)[number];

/** What a breached rule does to an order, mildest first (the merge keeps the harshest). */
export const RULE_ACTIONS = ["warn", "reduce", "block"] as const;
export type RuleAction = (typeof RULE_ACTIONS)[number];

export interface RuleSpec {
  /** how the limit and the observed value read: percent, money (base currency), ratio, count */
  unit: "pct" | "money" | "ratio" | "count";
  /** "max": the observed value must stay at or below the limit; "min": at or above it */
  bound: "max" | "min";
  /** the order's size drives the observed value, so a smaller order can fit ("reduce" applies) */
  sizeDriven: boolean;
  /** the watch job may close positions when this rule is breached (closePositions) */
  closable: boolean;
  /** the limit must be above this (or equal to it when minInclusive) */
  min: Decimal;
  minInclusive: boolean;
  /** the limit must be at most this; null: unbounded */
  max: Decimal | null;
  integer: boolean;
}

const HUNDRED = new Decimal(100);

const pct = (over: Partial<RuleSpec>): RuleSpec => ({
  unit: "pct",
  bound: "max",
  sizeDriven: true,
  closable: false,
  min: new Decimal(0),
  minInclusive: false,
  max: HUNDRED,
  integer: false,
  ...over,
});

export const RULE_SPECS: Record<RiskRule, RuleSpec> = {
  maxRiskPerTradePct: pct({}),
  maxExposurePerAssetPct: pct({}),
  maxExposurePerAssetAbs: pct({ unit: "money", max: null }),
  dailyLossLimitPct: pct({ sizeDriven: false, closable: true }),
  maxLeverage: pct({ unit: "ratio", min: new Decimal(1), minInclusive: true, max: HUNDRED }),
  maxOrdersPerDay: pct({
    unit: "count",
    sizeDriven: false,
    min: new Decimal(1),
    minInclusive: true,
    max: new Decimal(10_000),
    integer: true,
  }),
  minCashPct: pct({ bound: "min" }),
  minCashAbs: pct({ unit: "money", bound: "min", max: null }),
};

/** Decimal places a limit may have. */
export const LIMIT_DECIMALS = 8;

export function isRiskRule(value: string): value is RiskRule {
  return (RISK_RULES as readonly string[]).includes(value);
}

export function actionRank(action: RuleAction): number {
  return RULE_ACTIONS.indexOf(action);
}

export function harsherAction(a: RuleAction, b: RuleAction): RuleAction {
  return actionRank(a) >= actionRank(b) ? a : b;
}

/** True when limit `a` is stricter than `b` for this rule (lower cap, or higher floor). */
export function stricterLimit(rule: RiskRule, a: Decimal, b: Decimal): boolean {
  return RULE_SPECS[rule].bound === "max" ? a.lt(b) : a.gt(b);
}

/** True when the observed value breaks the limit. */
export function breaches(rule: RiskRule, observed: Decimal, limit: Decimal): boolean {
  return RULE_SPECS[rule].bound === "max" ? observed.gt(limit) : observed.lt(limit);
}
