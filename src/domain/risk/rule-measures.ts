// The measurements behind each pre-trade rule (see pre-trade-rules.ts for the formulas): what the
// order does to the position, and per rule the observed value after the order and how much more
// could be opened before the limit.
import { Decimal, ZERO, minDec } from "../../lib/decimal.ts";
import type { CheckReason, PreTradeInput } from "./pre-trade-rules.ts";
import { assetOf, dailyLoss } from "./risk-snapshot.ts";
import type { RiskRule } from "./rules.ts";

export type OrderFx = ReturnType<typeof orderEffect>;

interface Measure {
  observed: Decimal | null;
  numbers: Record<string, Decimal | string>;
  /** size-driven: the largest opening quantity that keeps the rule (null: unbounded) */
  maxOpening: Decimal | null;
  reason?: CheckReason;
  /** the rule does not apply to this order at all */
  skip?: boolean;
}

/** The order's effect on the position: what it closes, what it opens, where it leaves it. */
export function orderEffect(input: PreTradeInput) {
  const { order, snapshot } = input;
  const position = assetOf(snapshot, order.instrumentId)?.quantity ?? ZERO;
  const delta = order.side === "BUY" ? order.quantity : order.quantity.neg();
  const opposite = !position.isZero() && position.isNeg() !== delta.isNeg();
  const closing = opposite ? minDec(order.quantity, position.abs()) : ZERO;
  const opening = order.quantity.minus(closing);
  // the position's size the opening part builds on: flat after a full close
  const baseAbs = opposite ? ZERO : position.abs();
  const after = position.plus(delta);
  return { position, closing, opening, baseAbs, after };
}

/** One rule measured on the order: the observed value, its inputs and the room left. */
export function measure(
  rule: RiskRule,
  limit: Decimal,
  input: PreTradeInput,
  fx: OrderFx,
): Measure {
  const { order, snapshot } = input;
  const p = order.referencePrice;
  const E = snapshot.equity;
  const x = fx.opening;
  const absAfter = fx.after.abs();
  const needsEquity = (m: Measure): Measure =>
    E.gt(0) ? m : { observed: null, numbers: { equity: E }, maxOpening: ZERO, reason: "no-equity" };
  switch (rule) {
    case "maxRiskPerTradePct": {
      const stop = input.protectiveStop ?? null;
      const perUnit = stop ? p.minus(stop).abs() : p;
      const risk = x.mul(perUnit);
      return needsEquity({
        observed: E.gt(0) ? risk.div(E).mul(100) : null,
        numbers: { risk, perUnitRisk: perUnit, stop: stop ? stop : "", equity: E, entry: p },
        maxOpening: perUnit.isZero() ? null : limit.div(100).mul(E).div(perUnit),
      });
    }
    case "maxExposurePerAssetPct": {
      const value = absAfter.mul(p);
      return needsEquity({
        observed: E.gt(0) ? value.div(E).mul(100) : null,
        numbers: { valueAfter: value, equity: E, price: p },
        maxOpening: limit.div(100).mul(E).div(p).minus(fx.baseAbs),
      });
    }
    case "maxExposurePerAssetAbs": {
      const value = absAfter.mul(p);
      return {
        observed: value,
        numbers: { valueAfter: value, price: p },
        maxOpening: limit.div(p).minus(fx.baseAbs),
      };
    }
    case "maxLeverage": {
      const own = assetOf(snapshot, order.instrumentId)?.value.abs() ?? ZERO;
      const others = snapshot.grossExposure.minus(own);
      const grossAfter = others.plus(absAfter.mul(p));
      return needsEquity({
        observed: E.gt(0) ? grossAfter.div(E) : null,
        numbers: { grossAfter, equity: E },
        maxOpening: limit.mul(E).minus(others).div(p).minus(fx.baseAbs),
      });
    }
    case "minCashPct":
    case "minCashAbs": {
      if (order.side !== "BUY")
        return { observed: null, numbers: {}, maxOpening: null, reason: "sell-order", skip: true };
      const cashAfter = snapshot.cash.minus(order.quantity.mul(p));
      const floor = rule === "minCashPct" ? limit.div(100).mul(E) : limit;
      const maxOpening = snapshot.cash.minus(floor).div(p).minus(fx.closing);
      if (rule === "minCashAbs")
        return { observed: cashAfter, numbers: { cash: snapshot.cash, cashAfter }, maxOpening };
      return needsEquity({
        observed: E.gt(0) ? cashAfter.div(E).mul(100) : null,
        numbers: { cash: snapshot.cash, cashAfter, equity: E },
        maxOpening,
      });
    }
    case "dailyLossLimitPct": {
      const { loss, pct } = dailyLoss(snapshot);
      return {
        observed: pct,
        numbers: {
          loss,
          dayPnl: snapshot.dayPnl,
          dayStartEquity: snapshot.dayStartEquity,
          equity: E,
        },
        maxOpening: null,
        ...(pct === null ? { reason: "no-equity" as const, skip: true } : {}),
      };
    }
    case "maxOrdersPerDay": {
      const count = new Decimal(snapshot.ordersToday + 1);
      return {
        observed: count,
        numbers: { ordersToday: String(snapshot.ordersToday) },
        maxOpening: null,
      };
    }
  }
}
