// npm start runs a bundle (scripts/build.ts), not the TypeScript sources: what differs there is
// checked here. The project's files are found from dist/ (PROJECT_ROOT walks up to package.json),
// a backtest's worker thread starts from its own compiled entry and gives the same report as from
// source, and the start script's flags are the ones the tests and B7 run with.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENTRY_POINTS, buildApp, startNodeFlags } from "../../scripts/build.ts";
import { PROJECT_ROOT } from "../../src/lib/paths.ts";
import { BacktestPool } from "../../src/strategies/backtest/worker-pool.ts";
import { sampleBacktestJob } from "../support/build-check/sample-job.ts";

let outdir: string;
beforeAll(async () => {
  const root = path.join(PROJECT_ROOT, ".vitest-tmp");
  fs.mkdirSync(root, { recursive: true });
  outdir = fs.mkdtempSync(path.join(root, "build-check-"));
  await buildApp(outdir, {
    "backtest-entry": "test/support/build-check/backtest-entry.ts",
    "paths-entry": "test/support/build-check/paths-entry.ts",
    "backtest-worker": ENTRY_POINTS["backtest-worker"],
  });
}, 60_000);
afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

const run = (entry: string) =>
  execFileSync(process.execPath, [...startNodeFlags(), path.join(outdir, entry)], {
    cwd: PROJECT_ROOT,
    encoding: "utf8",
    timeout: 60_000,
  });

describe("the bundle npm start runs", () => {
  it("finds the project's folder from inside dist", () => {
    expect(run("paths-entry.js").trim()).toBe(PROJECT_ROOT);
  });

  it("runs a backtest in a worker thread from the built entry, with the source's report", async () => {
    const pool = new BacktestPool({ concurrency: 1, timeoutMs: 60_000 });
    const fromSource = await pool.run(sampleBacktestJob());
    await pool.close();
    const fromBundle = JSON.parse(run("backtest-entry.js")) as unknown;
    expect(fromBundle).toEqual(JSON.parse(JSON.stringify(fromSource)));
    expect(fromSource.metrics.fills).toBeGreaterThan(0);
  }, 90_000);

  it("starts node with the flags of package.json's start script, in the image too", () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8"));
    expect(manifest.scripts.start).toBe(
      `tsx scripts/build.ts && exec node ${startNodeFlags().join(" ")} dist/main.js`,
    );
    expect(startNodeFlags()).toContain("--heap-growing-percent=25");
    const dockerfile = fs.readFileSync(path.join(PROJECT_ROOT, "Dockerfile"), "utf8");
    const cmd = /^CMD (\[.*\])$/m.exec(dockerfile);
    expect(JSON.parse(cmd![1]!)).toEqual(["node", ...startNodeFlags(), "dist/main.js"]);
  });
});
