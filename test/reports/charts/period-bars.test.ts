// The /daily, /weekly, /monthly bar chart: a real PNG of the expected size, with a bar per
// period, green above zero and red below, and Cyrillic labels.
import { describe, expect, it } from "vitest";
import { periodBarsOption, renderPeriodBars } from "../../../src/reports/charts/period-bars.ts";

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const input = {
  title: "По дням — Main — последние 4 дн. · USDT",
  labels: ["пт 6 мар.", "сб 7 мар.", "вс 8 мар.", "пн 9 мар."],
  values: [120.5, -40.25, 0, 12],
  formatNumber: (n: number) => n.toFixed(0),
};

describe("period bars", () => {
  it("colours each bar by its sign", () => {
    const { option } = periodBarsOption(input);
    const series = option.series as Array<{
      data: Array<{ value: number; itemStyle: { color: string } }>;
    }>;
    expect(series[0]!.data.map((d) => [d.value, d.itemStyle.color])).toEqual([
      [120.5, "#1a9850"],
      [-40.25, "#d73027"],
      [0, "#1a9850"],
      [12, "#1a9850"],
    ]);
  });

  it("renders a PNG", async () => {
    const image = await renderPeriodBars(input);
    expect(image.png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect([image.png.readUInt32BE(16), image.png.readUInt32BE(20)]).toEqual([1000, 460]);
  });
});
