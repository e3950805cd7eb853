// The picture of a backtest (/backtest): the strategy's equity against buy-and-hold on top,
// entries (▲) and exits (▼) marked on the equity line, and the drawdown from the running peak
// beneath, in one PNG. Titles, series names, x labels and the number format come ready-made from
// the caller (translated, in the reader's zone); values are floats at this boundary (a chart
// needs them), the exact figures are in the text beside it.
import type { ChartImage, ChartOption } from "./png-renderer.ts";
import { renderPng } from "./png-renderer.ts";

export interface BacktestChartNames {
  equity: string;
  buyHold: string;
  drawdown: string;
  entries: string;
  exits: string;
}

export interface BacktestChartInput {
  title: string;
  subtitle?: string;
  /** x-axis labels, one per point */
  labels: string[];
  /** the strategy's equity at each point */
  equity: number[];
  /** the same starting cash held in the asset, at each point */
  buyHold: number[];
  /** indexes of the points where the strategy bought, and where it sold */
  entries: number[];
  exits: number[];
  names: BacktestChartNames;
  /** the reader's number format for the axes */
  formatNumber: (value: number) => string;
}

export const BACKTEST_CHART_WIDTH = 1000;
export const BACKTEST_CHART_HEIGHT = 640;
const EQUITY = "#4575b4";
const HOLD = "#999999";
const UP = "#1a9850";
const DOWN = "#d73027";

/** Drawdown in percent (≤ 0) of each point from the running peak before it. */
export function drawdownSeries(values: readonly number[]): number[] {
  let peak = -Infinity;
  return values.map((v) => {
    peak = Math.max(peak, v);
    return peak > 0 ? ((v - peak) / peak) * 100 : 0;
  });
}

/** The equity at the marked points, null elsewhere: a line series drawn as symbols only. */
function markers(equity: readonly number[], at: readonly number[]): Array<number | null> {
  const out: Array<number | null> = equity.map(() => null);
  for (const i of at) if (i >= 0 && i < equity.length) out[i] = equity[i]!;
  return out;
}

/** Builds the ECharts option and its canvas size. Exported for tests of the series. */
export function backtestChartOption(input: BacktestChartInput): {
  option: ChartOption;
  width: number;
  height: number;
} {
  const axisLabel = { color: "#555", fontSize: 12 };
  const marker = (name: string, color: string, data: Array<number | null>, rotate = 0) => ({
    type: "line" as const,
    name,
    data,
    symbol: "triangle",
    symbolSize: 11,
    symbolRotate: rotate,
    showSymbol: true,
    // echarts thins out the symbols of a dense series unless told to draw them all
    showAllSymbol: true,
    connectNulls: false,
    lineStyle: { opacity: 0 },
    itemStyle: { color },
    z: 5,
  });
  return {
    width: BACKTEST_CHART_WIDTH,
    height: BACKTEST_CHART_HEIGHT,
    option: {
      title: {
        text: input.title,
        subtext: input.subtitle ?? "",
        left: "center",
        top: 8,
        textStyle: { fontSize: 20, fontWeight: "bold", color: "#222" },
        subtextStyle: { fontSize: 13, color: "#666" },
      },
      legend: { top: 62, textStyle: { fontSize: 12 } },
      grid: [
        { left: 100, right: 30, top: 100, height: 330 },
        { left: 100, right: 30, top: 470, height: 120 },
      ],
      // both panels share the time axis; only the lower one shows its labels
      xAxis: [0, 1].map((gridIndex) => ({
        type: "category" as const,
        gridIndex,
        data: input.labels,
        boundaryGap: false,
        axisLabel: { ...axisLabel, show: gridIndex === 1, hideOverlap: true },
        axisTick: { show: false },
      })),
      yAxis: [
        {
          type: "value" as const,
          gridIndex: 0,
          scale: true,
          axisLabel: { ...axisLabel, formatter: (v: number) => input.formatNumber(v) },
          splitLine: { lineStyle: { color: "#e6e6e6" } },
        },
        {
          type: "value" as const,
          gridIndex: 1,
          max: 0,
          name: input.names.drawdown,
          nameTextStyle: { color: "#555" },
          axisLabel: { ...axisLabel, formatter: (v: number) => `${input.formatNumber(v)} %` },
          splitLine: { lineStyle: { color: "#e6e6e6" } },
        },
      ],
      series: [
        {
          type: "line",
          name: input.names.equity,
          data: input.equity,
          showSymbol: false,
          lineStyle: { color: EQUITY, width: 2 },
          itemStyle: { color: EQUITY },
        },
        {
          type: "line",
          name: input.names.buyHold,
          data: input.buyHold,
          showSymbol: false,
          lineStyle: { color: HOLD, width: 1.5, type: "dashed" },
          itemStyle: { color: HOLD },
        },
        marker(input.names.entries, UP, markers(input.equity, input.entries)),
        marker(input.names.exits, DOWN, markers(input.equity, input.exits), 180),
        {
          type: "line",
          name: input.names.drawdown,
          xAxisIndex: 1,
          yAxisIndex: 1,
          data: drawdownSeries(input.equity),
          showSymbol: false,
          lineStyle: { color: DOWN, width: 1 },
          itemStyle: { color: DOWN },
          areaStyle: { color: DOWN, opacity: 0.25 },
        },
      ],
    },
  };
}

export async function renderBacktestChart(input: BacktestChartInput): Promise<ChartImage> {
  const { option, width, height } = backtestChartOption(input);
  return renderPng(option, width, height);
}
