// Runs backtests in worker threads, a bounded number at a time: at most `concurrency` run
// together and the rest wait in line, so several users can backtest at once while the bot's event
// loop stays free for commands. A thread that does not finish within `timeoutMs` is terminated.
//
// A thread that finished a job waits for the next one for `idleMs`, then ends, its heap freed
// with it. Starting a thread is most of a short backtest's time (the module graph loaded and
// compiled again: 400 ms from the bundle, 900 ms from source, for a job of 15 ms), so a user's
// next backtest (a trader tries a few in a row) starts at once. A thread whose heap grew beyond
// `keepHeapBytes` ends at once instead: a job that big takes seconds, a new thread adds little to
// it, and its memory goes back now rather than when V8 gets to it. Jobs share nothing in a
// thread: the engine is pure, each job brings its own candles, and the caches it leaves (per
// Decimal object, per power of ten) hold no job's data. A thread that timed out, crashed or
// exited is never reused. Idle threads do not keep the process alive (unref).
//
// The worker is a .ts file: its thread starts at backtest-worker-boot.mjs, which registers tsx's
// loader in the thread and imports it (vitest's own transform does not reach a worker, and
// `--import tsx` in a worker's execArgv is not honoured by Node 20).
import { Worker } from "node:worker_threads";
import type { BacktestReport } from "./report.ts";
import { type BacktestJob, type WorkerMessage, transferables } from "./worker-protocol.ts";

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
  /** how long a thread waits for its next job before it ends (0: one thread per job) */
  idleMs?: number;
  /** a thread whose heap is larger than this after a job ends instead of waiting */
  keepHeapBytes?: number;
}

export const DEFAULT_IDLE_MS = 60_000;
export const DEFAULT_KEEP_HEAP_BYTES = 256 * 1024 * 1024;

/**
 * The worker thread's entry. From source (tsx, tests) a boot file registers tsx in the thread
 * first; in the built bundle (npm start, scripts/build.ts) this module is part of dist/main.js
 * and the worker is its own compiled entry beside it.
 */
const WORKER_URL = import.meta.url.endsWith(".ts")
  ? new URL("./backtest-worker-boot.mjs", import.meta.url)
  : new URL("./backtest-worker.js", import.meta.url);

/** A thread waiting for its next job, and the timer that ends it. */
interface IdleThread {
  worker: Worker;
  timer: NodeJS.Timeout;
}

export class BacktestPool {
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  private readonly workers = new Set<Worker>();
  private readonly idle: IdleThread[] = [];
  private closed = false;
  private started = 0;

  constructor(private readonly options: PoolOptions) {}

  /** jobs running and waiting now */
  get load(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }

  /** threads alive (busy or idle), idle ones, and how many were ever started */
  get threads(): { alive: number; idle: number; started: number } {
    return { alive: this.workers.size, idle: this.idle.length, started: this.started };
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

  /** The thread that waited least long, or a new one. */
  private thread(): Worker {
    const kept = this.idle.pop();
    if (kept) {
      clearTimeout(kept.timer);
      kept.worker.ref();
      return kept.worker;
    }
    const worker = new Worker(WORKER_URL);
    this.started++;
    this.workers.add(worker);
    // a thread that ends for any reason (crash, terminate, idle) leaves the pool
    worker.once("exit", () => this.forget(worker));
    // a job's own listener reports its thread's error; an idle thread's error is followed by its
    // exit, and must not reach the process as an unhandled 'error' event
    worker.on("error", () => {});
    return worker;
  }

  private forget(worker: Worker): void {
    this.workers.delete(worker);
    const at = this.idle.findIndex((t) => t.worker === worker);
    if (at >= 0) {
      clearTimeout(this.idle[at]!.timer);
      this.idle.splice(at, 1);
    }
  }

  /** Keeps a thread that finished its job for the next one, or ends it. */
  private release(worker: Worker, heapBytes: number): void {
    const idleMs = this.options.idleMs ?? DEFAULT_IDLE_MS;
    if (
      this.closed ||
      idleMs <= 0 ||
      heapBytes > (this.options.keepHeapBytes ?? DEFAULT_KEEP_HEAP_BYTES)
    ) {
      void worker.terminate();
      return;
    }
    worker.unref();
    const timer = setTimeout(() => void worker.terminate(), idleMs);
    timer.unref();
    this.idle.push({ worker, timer });
  }

  private execute(job: BacktestJob, onProgress?: (done: number) => void): Promise<BacktestReport> {
    return new Promise((resolve, reject) => {
      const worker = this.thread();
      let settled = false;
      const finish = (healthy: boolean, fn: () => void, heapBytes = 0) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        worker.off("message", onMessage);
        worker.off("error", onError);
        worker.off("exit", onExit);
        if (healthy) this.release(worker, heapBytes);
        else void worker.terminate();
        fn();
      };
      const timer = setTimeout(
        () =>
          finish(false, () =>
            reject(new BacktestJobError("timeout", "the backtest took too long")),
          ),
        this.options.timeoutMs,
      );
      const onMessage = (m: WorkerMessage) => {
        if (m.type === "progress") onProgress?.(m.done);
        else if (m.type === "result") finish(true, () => resolve(m.report), m.heapBytes);
        // an error the worker caught and reported: the thread itself is fine
        else
          finish(true, () => reject(new BacktestJobError(m.kind, m.message, m.code)), m.heapBytes);
      };
      const onError = (e: Error) =>
        finish(false, () => reject(new BacktestJobError("internal", e.stack ?? String(e))));
      const onExit = (code: number) =>
        finish(false, () =>
          reject(new BacktestJobError("internal", `the backtest worker exited with ${code}`)),
        );
      worker.on("message", onMessage);
      worker.on("error", onError);
      worker.on("exit", onExit);
      worker.postMessage(job, transferables(job));
    });
  }

  /** Stops running and idle threads (shutdown); waiting jobs are refused. */
  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.idle) clearTimeout(t.timer);
    await Promise.all([...this.workers].map((w) => w.terminate()));
  }
}
