// An entry built by test/ops/build.test.ts as scripts/build.ts builds the bot (beside its own
// backtest-worker.js): one backtest through the pool, its report printed as JSON, so the test can
// compare the bundle's worker thread with the source's.
import { BacktestPool } from "../../../src/strategies/backtest/worker-pool.ts";
import { sampleBacktestJob } from "./sample-job.ts";

const pool = new BacktestPool({ concurrency: 1, timeoutMs: 60_000 });
try {
  process.stdout.write(JSON.stringify(await pool.run(sampleBacktestJob())));
} finally {
  await pool.close();
}
