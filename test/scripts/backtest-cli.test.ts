// scripts/backtest.ts as a user runs it: a child process over a small CSV whose results are
// checked by hand, its bad-input answers, and a run over the offline market data.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../src/db/migrate.ts";
import type { BacktestReport } from "../../src/strategies/backtest/report.ts";
import { TEST_KINDS } from "../strategies/backtest/register-test-kinds.ts";

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "backtest-cli-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, content);
  return p;
}

function runCli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      "--import",
      "./test/strategies/backtest/register-test-kinds.ts",
      "scripts/backtest.ts",
      ...args,
    ],
    {
      cwd: PROJECT_ROOT,
      env: { ...process.env, PAPER_SLIPPAGE_BPS: "0", PAPER_FEE_BPS: "10", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

const CSV = [
  "time,open,high,low,close,volume",
  "2026-01-01T00:00:00Z,100,101,99,100,10",
  "2026-01-01T01:00:00Z,100,102,99,101,10",
  "2026-01-01T02:00:00Z,102,105,101,104,10",
  "2026-01-01T03:00:00Z,104,111,103,110,10",
  "2026-01-01T04:00:00Z,108,109,105,106,10",
].join("\n");

const SCRIPT = {
  kind: TEST_KINDS.scripted,
  at: { "1": { action: "buy", quote: "1000" }, "3": { action: "sell" } },
};

describe("npm run backtest", () => {
  it("prints the trades and figures of a CSV run, as JSON and as a table", async () => {
    const candles = file("c.csv", CSV);
    const strategy = file("s.json", JSON.stringify(SCRIPT));
    const csvArgs = [
      "--strategy",
      strategy,
      "--candles",
      candles,
      "--tick",
      "0.01",
      "--lot",
      "0.001",
    ];
    const json = await runCli([...csvArgs, "--json"]);
    expect(json.stderr).toBe("");
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout) as BacktestReport;
    // buy 9.9 at the open of candle 2 (102), sell at the open of candle 4 (108), 10 bps fees
    expect(report.fills.map((f) => `${f.side} ${f.quantity} @ ${f.price} fee ${f.fee}`)).toEqual([
      "BUY 9.9 @ 102 fee 1.0098",
      "SELL 9.9 @ 108 fee 1.0692",
    ]);
    expect(report.metrics).toMatchObject({
      finalEquity: "10057.321",
      totalReturnPct: "0.5732",
      buyHoldReturnPct: "6",
      trades: 1,
      wins: 1,
      winRatePct: "100",
      feesPaid: "2.079",
      exposurePct: "40",
    });
    expect(report.trades[0]).toMatchObject({ net: "57.321", fees: "2.079" });

    const text = await runCli(csvArgs);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/final equity\s+10057\.321/);
    expect(text.stdout).toMatch(/trades\s+1/);
    expect(text.stdout).toContain("2026-01-01T02:00:00.000Z");
  });

  it("answers bad input with a message and exit code 2", async () => {
    const candles = file("c.csv", CSV);
    const unknown = await runCli([
      "--strategy",
      file("u.json", '{"kind":"no-such-kind"}'),
      "--candles",
      candles,
    ]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(
      /unknown strategy kind "no-such-kind" \(kinds: [a-z, -]*ma-cross/,
    );
    const bad = await runCli([
      "--strategy",
      file("s.json", JSON.stringify(SCRIPT)),
      "--candles",
      file("bad.csv", `${CSV}\n2026-01-01T05:00:00Z,106,107,105,abc,10`),
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('line 7: "abc" is not a number');
  });

  it("runs the ma-cross kind over the offline market data and gives the same bytes twice", async () => {
    const strategy = file(
      "sma.json",
      JSON.stringify({ kind: "ma-cross", fast: 5, slow: 20, timeframe: "1h", equityPct: "50" }),
    );
    const args = [
      "--strategy",
      strategy,
      "--symbol",
      "BTCUSDT",
      "--from",
      "2026-01-01",
      "--to",
      "2026-01-15",
      "--json",
    ];
    const [a, b] = await Promise.all([runCli(args), runCli(args)]);
    expect(a.stderr).toBe("");
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    const report = JSON.parse(a.stdout) as BacktestReport;
    expect(report.symbol).toBe("BTCUSDT");
    // the warm-up before --from is fetched too: the first evaluated candle is the first of the range
    expect(report.from).toBe("2026-01-01T00:00:00.000Z");
    expect(report.candles).toBe(14 * 24 + 1);
    expect(report.metrics.fills).toBeGreaterThan(0);
  });
});
