// A worker thread running backtests (node:worker_threads): the engine is synchronous and a long
// run would stall the bot's event loop, so the bot runs it here and only waits for messages.
// Started by worker-pool.ts, which posts one job at a time: for each, it posts progress, then the
// result or the error, and waits for the next (the pool ends it when it has been idle a while).
import { getHeapStatistics } from "node:v8";
import { parentPort } from "node:worker_threads";
import { dec } from "../../lib/decimal.ts";
import { BacktestInputError, runBacktest } from "./engine.ts";
import { ValidationError } from "../../domain/errors.ts";
import { resolveStrategy } from "./prepare.ts";
import { toReport } from "./report.ts";
import { type BacktestJob, type WorkerAnswer, unpackCandles } from "./worker-protocol.ts";

const PROGRESS_EVERY = 5_000;

async function run(job: BacktestJob): Promise<WorkerAnswer> {
  for (const module of job.preload ?? []) await import(module);
  try {
    const { definition, params } = resolveStrategy(job.stored);
    const result = runBacktest({
      definition,
      params,
      instrument: {
        symbol: job.instrument.symbol,
        tickSize: dec(job.instrument.tickSize),
        lotSize: dec(job.instrument.lotSize),
        minQty: dec(job.instrument.minQty),
      },
      candles: unpackCandles(job.candles),
      initialCash: dec(job.initialCash),
      costs: {
        takerFeeBps: dec(job.costs.takerFeeBps),
        makerFeeBps: dec(job.costs.makerFeeBps),
        slippageBps: dec(job.costs.slippageBps),
        feeDecimals: job.costs.feeDecimals,
      },
      timeZone: job.timeZone,
      progressEvery: PROGRESS_EVERY,
      onProgress: (done) => parentPort!.postMessage({ type: "progress", done }),
    });
    return { type: "result", report: toReport(result, true) };
  } catch (e) {
    if (e instanceof ValidationError)
      return { type: "error", kind: "params", code: e.key, message: JSON.stringify(e.params) };
    if (e instanceof BacktestInputError)
      return { type: "error", kind: "input", code: e.code, message: e.message };
    return { type: "error", kind: "internal", message: (e as Error).stack ?? String(e) };
  }
}

// one job at a time: the pool posts the next only after this one's answer
parentPort!.on("message", (job: BacktestJob) => {
  void run(job).then((answer) =>
    parentPort!.postMessage({ ...answer, heapBytes: getHeapStatistics().total_heap_size }),
  );
});
