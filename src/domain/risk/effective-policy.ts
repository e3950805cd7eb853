// The effective policy for an order or a portfolio: all applicable policies (the user's USER
// policies, the portfolio's, the strategy's) merged so the strictest wins, rule by rule:
//   limit   the strictest value — the lowest cap for "max" rules, the highest floor for "min"
//           rules (minimum cash);
//   action  the harshest — block > reduce > warn — from any policy that sets the rule, even one
//           whose limit is looser (a looser policy must not soften a stricter one's reaction);
//   closePositions  true when any policy asks for it.
// Pure: no database, table-tested.
import type { Decimal } from "../../lib/decimal.ts";
import type { PolicyConfig } from "./policy-config.ts";
import {
  RISK_RULES,
  type RiskRule,
  type RuleAction,
  harsherAction,
  stricterLimit,
} from "./rules.ts";

export interface ScopedPolicy {
  id: number;
  config: PolicyConfig;
}

export interface EffectiveRule {
  rule: RiskRule;
  limit: Decimal;
  action: RuleAction;
  closePositions: boolean;
  /** the policy whose limit binds (breaches are logged against it) */
  policyId: number;
  /** every policy that sets this rule */
  policyIds: number[];
}

export type EffectivePolicy = Partial<Record<RiskRule, EffectiveRule>>;

export function mergePolicies(policies: readonly ScopedPolicy[]): EffectivePolicy {
  const out: EffectivePolicy = {};
  // stable tie-breaks: the lower policy id binds when limits are equal
  const ordered = [...policies].sort((a, b) => a.id - b.id);
  for (const rule of RISK_RULES) {
    let merged: EffectiveRule | null = null;
    for (const policy of ordered) {
      const r = policy.config[rule];
      if (!r) continue;
      if (!merged) {
        merged = {
          rule,
          limit: r.limit,
          action: r.action,
          closePositions: r.closePositions,
          policyId: policy.id,
          policyIds: [policy.id],
        };
        continue;
      }
      if (stricterLimit(rule, r.limit, merged.limit)) {
        merged.limit = r.limit;
        merged.policyId = policy.id;
      }
      merged.action = harsherAction(merged.action, r.action);
      merged.closePositions = merged.closePositions || r.closePositions;
      merged.policyIds.push(policy.id);
    }
    if (merged) out[rule] = merged;
  }
  return out;
}

export function effectiveRules(policy: EffectivePolicy): EffectiveRule[] {
  return RISK_RULES.flatMap((r) => (policy[r] ? [policy[r]] : []));
}
