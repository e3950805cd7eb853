// Reports as text: a portfolio summary, a PnL report and a screener's ranked table, as grammY
// FormattedStrings (monospace tables in <pre> blocks), in the reader's language, number format
// and time zone. The same text serves direct replies (/report) and the outbox (via toHtml).
import { fmt, FormattedString } from "@grammyjs/parse-mode";
import { type Decimal, ZERO } from "../../lib/decimal.ts";
import { type Period, formatLocal } from "../../lib/time.ts";
import type { PnlReport } from "../../domain/pnl/pnl-service.ts";
import { MAX_SUMMARY_ORDERS } from "../../domain/reports/report-service.ts";
import type {
  ExchangeFundsView,
  PnlPeriodReport,
  PortfolioSummary,
  ReportData,
  ScreenerReport,
} from "../../domain/reports/report-types.ts";
import type { CurrencyPerformance } from "../../domain/reports/performance.ts";
import { FUNDS_ERROR_KEYS } from "../format/funds-errors.ts";
import {
  formatMoney,
  formatNumber,
  formatPercent,
  formatPrice,
  formatQuantity,
} from "../format/numbers.ts";
import { table } from "../format/tables.ts";
import type { Translate } from "../i18n.ts";

export interface ReportView {
  t: Translate;
  locale: string;
  /** the reader's (or the schedule's) time zone */
  zone: string;
  market: { name: string; synthetic: boolean };
}

/** Rows of a screener table shown at most (the count says how many there were). */
export const MAX_SCREENER_ROWS = 30;

export function periodLabel(t: Translate, period: Period): string {
  switch (period) {
    case "today":
      return t("report-period-today");
    case "yesterday":
      return t("report-period-yesterday");
    case "week":
      return t("report-period-week");
    case "month":
      return t("report-period-month");
    case "year":
      return t("report-period-year");
    case "all":
      return t("report-period-all");
  }
}

export function reportTitle(data: ReportData, v: ReportView): string {
  switch (data.kind) {
    case "PORTFOLIO_SUMMARY":
      return v.t("report-summary-title", { portfolio: data.portfolio.name });
    case "PNL_REPORT":
      return v.t("report-pnl-title", {
        portfolio: data.portfolio.name,
        period: periodLabel(v.t, data.period),
      });
    case "SCREENER":
      return v.t("report-screener-title", { screener: data.result.screenerName });
  }
}

export function reportBody(data: ReportData, v: ReportView): FormattedString {
  switch (data.kind) {
    case "PORTFOLIO_SUMMARY":
      return summaryText(data, v);
    case "PNL_REPORT":
      return pnlReportText(data, v);
    case "SCREENER":
      return screenerText(data, v);
  }
}

const money = (value: Decimal, locale: string, signed = false) =>
  formatNumber(value, locale, { minDecimals: 2, maxDecimals: 2, signed });

/** A two-column-or-more table without its header row. */
function bare(rows: string[][], align: Array<"left" | "right">): FormattedString {
  return FormattedString.pre(
    table(
      rows[0]!.map(() => ""),
      rows,
      align,
    )
      .split("\n")
      .slice(1)
      .join("\n"),
  );
}

/** A section heading, set off from what precedes it by a blank line. */
function section(title: string): FormattedString {
  return fmt`\n${FormattedString.b(title)}`;
}

function asOf(at: Date, v: ReportView): string {
  return v.t("report-as-of", { time: formatLocal(at, v.zone), zone: v.zone });
}

function marketFooter(v: ReportView): FormattedString {
  return FormattedString.i(v.market.synthetic ? v.t("report-prices-synthetic") : v.market.name);
}

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

export function pnlReportText(data: PnlPeriodReport, v: ReportView): FormattedString {
  const { t, locale } = v;
  const report = data.pnl;
  const parts: FormattedString[] = [fmt`${asOf(data.at, v)}`];
  parts.push(
    fmt`${data.period === "all" ? t("report-since-start") : t("report-since", { from: formatLocal(report.from, v.zone) })}`,
  );
  if (!report.rows.length) {
    parts.push(fmt`${t("report-no-pnl")}`);
  } else {
    parts.push(
      FormattedString.pre(
        table(
          [
            t("report-col-symbol"),
            t("report-col-realized"),
            t("report-col-unrealized"),
            t("report-col-fees"),
            t("report-col-net"),
          ],
          report.rows.map((r) => [
            r.instrument.symbol,
            money(r.realized, locale, true),
            money(r.unrealizedChange, locale, true),
            money(r.fees.neg(), locale, true),
            money(r.net, locale, true),
          ]),
          ["left", "right", "right", "right", "right"],
        ),
      ),
    );
    for (const total of report.totals) {
      parts.push(
        fmt`${FormattedString.b(t("report-pnl-total", { currency: total.currency }))}: ${money(total.net, locale, true)} ${total.currency} (${t(
          "report-pnl-breakdown",
          {
            realized: money(total.realized, locale, true),
            unrealized: money(total.unrealizedChange, locale, true),
            fees: money(total.fees.neg(), locale, true),
          },
        )})`,
      );
    }
  }
  if (data.exchange) parts.push(...exchangeSection(data.exchange, t, locale));
  const performance = performanceLines(data.equity.performance, t, locale);
  if (performance.length) {
    parts.push(section(t("report-section-performance", { period: periodLabel(t, data.period) })));
    parts.push(...performance);
  }
  parts.push(marketFooter(v));
  return FormattedString.join(parts, "\n");
}

