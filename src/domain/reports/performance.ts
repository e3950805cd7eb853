// How a portfolio did over a period, net of the money put in and taken out (pure: no database,
// no market). Per currency: the value at the start and the end, the external flows (deposits and
// withdrawals, and transfers once they exist) in the period, the profit they leave
// (end − start − net flows), and the time-weighted return.
//
// Time-weighted return: the period is cut at every instant with an external flow. A flow at time t
// is applied at t: the value just before it (the sample at t less the flows at t) closes the
// sub-period before, and the value with it (the sample at t) opens the next. The sub-periods'
// growth factors are chained, so money coming and going never counts as gain or loss, and each
// stretch weighs by time, not by how much money was in it.
//
// Edges:
// - the period opens just before its first instant: a flow at that very instant is a flow of the
//   period (an account funded at the start of "all" starts from zero and shows the deposit);
// - a sub-period that opens at zero (or below) has no return to measure and is skipped: a period
//   that starts empty measures from its first deposit, and a portfolio withdrawn to zero measures
//   again from the next deposit; when no sub-period can be measured the return is null;
// - several flows at one instant count as one, and a flow between two samples is taken at the next
//   sample (exact when the prices do not move in between; the loader samples at every flow's
//   instant, so it does not happen there);
// - currencies are kept apart: no conversion, one result per currency.
import { type Decimal, ONE, ZERO } from "../../lib/decimal.ts";
import type { EquityPoint, EquitySeries } from "./equity-curve.ts";

/** Money crossing the portfolio's boundary: positive in, negative out. */
export interface ExternalFlow {
  currency: string;
  amount: Decimal;
  at: Date;
}

export interface CurrencyPerformance {
  currency: string;
  from: Date;
  to: Date;
  /** the value just before the period opened (before any flow at its first instant) */
  start: Decimal;
  end: Decimal;
  /** the money put in during the period (≥ 0) */
  deposits: Decimal;
  /** the money taken out during the period, as a positive amount (≥ 0) */
  withdrawals: Decimal;
  /** deposits − withdrawals */
  netFlows: Decimal;
  /** end − start − netFlows: what the market and the trading made, fees included */
  profit: Decimal;
  /** time-weighted return as a fraction (0.0035 = +0.35 %); null when nothing could be measured */
  twr: Decimal | null;
}

/**
 * The performance of one currency's value, sampled at `points` (in time order; each sample's value
 * includes the flows at its instant), with the flows of that currency. Flows outside the period the
 * samples span are ignored. Null without samples.
 */
export function seriesPerformance(
  currency: string,
  points: readonly EquityPoint[],
  flows: readonly Pick<ExternalFlow, "amount" | "at">[],
): CurrencyPerformance | null {
  const first = points[0];
  const last = points[points.length - 1];
  if (!first || !last) return null;
  const from = first.at.getTime();
  const to = last.at.getTime();
  const inPeriod = flows
    .filter((f) => f.at.getTime() >= from && f.at.getTime() <= to)
    .sort((a, b) => a.at.getTime() - b.at.getTime());

  let deposits = ZERO;
  let withdrawals = ZERO;
  for (const f of inPeriod) {
    if (f.amount.isNeg()) withdrawals = withdrawals.minus(f.amount);
    else deposits = deposits.plus(f.amount);
  }
  const netFlows = deposits.minus(withdrawals);

  let growth = ONE;
  let measured = false;
  let open = first.value;
  const close = (value: Decimal) => {
    if (open.gt(0)) {
      growth = growth.mul(value.div(open));
      measured = true;
    }
  };
  // the flows at the first instant are already in the first sample: they open the period
  let f = 0;
  let atStart = ZERO;
  for (; f < inPeriod.length && inPeriod[f]!.at.getTime() <= from; f++) {
    atStart = atStart.plus(inPeriod[f]!.amount);
  }
  for (const point of points.slice(1)) {
    const t = point.at.getTime();
    let flowed = false;
    let pending = ZERO;
    for (; f < inPeriod.length && inPeriod[f]!.at.getTime() <= t; f++) {
      pending = pending.plus(inPeriod[f]!.amount);
      flowed = true;
    }
    if (!flowed) continue;
    close(point.value.minus(pending));
    open = point.value;
  }
  close(last.value);

  const start = first.value.minus(atStart);
  return {
    currency,
    from: first.at,
    to: last.at,
    start,
    end: last.value,
    deposits,
    withdrawals,
    netFlows,
    profit: last.value.minus(start).minus(netFlows),
    twr: measured ? growth.minus(ONE) : null,
  };
}

/**
 * One result per currency of the curve, in the curve's order; a currency with nothing in it over
 * the period (zero at both ends and no flows) is left out.
 */
export function computePerformance(
  series: readonly EquitySeries[],
  flows: readonly ExternalFlow[],
): CurrencyPerformance[] {
  const out: CurrencyPerformance[] = [];
  for (const s of series) {
    const p = seriesPerformance(
      s.currency,
      s.points,
      flows.filter((f) => f.currency === s.currency),
    );
    if (!p) continue;
    if (p.start.isZero() && p.end.isZero() && p.deposits.isZero() && p.withdrawals.isZero()) {
      continue;
    }
    out.push(p);
  }
  return out;
}
