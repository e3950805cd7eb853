// The one way TradeDesk schedules its own fixed-interval work: a node-cron task on a fixed pattern
// in server time, `noOverlap` so a slow run never overlaps the next (the beat that falls inside a
// run is skipped, not queued), created stopped (the owner starts it) and destroyed on stop.
// Both the leader-only jobs (scheduler.ts) and the outbox poll tick, which runs on every instance
// (outbox/drainer.ts), go through here. Users' schedules are croner's (src/domain/schedules).
import cron, { type ScheduledTask } from "node-cron";
import type { Logger } from "../logger.ts";

export type { ScheduledTask };

type CronLog = Pick<Logger, "debug" | "warn" | "error">;

/**
 * A stopped node-cron task that calls `run` on every beat of `pattern` (six fields allowed,
 * seconds first). Throws on an invalid pattern, so a typo fails at wiring time.
 */
export function fixedIntervalTask(
  name: string,
  pattern: string,
  run: () => unknown,
  log: CronLog,
): ScheduledTask {
  return cron.createTask(pattern, () => run(), {
    name,
    noOverlap: true,
    logger: cronLogger(name, log),
  });
}

/** The longest gap between the next few runs of a pattern (what "late" is measured against). */
export function intervalOf(pattern: string): number {
  const probe = cron.createTask(pattern, () => undefined);
  const runs = probe.getNextRuns(6);
  void probe.destroy();
  let gap = 0;
  for (let i = 1; i < runs.length; i++)
    gap = Math.max(gap, runs[i]!.getTime() - runs[i - 1]!.getTime());
  return gap;
}

/** node-cron's own messages (overlaps skipped, missed beats) into our log, tagged by job. */
function cronLogger(job: string, log: CronLog) {
  return {
    info: (message: string) => log.debug({ job }, message),
    debug: (message: string | Error) => log.debug({ job }, String(message)),
    warn: (message: string) => log.warn({ job }, message),
    error: (message: string | Error, err?: Error) =>
      log.error({ job, err: err ?? message }, "node-cron error"),
  };
}
