// Reports as text: a portfolio summary (summary-text.ts), a PnL report and a screener's ranked
// table, as grammY FormattedStrings (monospace tables in <pre> blocks), in the reader's language,
// number format and time zone (report-parts.ts). The same text serves direct replies (/report)
// and the outbox (via toHtml).
import { fmt, FormattedString } from "@grammyjs/parse-mode";
import { formatLocal } from "../../lib/time.ts";
import type {
  PnlPeriodReport,
  ReportData,
  ScreenerReport,
} from "../../domain/reports/report-types.ts";
import { formatNumber } from "../format/numbers.ts";
import { table } from "../format/tables.ts";
import {
  type ReportView,
  asOf,
  exchangeSection,
  marketFooter,
  money,
  performanceLines,
  periodLabel,
  section,
} from "./report-parts.ts";
import { summaryText } from "./summary-text.ts";

/** Rows of a screener table shown at most (the count says how many there were). */
export const MAX_SCREENER_ROWS = 30;

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
