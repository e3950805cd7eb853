// What the risk watch finds on one portfolio: the standing rules (daily loss, exposure per
// instrument) a policy breaks on a risk snapshot. Pure, so the numbers can be checked by hand and
// the watch decides what to do with a finding elsewhere (risk-watch-actions.ts).
import type { Decimal } from "../../lib/decimal.ts";
import type { RuleCheck } from "./pre-trade-rules.ts";
import type { ApplicablePolicy } from "./risk-policy-service.ts";
import { type PortfolioRiskSnapshot, dailyLoss } from "./risk-snapshot.ts";
import { type RiskRule, breaches } from "./rules.ts";

/** The rules that describe a standing position (the others are about single orders). */
export const WATCHED: readonly RiskRule[] = [
  "dailyLossLimitPct",
  "maxExposurePerAssetPct",
  "maxExposurePerAssetAbs",
];

export interface Finding {
  policy: ApplicablePolicy;
  rule: RiskRule;
  check: RuleCheck;
  instrumentId: number | null;
  closePositions: boolean;
  /** STRATEGY scope: the strategy ids (all versions) whose positions it governs */
  strategyIds: number[] | null;
}

/** Numbers as stored in breaches and notices: at most 8 places, no exponent. */
export const plain = (d: Decimal) => d.toDecimalPlaces(8).toFixed();

/** The watched rules a policy breaks on this snapshot (exposure: the worst instrument). */
export function findingsOf(
  policy: ApplicablePolicy,
  s: PortfolioRiskSnapshot,
  strategyIds: number[] | null,
): Finding[] {
  const out: Finding[] = [];
  const base = (rule: RiskRule) => {
    const r = policy.config[rule]!;
    return {
      rule,
      action: r.action,
      limit: r.limit.toFixed(),
      policyId: policy.id,
      maxQuantity: null,
      reason: null,
      status: "BREACH" as const,
    };
  };
  const loss = policy.config.dailyLossLimitPct;
  if (loss) {
    const { loss: amount, pct } = dailyLoss(s);
    if (pct !== null && breaches("dailyLossLimitPct", pct, loss.limit)) {
      out.push({
        policy,
        rule: "dailyLossLimitPct",
        instrumentId: null,
        closePositions: loss.closePositions,
        strategyIds,
        check: {
          ...base("dailyLossLimitPct"),
          observed: plain(pct),
          numbers: {
            loss: plain(amount),
            dayPnl: plain(s.dayPnl),
            dayStartEquity: plain(s.dayStartEquity),
            equity: plain(s.equity),
          },
        },
      });
    }
  }
  // a strategy's caps look at the instruments the strategy holds
  const assets = s.assets.filter(
    (a) => !strategyIds || a.strategyIds.some((id) => id !== null && strategyIds.includes(id)),
  );
  for (const rule of ["maxExposurePerAssetPct", "maxExposurePerAssetAbs"] as const) {
    const cap = policy.config[rule];
    if (!cap) continue;
    if (rule === "maxExposurePerAssetPct" && !s.equity.gt(0)) continue;
    const measured = assets.map((a) => ({
      asset: a,
      value:
        rule === "maxExposurePerAssetPct" ? a.value.abs().div(s.equity).mul(100) : a.value.abs(),
    }));
    const over = measured
      .filter((m) => breaches(rule, m.value, cap.limit))
      .sort((a, b) => b.value.cmp(a.value));
    const worst = over[0];
    if (!worst) continue;
    out.push({
      policy,
      rule,
      instrumentId: worst.asset.instrumentId,
      closePositions: false,
      strategyIds,
      check: {
        ...base(rule),
        observed: plain(worst.value),
        numbers: {
          symbol: worst.asset.symbol,
          value: plain(worst.asset.value.abs()),
          equity: plain(s.equity),
          over: over.map((m) => m.asset.symbol).join(","),
          cash: plain(s.cash),
        },
      },
    });
  }
  return out;
}
