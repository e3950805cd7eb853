// Amending an open order's price and/or quantity as a cancel-replace: the venues this project
// speaks to (the paper venue, spot exchanges through ccxt) have no atomic modify.
//
// 1. The replacement is built and checked first, as if the original were already gone (its cash
//    reserve and committed sell quantity left out): normalization, paper cash, the spot short
//    guard and a dry run of the pre-trade risk check. A refusal known here refuses the amend
//    and the original keeps working.
// 2. The original is canceled at the broker. If it filled meanwhile (fully or partly), the fills
//    are ingested by the cancel, and the replacement is only what remains of the amended size:
//    never more. Fully filled: nothing is placed.
// 3. The replacement goes through the normal place() path (pre-trade check for real, paper cash,
//    broker), with a new clientOrderId and `replacesOrderId` in its meta. Refused now (prices
//    moved since step 1), the result says so: the original is canceled and nothing replaced it.
// 4. One AMEND audit entry names both orders (the cancel and the placement keep their own).
//
// The amended quantity is the order's new total size, filled part included (what the order card
// and /orders show as its quantity): a 1.0 order with 0.4 filled amended to 0.8 leaves a 0.4
// replacement.
import { randomUUID } from "node:crypto";
import type { Decimal } from "../../lib/decimal.ts";
import { BRACKET_ENTRY_PREFIX } from "../orders/bracket-types.ts";
import { newClientOrderId } from "../orders/order-normalizer.ts";
import { DomainError, type ErrorParams, RiskBlockedError, ValidationError } from "../errors.ts";
import type { OrderService } from "../orders/order-service.ts";
import type { OrderLinks, OrderRequest, OrderView } from "../orders/order-types.ts";
import { legClientOrderId } from "./brackets.ts";
import type { Actor } from "../users/actor.ts";
import type { PlaceResult, TradingService } from "./trading-service.ts";

export interface AmendChange {
  /** the new limit price (LIMIT, STOP_LIMIT) */
  price?: Decimal | null;
  /** the new trigger price (STOP, STOP_LIMIT) */
  stopPrice?: Decimal | null;
  /** the new total size of the order, what already filled included */
  quantity?: Decimal | null;
}

export type AmendOutcome =
  /** canceled and replaced */
  | "replaced"
  /** it filled completely before the cancel reached the venue: nothing was placed */
  | "filled"
  /** canceled, but the replacement was refused at placement (see `refusal`) */
  | "refused";

export interface AmendResult {
  outcome: AmendOutcome;
  /** the original order after the cancel (CANCELED, or FILLED when it filled meanwhile) */
  original: OrderView;
  /** quantity of the original that filled before the cancel took effect */
  filledBeforeCancel: Decimal;
  replacement: PlaceResult | null;
  refusal: { key: string; params: ErrorParams } | null;
}

const AMENDABLE_TYPES = new Set(["LIMIT", "STOP", "STOP_LIMIT", "TRAILING"]);

/**
 * What the replacement inherits to stay what the original was: a bracket leg stays in its OCO
 * group (and keeps its exit reason), a bracketed entry keeps its plan; the client order id keeps
 * the prefix the bracket bookkeeping finds them by.
 */
function inherited(original: OrderView): { links: OrderLinks; clientOrderId?: string } {
  const suffix = randomUUID().replace(/-/g, "").slice(0, 6);
  if (original.leg) {
    const { leg } = original;
    return {
      links: {
        parentOrderId: leg.parentOrderId,
        bracketRole: leg.role,
        ocoGroup: leg.group,
        ocoQuantity: leg.groupQuantity.toFixed(),
        exitReason: leg.role,
      },
      clientOrderId: `${legClientOrderId(leg.parentOrderId, leg.group, leg.role)}-${suffix}`,
    };
  }
  if (original.bracketPlan) {
    return {
      links: {
        bracket: {
          takeProfit: original.bracketPlan.takeProfit?.toFixed() ?? null,
          stopLoss: original.bracketPlan.stopLoss?.toFixed() ?? null,
        },
      },
      clientOrderId: `${BRACKET_ENTRY_PREFIX}${newClientOrderId().slice(3)}`,
    };
  }
  return { links: {} };
}

/** The request for the replacement: the original with the change applied, for `quantity`. */
function replacementRequest(
  original: OrderView,
  change: AmendChange,
  quantity: Decimal,
): OrderRequest {
  return {
    portfolioId: original.portfolioId,
    symbol: original.symbol,
    side: original.side,
    type: original.type,
    quantity,
    price: change.price ?? original.price,
    stopPrice: change.stopPrice ?? original.stopPrice,
    trailAmount: original.trailAmount,
    trailPercent: original.trailPercent,
    timeInForce: original.timeInForce,
    strategyId: original.strategyId,
  };
}

