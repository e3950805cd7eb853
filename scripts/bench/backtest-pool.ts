// B8's second half: the backtest as /backtest runs it, through the worker pool (worker-pool.ts):
// the bot's thread packs the candles (between turns of its event loop) and hands them over, a
// worker thread reads them and runs the engine, the report comes back. Measured: each job's
// seconds, in a new thread and then in the thread the first one left, and the longest time the
// bot's event loop did not turn meanwhile (a command arriving then waits that long). No goal of
// the issue applies; they are printed so a regression shows.
//   node --import tsx scripts/bench/backtest-pool.ts <candles>   (prints one JSON line)
import { pathToFileURL } from "node:url";
import { BacktestPool } from "../../src/strategies/backtest/worker-pool.ts";
import { packCandles } from "../../src/strategies/backtest/worker-protocol.ts";
import type { BacktestJob } from "../../src/strategies/backtest/worker-protocol.ts";
import { BENCH_COSTS, BENCH_INSTRUMENT, FAST, SLOW, generateCandles } from "./b8-backtest.ts";
import { RssSampler, mb } from "./support.ts";

export interface PoolRun {
  seconds: number;
  /** the longest gap between two turns of the event loop during the job (ms) */
  longestStallMs: number;
  fills: number;
}

export interface PoolFigures {
  candles: number;
  newThread: PoolRun;
  reusedThread: PoolRun;
  /** the process's peak RSS, worker threads included (MB) */
  peakMb: number;
}

export async function measurePool(count: number): Promise<PoolFigures> {
  const candles = generateCandles(count);
  const pool = new BacktestPool({ concurrency: 1, timeoutMs: 600_000, idleMs: 60_000 });
  const sampler = new RssSampler().start(20);
  const runs: PoolRun[] = [];
  try {
    for (let r = 0; r < 2; r++) {
      let last = performance.now();
      let longest = 0;
      const probe = setInterval(() => {
        const now = performance.now();
        longest = Math.max(longest, now - last);
        last = now;
      }, 1);
      const start = performance.now();
      const job: BacktestJob = {
        stored: { kind: "ma-cross", type: "SMA", fast: FAST, slow: SLOW, timeframe: "1m" },
        instrument: {
          symbol: BENCH_INSTRUMENT.symbol,
          tickSize: BENCH_INSTRUMENT.tickSize.toFixed(),
          lotSize: BENCH_INSTRUMENT.lotSize.toFixed(),
          minQty: BENCH_INSTRUMENT.minQty.toFixed(),
        },
        candles: await packCandles(candles, "1m"),
        initialCash: "10000",
        costs: {
          takerFeeBps: BENCH_COSTS.takerFeeBps.toFixed(),
          makerFeeBps: BENCH_COSTS.makerFeeBps.toFixed(),
          slippageBps: BENCH_COSTS.slippageBps.toFixed(),
          feeDecimals: BENCH_COSTS.feeDecimals,
        },
        timeZone: "UTC",
      };
      const report = await pool.run(job);
      const seconds = (performance.now() - start) / 1000;
      clearInterval(probe);
      runs.push({ seconds, longestStallMs: longest, fills: report.metrics.fills });
    }
  } finally {
    await pool.close();
  }
  return {
    candles: count,
    newThread: runs[0]!,
    reusedThread: runs[1]!,
    peakMb: mb(sampler.stop()),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const count = Number(process.argv[2]);
  if (!count) {
    console.error("usage: backtest-pool.ts <candles>");
    process.exit(2);
  }
  console.log(JSON.stringify(await measurePool(count)));
}
