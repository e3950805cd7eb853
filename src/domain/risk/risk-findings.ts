// Breached rules as findings for TradingService (an i18n key with parameters; on BLOCK the first
// finding becomes the RiskBlockedError the user reads), and the breach log's action per rule.
// Parameters are decimal strings cut to two places for reading; the full-precision numbers stay
// in RiskDecision.checks and in the breach rows.
import type { RiskAction } from "../../db/generated/sqlite/enums.ts";
import { dec } from "../../lib/decimal.ts";
import type { PreTradeFinding } from "../trading/pre-trade-check.ts";
import type { RiskOutcome, RuleCheck } from "./pre-trade-rules.ts";
import { RULE_SPECS, type RiskRule, actionRank } from "./rules.ts";

/** The message of each rule's breach (literal keys, so the translation test finds them). */
export const BREACH_KEYS: Record<RiskRule, string> = {
  maxRiskPerTradePct: "error-risk-max-risk-per-trade",
  maxExposurePerAssetPct: "error-risk-max-exposure-pct",
  maxExposurePerAssetAbs: "error-risk-max-exposure-abs",
  dailyLossLimitPct: "error-risk-daily-loss",
  maxLeverage: "error-risk-max-leverage",
  maxOrdersPerDay: "error-risk-max-orders",
  minCashPct: "error-risk-min-cash-pct",
  minCashAbs: "error-risk-min-cash-abs",
};
export const NO_EQUITY_KEY = "error-risk-no-equity";
export const REDUCE_TOO_SMALL_KEY = "error-risk-reduce-too-small";

/** A value for a message: two decimals for percents, ratios and money; whole counts. */
export function shown(value: string | null, rule: RiskRule): string {
  if (value === null) return "—";
  const places = RULE_SPECS[rule].unit === "count" ? 0 : 2;
  return dec(value).toDecimalPlaces(places).toFixed(places);
}

export function findingOf(
  check: RuleCheck,
  context: { symbol: string; currency: string; minQuantity: string },
): PreTradeFinding {
  const params = {
    rule: check.rule,
    limit: shown(check.limit, check.rule),
    observed: shown(check.observed, check.rule),
    symbol: context.symbol,
    currency: context.currency,
  };
  if (check.reason === "no-equity")
    return {
      rule: check.rule,
      key: NO_EQUITY_KEY,
      params: { ...params, equity: shown(check.numbers.equity ?? "0", "minCashAbs") },
    };
  if (check.reason === "reduce-too-small")
    return {
      rule: check.rule,
      key: REDUCE_TOO_SMALL_KEY,
      params: { ...params, min: context.minQuantity },
    };
  return { rule: check.rule, key: BREACH_KEYS[check.rule], params };
}

/** Breached checks, the ones that decided the outcome first (block, then reduce, then warn). */
export function breachedInOrder(checks: RuleCheck[]): RuleCheck[] {
  return checks
    .filter((c) => c.status === "BREACH")
    .sort((a, b) => actionRank(b.action) - actionRank(a.action));
}

/** What the breach log records for one breached rule, given the order's overall outcome. */
export function breachAction(check: RuleCheck, outcome: RiskOutcome): RiskAction {
  if (check.action === "block") return "BLOCKED";
  if (check.action === "warn") return "WARNED";
  // a reduce rule only reduced when the order went through reduced
  return outcome === "REDUCE" ? "REDUCED_SIZE" : "BLOCKED";
}
