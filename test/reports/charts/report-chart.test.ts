// Report charts render to real PNGs (signature, IHDR size) with Latin and Cyrillic text, in a
// layout whose height follows the panels shown. The Russian sample is written to the system temp
// directory (report-chart-ru.png) for a look.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  CHART_WIDTH,
  type ReportChartInput,
  hasChartContent,
  renderReportChart,
  reportChartOption,
} from "../../../src/reports/charts/report-chart.ts";

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Width and height from the PNG's IHDR chunk (bytes 16–23, big-endian). */
function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  expect(png.subarray(12, 16).toString("ascii")).toBe("IHDR");
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

const days = Array.from({ length: 30 }, (_, i) => `${i + 1} мар.`);
const russian: ReportChartInput = {
  title: "Основной — сводка",
  subtitle: "2026-03-30 09:00 (Europe/Moscow) · синтетические цены",
  equity: {
    title: "Стоимость портфеля, USDT (за месяц)",
    labels: days,
    values: days.map((_, i) => 10_000 + 150 * Math.sin(i / 3) + 12 * i),
  },
  allocation: {
    title: "Распределение, USDT",
    bars: [
      { label: "Деньги", value: 5025.99, note: "50,38 %" },
      { label: "ETHUSDT", value: 2900, note: "29,07 %" },
      { label: "BTCUSDT", value: -2050, note: "20,55 %" },
    ],
  },
  formatNumber: (n) => new Intl.NumberFormat("ru").format(n),
};

describe("report charts", () => {
  it("renders the equity curve and the allocation to a PNG of the announced size", async () => {
    const image = await renderReportChart(russian);
    const size = pngSize(image.png);
    expect(size).toEqual({ width: CHART_WIDTH, height: image.height });
    expect(image.width).toBe(CHART_WIDTH);
    const { height } = reportChartOption(russian);
    expect(image.height).toBe(height);
    // a picture, not an empty canvas: a real chart compresses to tens of kilobytes
    expect(image.png.length).toBeGreaterThan(10_000);
    fs.writeFileSync(path.join(os.tmpdir(), "report-chart-ru.png"), image.png);
  });

  it("sizes the canvas to the panels shown", () => {
    const both = reportChartOption(russian).height;
    const equityOnly = reportChartOption({ ...russian, allocation: null }).height;
    const allocationOnly = reportChartOption({ ...russian, equity: null }).height;
    expect(equityOnly).toBeLessThan(both);
    expect(allocationOnly).toBeLessThan(both);
    const moreBars = reportChartOption({
      ...russian,
      allocation: {
        title: "x",
        bars: Array.from({ length: 10 }, (_, i) => ({ label: `S${i}`, value: i + 1, note: "" })),
      },
    }).height;
    expect(moreBars).toBeGreaterThan(both);
  });

  it("has nothing to draw without two equity points or a bar", async () => {
    expect(
      hasChartContent({ equity: { title: "", labels: ["a"], values: [1] }, allocation: null }),
    ).toBe(false);
    expect(hasChartContent({ equity: null, allocation: { title: "", bars: [] } })).toBe(false);
    expect(hasChartContent({ equity: null, allocation: russian.allocation })).toBe(true);
    const image = await renderReportChart({ ...russian, equity: null });
    expect(pngSize(image.png).height).toBe(image.height);
  });

  it("colours the curve by the period's result net of flows when given, else by its ends", () => {
    const colour = (input: ReportChartInput) => {
      const [line] = reportChartOption(input).option.series as Array<{
        lineStyle: { color: string };
      }>;
      return line!.lineStyle.color;
    };
    // 100,000 → 18,350.04 after a withdrawal, with a profit: green, not red
    const withdrawn = { title: "v", labels: ["a", "b"], values: [100_000, 18_350.04] };
    expect(colour({ ...russian, equity: withdrawn })).toBe("#d73027");
    expect(colour({ ...russian, equity: { ...withdrawn, trend: 1 } })).toBe("#1a9850");
    expect(colour({ ...russian, equity: { ...withdrawn, trend: 0 } })).toBe("#4575b4");
  });

  it("renders a chart within a reasonable time once warm", async () => {
    await renderReportChart(russian);
    const started = performance.now();
    for (let i = 0; i < 5; i++) await renderReportChart(russian);
    const perChart = (performance.now() - started) / 5;
    // measured here at about 45 ms; the bound only catches a pathological slowdown
    expect(perChart).toBeLessThan(1000);
  });
});
