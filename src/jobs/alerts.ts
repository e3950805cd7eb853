// The alert job: evaluates every active alert on a fixed beat (node-cron, every 20 s by default),
// firing and notifying through AlertService.evaluateAll. The notifier (the bot's renderer in
// the users' languages) is given here, so the domain never formats text.
import type { AlertService, AlertRunSummary } from "../domain/alerts/alert-service.ts";
import type { AlertNotifier } from "../domain/alerts/alert-notifier.ts";
import type { Clock } from "../lib/clock.ts";
import type { Logger } from "../logger.ts";
import type { MarketData } from "../market/types.ts";
import type { JobSpec } from "./scheduler.ts";

/** Six-field pattern (node-cron, src/jobs/scheduler.ts): at seconds 0, 20 and 40 of every minute. */
export const ALERT_JOB_PATTERN = "*/20 * * * * *";

export interface AlertEvaluatorDeps {
  alerts: AlertService;
  /** asked before each run: while the exchange is unreachable the run is skipped */
  market?: Pick<MarketData, "reachable" | "name">;
  notifier: AlertNotifier;
  clock: Clock;
  logger: Logger;
}

export class AlertEvaluator {
  constructor(private readonly deps: AlertEvaluatorDeps) {}

  /**
   * One pass over all active alerts; per-alert failures are logged, never thrown. Skipped as a
   * whole (marketDown) while the market data source cannot reach its exchange: alerts must not
   * judge old prices, and the next run after recovery evaluates them again.
   */
  async runOnce(): Promise<{
    evaluated: number;
    fired: number;
    skipped: number;
    failed: number;
    marketDown?: boolean;
  }> {
    const market = this.deps.market;
    if (market && !(await market.reachable())) {
      this.deps.logger.warn({ source: market.name }, "alert run skipped: exchange unreachable");
      return { evaluated: 0, fired: 0, skipped: 0, failed: 0, marketDown: true };
    }
    const summary: AlertRunSummary = await this.deps.alerts.evaluateAll(
      this.deps.clock.now(),
      this.deps.notifier,
    );
    for (const { alertId, error } of summary.errors) {
      this.deps.logger.warn({ err: error, alertId }, "alert evaluation failed");
    }
    return {
      evaluated: summary.evaluated,
      fired: summary.fired,
      skipped: summary.skipped,
      failed: summary.errors.length,
    };
  }

  job(pattern = ALERT_JOB_PATTERN): JobSpec {
    return { name: "alerts", pattern, run: () => this.runOnce() };
  }
}
