// Does TradeDesk's view of a live account agree with the exchange's? Per asset, the quantity the
// fills say the account holds (the sum of its portfolios' positions in instruments of that base
// asset) against the free + locked balance the exchange reports. They part when coins are
// deposited, withdrawn or traded on the exchange's own site, or when a fee is paid in an asset
// no fill tracks (BNB). Pure: the service in holdings-check-service.ts loads the inputs.
import { type Decimal, ZERO } from "../../lib/decimal.ts";

/** What the fills say of one asset across the account's portfolios. */
export interface FillHolding {
  asset: string;
  /** signed sum of the positions' quantities */
  quantity: Decimal;
  /**
   * the smallest lot size among the account's instruments of this asset: a difference below it
   * cannot be bought or sold, so it is dust rather than a disagreement (null: none known)
   */
  step: Decimal | null;
}

export interface ExchangeHolding {
  free: Decimal;
  locked: Decimal;
}

/** agrees: equal; dust: apart by less than one lot; differs: apart by a lot or more. */
export type HoldingStatus = "agrees" | "dust" | "differs";

export interface HoldingComparison {
  asset: string;
  fills: Decimal;
  free: Decimal;
  locked: Decimal;
  /** free + locked */
  exchange: Decimal;
  /** exchange − fills: positive when the exchange holds more than the fills account for */
  difference: Decimal;
  status: HoldingStatus;
}

/**
 * One line per asset either side holds, by asset name. The account's cash currency is left out
 * unless fills hold it as a base asset: cash is not a position (it is /balance's business). An
 * asset both sides hold none of is left out too.
 */
export function compareHoldings(
  fills: readonly FillHolding[],
  exchange: ReadonlyMap<string, ExchangeHolding>,
  cashCurrency: string,
): HoldingComparison[] {
  const byAsset = new Map<string, FillHolding>();
  for (const f of fills) {
    const seen = byAsset.get(f.asset);
    byAsset.set(f.asset, {
      asset: f.asset,
      quantity: (seen?.quantity ?? ZERO).plus(f.quantity),
      step: smallerStep(seen?.step ?? null, f.step),
    });
  }
  const assets = new Set(byAsset.keys());
  for (const asset of exchange.keys()) if (asset !== cashCurrency) assets.add(asset);

  const out: HoldingComparison[] = [];
  for (const asset of [...assets].sort()) {
    const held = byAsset.get(asset);
    const onExchange = exchange.get(asset) ?? { free: ZERO, locked: ZERO };
    const fillsQty = held?.quantity ?? ZERO;
    const total = onExchange.free.plus(onExchange.locked);
    if (fillsQty.isZero() && total.isZero()) continue;
    const difference = total.minus(fillsQty);
    out.push({
      asset,
      fills: fillsQty,
      free: onExchange.free,
      locked: onExchange.locked,
      exchange: total,
      difference,
      status: statusOf(difference, held?.step ?? null),
    });
  }
  return out;
}

function statusOf(difference: Decimal, step: Decimal | null): HoldingStatus {
  if (difference.isZero()) return "agrees";
  return step && step.gt(0) && difference.abs().lt(step) ? "dust" : "differs";
}

function smallerStep(a: Decimal | null, b: Decimal | null): Decimal | null {
  if (!a || a.lte(0)) return b && b.gt(0) ? b : null;
  if (!b || b.lte(0)) return a;
  return a.lt(b) ? a : b;
}
