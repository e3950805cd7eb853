// How the strategy runtime's notices read: the signals of one candle with what became of each
// (order placed and its fill, already placed, nothing to trade, refused and why), an error (and
// the pause after three in a row), the daily summary. Rendered in the owner's language; the
// domain writes the outbox row in the same transaction as the event (strategy-runtime.ts).
import { fmt, FormattedString } from "@grammyjs/parse-mode";
import { DomainError } from "../../../domain/errors.ts";
import type {
  IntentReport,
  StrategyMessage,
  StrategyNotice,
  StrategyNotifier,
} from "../../../domain/strategies/instance-types.ts";
import { formatLocal } from "../../../lib/time.ts";
import { describeDomainError } from "../../errors.ts";
import { toHtml } from "../../format/html.ts";
import { formatMoney } from "../../format/numbers.ts";
import type { Translate } from "../../i18n.ts";
import type { Notifier } from "../../notifier.ts";

/** A refusal the runtime reported as its key and parameters, explained like any domain error. */
class ReportedRefusal extends DomainError {
  readonly code = "REFUSED";
}

function intentLine(t: Translate, r: IntentReport): FormattedString {
  const what = `${r.side ? t(`order-side-${r.side.toLowerCase()}`) : t(`strategy-action-${r.action}`)} (${r.reason})`;
  const o = r.outcome;
  switch (o.kind) {
    case "placed":
      return fmt`• ${what} → ${t("strategy-notice-placed", { id: o.orderId, quantity: o.quantity.toFixed(), filled: o.filled.toFixed(), status: t(`order-status-${o.status.toLowerCase()}`) })}`;
    case "already-placed":
      return fmt`• ${what} → ${t("strategy-notice-already", { id: o.orderId })}`;
    case "nothing":
      return fmt`• ${what} → ${t("strategy-notice-nothing")}`;
    case "refused":
      return fmt`• ${what} → ${t("strategy-notice-refused")}: ${describeDomainError(t, new ReportedRefusal(o.key, o.params))}`;
  }
}

export function renderStrategyNotice(
  t: Translate,
  locale: string,
  notice: StrategyNotice,
): { title: string; body: FormattedString } {
  const who = { name: notice.instance.strategyName, version: notice.instance.version };
  const where = t("strategy-notice-portfolio", { portfolio: notice.instance.portfolioName });
  const zone = notice.recipient.timeZone;
  switch (notice.kind) {
    case "signals":
      return {
        title: t("strategy-notice-signals-title", { ...who, symbol: notice.symbol }),
        body: FormattedString.join(
          [
            ...notice.intents.map((r) => intentLine(t, r)),
            fmt`${FormattedString.i(`${where} · ${t("strategy-notice-candle", { time: formatLocal(notice.candleOpenTime, zone) })}`)}`,
          ],
          "\n",
        ),
      };
    case "error":
      return {
        title: t(
          notice.paused ? "strategy-notice-paused-title" : "strategy-notice-error-title",
          who,
        ),
        body: FormattedString.join(
          [
            fmt`${FormattedString.code(notice.message)}`,
            fmt`${notice.paused ? t("strategy-notice-paused", { count: notice.consecutiveErrors }) : t("strategy-notice-error-retry")}`,
            fmt`${FormattedString.i(where)}`,
          ],
          "\n",
        ),
      };
    case "daily":
      return {
        title: t("strategy-notice-daily-title", {
          ...who,
          day: formatLocal(notice.day, zone).slice(0, 10),
        }),
        body: FormattedString.join(
          [
            fmt`${t("strategy-notice-daily-orders", { orders: notice.orders, fills: notice.fills })}`,
            fmt`${t("running-pnl")}: ${formatMoney(notice.pnlSinceStart, notice.currency, locale, true)}`,
            fmt`${FormattedString.i(where)}`,
          ],
          "\n",
        ),
      };
  }
}

export class BotStrategyNotifier implements StrategyNotifier {
  constructor(private readonly notifier: Notifier) {}

  render(notice: StrategyNotice): StrategyMessage {
    const locale = this.notifier.localeOf(notice.recipient);
    const { title, body } = renderStrategyNotice(
      this.notifier.translator(notice.recipient),
      locale,
      notice,
    );
    return { title, message: toHtml(body), format: "html" };
  }
}
