// The schedule job: five seconds into every minute (due times are on :00), ScheduleRunner.fireDue
// fires the users' schedules that are due (src/domain/schedules), each due time exactly once.
// The composer (the bot's report wording in the owner's language) is given here, so the domain
// never formats text.
import type { ScheduledReportComposer } from "../domain/schedules/schedule-firing.ts";
import type { ScheduleRunSummary, ScheduleRunner } from "../domain/schedules/schedule-runner.ts";
import type { Clock } from "../lib/clock.ts";
import type { Logger } from "../logger.ts";
import type { MarketData } from "../market/types.ts";
import type { JobSpec } from "./scheduler.ts";

/** Six-field pattern (seconds first): five seconds into every minute. */
const SCHEDULE_RUNNER_PATTERN = "5 * * * * *";

export interface ScheduleRunnerJobDeps {
  runner: ScheduleRunner;
  composer: ScheduledReportComposer;
  clock: Clock;
  logger: Logger;
  /**
   * asked before each run: while the exchange is unreachable no report is built (screeners and
   * valuations need prices); the due schedules stay due and fire as catch-ups once it is back
   */
  market?: Pick<MarketData, "reachable" | "name">;
}

export class ScheduleRunnerJob {
  constructor(private readonly deps: ScheduleRunnerJobDeps) {}

  async runOnce(
    now: Date = this.deps.clock.now(),
  ): Promise<ScheduleRunSummary & { marketDown?: boolean }> {
    const market = this.deps.market;
    if (market && !(await market.reachable())) {
      this.deps.logger.warn(
        { source: market.name },
        "scheduled reports postponed: exchange unreachable",
      );
      return { ...EMPTY_RUN, marketDown: true };
    }
    return this.deps.runner.fireDue(now, this.deps.composer);
  }

  job(pattern = SCHEDULE_RUNNER_PATTERN): JobSpec {
    return { name: "schedule-runner", pattern, run: () => this.runOnce() };
  }
}

const EMPTY_RUN: ScheduleRunSummary = {
  due: 0,
  fired: 0,
  caughtUp: 0,
  skipped: 0,
  failed: 0,
  claimedElsewhere: 0,
  ownerInactive: 0,
  paused: 0,
};
