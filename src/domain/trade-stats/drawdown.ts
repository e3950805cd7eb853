// The deepest fall of a portfolio's value over a period, net of the money put in and taken out
// (pure). A withdrawal is not a loss and a deposit does not fill a hole, so the drawdown is read
// from two flow-neutral curves built from the value samples:
// - in percent, from the time-weighted wealth index (1 at the start; each step grows it by
//   (value − flows since the last sample) / last value, as the time-weighted return chains it);
// - in money, from the cumulative profit (value − start value − net flows so far).
// Each is the largest fall from a running peak to a later trough. A step from a value of zero or
// less (nothing invested yet) leaves the index where it is.
import { type Decimal, ONE, ZERO } from "../../lib/decimal.ts";
import type { EquityPoint } from "../reports/equity-curve.ts";
import type { ExternalFlow } from "../reports/performance.ts";

export interface Drawdown {
  /** the deepest fall of the wealth index, as a percentage of its peak (≥ 0) */
  percent: Decimal;
  /** the deepest fall of the cumulative profit, in money (≥ 0) */
  amount: Decimal;
  /** when the fall in percent started (the peak) and ended (the trough); null when none */
  peakAt: Date | null;
  troughAt: Date | null;
}

/**
 * `points` in time order, each value including the flows at its instant; `flows` of the same
 * currency. A flow between two samples counts at the next one.
 */
export function maxDrawdown(
  points: readonly EquityPoint[],
  flows: readonly Pick<ExternalFlow, "amount" | "at">[],
): Drawdown {
  const none: Drawdown = { percent: ZERO, amount: ZERO, peakAt: null, troughAt: null };
  const first = points[0];
  if (!first) return none;
  const sorted = [...flows].sort((a, b) => a.at.getTime() - b.at.getTime());
  let f = 0;
  // the flows up to the first sample are inside its value already
  while (f < sorted.length && sorted[f]!.at.getTime() <= first.at.getTime()) f++;
  let index = ONE;
  let peakIndex = ONE;
  let peakIndexAt = first.at;
  let peakProfit = ZERO;
  let netFlows = ZERO;
  const out = { ...none };
  let previous = first.value;
  for (const point of points.slice(1)) {
    let flowed = ZERO;
    for (; f < sorted.length && sorted[f]!.at.getTime() <= point.at.getTime(); f++)
      flowed = flowed.plus(sorted[f]!.amount);
    netFlows = netFlows.plus(flowed);
    if (previous.gt(0)) index = index.mul(point.value.minus(flowed).div(previous));
    previous = point.value;
    const profit = point.value.minus(first.value).minus(netFlows);

    if (index.gt(peakIndex)) {
      peakIndex = index;
      peakIndexAt = point.at;
    } else if (peakIndex.gt(0)) {
      const fall = peakIndex.minus(index).div(peakIndex).mul(100);
      if (fall.gt(out.percent)) {
        out.percent = fall;
        out.peakAt = peakIndexAt;
        out.troughAt = point.at;
      }
    }
    if (profit.gt(peakProfit)) peakProfit = profit;
    else if (peakProfit.minus(profit).gt(out.amount)) out.amount = peakProfit.minus(profit);
  }
  return out;
}
