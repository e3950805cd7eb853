// What a report's chart shows, in the reader's language: the equity curve of the currency that
// holds most of the value (time labels in the reader's zone) and that currency's allocation. Figures
// become floats here, at the chart boundary; the text keeps the exact ones.
import { DateTime } from "luxon";
import type { EquityCurve } from "../../domain/reports/equity-history.ts";
import type { Allocation, ReportData } from "../../domain/reports/report-types.ts";
import { type Decimal, sumDec } from "../../lib/decimal.ts";
import { formatLocal } from "../../lib/time.ts";
import {
  type AllocationPanel,
  type EquityPanel,
  MAX_ALLOCATION_BARS,
  type ReportChartInput,
  hasChartContent,
} from "../../reports/charts/report-chart.ts";
import { formatNumber, formatPercent } from "../format/numbers.ts";
import { type ReportView, periodLabel } from "./report-parts.ts";

const toFloat = (d: Decimal) => d.toNumber();

/** The chart for a report, or null when there is nothing worth drawing. */
export function chartInputFor(data: ReportData, v: ReportView): ReportChartInput | null {
  if (data.kind === "SCREENER") return null;
  const equity = equityPanel(data.equity, periodLabel(v.t, data.period), v);
  const allocation =
    data.kind === "PORTFOLIO_SUMMARY" ? allocationPanel(data.allocation[0], v) : null;
  const input: ReportChartInput = {
    title: data.portfolio.name,
    subtitle: `${formatLocal(data.at, v.zone)} (${v.zone})${v.market.synthetic ? ` · ${v.t("report-prices-synthetic")}` : ""}`,
    equity,
    allocation,
    formatNumber: (n) => formatNumber(String(n), v.locale, { maxDecimals: 2 }),
  };
  return hasChartContent(input) ? input : null;
}

function equityPanel(curve: EquityCurve, period: string, v: ReportView): EquityPanel | null {
  // the currency with the largest value now
  const series = [...curve.series]
    .filter((s) => s.points.length >= 2)
    .sort((a, b) =>
      b.points[b.points.length - 1]!.value.abs().comparedTo(
        a.points[a.points.length - 1]!.value.abs(),
      ),
    )[0];
  if (!series) return null;
  const spansDays =
    DateTime.fromJSDate(curve.from, { zone: v.zone }).toISODate() !==
    DateTime.fromJSDate(curve.to, { zone: v.zone }).toISODate();
  const pattern = curve.resolution === "1d" ? "d MMM" : spansDays ? "d MMM HH:mm" : "HH:mm";
  const profit = curve.performance.find((p) => p.currency === series.currency)?.profit;
  return {
    title: v.t("report-chart-equity", { currency: series.currency, period }),
    labels: series.points.map((p) =>
      DateTime.fromJSDate(p.at, { zone: v.zone }).setLocale(v.locale).toFormat(pattern),
    ),
    values: series.points.map((p) => toFloat(p.value)),
    ...(profit ? { trend: profit.comparedTo(0) } : {}),
  };
}

function allocationPanel(
  allocation: Allocation | undefined,
  v: ReportView,
): AllocationPanel | null {
  if (!allocation || allocation.items.length === 0) return null;
  const label = (symbol: string | null) => symbol ?? v.t("report-cash");
  const items = allocation.items;
  const bars =
    items.length <= MAX_ALLOCATION_BARS
      ? items.map((i) => ({ label: label(i.symbol), value: i.value, share: i.share }))
      : [
          ...items
            .slice(0, MAX_ALLOCATION_BARS - 1)
            .map((i) => ({ label: label(i.symbol), value: i.value, share: i.share })),
          {
            label: v.t("report-other"),
            value: sumDec(items.slice(MAX_ALLOCATION_BARS - 1).map((i) => i.value)),
            share: sumDec(items.slice(MAX_ALLOCATION_BARS - 1).map((i) => i.share)),
          },
        ];
  return {
    title: v.t("report-chart-allocation", { currency: allocation.currency }),
    bars: bars.map((b) => ({
      label: b.label,
      value: toFloat(b.value),
      note: formatPercent(b.share, v.locale, false),
    })),
  };
}
