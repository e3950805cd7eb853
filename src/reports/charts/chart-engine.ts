// The chart engine: Apache ECharts renders an option server-side to an SVG string, and resvg
// turns the SVG into a PNG (off the event loop, with renderAsync). Animation is off (nothing would
// ever draw the later frames) and every chart instance is disposed, or its timers keep the
// process alive. Loaded on the first chart only (png-renderer.ts imports it lazily): together
// these packages cost the process about 75 MB, and most bots draw a chart rarely.
import { renderAsync } from "@resvg/resvg-js";
import { BarChart, LineChart } from "echarts/charts";
import {
  GraphicComponent,
  GridComponent,
  LegendComponent,
  TitleComponent,
} from "echarts/components";
import * as echarts from "echarts/core";
import { SVGRenderer } from "echarts/renderers";
import type { ChartImage, ChartOption, FontOptions } from "./png-renderer.ts";

echarts.use([
  LineChart,
  BarChart,
  GridComponent,
  TitleComponent,
  LegendComponent,
  GraphicComponent,
  SVGRenderer,
]);

/** Renders an ECharts option at the given size to an SVG string. */
export function renderSvg(
  option: ChartOption,
  width: number,
  height: number,
  fontFamily: string,
): string {
  const chart = echarts.init(null, null, { renderer: "svg", ssr: true, width, height });
  try {
    chart.setOption({ animation: false, textStyle: { fontFamily }, ...option });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

export async function rasterize(
  option: ChartOption,
  width: number,
  height: number,
  font: FontOptions,
  fontFamily: string,
): Promise<ChartImage> {
  const started = performance.now();
  const svg = renderSvg(option, width, height, fontFamily);
  const svgDone = performance.now();
  const image = await renderAsync(svg, { background: "white", font, fitTo: { mode: "original" } });
  const png = image.asPng();
  return {
    png,
    width: image.width,
    height: image.height,
    svgMs: svgDone - started,
    pngMs: performance.now() - svgDone,
  };
}
