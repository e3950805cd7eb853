// The picture attached to a report: the equity curve (portfolio value over the period) above the
// allocation by instrument (horizontal bars, so short positions show as negative), either panel
// optional, in one PNG so a report is one photo with its caption.
//
// Everything shown is given ready-made: titles and labels already translated, axis labels
// already formatted in the reader's time zone, and a number formatter for the reader's locale.
// Values are plain numbers here: a chart needs floats, and the figures in the text stay exact.
import type { ChartImage, ChartOption } from "./png-renderer.ts";
import { renderPng } from "./png-renderer.ts";

export interface EquityPanel {
  title: string;
  /** x-axis labels, one per point, formatted in the reader's zone */
  labels: string[];
  values: number[];
  /**
   * The sign of the period's result net of deposits and withdrawals (profit), which colours the
   * line; without it, the sign of last − first (a withdrawal alone then looks like a loss)
   */
  trend?: number;
}

export interface AllocationBar {
  label: string;
  value: number;
  /** shown at the end of the bar, e.g. "42.1 %" */
  note: string;
}

export interface AllocationPanel {
  title: string;
  bars: AllocationBar[];
}

export interface ReportChartInput {
  title: string;
  subtitle?: string;
  equity?: EquityPanel | null;
  allocation?: AllocationPanel | null;
  /** the reader's number format for axis labels */
  formatNumber: (value: number) => string;
}

export const CHART_WIDTH = 1000;
const HEADER_HEIGHT = 70;
const EQUITY_HEIGHT = 360;
const BAR_HEIGHT = 30;
const PANEL_GAP = 60;
const FOOTER = 30;
/** More bars than this are folded into the last one by the caller. */
export const MAX_ALLOCATION_BARS = 12;

const UP = "#1a9850";
const DOWN = "#d73027";
const NEUTRAL = "#4575b4";

export function hasChartContent(input: Pick<ReportChartInput, "equity" | "allocation">): boolean {
  return Boolean(
    (input.equity && input.equity.values.length >= 2) || input.allocation?.bars.length,
  );
}

/** Builds the ECharts option and its canvas size. Exported for tests of the layout. */
export function reportChartOption(input: ReportChartInput): {
  option: ChartOption;
  width: number;
  height: number;
} {
  const equity = input.equity && input.equity.values.length >= 2 ? input.equity : null;
  const bars = input.allocation?.bars.slice(0, MAX_ALLOCATION_BARS) ?? [];
  const allocationHeight = bars.length ? 40 + bars.length * BAR_HEIGHT : 0;
  let y = HEADER_HEIGHT;
  const grids: GridOption[] = [];
  const xAxes: XAxisOption[] = [];
  const yAxes: YAxisOption[] = [];
  const series: SeriesOption[] = [];
  const titles: TitleOption[] = [
    {
      text: input.title,
      subtext: input.subtitle ?? "",
      left: "center",
      top: 10,
      textStyle: { fontSize: 20, fontWeight: "bold", color: "#222" },
      subtextStyle: { fontSize: 13, color: "#666" },
    },
  ];
  const axisLabel = { color: "#555", fontSize: 12 };
  const valueLabel = { ...axisLabel, formatter: (v: number) => input.formatNumber(v) };

  if (equity) {
    const first = equity.values[0]!;
    const last = equity.values[equity.values.length - 1]!;
    const trend = equity.trend ?? last - first;
    const color = trend > 0 ? UP : trend < 0 ? DOWN : NEUTRAL;
    titles.push({
      text: equity.title,
      left: 20,
      top: y,
      textStyle: { fontSize: 15, fontWeight: "bold", color: "#333" },
    });
    grids.push({ left: 110, right: 40, top: y + 35, height: EQUITY_HEIGHT - 80 });
    const index = grids.length - 1;
    xAxes.push({
      type: "category",
      gridIndex: index,
      data: equity.labels,
      boundaryGap: false,
      axisLabel: { ...axisLabel, hideOverlap: true },
      axisTick: { show: false },
    });
    yAxes.push({
      type: "value",
      gridIndex: index,
      scale: true,
      axisLabel: valueLabel,
      splitLine: { lineStyle: { color: "#e6e6e6" } },
    });
    series.push({
      type: "line",
      xAxisIndex: index,
      yAxisIndex: index,
      data: equity.values,
      showSymbol: equity.values.length <= 2,
      lineStyle: { color, width: 2.5 },
      itemStyle: { color },
      areaStyle: { color, opacity: 0.08 },
    });
    y += EQUITY_HEIGHT;
  }

  if (bars.length) {
    if (equity) y += PANEL_GAP - 30;
    titles.push({
      text: input.allocation!.title,
      left: 20,
      top: y,
      textStyle: { fontSize: 15, fontWeight: "bold", color: "#333" },
    });
    grids.push({ left: 160, right: 150, top: y + 40, height: bars.length * BAR_HEIGHT });
    const index = grids.length - 1;
    // largest on top: a category axis draws its first item at the bottom
    const ordered = [...bars].reverse();
    yAxes.push({
      type: "category",
      gridIndex: index,
      data: ordered.map((b) => b.label),
      axisLabel: { ...axisLabel, fontSize: 13 },
      axisTick: { show: false },
    });
    xAxes.push({
      type: "value",
      gridIndex: index,
      axisLabel: valueLabel,
      splitLine: { lineStyle: { color: "#e6e6e6" } },
    });
    series.push({
      type: "bar",
      xAxisIndex: index,
      yAxisIndex: index,
      barWidth: BAR_HEIGHT * 0.6,
      data: ordered.map((b) => ({
        value: b.value,
        itemStyle: { color: b.value < 0 ? DOWN : NEUTRAL },
        label: { show: true, position: "right", formatter: b.note, color: "#333", fontSize: 12 },
      })),
    });
    y += 40 + allocationHeight;
  }

  const height = Math.max(y + FOOTER, 200);
  return {
    option: { title: titles, grid: grids, xAxis: xAxes, yAxis: yAxes, series },
    width: CHART_WIDTH,
    height,
  };
}

export async function renderReportChart(input: ReportChartInput): Promise<ChartImage> {
  const { option, width, height } = reportChartOption(input);
  return renderPng(option, width, height);
}

type Many<T> = T extends readonly (infer U)[] ? U : T;
type GridOption = Many<NonNullable<ChartOption["grid"]>>;
type XAxisOption = Many<NonNullable<ChartOption["xAxis"]>>;
type YAxisOption = Many<NonNullable<ChartOption["yAxis"]>>;
type TitleOption = Many<NonNullable<ChartOption["title"]>>;
type SeriesOption = Many<NonNullable<ChartOption["series"]>>;
