// The risk watch job: every minute, 20 s past, RiskWatchService.watchAll looks at every active
// user's portfolios for breached daily loss limits and exposure caps (src/domain/risk). The
// notifier (the bot's wording in the users' languages) is given here, so the domain never
// formats text; JobScheduler keeps runs from overlapping.
import type { RiskNotifier } from "../domain/risk/risk-notifier.ts";
import type { RiskWatchService, RiskWatchSummary } from "../domain/risk/risk-watch-service.ts";
import type { Clock } from "../lib/clock.ts";
import type { JobSpec } from "./scheduler.ts";

/** Every minute at second 20 (six-field form: seconds first). */
const RISK_WATCH_CRON = "20 * * * * *";

export interface RiskWatchJobDeps {
  watch: RiskWatchService;
  notifier: RiskNotifier;
  /** the services' clock: the day's PnL and the breach's day are measured on it */
  clock: Clock;
}

export class RiskWatchJob {
  constructor(private readonly deps: RiskWatchJobDeps) {}

  runOnce(now: Date = this.deps.clock.now()): Promise<RiskWatchSummary> {
    return this.deps.watch.watchAll(now, this.deps.notifier);
  }

  job(pattern = RISK_WATCH_CRON): JobSpec {
    return { name: "risk-watch", pattern, run: () => this.runOnce() };
  }
}
