// The pieces the report texts are made of (report-text.ts, summary-text.ts; /positions reuses
// the exchange and performance sections): who reads them (language, number format, time zone,
// market), period names, money, bare tables, section headings and footers.
import { fmt, FormattedString } from "@grammyjs/parse-mode";
import type { Decimal } from "../../lib/decimal.ts";
import { type Period, formatLocal } from "../../lib/time.ts";
import type { ExchangeFundsView } from "../../domain/reports/report-types.ts";
import type { CurrencyPerformance } from "../../domain/reports/performance.ts";
import { FUNDS_ERROR_KEYS } from "../format/funds-errors.ts";
import { formatMoney, formatNumber, formatPercent } from "../format/numbers.ts";
import { table } from "../format/tables.ts";
import type { Translate } from "../i18n.ts";

export interface ReportView {
  t: Translate;
  locale: string;
  /** the reader's (or the schedule's) time zone */
  zone: string;
  market: { name: string; synthetic: boolean };
}

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

/** An amount with two decimals in the reader's number format, as report tables show money. */
export const money = (value: Decimal, locale: string, signed = false) =>
  formatNumber(value, locale, { minDecimals: 2, maxDecimals: 2, signed });

/** A two-column-or-more table without its header row. */
export function bare(rows: string[][], align: Array<"left" | "right">): FormattedString {
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
export function section(title: string): FormattedString {
  return fmt`\n${FormattedString.b(title)}`;
}

export function asOf(at: Date, v: ReportView): string {
  return v.t("report-as-of", { time: formatLocal(at, v.zone), zone: v.zone });
}

export function marketFooter(v: ReportView): FormattedString {
  return FormattedString.i(v.market.synthetic ? v.t("report-prices-synthetic") : v.market.name);
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
