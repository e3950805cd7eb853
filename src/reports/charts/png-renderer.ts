// Charts as PNG without a browser (the engine, ECharts + resvg, is chart-engine.ts). The engine is
// imported on the first chart, not when the bot starts: it costs the process about 75 MB, and a
// bot that never draws a chart should not carry it (test/ops/lazy-load.test.ts holds this).
//
// Text is drawn with DejaVu Sans, which covers Latin and Cyrillic: system font discovery is slow
// and may pick a font without Cyrillic, so the font files are named explicitly when present.
import fs from "node:fs";
import path from "node:path";
// type-only: erased, so they load nothing
import type { BarSeriesOption, LineSeriesOption } from "echarts/charts";
import type {
  GraphicComponentOption,
  GridComponentOption,
  LegendComponentOption,
  TitleComponentOption,
} from "echarts/components";
import type { ComposeOption } from "echarts/core";

export type ChartOption = ComposeOption<
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

export interface FontOptions {
  fontFiles?: string[];
  loadSystemFonts: boolean;
  defaultFontFamily?: string;
}

let fontOptions: FontOptions | null = null;

function fonts(): FontOptions {
  if (!fontOptions) {
    const present = FONT_FILES.filter((f) => fs.existsSync(f));
    fontOptions =
      present.length > 0
        ? { fontFiles: present, loadSystemFonts: false, defaultFontFamily: CHART_FONT_FAMILY }
        : { loadSystemFonts: true };
  }
  return fontOptions;
}

export async function renderPng(
  option: ChartOption,
  width: number,
  height: number,
): Promise<ChartImage> {
  const engine = await import("./chart-engine.ts");
  return engine.rasterize(option, width, height, fonts(), CHART_FONT_FAMILY);
}
