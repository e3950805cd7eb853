// Charts as PNG without a browser: Apache ECharts renders the option server-side to an SVG string,
// and resvg turns the SVG into a PNG (off the event loop, with renderAsync). Animation is off
// (nothing would ever draw the later frames) and every chart instance is disposed, or its timers
// keep the process alive.
//
// Text is drawn with DejaVu Sans, which covers Latin and Cyrillic: system font discovery is slow
// and may pick a font without Cyrillic, so the font files are named explicitly when present.
import fs from "node:fs";
import path from "node:path";
import { renderAsync } from "@resvg/resvg-js";
import { BarChart, type BarSeriesOption, LineChart, type LineSeriesOption } from "echarts/charts";
import {
  GraphicComponent,
  type GraphicComponentOption,
  GridComponent,
  type GridComponentOption,
  LegendComponent,
  type LegendComponentOption,
  TitleComponent,
  type TitleComponentOption,
} from "echarts/components";
import * as echarts from "echarts/core";
import { SVGRenderer } from "echarts/renderers";

echarts.use([
  LineChart,
  BarChart,
  GridComponent,
  TitleComponent,
  LegendComponent,
  GraphicComponent,
  SVGRenderer,
]);

export type ChartOption = echarts.ComposeOption<
  | LineSeriesOption
  | BarSeriesOption
  | GridComponentOption
  | TitleComponentOption
  | LegendComponentOption
  | GraphicComponentOption
>;

export const CHART_FONT_FAMILY = "DejaVu Sans";
const FONT_DIR = process.env.CHART_FONT_DIR ?? "/usr/share/fonts/truetype/dejavu";
const FONT_FILES = ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf"].map((f) => path.join(FONT_DIR, f));

export interface ChartImage {
  png: Buffer;
  width: number;
  height: number;
  /** time spent building the SVG and rasterizing it, for logs and benchmarks */
  svgMs: number;
  pngMs: number;
}

let fontOptions: {
  fontFiles?: string[];
  loadSystemFonts: boolean;
  defaultFontFamily?: string;
} | null = null;

function fonts() {
  if (!fontOptions) {
    const present = FONT_FILES.filter((f) => fs.existsSync(f));
    fontOptions =
      present.length > 0
        ? { fontFiles: present, loadSystemFonts: false, defaultFontFamily: CHART_FONT_FAMILY }
        : { loadSystemFonts: true };
  }
  return fontOptions;
}

/** Renders an ECharts option at the given size to an SVG string. */
export function renderSvg(option: ChartOption, width: number, height: number): string {
  const chart = echarts.init(null, null, { renderer: "svg", ssr: true, width, height });
  try {
    chart.setOption({
      animation: false,
      textStyle: { fontFamily: CHART_FONT_FAMILY },
      ...option,
    });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

export async function renderPng(
  option: ChartOption,
  width: number,
  height: number,
): Promise<ChartImage> {
  const started = performance.now();
  const svg = renderSvg(option, width, height);
  const svgDone = performance.now();
  const image = await renderAsync(svg, {
    background: "white",
    font: fonts(),
    fitTo: { mode: "original" },
  });
  const png = image.asPng();
  return {
    png,
    width: image.width,
    height: image.height,
    svgMs: svgDone - started,
    pngMs: performance.now() - svgDone,
  };
}
