// Runs one backtest through a pool and returns without closing it: the process must still end
// at once, its idle thread (kept for DEFAULT_IDLE_MS, a minute) holding nothing open
// (test/strategies/backtest/worker-pool.test.ts).
import { BacktestPool } from "../../src/strategies/backtest/worker-pool.ts";
import { sampleBacktestJob } from "./build-check/sample-job.ts";

const pool = new BacktestPool({ concurrency: 1, timeoutMs: 60_000 });
const report = await pool.run(sampleBacktestJob());
process.stdout.write(JSON.stringify({ fills: report.metrics.fills, threads: pool.threads }));
