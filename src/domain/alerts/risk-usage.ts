// What RISK alerts read: how much of each risk policy rule a portfolio uses now. The risk module
// (src/domain/risk) provides it; AlertService takes it optionally and evaluates RISK alerts only
// when it is given.
import type { Decimal } from "../../lib/decimal.ts";

export interface RiskUsage {
  policyId: number;
  /** the policy rule ("dailyLossLimitPct", "maxExposurePerAssetPct", ...) */
  rule: string;
  /** observed value as a percentage of the rule's limit (100 = at the limit) */
  usedPct: Decimal;
}

export interface RiskUsageSource {
  usage(userId: number, portfolioId: number): Promise<RiskUsage[]>;
}
