// Pre-trade evaluation of one order against the effective policy and the portfolio's snapshot.
// Pure: every number comes in through the arguments, every verdict goes out with the numbers
// that produced it (decimal strings), so the breach log and the order card show the same thing.
//
// The order's effect: with the position's signed quantity Q and the order's signed quantity d,
//   closing  = the part of the order that reduces the position (opposite side, up to |Q|),
//   opening  = the rest, which adds exposure (same side, or beyond zero on a flip).
// An order that only closes is never stopped: risk limits must not trap anyone in a position.
// Everything is valued at the order's reference price (limit, stop or last price).
//
// Rules, with x the opening quantity, p the reference price, E the equity:
//   maxRiskPerTradePct     x × |p − stop| (or x × p without a stop) ÷ E × 100
//   maxExposurePerAssetPct |Q + d| × p ÷ E × 100           maxExposurePerAssetAbs |Q + d| × p
//   maxLeverage            (gross of the other assets + |Q + d| × p) ÷ E
//   dailyLossLimitPct      loss since the start of the user's day ÷ equity then × 100
//   maxOrdersPerDay        orders placed today + this one
//   minCashPct / minCashAbs (buys) cash − q × p, as % of E or as an amount
// A "reduce" breach offers the largest quantity that fits every reduce rule, on the lot grid and
// at least the instrument's minimum quantity and notional; when none does, the order is blocked.
import type { OrderSide } from "../../db/generated/sqlite/enums.ts";
import { type Decimal, ZERO, bracketByStep, minDec } from "../../lib/decimal.ts";
import type { TradingRules } from "../instruments/trading-rules.ts";
import { type EffectivePolicy, type EffectiveRule, effectiveRules } from "./effective-policy.ts";
import type { PortfolioRiskSnapshot } from "./risk-snapshot.ts";
import { type OrderFx, measure, orderEffect } from "./rule-measures.ts";
import { type RiskRule, type RuleAction, breaches } from "./rules.ts";

export type RiskOutcome = "ALLOW" | "WARN" | "REDUCE" | "BLOCK";

export interface OrderForRisk {
  instrumentId: number;
  symbol: string;
  /** the instrument's quote currency */
  currency: string;
  side: OrderSide;
  quantity: Decimal;
  referencePrice: Decimal;
}

export type CheckStatus = "PASS" | "BREACH" | "SKIPPED";

/** Why a rule was not evaluated, or why a breach could not be reduced. */
export type CheckReason =
  "reduces-position" | "currency-mismatch" | "no-equity" | "sell-order" | "reduce-too-small";

export interface RuleCheck {
  rule: RiskRule;
  status: CheckStatus;
  /** the effective action; for a breach, what it did to the order */
  action: RuleAction;
  /** the effective limit, in the rule's unit */
  limit: string;
  /** the measured value after the order, in the rule's unit; null when it cannot be measured */
  observed: string | null;
  /** the inputs behind `observed`, as decimal strings */
  numbers: Record<string, string>;
  /** the policy whose limit binds */
  policyId: number;
  /** size-driven rules: the largest quantity this rule allows (null: no bound, or not sized) */
  maxQuantity: string | null;
  reason: CheckReason | null;
}

export interface OrderEffect {
  positionBefore: string;
  positionAfter: string;
  closingQuantity: string;
  openingQuantity: string;
  notional: string;
}

export interface PreTradeResult {
  outcome: RiskOutcome;
  checks: RuleCheck[];
  /** REDUCE: the largest acceptable quantity (on the lot grid, ≥ the minimum) */
  maxQuantity: string | null;
  effect: OrderEffect;
}

export interface PreTradeInput {
  order: OrderForRisk;
  snapshot: PortfolioRiskSnapshot;
  policy: EffectivePolicy;
  rules: TradingRules;
  /** a protective stop for the position the order opens: risk = quantity × |entry − stop| */
  protectiveStop?: Decimal | null;
}

/** Decimal places of percentages and ratios in reports (enough to compare, short to read). */
const SHOWN_DECIMALS = 8;
const str = (d: Decimal) => d.toDecimalPlaces(SHOWN_DECIMALS).toFixed();

