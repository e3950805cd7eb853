// How risk rules, limits, actions and breaches read, shared by /risk, the policy conversation,
// the order card's risk block and the breach notifications: labels from the translations,
// numbers in the reader's locale (percent, money in the portfolio's currency, leverage, counts).
import { fmt, FormattedString } from "@grammyjs/parse-mode";
import type { RuleCheck } from "../../../domain/risk/pre-trade-rules.ts";
import type { StoredPolicyConfig } from "../../../domain/risk/policy-config.ts";
import {
  RISK_RULES,
  RULE_SPECS,
  type RiskRule,
  type RuleAction,
} from "../../../domain/risk/rules.ts";
import { formatMoney, formatNumber, formatPercent } from "../../format/numbers.ts";
import type { Translate } from "../../i18n.ts";

export interface RuleUi {
  /** the rule's short name */
  labelKey: string;
  /** what it means, asked before its value */
  descriptionKey: string;
  /** common values, offered as buttons */
  presets: string[];
}

export const RULE_UI: Record<RiskRule, RuleUi> = {
  maxRiskPerTradePct: {
    labelKey: "risk-rule-max-risk-per-trade",
    descriptionKey: "risk-ask-max-risk-per-trade",
    presets: ["0.5", "1", "2", "5"],
  },
  maxExposurePerAssetPct: {
    labelKey: "risk-rule-max-exposure-pct",
    descriptionKey: "risk-ask-max-exposure-pct",
    presets: ["10", "20", "30", "50"],
  },
  maxExposurePerAssetAbs: {
    labelKey: "risk-rule-max-exposure-abs",
    descriptionKey: "risk-ask-max-exposure-abs",
    presets: ["1000", "5000", "10000", "50000"],
  },
  dailyLossLimitPct: {
    labelKey: "risk-rule-daily-loss",
    descriptionKey: "risk-ask-daily-loss",
    presets: ["1", "2", "3", "5"],
  },
  maxLeverage: {
    labelKey: "risk-rule-max-leverage",
    descriptionKey: "risk-ask-max-leverage",
    presets: ["1", "1.5", "2", "3"],
  },
  maxOrdersPerDay: {
    labelKey: "risk-rule-max-orders",
    descriptionKey: "risk-ask-max-orders",
    presets: ["5", "10", "20", "50"],
  },
  minCashPct: {
    labelKey: "risk-rule-min-cash-pct",
    descriptionKey: "risk-ask-min-cash-pct",
    presets: ["5", "10", "20", "30"],
  },
  minCashAbs: {
    labelKey: "risk-rule-min-cash-abs",
    descriptionKey: "risk-ask-min-cash-abs",
    presets: ["100", "1000", "5000"],
  },
};

export const ACTION_UI: Record<RuleAction, { labelKey: string }> = {
  warn: { labelKey: "risk-action-warn" },
  reduce: { labelKey: "risk-action-reduce" },
  block: { labelKey: "risk-action-block" },
};

export function ruleLabel(t: Translate, rule: string): string {
  return rule in RULE_UI ? t(RULE_UI[rule as RiskRule].labelKey) : rule;
}

/** A limit or observed value in the rule's unit: "2.50 %", "1,000.00 USDT", "1.50×", "10". */
export function formatRuleValue(
  rule: RiskRule,
  value: string | null,
  locale: string,
  currency: string,
): string {
  if (value === null) return "—";
  switch (RULE_SPECS[rule].unit) {
    case "pct":
      return formatPercent(value, locale, false);
    case "money":
      return formatMoney(value, currency, locale);
    case "ratio":
      return `${formatNumber(value, locale, { minDecimals: 2, maxDecimals: 2 })}×`;
    case "count":
      return formatNumber(value, locale, { maxDecimals: 0 });
  }
}

/** "Daily loss: max 3.00 % · block · closes positions", one per rule of a configuration. */
export function configLines(
  t: Translate,
  config: StoredPolicyConfig,
  locale: string,
  currency: string,
): FormattedString[] {
  return RISK_RULES.flatMap((rule) => {
    const r = config[rule];
    if (!r) return [];
    const bound = RULE_SPECS[rule].bound === "max" ? "risk-limit-max" : "risk-limit-min";
    const close = r.closePositions ? ` · ${t("risk-closes-positions")}` : "";
    return [
      fmt`• ${ruleLabel(t, rule)}: ${t(bound, { value: formatRuleValue(rule, r.limit, locale, currency) })} · ${t(ACTION_UI[r.action].labelKey)}${close}`,
    ];
  });
}

/** One breached rule: what was measured against what. */
export function breachLine(
  t: Translate,
  check: Pick<RuleCheck, "rule" | "observed" | "limit" | "reason" | "numbers">,
  locale: string,
  currency: string,
): FormattedString {
  const label = FormattedString.b(ruleLabel(t, check.rule));
  const limit = formatRuleValue(check.rule, check.limit, locale, currency);
  if (check.reason === "no-equity") return fmt`• ${label}: ${t("risk-no-equity", { limit })}`;
  const observed = formatRuleValue(check.rule, check.observed, locale, currency);
  const symbol = check.numbers.symbol ? ` (${check.numbers.symbol})` : "";
  return fmt`• ${label}${symbol}: ${t("risk-observed-vs-limit", { observed, limit })}`;
}

/** Where a policy applies: "me", "portfolio Main", "strategy Swing". */
export function scopeText(
  t: Translate,
  scope: "USER" | "PORTFOLIO" | "STRATEGY",
  name: string | null,
): string {
  if (scope === "USER") return t("risk-scope-user");
  return t(scope === "PORTFOLIO" ? "risk-scope-portfolio" : "risk-scope-strategy", {
    name: name ?? "—",
  });
}
