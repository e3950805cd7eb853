// TradeDesk's own fixed-interval jobs (order sync, alert evaluation, schedule runner, risk watch,
// backups...), scheduled with node-cron: fixed server-side patterns in the server's time, where
// its task API fits (`noOverlap` so a slow run never overlaps the next, tasks created stopped and
// started together, destroyed on stop). Users' schedules are croner's (time zones, DST, next
// runs, 5-field validation): see src/domain/schedules. Each run gets its own correlation id, and
// an error in one run is logged, never fatal. Each job's last run is kept for /healthz and
// /status, and every run is measured (src/lib/metrics.ts).
import { type Clock, systemClock } from "../lib/clock.ts";
import { withCorrelationId } from "../lib/correlation.ts";
import { type Metrics, errorKind, noMetrics } from "../lib/metrics.ts";
import type { Logger } from "../logger.ts";
import { type ScheduledTask, fixedIntervalTask, intervalOf } from "./cron-task.ts";

export interface JobSpec {
  name: string;
  /** node-cron pattern; six fields allowed here (seconds first), e.g. every 2 s: "*\/2 * * * * *" */
  pattern: string;
  run: () => Promise<unknown>;
}

export interface JobStatus {
  name: string;
  pattern: string;
  /** the longest gap between two scheduled runs */
  intervalMs: number;
  runs: number;
  failures: number;
  running: boolean;
  lastStartedAt: Date | null;
  lastFinishedAt: Date | null;
  lastDurationMs: number | null;
  lastError: string | null;
}

export interface JobSchedulerOptions {
  /**
   * Runs happen only while it says yes — with several instances on one database only the leader
   * (src/db/leadership.ts) runs jobs. Default: always (one instance).
   */
  isLeader?: () => boolean;
  clock?: Clock;
  metrics?: Metrics;
}

export class JobScheduler {
  private readonly tasks: ScheduledTask[] = [];
  private readonly running = new Set<Promise<unknown>>();
  private readonly handlers = new Map<string, () => Promise<void>>();
  private readonly statuses = new Map<string, JobStatus>();
  private readonly isLeader: () => boolean;
  private readonly clock: Clock;
  private readonly metrics: Metrics;
  private stopped = false;
  /** when the schedule started: a job that never ran is late measured from here */
  startedAt: Date | null = null;

  constructor(
    private readonly logger: Logger,
    options: JobSchedulerOptions = {},
  ) {
    this.isLeader = options.isLeader ?? (() => true);
    this.clock = options.clock ?? systemClock;
    this.metrics = options.metrics ?? noMetrics;
  }

  add(job: JobSpec): void {
    if (this.handlers.has(job.name)) throw new RangeError(`job ${job.name} is already added`);
    let seq = 0;
    const status: JobStatus = {
      name: job.name,
      pattern: job.pattern,
      intervalMs: intervalOf(job.pattern),
      runs: 0,
      failures: 0,
      running: false,
      lastStartedAt: null,
      lastFinishedAt: null,
      lastDurationMs: null,
      lastError: null,
    };
    this.statuses.set(job.name, status);
    const runOnce = async () => {
      if (this.stopped) return;
      const started = performance.now();
      status.running = true;
      status.lastStartedAt = this.clock.now();
      const run = withCorrelationId(`${job.name}-${++seq}`, job.run);
      this.running.add(run);
      let outcome: "ok" | "error" = "ok";
      try {
        const summary = await run;
        status.lastError = null;
        this.logger.debug(
          { job: job.name, ms: Math.round(performance.now() - started), summary },
          "job run finished",
        );
      } catch (err) {
        outcome = "error";
        status.failures++;
        status.lastError = err instanceof Error ? err.message : String(err);
        this.metrics.error("job", errorKind(err));
        this.logger.error({ err, job: job.name }, "job run failed");
      } finally {
        const ms = performance.now() - started;
        status.runs++;
        status.running = false;
        status.lastFinishedAt = this.clock.now();
        status.lastDurationMs = Math.round(ms);
        this.metrics.jobRun(job.name, ms, outcome);
        this.running.delete(run);
      }
    };
    // One run of a job at a time, whoever starts it. node-cron's noOverlap covers its own beats
    // only; a run started by runNow could overlap a beat and answer the same work twice (the
    // strategy runner sent "already placed for this candle" next to the order it had just
    // placed). A beat that falls inside any run is skipped; runNow waits for the run in progress
    // and then runs, so what the caller changed before asking is seen.
    let current: Promise<void> | null = null;
    const exclusive = (): Promise<void> => {
      const run = runOnce().finally(() => {
        current = null;
      });
      current = run;
      return run;
    };
    const beat = (): Promise<void> | undefined => {
      if (current) {
        this.logger.debug({ job: job.name }, "beat skipped: a run is in progress");
        return undefined;
      }
      return exclusive();
    };
    const now = async (): Promise<void> => {
      // no await between the check and exclusive(): two waiters cannot both start
      while (current) await current;
      await exclusive();
    };
    this.handlers.set(job.name, now);
    this.tasks.push(
      fixedIntervalTask(
        job.name,
        job.pattern,
        () => (this.isLeader() ? beat() : undefined),
        this.logger,
      ),
    );
  }

  /**
   * Runs a job once now, as its schedule would (tests, an admin's "run now"), after the run in
   * progress if there is one: never two runs of one job at once.
   */
  async runNow(name: string): Promise<void> {
    const handler = this.handlers.get(name);
    if (!handler) throw new RangeError(`no job called ${name}`);
    await handler();
  }

  /** Every job's schedule and last run (copies). */
  status(): JobStatus[] {
    return [...this.statuses.values()].map((s) => ({ ...s }));
  }

  /** Whether this instance runs the jobs now (false while another instance leads). */
  leading(): boolean {
    return this.isLeader();
  }

  start(): void {
    this.startedAt = this.clock.now();
    for (const task of this.tasks) void task.start();
  }

  /** Stops scheduling and waits for runs in progress to finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    // destroy, not only stop: node-cron keeps every task in a process-wide registry until then
    for (const task of this.tasks) await task.destroy();
    await Promise.allSettled([...this.running]);
  }
}
