// /orders [open|filled|canceled|all]: the orders of the current portfolio, a page at a time
// (pagination.ts), each with what it is, its fills and its links (an amended order and its
// replacement, a bracket's entry and legs), and Cancel (asked first) and Amend under each open
// order; the other filters as buttons. The buttons are answered in orders.ts.
import { fmt, FormattedString } from "@grammyjs/parse-mode";
import type { OrderFilter } from "../../../domain/orders/order-queries.ts";
import { formatLocal } from "../../../lib/time.ts";
import type { ActorContext } from "../../context.ts";
import { formatPrice, formatQuantity } from "../../format/numbers.ts";
import { replyFmt } from "../../format/reply.ts";
import { button, keyboard } from "../../keyboards.ts";
import { pageWindow, pagerRow } from "../../pagination.ts";
import { AMENDABLE_TYPES } from "./amend.ts";
import { ORDER_FILTERS, orderAmend, orderCancelAsk, ordersPage } from "./callback-data.ts";
import { orderLine } from "./card.ts";

const FILTERS: readonly OrderFilter[] = ORDER_FILTERS;
const PAGE_SIZE = 6;

export async function renderOrders(ctx: ActorContext, filter: OrderFilter, requested: number) {
  const portfolio = await ctx.deps.services.portfolios.resolvePortfolio(ctx.actor);
  const list = (page: number) =>
    ctx.deps.services.orders.list(ctx.actor, portfolio.id, filter, page, PAGE_SIZE);
  let result = await list(requested);
  const window = pageWindow(result.total, requested, PAGE_SIZE);
  // a page that no longer exists (orders were canceled meanwhile): show the last one there is
  if (window.page !== requested) result = await list(window.page);
  const { page, pages } = window;
  const locale = await ctx.i18n.getLocale();
  const zone = ctx.user?.timeZone ?? "UTC";
  const t = (k: string, p?: Record<string, string | number>) => ctx.t(k, p);
  const title = FormattedString.b(
    ctx.t("orders-title", { portfolio: portfolio.name, filter: ctx.t(`orders-filter-${filter}`) }),
  );
  const lines: FormattedString[] = [];
  const cancelButtons = [];
  const triggers = await ctx.deps.services.trading.trailingTriggers(
    ctx.actor,
    portfolio.id,
    result.orders,
  );
  for (const o of result.orders) {
    const instrument = await ctx.deps.services.instruments.get(o.instrumentId);
    const filled = o.filledQuantity.isZero()
      ? ""
      : ` · ${ctx.t("orders-filled", { filled: formatQuantity(o.filledQuantity, instrument.rules.lotSize, locale), price: o.avgFillPrice ? formatPrice(o.avgFillPrice, instrument.rules.tickSize, locale) : "—" })}`;
    const trigger = triggers.get(o.id);
    const level = trigger
      ? ` · ${ctx.t("orders-trigger-now", { price: formatPrice(trigger, instrument.rules.tickSize, locale), currency: instrument.currency })}`
      : "";
    // an amended order and its replacement name each other; a bracket's legs name their entry
    // and their OCO pair, an entry its planned levels
    const tick = instrument.rules.tickSize;
    const plan = o.bracketPlan;
    const links = [
      ...(o.replacesOrderId ? [ctx.t("orders-replaces", { id: o.replacesOrderId })] : []),
      ...(o.replacedByOrderId ? [ctx.t("orders-replaced-by", { id: o.replacedByOrderId })] : []),
      ...(plan?.takeProfit
        ? [ctx.t("orders-plan-take-profit", { price: formatPrice(plan.takeProfit, tick, locale) })]
        : []),
      ...(plan?.stopLoss
        ? [ctx.t("orders-plan-stop-loss", { price: formatPrice(plan.stopLoss, tick, locale) })]
        : []),
      ...(o.leg
        ? [
            ctx.t(`orders-leg-${o.leg.role}`, { id: o.leg.parentOrderId }),
            ctx.t("orders-leg-pair", { group: o.leg.group }),
          ]
        : []),
    ].map((l) => ` · ${l}`);
    lines.push(
      fmt`#${o.id} ${FormattedString.b(ctx.t(`order-status-${o.status.toLowerCase()}`))} · ${orderLine(t, o, instrument, locale)}${level}${filled}${links.join("")}\n   ${FormattedString.i(formatLocal(o.placedAt, zone))}`,
    );
    if (o.status === "NEW" || o.status === "PARTIALLY_FILLED")
      cancelButtons.push([
        // asks first: one stray tap must not cancel a working order
        button(
          `✖️ ${ctx.t("orders-cancel", { id: o.id })}`,
          orderCancelAsk.pack({ id: o.id, filter, page }),
        ),
        ...(AMENDABLE_TYPES.includes(o.type)
          ? [button(`✏️ ${ctx.t("orders-amend", { id: o.id })}`, orderAmend.pack({ id: o.id }))]
          : []),
      ]);
  }
  const body = lines.length ? FormattedString.join(lines, "\n") : fmt`${ctx.t("orders-none")}`;
  const nav = pagerRow("orders", window, filter);
  const filters = FILTERS.filter((f) => f !== filter).map((f) =>
    button(ctx.t(`orders-filter-${f}`), ordersPage.pack({ filter: f, page: 1 })),
  );
  return {
    text: fmt`${title}\n${ctx.t("orders-summary", { total: result.total, page, pages })}\n\n${body}`,
    markup: keyboard([...cancelButtons, nav, filters]),
  };
}

export async function ordersCommand(ctx: ActorContext): Promise<void> {
  const word = (typeof ctx.match === "string" ? ctx.match.trim().toLowerCase() : "") || "open";
  const filter = FILTERS.find((f) => f === word);
  if (!filter) {
    await ctx.reply(ctx.t("orders-usage"));
    return;
  }
  const { text, markup } = await renderOrders(ctx, filter, 1);
  await replyFmt(ctx, text, markup);
}
