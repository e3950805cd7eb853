// The backtest chart renders to a real PNG of the announced size, with the strategy's equity and
// buy-and-hold on the upper panel, entries and exits marked on the equity line at their points
// only, and the drawdown from the running peak on the lower panel. The Russian sample is written
// to the system temp directory (backtest-chart-ru.png) for a look.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  BACKTEST_CHART_HEIGHT,
  BACKTEST_CHART_WIDTH,
  type BacktestChartInput,
  backtestChartOption,
  drawdownSeries,
  renderBacktestChart,
} from "../../../src/reports/charts/backtest-chart.ts";

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  expect(png.subarray(12, 16).toString("ascii")).toBe("IHDR");
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

const N = 120;
const labels = Array.from(
  { length: N },
  (_, i) =>
    `03-${String(1 + Math.floor(i / 24)).padStart(2, "0")} ${String(i % 24).padStart(2, "0")}:00`,
);
const equity = labels.map((_, i) => 10_000 + 300 * Math.sin(i / 9) + 4 * i);
const buyHold = labels.map((_, i) => 10_000 + 500 * Math.sin(i / 14));
const input: BacktestChartInput = {
  title: "Провал · BTCUSDT 1h",
  subtitle: "2026-03-01 00:00 — 2026-03-05 23:00 (Europe/Moscow) · USDT",
  labels,
  equity,
  buyHold,
  entries: [10, 50, 90],
  exits: [30, 70],
  names: {
    equity: "Стратегия",
    buyHold: "Купить и держать",
    drawdown: "Просадка",
    entries: "Входы",
    exits: "Выходы",
  },
  formatNumber: (n) => new Intl.NumberFormat("ru").format(n),
};

type Series = { name?: string; data?: unknown[]; xAxisIndex?: number; yAxisIndex?: number };

describe("backtest chart", () => {
  it("renders a PNG of the announced size", async () => {
    const image = await renderBacktestChart(input);
    expect(pngSize(image.png)).toEqual({
      width: BACKTEST_CHART_WIDTH,
      height: BACKTEST_CHART_HEIGHT,
    });
    expect(image.width).toBe(BACKTEST_CHART_WIDTH);
    expect(image.height).toBe(BACKTEST_CHART_HEIGHT);
    // a picture, not an empty canvas
    expect(image.png.length).toBeGreaterThan(10_000);
    fs.writeFileSync(path.join(os.tmpdir(), "backtest-chart-ru.png"), image.png);
  });

  it("draws equity, buy-and-hold, entries, exits and the drawdown beneath", () => {
    const { option } = backtestChartOption(input);
    const series = option.series as Series[];
    const byName = new Map(series.map((s) => [s.name, s]));
    expect([...byName.keys()]).toEqual([
      "Стратегия",
      "Купить и держать",
      "Входы",
      "Выходы",
      "Просадка",
    ]);
    expect(byName.get("Стратегия")!.data).toEqual(equity);
    expect(byName.get("Купить и держать")!.data).toEqual(buyHold);
    // markers sit on the equity line at their points and nowhere else
    const entries = byName.get("Входы")!.data!;
    expect(entries).toHaveLength(N);
    expect(entries.flatMap((v, i) => (v === null ? [] : [i]))).toEqual([10, 50, 90]);
    expect(entries[50]).toBe(equity[50]);
    // every mark drawn, not thinned out like the symbols of a dense line
    expect(byName.get("Входы")).toMatchObject({ showSymbol: true, showAllSymbol: true });
    const exits = byName.get("Выходы")!.data!;
    expect(exits.flatMap((v, i) => (v === null ? [] : [i]))).toEqual([30, 70]);
    // the drawdown is on the second panel
    const drawdown = byName.get("Просадка")!;
    expect(drawdown).toMatchObject({ xAxisIndex: 1, yAxisIndex: 1 });
    expect(drawdown.data).toEqual(drawdownSeries(equity));
    expect(option.grid).toHaveLength(2);
  });

  it("measures the drawdown from the running peak, in percent", () => {
    expect(drawdownSeries([100, 110, 99, 121, 110])).toEqual([0, 0, -10, 0, -((11 / 121) * 100)]);
    expect(Math.min(...drawdownSeries(equity))).toBeLessThan(0);
  });

  it("ignores marks outside the series", () => {
    const { option } = backtestChartOption({ ...input, entries: [-1, N, 3] });
    const entries = (option.series as Series[])[2]!.data!;
    expect(entries.flatMap((v, i) => (v === null ? [] : [i]))).toEqual([3]);
  });
});
