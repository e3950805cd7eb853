// Step by step amend of an open order (the /orders Amend button, or /amend ID without changes):
// shows the order, asks for each price its type has and for the new total quantity — each with
// a Keep button and checked as it is typed — then runs the cancel-replace and says what happened.
import { isDomainError } from "../../../domain/errors.ts";
import type { OrderType } from "../../../domain/types.ts";
import { dec } from "../../../lib/decimal.ts";
import {
  type BotContext,
  type BotConversation,
  type ConvContext,
  actorOf,
  withActor,
} from "../../context.ts";
import { describeDomainError } from "../../errors.ts";
import { button, keyboard } from "../../keyboards.ts";
import type { AmendDraft } from "./amend-syntax.ts";
import { AMENDABLE_TYPES, amendAndDescribe, amendablePrices } from "./amend.ts";
import { orderLine } from "./card.ts";
import { checkTypedNumber } from "./validate-input.ts";
import { formatPrice, formatQuantity } from "../../format/numbers.ts";
import { askText, cancellable } from "../../conversations/ask.ts";

export const ORDER_AMEND = "order-amend";

const KEEP = "am:keep";

/** The order as the conversation needs it: plain strings, so it survives replays. */
interface AmendTarget {
  id: number;
  line: string;
  type: OrderType;
  price: string | null;
  stopPrice: string | null;
  quantity: string;
  filled: string;
  /** for showing: the current values formatted in the user's locale */
  shown: { price: string; stopPrice: string; quantity: string; filled: string };
}

async function loadTarget(
  c: BotContext,
  orderId: number,
): Promise<{ target: AmendTarget } | { error: string }> {
  const t = (k: string, p?: Record<string, string | number>) => c.t(k, p);
  try {
    const order = await c.deps.services.orders.requireCancelable(actorOf(c), orderId);
    if (!AMENDABLE_TYPES.includes(order.type))
      return { error: t("error-amend-type", { id: order.id, type: order.type }) };
    const instrument = await c.deps.services.instruments.get(order.instrumentId);
    const locale = await c.i18n.getLocale();
    const { tickSize, lotSize } = instrument.rules;
    return {
      target: {
        id: order.id,
        line: orderLine(t, order, instrument, locale),
        type: order.type,
        price: order.price?.toFixed() ?? null,
        stopPrice: order.stopPrice?.toFixed() ?? null,
        quantity: order.quantity.toFixed(),
        filled: order.filledQuantity.toFixed(),
        shown: {
          price: order.price ? formatPrice(order.price, tickSize, locale) : "—",
          stopPrice: order.stopPrice ? formatPrice(order.stopPrice, tickSize, locale) : "—",
          quantity: formatQuantity(order.quantity, lotSize, locale),
          filled: formatQuantity(order.filledQuantity, lotSize, locale),
        },
      },
    };
  } catch (e) {
    if (!isDomainError(e)) throw e;
    return { error: describeDomainError(t, e) };
  }
}

export async function orderAmend(
  conversation: BotConversation,
  ctx: ConvContext,
  start: { orderId: number },
): Promise<void> {
  await cancellable(async () => {
    const t = (k: string, p?: Record<string, string | number>) => ctx.t(k, p);
    const loaded = await conversation.external((c: BotContext) => loadTarget(c, start.orderId));
    if ("error" in loaded) {
      await ctx.reply(loaded.error);
      return;
    }
    const target = loaded.target;
    const keep = keyboard([[button(`↩️ ${t("amend-keep")}`, KEEP)]]);
    await ctx.reply(t("amend-intro", { id: target.id, order: target.line }));

    const askPrice = async (key: string, field: string, current: string) => {
      await ctx.reply(t(key, { current }), { reply_markup: keep });
      return (
        await askText<string | null>(
          conversation,
          (text, c) => {
            const checked = checkTypedNumber(text, field, "price", (k, p) => c.t(k, p));
            return "error" in checked ? checked : { value: checked.value.toFixed() };
          },
          { skipData: KEEP, skipValue: null },
        )
      ).value;
    };
    const prices = amendablePrices(target.type);
    const draft: AmendDraft = { orderId: target.id, price: null, stopPrice: null, quantity: null };
    if (prices.stopPrice)
      draft.stopPrice = await askPrice("amend-ask-stop", "stopPrice", target.shown.stopPrice);
    if (prices.price) draft.price = await askPrice("amend-ask-price", "price", target.shown.price);

    await ctx.reply(
      t("amend-ask-quantity", { current: target.shown.quantity, filled: target.shown.filled }),
      { reply_markup: keep },
    );
    draft.quantity = (
      await askText<string | null>(
        conversation,
        (text, c) => {
          const checked = checkTypedNumber(text, "quantity", "quantity", (k, p) => c.t(k, p));
          if ("error" in checked) return checked;
          // the new total must leave something to place beyond what already filled
          if (!checked.value.gt(dec(target.filled)))
            return { error: c.t("amend-quantity-below-filled", { filled: target.shown.filled }) };
          return { value: checked.value.toFixed() };
        },
        { skipData: KEEP, skipValue: null },
      )
    ).value;

    const unchanged =
      (draft.price === null || draft.price === target.price) &&
      (draft.stopPrice === null || draft.stopPrice === target.stopPrice) &&
      (draft.quantity === null || draft.quantity === target.quantity);
    if (unchanged) {
      await ctx.reply(t("amend-unchanged", { id: target.id }));
      return;
    }
    const final = draft;
    const text = await conversation.external((c: BotContext) =>
      amendAndDescribe(withActor(c), final),
    );
    await ctx.reply(text);
  });
}
