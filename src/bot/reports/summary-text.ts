// The portfolio summary as text: value per currency, the exchange's figures for a live account,
// performance over the period, PnL today and over the period, positions, the day's movers and
// the open orders.
import { fmt, FormattedString } from "@grammyjs/parse-mode";
import { ZERO } from "../../lib/decimal.ts";
import type { PnlReport } from "../../domain/pnl/pnl-service.ts";
import { MAX_SUMMARY_ORDERS } from "../../domain/reports/report-service.ts";
import type { PortfolioSummary } from "../../domain/reports/report-types.ts";
import { formatNumber, formatPercent, formatPrice, formatQuantity } from "../format/numbers.ts";
import { table } from "../format/tables.ts";
import {
  type ReportView,
  asOf,
  bare,
  exchangeSection,
  marketFooter,
  money,
  performanceLines,
  periodLabel,
  section,
} from "./report-parts.ts";

export function summaryText(data: PortfolioSummary, v: ReportView): FormattedString {
  const { t, locale } = v;
  const parts: FormattedString[] = [fmt`${asOf(data.at, v)}`];

  parts.push(section(t("report-section-value")));
  if (data.totals.length) {
    parts.push(
      FormattedString.pre(
        table(
          ["", t("report-col-positions"), t("report-col-cash"), t("report-col-total")],
          data.totals.map((r) => [
            r.currency,
            money(r.positions, locale),
            money(r.cash, locale),
            money(r.total, locale),
          ]),
          ["left", "right", "right", "right"],
        ),
      ),
    );
  } else {
    parts.push(fmt`${t("report-empty-portfolio")}`);
  }
  if (data.exchange) parts.push(...exchangeSection(data.exchange, t, locale));

  const performance = performanceLines(data.equity.performance, t, locale);
  if (performance.length) {
    parts.push(section(t("report-section-performance", { period: periodLabel(t, data.period) })));
    parts.push(...performance);
  }

  parts.push(section(t("report-section-pnl")));
  parts.push(pnlTotalsTable(data.pnlToday, data.period === "today" ? null : data.pnlPeriod, v));

  parts.push(section(t("report-section-positions")));
  if (data.valuation.positions.length) {
    parts.push(
      FormattedString.pre(
        table(
          [
            t("report-col-symbol"),
            t("report-col-qty"),
            t("report-col-last"),
            t("report-col-value"),
            t("report-col-unrealized"),
            "%",
          ],
          data.valuation.positions.map((p) => {
            const rules = p.instrument.rules;
            return [
              p.strategyName ? `${p.symbol}·${p.strategyName}` : p.symbol,
              formatQuantity(p.quantity, rules.lotSize, locale, true),
              p.lastPrice ? formatPrice(p.lastPrice, rules.tickSize, locale) : "—",
              p.marketValue ? money(p.marketValue, locale) : "—",
              p.unrealized ? money(p.unrealized, locale, true) : "—",
              p.unrealizedPct ? formatPercent(p.unrealizedPct, locale) : "—",
            ];
          }),
          ["left", "right", "right", "right", "right", "right"],
        ),
      ),
    );
  } else {
    parts.push(fmt`${t("report-no-positions")}`);
  }

  if (data.movers.length) {
    parts.push(section(t("report-section-movers")));
    parts.push(
      bare(
        data.movers.map((m) => [
          m.symbol,
          formatPercent(m.changePct, locale),
          formatNumber(m.last, locale, {
            minDecimals: 2,
            maxDecimals: Math.max(2, m.last.decimalPlaces()),
          }),
        ]),
        ["left", "right", "right"],
      ),
    );
  }

  parts.push(section(t("report-section-orders", { count: data.openOrders.length })));
  if (data.openOrders.length) {
    const shown = data.openOrders.slice(0, MAX_SUMMARY_ORDERS);
    parts.push(
      bare(
        shown.map((o) => [
          o.side,
          o.type,
          o.symbol,
          formatNumber(o.quantity, locale),
          o.price
            ? `@ ${formatNumber(o.price, locale)}`
            : o.stopPrice
              ? `⟂ ${formatNumber(o.stopPrice, locale)}`
              : "",
          o.filledQuantity.isZero() ? "" : `${formatNumber(o.filledQuantity, locale)} ✓`,
        ]),
        ["left", "left", "left", "right", "left", "right"],
      ),
    );
    if (data.openOrders.length > shown.length) {
      parts.push(fmt`${t("report-more", { count: data.openOrders.length - shown.length })}`);
    }
  } else {
    parts.push(fmt`${t("report-no-orders")}`);
  }
  parts.push(marketFooter(v));
  return FormattedString.join(parts, "\n");
}

/** Net PnL per currency for today and, when given, the period. */
function pnlTotalsTable(
  today: PnlReport,
  period: PnlReport | null,
  v: ReportView,
): FormattedString {
  const currencies = [
    ...new Set([...today.totals, ...(period?.totals ?? [])].map((r) => r.currency)),
  ].sort();
  if (currencies.length === 0) return fmt`${v.t("report-no-pnl")}`;
  const net = (report: PnlReport, currency: string) =>
    report.totals.find((r) => r.currency === currency)?.net ?? ZERO;
  const header = [
    "",
    periodLabel(v.t, "today"),
    ...(period ? [periodLabel(v.t, period.period)] : []),
  ];
  const rows = currencies.map((c) => [
    c,
    money(net(today, c), v.locale, true),
    ...(period ? [money(net(period, c), v.locale, true)] : []),
  ]);
  return FormattedString.pre(table(header, rows, ["left", "right", "right"]));
}
