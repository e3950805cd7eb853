// The heavy packages load only when they are used, so the bot's memory stays small: ccxt only
// when a live source is configured, the chart engine (ECharts and resvg, about 75 MB) only when a
// chart is drawn. Importing the whole app (every module the bot starts with) in a fresh process
// resolves neither; creating an exchange client loads ccxt, drawing a chart loads the engine.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const WATCHED = ["ccxt", "echarts", "@resvg/resvg-js"];
const dir = mkdtempSync(join(tmpdir(), "import-watch-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The watched packages a script imports, in the order it imports them (each once). */
function importsOf(script: string, name: string): string[] {
  const file = join(dir, name);
  execFileSync(
    process.execPath,
    ["--import", "./test/support/import-watch/register.mjs", "--import", "tsx", "-e", script],
    {
      env: { ...process.env, WATCH_FILE: file, WATCH_PACKAGES: WATCHED.join(",") },
      stdio: "pipe",
      timeout: 60_000,
    },
  );
  const lines = existsSync(file) ? readFileSync(file, "utf8").split("\n").filter(Boolean) : [];
  return [...new Set(lines.map((l) => WATCHED.find((p) => l === p || l.startsWith(`${p}/`))!))];
}

describe("heavy packages are imported lazily", () => {
  it("the app's modules load without ccxt and without the chart engine", () => {
    expect(importsOf("await import('./src/app.ts')", "app")).toEqual([]);
  }, 90_000);

  it("a live client loads ccxt (the watch sees imports)", () => {
    const script =
      "const { createExchange } = await import('./src/market/ccxt/client.ts');" +
      "await createExchange({ id: 'binance', apiUrl: 'http://127.0.0.1:9' });";
    expect(importsOf(script, "client")).toContain("ccxt");
  }, 90_000);

  it("drawing a chart loads the chart engine, and the chart is a PNG", () => {
    const script =
      "const { renderPeriodBars } = await import('./src/reports/charts/period-bars.ts');" +
      "const c = await renderPeriodBars({ title: 't', subtitle: 's', labels: ['a', 'b']," +
      " values: [1, -2], formatNumber: String });" +
      "if (c.png.subarray(1, 4).toString('ascii') !== 'PNG') throw new Error('not a PNG');";
    expect(importsOf(script, "chart").sort()).toEqual(["@resvg/resvg-js", "echarts"]);
  }, 90_000);
});
