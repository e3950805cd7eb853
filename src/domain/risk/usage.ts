// How much of each limit a portfolio uses right now ("daily loss 1.8 % of 3 %", "orders today 4
// of 10", "leverage 0.6 of 2"). Pure. usedPct reads the same for every rule: 100 means the limit
// is reached, above 100 that it is breached.
//   max rules   usedPct = observed ÷ limit × 100
//   cash floors usedPct = (equity − cash) ÷ (equity − floor) × 100 — the share of the money above
//               the floor that is in positions (0 all cash, 100 cash at the floor); 100 when
//               equity itself is at or below the floor.
// maxRiskPerTradePct has no standing usage (it is about a single order) and is left out, as is
// any percent rule while equity (or the day's start equity) is not positive.
import { Decimal, ZERO } from "../../lib/decimal.ts";
import type { PortfolioRiskSnapshot } from "./risk-snapshot.ts";
import { dailyLoss, leverageOf } from "./risk-snapshot.ts";
import type { RiskRule } from "./rules.ts";

export interface RuleUsage {
  rule: RiskRule;
  limit: Decimal;
  /** the current value, in the rule's unit */
  observed: Decimal;
  usedPct: Decimal;
  /** exposure rules: the instrument closest to its cap */
  symbol: string | null;
}

const HUNDRED = new Decimal(100);

export function ruleUsage(
  rule: RiskRule,
  limit: Decimal,
  s: PortfolioRiskSnapshot,
): RuleUsage | null {
  const usage = (observed: Decimal, symbol: string | null = null): RuleUsage => ({
    rule,
    limit,
    observed,
    usedPct: observed.div(limit).mul(100),
    symbol,
  });
  const E = s.equity;
  const largest = [...s.assets].sort((a, b) => b.value.abs().cmp(a.value.abs()))[0] ?? null;
  switch (rule) {
    case "maxRiskPerTradePct":
      return null;
    case "dailyLossLimitPct": {
      const { pct } = dailyLoss(s);
      return pct === null ? null : usage(pct);
    }
    case "maxOrdersPerDay":
      return usage(new Decimal(s.ordersToday));
    case "maxLeverage": {
      const lev = leverageOf(s);
      return lev === null ? null : usage(lev);
    }
    case "maxExposurePerAssetPct":
      if (!E.gt(0)) return null;
      return usage(largest ? largest.value.abs().div(E).mul(100) : ZERO, largest?.symbol ?? null);
    case "maxExposurePerAssetAbs":
      return usage(largest ? largest.value.abs() : ZERO, largest?.symbol ?? null);
    case "minCashPct":
    case "minCashAbs": {
      if (rule === "minCashPct" && !E.gt(0)) return null;
      const floor = rule === "minCashPct" ? limit.div(100).mul(E) : limit;
      const observed = rule === "minCashPct" ? s.cash.div(E).mul(100) : s.cash;
      const room = E.minus(floor);
      const usedPct = room.gt(0) ? E.minus(s.cash).div(room).mul(100) : HUNDRED;
      return { rule, limit, observed, usedPct, symbol: null };
    }
  }
}
