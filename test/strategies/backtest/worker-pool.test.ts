// The pool behind /backtest: a run that outlives its time is stopped with a "timeout" error
// (BacktestService turns it into error-backtest-timeout), a closed pool refuses new runs, and a
// thread that finished a job runs the next one (the same report as a fresh thread's) until it
// has been idle for idleMs, without keeping the process alive meanwhile — unless its heap grew
// beyond keepHeapBytes.
import { execFileSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../../src/lib/paths.ts";
import {
  BacktestJobError,
  BacktestPool,
  type PoolOptions,
} from "../../../src/strategies/backtest/worker-pool.ts";
import type { BacktestJob } from "../../../src/strategies/backtest/worker-protocol.ts";
import { sampleBacktestJob } from "../../support/build-check/sample-job.ts";

const job = (): BacktestJob => ({
  stored: { kind: "rules", source: "buy 10% when RSI(14) < 30; sell all when RSI(14) > 70" },
  instrument: { symbol: "BTCUSDT", tickSize: "0.01", lotSize: "0.00001", minQty: "0.00001" },
  candles: { interval: "1h", times: new Float64Array(0), values: [] },
  initialCash: "10000",
  costs: { takerFeeBps: "10", makerFeeBps: "10", slippageBps: "5", feeDecimals: 8 },
  timeZone: "UTC",
});

/** A pool for one test (one thread, a minute's limit unless given), closed however it ends. */
async function withPool(
  options: Partial<PoolOptions>,
  body: (pool: BacktestPool) => Promise<void>,
): Promise<BacktestPool> {
  const pool = new BacktestPool({ concurrency: 1, timeoutMs: 60_000, ...options });
  try {
    await body(pool);
  } finally {
    await pool.close();
  }
  return pool;
}

async function until(done: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > end) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe("backtest pool", () => {
  it("stops a run that takes longer than its timeout, and does not keep its thread", async () => {
    const pool = new BacktestPool({ concurrency: 1, timeoutMs: 1 });
    const error = await pool.run(job()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BacktestJobError);
    expect((error as BacktestJobError).kind).toBe("timeout");
    expect(pool.load).toEqual({ running: 0, waiting: 0 });
    expect(pool.threads.idle).toBe(0);
    await until(() => pool.threads.alive === 0);
    await pool.close();
  });

  it("refuses runs once closed", async () => {
    const pool = new BacktestPool({ concurrency: 1, timeoutMs: 60_000 });
    await pool.close();
    await expect(pool.run(job())).rejects.toMatchObject({ kind: "internal" });
  });

  it("runs the next job in the thread the last one used, with the same report", async () => {
    const pool = await withPool({}, async (pool) => {
      const first = await pool.run(sampleBacktestJob());
      expect(pool.threads).toEqual({ alive: 1, idle: 1, started: 1 });
      const second = await pool.run(sampleBacktestJob());
      expect(pool.threads).toEqual({ alive: 1, idle: 1, started: 1 });
      expect(first.metrics.fills).toBeGreaterThan(0);
      expect(second).toEqual(first);
      // and a fresh thread gives that report too
      await withPool({ idleMs: 0 }, async (fresh) => {
        expect(await fresh.run(sampleBacktestJob())).toEqual(first);
      });
    });
    expect(pool.threads.alive).toBe(0);
  }, 60_000);

  it("keeps a thread whose job failed in the strategy's params, and reuses it", async () => {
    await withPool({}, async (pool) => {
      const bad = { ...sampleBacktestJob(), stored: { kind: "rules", source: "buy 10% when" } };
      await expect(pool.run(bad)).rejects.toMatchObject({ kind: "params" });
      const report = await pool.run(sampleBacktestJob());
      expect(report.metrics.fills).toBeGreaterThan(0);
      expect(pool.threads.started).toBe(1);
    });
  }, 60_000);

  it("gives concurrent jobs a thread each, and ends threads idle for idleMs", async () => {
    // long enough that the first thread still waits when the second finishes, on a loaded machine
    await withPool({ concurrency: 2, idleMs: 3_000 }, async (pool) => {
      await Promise.all([pool.run(sampleBacktestJob()), pool.run(sampleBacktestJob())]);
      expect(pool.threads).toEqual({ alive: 2, idle: 2, started: 2 });
      await until(() => pool.threads.alive === 0);
      expect(pool.threads.idle).toBe(0);
      // the next job starts a thread again
      await pool.run(sampleBacktestJob());
      expect(pool.threads.started).toBe(3);
    });
  }, 60_000);

  it("ends a thread whose heap grew beyond keepHeapBytes instead of keeping it", async () => {
    await withPool({ keepHeapBytes: 1 }, async (pool) => {
      await pool.run(sampleBacktestJob());
      expect(pool.threads.idle).toBe(0);
      await until(() => pool.threads.alive === 0);
      await pool.run(sampleBacktestJob());
      expect(pool.threads.started).toBe(2);
    });
  }, 60_000);

  it("with idleMs 0 starts a thread per job", async () => {
    await withPool({ idleMs: 0 }, async (pool) => {
      await pool.run(sampleBacktestJob());
      await pool.run(sampleBacktestJob());
      expect(pool.threads.started).toBe(2);
      await until(() => pool.threads.alive === 0);
    });
  }, 60_000);

  it("does not keep the process alive with an idle thread", () => {
    const started = Date.now();
    const out = execFileSync(
      process.execPath,
      ["--import", "tsx", path.join(PROJECT_ROOT, "test/support/backtest-pool-exit.ts")],
      { cwd: PROJECT_ROOT, encoding: "utf8", timeout: 45_000 },
    );
    const answer = JSON.parse(out) as { fills: number; threads: { idle: number } };
    expect(answer.fills).toBeGreaterThan(0);
    expect(answer.threads.idle).toBe(1);
    // well inside the minute the idle thread would otherwise wait
    expect(Date.now() - started).toBeLessThan(45_000);
  }, 60_000);
});