/**
 * A live portfolio's cash and equity as the exchange reports the account's balances (in place of
 * the ledger's figures and the value history, which a live account does not keep), or why they
 * could not be read just now.
 */
export function exchangeSection(
  exchange: ExchangeFundsView,
  t: Translate,
  locale: string,
): FormattedString[] {
  const broker = exchange.broker;
  const parts = [section(t("report-section-exchange", { broker }))];
  const funds = exchange.funds;
  if (!funds) {
    parts.push(fmt`${t(FUNDS_ERROR_KEYS[exchange.error ?? "unreachable"], { broker })}`);
    return parts;
  }
  parts.push(
    fmt`${t("report-exchange-cash", { cash: formatMoney(funds.cash, funds.currency, locale) })}`,
    fmt`${t("report-exchange-equity", { equity: formatMoney(funds.equity, funds.currency, locale) })}`,
  );
  if (funds.unpriced.length)
    parts.push(fmt`${t("report-exchange-unpriced", { assets: funds.unpriced.join(", ") })}`);
  parts.push(FormattedString.i(t("report-exchange-no-history", { broker })));
  return parts;
}

/**
 * Per currency, how the portfolio did net of the money put in and taken out:
 * "Value: 100,000.00 → 18,350.04 USD", "Net deposits/withdrawals: −81,650.00 USD" (only when there
 * were any), "Return (time-weighted): +0.35 %", "Profit: +350.04 USD".
 */
export function performanceLines(
  performance: readonly CurrencyPerformance[],
  t: Translate,
  locale: string,
): FormattedString[] {
  return performance.flatMap((p) => {
    const currency = p.currency;
    const lines = [
      t("report-perf-value", {
        currency,
        start: money(p.start, locale),
        end: money(p.end, locale),
      }),
    ];
    if (!p.deposits.isZero() && !p.withdrawals.isZero()) {
      lines.push(
        t("report-perf-flows-both", {
          currency,
          net: money(p.netFlows, locale, true),
          deposits: money(p.deposits, locale, true),
          withdrawals: money(p.withdrawals.neg(), locale, true),
        }),
      );
    } else if (!p.netFlows.isZero()) {
      lines.push(t("report-perf-flows", { currency, net: money(p.netFlows, locale, true) }));
    }
    lines.push(
      t("report-perf-return", {
        twr: p.twr ? formatPercent(p.twr.mul(100), locale) : "—",
      }),
      t("report-perf-profit", { currency, profit: money(p.profit, locale, true) }),
    );
    return lines.map((line) => fmt`${line}`);
  });
}

export function screenerText(data: ScreenerReport, v: ReportView): FormattedString {
  const { t, locale } = v;
  const result = data.result;
  const parts: FormattedString[] = [
    fmt`${asOf(result.at, v)}`,
    fmt`${t("report-screener-summary", { matches: result.rows.length, scanned: result.scanned })}`,
  ];
  if (result.rows.length) {
    const shown = result.rows.slice(0, MAX_SCREENER_ROWS);
    parts.push(
      FormattedString.pre(
        table(
          ["#", t("report-col-symbol"), ...result.columns],
          shown.map((r, i) => [
            String(i + 1),
            r.symbol,
            ...result.columns.map((_, c) => cell(r.values[c] ?? null, locale)),
          ]),
          ["right", "left", ...result.columns.map(() => "right" as const)],
        ),
      ),
    );
    if (result.rows.length > shown.length) {
      parts.push(fmt`${t("report-more", { count: result.rows.length - shown.length })}`);
    }
  } else {
    parts.push(fmt`${t("report-screener-none")}`);
  }
  parts.push(marketFooter(v));
  return FormattedString.join(parts, "\n");
}

/** A screener value: numbers in the reader's format (at most 4 decimals), anything else as is. */
function cell(value: string | null, locale: string): string {
  if (value === null) return "—";
  if (!/^[+-]?\d+(\.\d+)?$/.test(value)) return value;
  const places = value.split(".")[1]?.length ?? 0;
  return formatNumber(value, locale, { maxDecimals: Math.min(4, places) });
}
