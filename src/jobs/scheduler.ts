// Internal fixed-interval jobs (order sync, alert evaluation, schedule runner, risk watch),
// scheduled with croner — the same library that evaluates users' cron expressions, so one
// library serves both roles. `protect` stops a slow run from overlapping the next one; each run
// gets its own correlation id, and an error in one run is logged, never fatal.
import { Cron } from "croner";
import { withCorrelationId } from "../lib/correlation.ts";
import type { Logger } from "../logger.ts";

export interface JobSpec {
  name: string;
  /** croner pattern; six fields allowed here (seconds), e.g. every 2 s: "*\/2 * * * * *" */
  pattern: string;
  run: () => Promise<unknown>;
}

export class JobScheduler {
  private readonly crons: Cron[] = [];
  private readonly running = new Set<Promise<unknown>>();
  private readonly handlers = new Map<string, () => Promise<void>>();
  private stopped = false;

  /**
   * `isLeader`: runs happen only while it says yes — with several instances on one database only
   * the leader (src/db/leadership.ts) runs jobs. Default: always (one instance).
   */
  constructor(
    private readonly logger: Logger,
    private readonly isLeader: () => boolean = () => true,
  ) {}

  add(job: JobSpec): void {
    let seq = 0;
    const handler = async () => {
      if (this.stopped) return;
      const started = performance.now();
      const run = withCorrelationId(`${job.name}-${++seq}`, job.run);
      this.running.add(run);
      try {
        const summary = await run;
        this.logger.debug(
          { job: job.name, ms: Math.round(performance.now() - started), summary },
          "job run finished",
        );
      } catch (err) {
        this.logger.error({ err, job: job.name }, "job run failed");
      } finally {
        this.running.delete(run);
      }
    };
    this.handlers.set(job.name, handler);
    this.crons.push(
      new Cron(job.pattern, { protect: true, paused: true }, () =>
        this.isLeader() ? handler() : undefined,
      ),
    );
  }

  /** Runs a job once now, as its schedule would (tests, an admin's "run now"). */
  async runNow(name: string): Promise<void> {
    const handler = this.handlers.get(name);
    if (!handler) throw new RangeError(`no job called ${name}`);
    await handler();
  }

  start(): void {
    for (const cron of this.crons) cron.resume();
  }

  /** Stops scheduling and waits for runs in progress to finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const cron of this.crons) cron.stop();
    await Promise.allSettled([...this.running]);
  }
}
