// How a closeout reads: the outcome of canceling open orders and of closing positions at market,
// shared by a refused portfolio deletion's buttons, /cancelall and /close.
import { fmt, type FormattedString } from "@grammyjs/parse-mode";
import type { CancelOutcome, CloseOutcome } from "../../../domain/portfolios/portfolio-closeout.ts";
import type { Translate } from "../../i18n.ts";

export function cancelReport(t: Translate, outcome: CancelOutcome): FormattedString[] {
  const lines = [
    fmt`${t("portfolio-canceled-orders", { count: outcome.canceled.filter((c) => c.canceled).length })}`,
  ];
  for (const c of outcome.canceled.filter((c) => !c.canceled))
    lines.push(
      fmt`• ${t("portfolio-cancel-ended", { id: c.orderId, symbol: c.symbol, status: t(`order-status-${c.status.toLowerCase()}`) })}`,
    );
  for (const r of outcome.refused)
    lines.push(
      fmt`• ${t("portfolio-cancel-refused", { id: r.orderId, symbol: r.symbol, reason: t(r.key, r.params) })}`,
    );
  return lines;
}

export function closeReport(t: Translate, outcome: CloseOutcome): FormattedString[] {
  const lines = [fmt`${t("portfolio-close-title")}`];
  const label = (o: { side: string; quantity: { toFixed(): string }; symbol: string }) =>
    `${t(`order-side-${o.side.toLowerCase()}`)} ${o.quantity.toFixed()} ${o.symbol}`;
  for (const p of outcome.placed)
    lines.push(
      fmt`• ${t("portfolio-close-placed", { id: p.orderId, order: label(p), status: t(`order-status-${p.status.toLowerCase()}`) })}`,
    );
  for (const r of outcome.refused)
    lines.push(
      fmt`• ${t("portfolio-close-refused", { order: label(r), reason: t(r.key, r.params) })}`,
    );
  return lines;
}