/** What the change asks for, checked against the order; throws ValidationError otherwise. */
function checkChange(original: OrderView, change: AmendChange): Decimal {
  // the venue links the pair: a cancel-replace of one leg would cancel its partner with it
  if (original.leg?.nativeList)
    throw new ValidationError("type", "error-amend-native-oco", { id: original.id });
  if (!AMENDABLE_TYPES.has(original.type))
    throw new ValidationError("type", "error-amend-type", { id: original.id, type: original.type });
  const takesPrice = original.type === "LIMIT" || original.type === "STOP_LIMIT";
  const takesStop = original.type === "STOP" || original.type === "STOP_LIMIT";
  if (change.price && !takesPrice)
    throw new ValidationError("price", "error-amend-no-price", { type: original.type });
  if (change.stopPrice && !takesStop)
    throw new ValidationError("stopPrice", "error-amend-no-stop", { type: original.type });
  for (const [field, value] of Object.entries(change)) {
    if (value && (!value.isFinite() || !value.gt(0)))
      throw new ValidationError(field, "error-must-be-positive", { value: value.toFixed() });
  }
  const total = change.quantity ?? original.quantity;
  const same =
    total.eq(original.quantity) &&
    (!change.price || (original.price !== null && change.price.eq(original.price))) &&
    (!change.stopPrice || (original.stopPrice !== null && change.stopPrice.eq(original.stopPrice)));
  if (same) throw new ValidationError("quantity", "error-amend-nothing", { id: original.id });
  if (!total.gt(original.filledQuantity))
    throw new ValidationError("quantity", "error-amend-below-filled", {
      id: original.id,
      quantity: total.toFixed(),
      filled: original.filledQuantity.toFixed(),
    });
  return total;
}

export async function amendOrder(
  trading: TradingService,
  orders: OrderService,
  actor: Actor,
  orderId: number,
  change: AmendChange,
): Promise<AmendResult> {
  const original = await orders.requireCancelable(actor, orderId);
  const total = checkChange(original, change);

  // 1. judged before anything is canceled
  const dryRun = await trading.preview(
    actor,
    replacementRequest(original, change, total.minus(original.filledQuantity)),
    { excludeOrderIds: [original.id], ocoGroup: original.leg?.group ?? null },
  );
  const risk = await trading.assessRisk(actor, dryRun);
  if (risk.outcome === "BLOCK") {
    const first = risk.findings[0];
    throw new RiskBlockedError(first?.key ?? "error-risk-blocked", first?.params ?? {});
  }

  // 2. cancel; fills that beat the cancel are ingested by it
  const canceled = await trading.cancel(actor, orderId);
  const after = canceled.order;
  const filledBeforeCancel = after.filledQuantity.minus(original.filledQuantity);
  const remaining = total.minus(after.filledQuantity);
  const audit = async (replacement: OrderView | null, outcome: AmendOutcome) =>
    orders.recordAmend(actor, original.id, replacement?.id ?? null, {
      outcome,
      originalClientOrderId: original.clientOrderId,
      replacementClientOrderId: replacement?.clientOrderId ?? null,
      fromQuantity: original.quantity.toFixed(),
      toQuantity: total.toFixed(),
      fromPrice: original.price?.toFixed() ?? null,
      toPrice: (change.price ?? original.price)?.toFixed() ?? null,
      fromStopPrice: original.stopPrice?.toFixed() ?? null,
      toStopPrice: (change.stopPrice ?? original.stopPrice)?.toFixed() ?? null,
      filledBeforeCancel: filledBeforeCancel.toFixed(),
      replacementQuantity: replacement?.quantity.toFixed() ?? null,
    });
  if (!canceled.canceled || !remaining.gt(0)) {
    // it ended at the venue (filled) before the cancel: there is nothing left to replace
    await audit(null, "filled");
    return {
      outcome: "filled",
      original: after,
      filledBeforeCancel,
      replacement: null,
      refusal: null,
    };
  }

  // 3. the replacement, through the normal path, for no more than what remains
  let placed: PlaceResult;
  try {
    const { links, clientOrderId } = inherited(original);
    placed = await trading.place(
      actor,
      { ...replacementRequest(original, change, remaining), clientOrderId },
      { links: { ...links, replacesOrderId: original.id } },
    );
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
    await audit(null, "refused");
    return {
      outcome: "refused",
      original: after,
      filledBeforeCancel,
      replacement: null,
      refusal: { key: e.key, params: e.params },
    };
  }
  // 4. one entry naming both
  await audit(placed.order, "replaced");
  return {
    outcome: "replaced",
    original: after,
    filledBeforeCancel,
    replacement: placed,
    refusal: null,
  };
}
