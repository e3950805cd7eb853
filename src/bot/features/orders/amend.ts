// Amending from Telegram: what an order type lets the user change, and one function that runs
// the domain's cancel-replace and says what happened in every case — replaced (and what filled
// meanwhile), filled before the change arrived, replacement refused after the cancel (the
// original is canceled: said plainly), or refused before anything was canceled.
import { isDomainError } from "../../../domain/errors.ts";
import type { OrderType } from "../../../domain/types.ts";
import { dec } from "../../../lib/decimal.ts";
import type { ActorContext } from "../../context.ts";
import { describeDomainError, describeError } from "../../errors.ts";
import { formatQuantity } from "../../format/numbers.ts";
import { orderLine, placedText } from "./card.ts";
import type { AmendDraft } from "./amend-syntax.ts";

export const AMENDABLE_TYPES: readonly OrderType[] = ["LIMIT", "STOP", "STOP_LIMIT", "TRAILING"];

/** Which prices an order of this type has that an amend may change. */
export function amendablePrices(type: OrderType): { price: boolean; stopPrice: boolean } {
  return {
    price: type === "LIMIT" || type === "STOP_LIMIT",
    stopPrice: type === "STOP" || type === "STOP_LIMIT",
  };
}

/**
 * Runs the amend and returns the text to show. "price" on a stop order means its trigger: the
 * one price such an order has.
 */
export async function amendAndDescribe(ctx: ActorContext, draft: AmendDraft): Promise<string> {
  const t = (k: string, p?: Record<string, string | number>) => ctx.t(k, p);
  const { trading, orders, instruments } = ctx.deps.services;
  try {
    const current = await orders.get(ctx.actor, draft.orderId);
    const stopOnly = current.type === "STOP";
    const price = stopOnly ? null : draft.price;
    const stopPrice = stopOnly ? (draft.stopPrice ?? draft.price) : draft.stopPrice;
    const result = await trading.amend(ctx.actor, draft.orderId, {
      price: price === null ? null : dec(price),
      stopPrice: stopPrice === null ? null : dec(stopPrice),
      quantity: draft.quantity === null ? null : dec(draft.quantity),
    });
    const instrument = await instruments.get(result.original.instrumentId);
    const locale = await ctx.i18n.getLocale();
    const lot = instrument.rules.lotSize;
    const lines: string[] = [];
    if (result.filledBeforeCancel.gt(0) && result.outcome !== "filled")
      lines.push(
        t("amend-filled-meanwhile", {
          id: draft.orderId,
          filled: formatQuantity(result.filledBeforeCancel, lot, locale),
          symbol: instrument.symbol,
        }),
      );
    if (result.outcome === "replaced" && result.replacement) {
      const replacement = result.replacement.order;
      lines.unshift(
        t("amend-replaced", {
          id: draft.orderId,
          newId: replacement.id,
          order: orderLine(t, replacement, instrument, locale),
        }),
      );
      // the replacement may have filled at once (a price moved through the market) or be queued
      if (replacement.status !== "NEW" || !result.replacement.submitted)
        lines.push(placedText(t, replacement, instrument, locale, result.replacement.submitted));
    } else if (result.outcome === "filled") {
      lines.push(t("amend-too-late", { id: draft.orderId }));
    } else if (result.refusal) {
      lines.push(
        t("amend-refused-after-cancel", {
          id: draft.orderId,
          reason: t(result.refusal.key, result.refusal.params),
        }),
      );
    }
    return lines.join("\n");
  } catch (e) {
    // a refusal (the domain's errors come before anything is canceled): the order works as it was
    if (isDomainError(e))
      return t("amend-not-done", { id: draft.orderId, reason: describeDomainError(t, e) });
    // anything else may have struck after the cancel: no promise about the order's state
    const reason = describeError(t, e, ctx.deps.logger, {
      action: "amend-order",
      order: draft.orderId,
    });
    return t("amend-failed", { id: draft.orderId, reason });
  }
}
