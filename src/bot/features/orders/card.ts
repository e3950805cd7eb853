// The order confirmation card: the normalized order (what will really be sent), the quote, the
// estimated price, value, fee and total, the cash it may use, and risk findings to acknowledge.
import { formatRecent } from "../../../lib/time.ts";
import { fmt, FormattedString } from "@grammyjs/parse-mode";
import type { OrderPreview } from "../../../domain/trading/trading-service.ts";
import type { NormalizedOrder, OrderView } from "../../../domain/orders/order-types.ts";
import type { InstrumentView } from "../../../domain/instruments/instrument-service.ts";
import type { Translate } from "../../i18n.ts";
import { rejectReasonText } from "./reject-reasons.ts";
import { formatMoney, formatNumber, formatPrice, formatQuantity } from "../../format/numbers.ts";
import { accountKind } from "../../format/account-kind.ts";

type OrderShape = Pick<
  NormalizedOrder,
  | "side"
  | "type"
  | "timeInForce"
  | "quantity"
  | "price"
  | "stopPrice"
  | "trailAmount"
  | "trailPercent"
  | "symbol"
>;

/** "BUY 0.01 BTCUSDT · Limit 42,000.00 · GTC" */
export function orderLine(
  t: Translate,
  order: OrderShape,
  instrument: InstrumentView,
  locale: string,
): string {
  const { tickSize, lotSize } = instrument.rules;
  const parts = [
    `${t(`order-side-${order.side.toLowerCase()}`)} ${formatQuantity(order.quantity, lotSize, locale)} ${order.symbol}`,
  ];
  const type = t(`order-type-${order.type.toLowerCase()}`);
  if (order.type === "LIMIT" && order.price)
    parts.push(`${type} ${formatPrice(order.price, tickSize, locale)}`);
  else if (order.type === "STOP" && order.stopPrice)
    parts.push(`${type} ${formatPrice(order.stopPrice, tickSize, locale)}`);
  else if (order.type === "STOP_LIMIT" && order.stopPrice && order.price) {
    parts.push(
      `${type} ${formatPrice(order.stopPrice, tickSize, locale)} → ${formatPrice(order.price, tickSize, locale)}`,
    );
  } else if (order.type === "TRAILING") {
    parts.push(
      // the distance with its unit: a percent, or an amount in the quote currency
      `${type} ${order.trailPercent ? `${formatNumber(order.trailPercent, locale)} %` : `${formatPrice(order.trailAmount ?? "0", tickSize, locale)} ${instrument.currency}`}`,
    );
  } else parts.push(type);
  parts.push(order.timeInForce);
  return parts.join(" · ");
}

export function orderCard(
  t: Translate,
  preview: OrderPreview,
  instrument: InstrumentView,
  locale: string,
  extra: FormattedString | null = null,
  /** the user's time zone, for the age of a stale quote */
  zone = "UTC",
): FormattedString {
  const { order, portfolio, estimate, cash } = preview;
  const { tickSize } = instrument.rules;
  const c = instrument.currency;
  const lines: FormattedString[] = [
    fmt`${FormattedString.b(t("order-card-title"))}`,
    fmt`${FormattedString.b(orderLine(t, order, instrument, locale))}`,
    fmt`${t("order-card-portfolio")}: ${portfolio.name}${accountKind(t, portfolio)}`,
    // only exits reach a card while entries are paused: say why a buy would not
    ...(portfolio.entriesPausedAt
      ? [FormattedString.b(`⏸ ${t("order-card-entries-paused")}`)]
      : []),
    ...(preview.strategy
      ? [
          fmt`${t("order-card-strategy")}: ${FormattedString.b(preview.strategy.name)} (v${preview.strategy.version})`,
        ]
      : []),
    fmt`${t("order-card-quote")}: ${formatPrice(estimate.quote.bid, tickSize, locale)} / ${formatPrice(estimate.quote.ask, tickSize, locale)}`,
    ...(estimate.trigger
      ? [
          fmt`${t("order-card-trigger-now")}: ${formatPrice(estimate.trigger, tickSize, locale)} ${c}`,
        ]
      : []),
    fmt`${t(estimate.immediate ? "order-card-est-price" : "order-card-price-if-filled")}: ${formatPrice(estimate.price, tickSize, locale)} ${c}`,
    fmt`${t("order-card-value")}: ${formatMoney(estimate.notional, c, locale)}`,
    fmt`${t("order-card-fee")}: ${formatMoney(estimate.fee, c, locale)}`,
    fmt`${FormattedString.b(t(order.side === "BUY" ? "order-card-total-buy" : "order-card-total-sell"))}: ${FormattedString.b(formatMoney(estimate.total, c, locale))}`,
  ];
  if (cash)
    lines.push(fmt`${t("order-card-cash")}: ${formatMoney(cash.available, cash.currency, locale)}`);
  const { bracket } = preview;
  if (bracket?.takeProfit)
    lines.push(
      fmt`${t("order-card-take-profit")}: ${formatPrice(bracket.takeProfit, tickSize, locale)} ${c} · ${t("order-card-expected-pnl")} ${formatMoney(bracket.takeProfitPnl ?? "0", c, locale, true)}`,
    );
  if (bracket?.stopLoss)
    lines.push(
      fmt`${t("order-card-stop-loss")}: ${formatPrice(bracket.stopLoss, tickSize, locale)} ${c} · ${t("order-card-expected-pnl")} ${formatMoney(bracket.stopLossPnl ?? "0", c, locale, true)}`,
    );
  if (bracket) lines.push(fmt`${FormattedString.i(t("order-card-bracket-note"))}`);
  if (order.expiresAt) lines.push(fmt`${t("order-card-expires")}`);
  if (preview.estimate.quote.synthetic) lines.push(fmt`${FormattedString.i(t("price-synthetic"))}`);
  // the exchange is unreachable: these are its last prices, and the order waits for fresh ones
  if (preview.estimate.quote.stale) {
    const time = formatRecent(preview.estimate.quote.time, zone);
    lines.push(fmt`${FormattedString.i(t("price-stale", { time }))}`);
  }
  if (extra) lines.push(fmt``, extra);
  return FormattedString.join(lines, "\n");
}

/** What happened after Confirm: filled, partly filled, resting, rejected, or queued for sending. */
export function placedText(
  t: Translate,
  order: OrderView,
  instrument: InstrumentView,
  locale: string,
  submitted: boolean,
): string {
  const line = orderLine(t, order, instrument, locale);
  const { tickSize, lotSize } = instrument.rules;
  const filled = formatQuantity(order.filledQuantity, lotSize, locale);
  const avg = order.avgFillPrice ? formatPrice(order.avgFillPrice, tickSize, locale) : "—";
  if (!submitted) return t("order-queued", { id: order.id, order: line });
  switch (order.status) {
    case "FILLED":
      return t("order-filled", {
        id: order.id,
        order: line,
        filled,
        price: avg,
        currency: instrument.currency,
      });
    case "PARTIALLY_FILLED":
      return t("order-partially-filled", {
        id: order.id,
        order: line,
        filled,
        price: avg,
        currency: instrument.currency,
      });
    case "REJECTED":
      return t("order-rejected", {
        id: order.id,
        order: line,
        reason: rejectReasonText(t, order.rejectReason),
      });
    case "CANCELED":
    case "EXPIRED":
      return t("order-ended-unfilled", {
        id: order.id,
        order: line,
        status: t(`order-status-${order.status.toLowerCase()}`),
        filled,
      });
    default:
      return t("order-working", { id: order.id, order: line });
  }
}
