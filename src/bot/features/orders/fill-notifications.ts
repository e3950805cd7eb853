// Fill notifications: every ingested fill (whatever brought it in: the order's own placement, the
// sync job, a replay) tells its owner through the outbox, in the same transaction as the fill,
// so a fill is never recorded without its notification nor notified twice.
import { fmt, FormattedString } from "@grammyjs/parse-mode";
import type { Services } from "../../../domain/services.ts";
import type { FillEvent } from "../../../domain/trades/trade-service.ts";
import { formatLocal } from "../../../lib/time.ts";
import { formatMoney, formatPrice, formatQuantity } from "../../format/numbers.ts";
import type { Notifier } from "../../notifier.ts";

export function registerFillNotifications(services: Services, notifier: Notifier): void {
  services.trades.onFill(async (tx, event: FillEvent) => {
    await notifier.send(
      {
        userId: event.userId,
        type: "ORDER_FILLED",
        severity: "INFO",
        dedupeKey: `fill:${event.tradeId}`,
        render: (t, locale, user) => {
          const { tickSize, lotSize } = event.instrument.rules;
          const c = event.instrument.currency;
          const side = t(`order-side-${event.side.toLowerCase()}`);
          const lines = [
            fmt`${side} ${formatQuantity(event.quantity, lotSize, locale)} ${event.instrument.symbol} @ ${formatPrice(event.price, tickSize, locale)} ${c}`,
            fmt`${t("fill-fee")}: ${formatMoney(event.fee, event.feeCurrency, locale)}`,
          ];
          if (event.orderId && event.orderQuantity && event.orderFilled) {
            lines.push(
              fmt`${t("fill-order", { id: event.orderId, filled: formatQuantity(event.orderFilled, lotSize, locale), quantity: formatQuantity(event.orderQuantity, lotSize, locale) })}`,
            );
          }
          if (!event.realized.isZero())
            lines.push(fmt`${t("fill-realized")}: ${formatMoney(event.realized, c, locale, true)}`);
          lines.push(
            fmt`${t("fill-position", { portfolio: event.portfolioName })}: ${formatQuantity(event.position.quantity, lotSize, locale, true)}${event.position.quantity.isZero() ? "" : ` @ ${formatPrice(event.position.avgPrice, tickSize, locale)}`}`,
            fmt`${FormattedString.i(formatLocal(event.execTime, user.timeZone, true))}`,
          );
          const complete = event.orderStatus === "FILLED";
          return {
            title: t(complete ? "fill-title-filled" : "fill-title-partial", {
              symbol: event.instrument.symbol,
            }),
            body: FormattedString.join(lines, "\n"),
          };
        },
      },
      tx,
    );
  });
}
