// Runs backtests in worker threads, a bounded number at a time: each job gets its own thread
// (its own heap, freed when it ends), at most `concurrency` run together and the rest wait in
// line, so several users can backtest at once while the bot's event loop stays free for
// commands. A thread that does not finish within `timeoutMs` is terminated.
//
// The worker is a .ts file: its thread starts at backtest-worker-boot.mjs, which registers tsx's
// loader in the thread and imports it (vitest's own transform does not reach a worker, and
// `--import tsx` in a worker's execArgv is not honoured by Node 20).
import { Worker } from "node:worker_threads";
import type { BacktestReport } from "./report.ts";
import type { BacktestJob, WorkerMessage } from "./worker-protocol.ts";

export class BacktestJobError extends Error {
  constructor(
    readonly kind: "params" | "input" | "internal" | "timeout",
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

export interface PoolOptions {
  concurrency: number;
  timeoutMs: number;
}

/**
 * The worker thread's entry. From source (tsx, tests) a boot file registers tsx in the thread
 * first; in the built bundle (npm start, scripts/build.ts) this module is part of dist/main.js
 * and the worker is its own compiled entry beside it.
 */
const WORKER_URL = import.meta.url.endsWith(".ts")
  ? new URL("./backtest-worker-boot.mjs", import.meta.url)
  : new URL("./backtest-worker.js", import.meta.url);

export class BacktestPool {
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  private readonly workers = new Set<Worker>();
  private closed = false;

  constructor(private readonly options: PoolOptions) {}

  /** jobs running and waiting now */
  get load(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }

  async run(job: BacktestJob, onProgress?: (done: number) => void): Promise<BacktestReport> {
    if (this.closed) throw new BacktestJobError("internal", "the backtest pool is closed");
    if (this.running >= this.options.concurrency)
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running++;
    try {
      return await this.execute(job, onProgress);
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }

  private execute(job: BacktestJob, onProgress?: (done: number) => void): Promise<BacktestReport> {
    return new Promise((resolve, reject) => {
      const worker = new Worker(WORKER_URL, {
        workerData: job,
        transferList: [job.candles.times.buffer as ArrayBuffer],
      });
      this.workers.add(worker);
      let settled = false;
      const finish = (fn: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.workers.delete(worker);
        fn();
      };
      const timer = setTimeout(() => {
        finish(() => reject(new BacktestJobError("timeout", "the backtest took too long")));
        void worker.terminate();
      }, this.options.timeoutMs);
      worker.on("message", (m: WorkerMessage) => {
        if (m.type === "progress") onProgress?.(m.done);
        else if (m.type === "result") finish(() => resolve(m.report));
        else finish(() => reject(new BacktestJobError(m.kind, m.message, m.code)));
      });
      worker.on("error", (e) =>
        finish(() => reject(new BacktestJobError("internal", e.stack ?? String(e)))),
      );
      worker.on("exit", (code) =>
        finish(() =>
          reject(new BacktestJobError("internal", `the backtest worker exited with ${code}`)),
        ),
      );
    });
  }

  /** Stops running workers (shutdown); waiting jobs are refused. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.workers].map((w) => w.terminate()));
  }
}
