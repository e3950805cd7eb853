// Health and metrics wiring: the outbox gauges, the leadership gauge and the health report that
// /healthz, /metrics and /status read.
import type { Config } from "../config.ts";
import type { Database } from "../db/client.ts";
import type { Leadership } from "../db/leadership.ts";
import type { Services } from "../domain/services.ts";
import type { JobScheduler } from "../jobs/scheduler.ts";
import type { Clock } from "../lib/clock.ts";
import { HealthMonitor } from "../ops/health.ts";
import type { PrometheusMetrics } from "../ops/prometheus.ts";

export interface OpsSources {
  config: Config;
  clock: Clock;
  database: Database;
  services: Services;
  metrics: PrometheusMetrics;
  jobs: JobScheduler;
  leadership: Leadership;
}

/** Registers the state gauges on `metrics` and returns the health monitor built on the same reads. */
export function buildHealth(sources: OpsSources): HealthMonitor {
  const { config, database, services, metrics, jobs, leadership } = sources;
  // one query serves both outbox gauges of a scrape and the health report made with it
  let outboxDepth: { at: number; value: ReturnType<typeof services.outbox.depth> } | null = null;
  const outboxNow = () => {
    const at = performance.now();
    if (!outboxDepth || at - outboxDepth.at > 500) {
      outboxDepth = { at, value: services.outbox.depth() };
      outboxDepth.value.catch(() => (outboxDepth = null));
    }
    return outboxDepth.value;
  };
  metrics.observeState({ outbox: outboxNow, isLeader: () => leadership.isLeader() });
  return new HealthMonitor(
    {
      clock: sources.clock,
      pingDatabase: async () => {
        await database.prisma.$queryRawUnsafe("SELECT 1");
      },
      outbox: outboxNow,
      jobs: () =>
        config.JOBS_ENABLED
          ? { leading: jobs.leading(), startedAt: jobs.startedAt, status: jobs.status() }
          : null,
      backups: () => services.backups.health(),
      totals: () => metrics.totals,
    },
    { outboxMaxAgeMs: config.HEALTH_OUTBOX_MAX_AGE_SECONDS * 1000 },
  );
}