/** Rules that need the order valued in the portfolio's currency. */
const CURRENCY_BOUND: ReadonlySet<RiskRule> = new Set([
  "maxRiskPerTradePct",
  "maxExposurePerAssetPct",
  "maxExposurePerAssetAbs",
  "maxLeverage",
  "minCashPct",
  "minCashAbs",
]);

function floorToLot(q: Decimal, lot: Decimal): Decimal {
  return lot.isZero() ? q : bracketByStep(q, lot).down;
}

function check(
  rule: EffectiveRule,
  input: PreTradeInput,
  fx: OrderFx,
): { check: RuleCheck; maxOpening: Decimal | null } {
  const base = {
    rule: rule.rule,
    action: rule.action,
    limit: rule.limit.toFixed(),
    policyId: rule.policyId,
  };
  const skipped = (reason: CheckReason, numbers: Record<string, string> = {}) => ({
    check: {
      ...base,
      status: "SKIPPED" as const,
      observed: null,
      numbers,
      maxQuantity: null,
      reason,
    },
    maxOpening: null,
  });
  if (fx.opening.isZero()) return skipped("reduces-position");
  if (CURRENCY_BOUND.has(rule.rule) && input.order.currency !== input.snapshot.currency)
    return skipped("currency-mismatch", {
      orderCurrency: input.order.currency,
      portfolioCurrency: input.snapshot.currency,
    });
  const m = measure(rule.rule, rule.limit, input, fx);
  const numbers = Object.fromEntries(
    Object.entries(m.numbers).map(([k, v]) => [k, typeof v === "string" ? v : str(v)]),
  );
  if (m.skip) return skipped(m.reason ?? "no-equity", numbers);
  const observed = m.observed;
  // not measurable (no equity): any new exposure breaks a percent-of-equity rule
  const breached = observed === null ? true : breaches(rule.rule, observed, rule.limit);
  const maxOpening = m.maxOpening === null ? null : atLeastZero(m.maxOpening);
  const maxQuantity =
    maxOpening === null ? null : str(floorToLot(fx.closing.plus(maxOpening), input.rules.lotSize));
  return {
    check: {
      ...base,
      status: breached ? "BREACH" : "PASS",
      observed: observed === null ? null : str(observed),
      numbers,
      maxQuantity,
      reason: m.reason ?? null,
    },
    maxOpening,
  };
}

/** Negative room means "nothing more fits". */
function atLeastZero(d: Decimal): Decimal {
  return d.isNeg() ? ZERO : d;
}

export function evaluatePreTrade(input: PreTradeInput): PreTradeResult {
  const fx = orderEffect(input);
  const effect: OrderEffect = {
    positionBefore: str(fx.position),
    positionAfter: str(fx.after),
    closingQuantity: str(fx.closing),
    openingQuantity: str(fx.opening),
    notional: str(input.order.quantity.mul(input.order.referencePrice)),
  };
  const results = effectiveRules(input.policy).map((r) => check(r, input, fx));
  const checks = results.map((r) => r.check);
  const breached = results.filter((r) => r.check.status === "BREACH");
  if (breached.length === 0) return { outcome: "ALLOW", checks, maxQuantity: null, effect };
  if (breached.some((r) => r.check.action === "block"))
    return { outcome: "BLOCK", checks, maxQuantity: null, effect };
  const reducing = breached.filter((r) => r.check.action === "reduce");
  if (reducing.length === 0) return { outcome: "WARN", checks, maxQuantity: null, effect };

  // the largest size that fits every reduce rule at once
  let room: Decimal | null = null;
  for (const r of reducing) {
    if (r.maxOpening !== null) room = room === null ? r.maxOpening : minDec(room, r.maxOpening);
  }
  const max = floorToLot(fx.closing.plus(room ?? ZERO), input.rules.lotSize);
  const notional = max.mul(input.order.referencePrice);
  const fits =
    max.gt(0) &&
    max.lt(input.order.quantity) &&
    max.gte(input.rules.minQty) &&
    notional.gte(input.rules.minNotional);
  if (!fits) {
    for (const r of reducing) {
      r.check.action = "block";
      r.check.reason = "reduce-too-small";
    }
    return { outcome: "BLOCK", checks, maxQuantity: null, effect };
  }
  return { outcome: "REDUCE", checks, maxQuantity: str(max), effect };
}
