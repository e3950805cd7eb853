// What the risk module reports beyond single orders: current usage of each limit (for RISK
// alerts) and the /risk overview of a portfolio.
import type { Decimal } from "../../lib/decimal.ts";
import type { PortfolioView } from "../portfolios/portfolio-service.ts";
import type { BreachView } from "./breach-log.ts";
import type { EquitySummary } from "./risk-decision.ts";
import type { ApplicablePolicy, PolicyView } from "./policy-types.ts";
import type { PortfolioRiskSnapshot } from "./risk-snapshot.ts";
import { RISK_RULES, type RiskRule } from "./rules.ts";
import { type RuleUsage, ruleUsage } from "./usage.ts";

/** Usage of one rule of one policy, for alerts (RISK alerts: "warn me at 80 % of a limit"). */
export interface RiskUsage {
  policyId: number;
  rule: RiskRule;
  usedPct: Decimal;
  limit: Decimal;
  observed: Decimal;
}

export interface PolicyUsageView {
  policy: PolicyView;
  /** per rule of the policy: current usage, null when it has none (risk per trade) or cannot be measured */
  rules: Array<{ rule: RiskRule; usage: RuleUsage | null }>;
}

export interface RiskOverview {
  portfolio: PortfolioView;
  equity: EquitySummary;
  /** USER, then PORTFOLIO, then STRATEGY; paused ones included (isActive false) */
  policies: PolicyUsageView[];
  breaches: BreachView[];
}

export function usageRows(
  policies: readonly ApplicablePolicy[],
  snapshot: PortfolioRiskSnapshot,
): RiskUsage[] {
  const out: RiskUsage[] = [];
  for (const policy of policies) {
    for (const rule of RISK_RULES) {
      const r = policy.config[rule];
      if (!r) continue;
      const u = ruleUsage(rule, r.limit, snapshot);
      if (u)
        out.push({
          policyId: policy.id,
          rule,
          usedPct: u.usedPct,
          limit: u.limit,
          observed: u.observed,
        });
    }
  }
  return out;
}

/** Each policy bearing on the portfolio (USER, PORTFOLIO, STRATEGY) with its rules' usage. */
export function policyUsages(
  all: readonly PolicyView[],
  portfolioId: number,
  snapshot: PortfolioRiskSnapshot,
): PolicyUsageView[] {
  const order = { USER: 0, PORTFOLIO: 1, STRATEGY: 2 } as const;
  return all
    .filter(
      (p) =>
        p.scope === "USER" ||
        p.scope === "STRATEGY" ||
        (p.scope === "PORTFOLIO" && p.scopeId === portfolioId),
    )
    .sort((a, b) => order[a.scope] - order[b.scope] || a.id - b.id)
    .map((policy) => ({
      policy,
      rules: RISK_RULES.filter((r) => policy.config[r]).map((rule) => ({
        rule,
        usage: ruleUsage(rule, policy.config[rule]!.limit, snapshot),
      })),
    }));
}
