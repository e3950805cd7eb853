// A bar per period (day, week or month): green above zero, red below, for /daily, /weekly and
// /monthly. Titles and labels come translated and formatted; values are floats at this boundary
// (a chart needs them), the exact figures stay in the table beside it.
import type { ChartImage, ChartOption } from "./png-renderer.ts";
import { renderPng } from "./png-renderer.ts";

export interface PeriodBarsInput {
  title: string;
  subtitle?: string;
  /** one per bar, oldest first */
  labels: string[];
  values: number[];
  formatNumber: (value: number) => string;
}

const UP = "#1a9850";
const DOWN = "#d73027";
const WIDTH = 1000;
const HEIGHT = 460;

export function periodBarsOption(input: PeriodBarsInput): {
  option: ChartOption;
  width: number;
  height: number;
} {
  const axisLabel = { color: "#555", fontSize: 12 };
  return {
    width: WIDTH,
    height: HEIGHT,
    option: {
      title: {
        text: input.title,
        subtext: input.subtitle ?? "",
        left: "center",
        top: 10,
        textStyle: { fontSize: 20, fontWeight: "bold", color: "#222" },
        subtextStyle: { fontSize: 13, color: "#666" },
      },
      grid: { left: 110, right: 40, top: 90, bottom: 70 },
      xAxis: {
        type: "category",
        data: input.labels,
        axisLabel: {
          ...axisLabel,
          hideOverlap: true,
          rotate: input.labels.length > 12 ? 45 : 0,
        },
        axisTick: { show: false },
      },
      yAxis: {
        type: "value",
        axisLabel: { ...axisLabel, formatter: (v: number) => input.formatNumber(v) },
        splitLine: { lineStyle: { color: "#e6e6e6" } },
      },
      series: [
        {
          type: "bar",
          barMaxWidth: 40,
          data: input.values.map((value) => ({
            value,
            itemStyle: { color: value < 0 ? DOWN : UP },
          })),
        },
      ],
    },
  };
}

export async function renderPeriodBars(input: PeriodBarsInput): Promise<ChartImage> {
  const { option, width, height } = periodBarsOption(input);
  return renderPng(option, width, height);
}
