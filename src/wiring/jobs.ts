// The background work: who runs it when instances share the database (leadership), the job list,
// and the outbox drainer that delivers notifications to Telegram.
import { Api } from "grammy";
import type { Config } from "../config.ts";
import type { Database } from "../db/client.ts";
import { Leadership, openLeaderLock } from "../db/leadership.ts";
import type { Services } from "../domain/services.ts";
import { InstrumentSync } from "../domain/instruments/instrument-sync.ts";
import type { Clock } from "../lib/clock.ts";
import type { Logger } from "../logger.ts";
import { isLiveSource } from "../market/source.ts";
import type { MarketData } from "../market/types.ts";
import type { PrometheusMetrics } from "../ops/prometheus.ts";
import { createAlertNotifier } from "../bot/features/alerts/alerts.ts";
import { ReportComposer } from "../bot/reports/report-composer.ts";
import { TelegramOutboxSender } from "../bot/outbox/telegram-sender.ts";
import { AlertEvaluator } from "../jobs/alerts.ts";
import { backupJob } from "../jobs/backups.ts";
import { checkpointJob } from "../jobs/checkpoints.ts";
import { InstrumentSyncJob } from "../jobs/instrument-sync.ts";
import { maintenanceJob, retentionJob } from "../jobs/maintenance.ts";
import { ORDER_SYNC_CRON, OrderSync } from "../jobs/order-sync.ts";
import { OutboxDrainer } from "../jobs/outbox/drainer.ts";
import { RiskWatchJob } from "../jobs/risk-watch.ts";
import { ScheduleRunnerJob } from "../jobs/schedule-runner.ts";
import { JobScheduler } from "../jobs/scheduler.ts";
import { strategyRunnerJob } from "../jobs/strategy-runner.ts";
import type { wireNotifications } from "./bot.ts";

export interface JobSources {
  config: Config;
  logger: Logger;
  clock: Clock;
  database: Database;
  services: Services;
  market: MarketData;
  metrics: PrometheusMetrics;
  notifications: ReturnType<typeof wireNotifications>;
  /** the market was given by the caller (tests): no exchange listing to refresh */
  marketOverridden: boolean;
}

/**
 * Several instances may share the database: only the holder of the "jobs" lock runs the jobs;
 * the others retry and take over when it is gone (src/db/leadership.ts).
 */
export function jobsLeadership(config: Config, database: Database, logger: Logger): Leadership {
  const leadership: Leadership = new Leadership(openLeaderLock(database.url, "jobs"), {
    retryMs: config.LEADER_RETRY_SECONDS * 1000,
    onChange: (leader) =>
      logger.info(
        { lock: leadership.lock.description },
        leader
          ? "this instance now runs the jobs"
          : "another instance runs the jobs; this one waits",
      ),
    onError: (err) => logger.warn({ err }, "could not check the jobs lock"),
  });
  return leadership;
}

/** The scheduler with every job added (the instrument refresh runs once first on a live source). */
export async function buildJobs(
  sources: JobSources,
  leadership: Leadership,
): Promise<JobScheduler> {
  const { config, logger, clock, services, market, metrics } = sources;
  const { notifier, riskNotifier } = sources.notifications;
  const jobs = new JobScheduler(logger, {
    isLeader: () => leadership.isLeader(),
    clock,
    metrics,
  });
  if (!sources.marketOverridden && isLiveSource(config.MARKET_DATA)) {
    // the exchange's listing replaces the catalog's rules for its symbols: now, then daily
    const instrumentSync = new InstrumentSyncJob({
      market,
      sync: new InstrumentSync(services.ctx, services.instruments),
      exchange: config.MARKET_DATA.toUpperCase(),
      clock,
      logger,
    });
    await instrumentSync
      .runOnce(true)
      .catch((err: unknown) => logger.warn({ err }, "instrument refresh failed at start"));
    jobs.add(instrumentSync.job());
  }
  const orderSync = new OrderSync({
    sync: services.sync,
    logger,
    canSync: (code, isPaper) => services.gateways.supports(code, isPaper),
  });
  jobs.add({ name: "order-sync", pattern: ORDER_SYNC_CRON, run: () => orderSync.runOnce() });
  jobs.add(new RiskWatchJob({ watch: services.riskWatch, notifier: riskNotifier, clock }).job());
  jobs.add(
    new AlertEvaluator({
      alerts: services.alerts,
      market,
      notifier: createAlertNotifier(notifier),
      clock,
      logger,
    }).job(),
  );
  jobs.add(
    new ScheduleRunnerJob({
      runner: services.scheduleRunner,
      composer: new ReportComposer({
        users: services.users,
        reports: services.reports,
        notifier,
        market: { name: market.name, synthetic: market.synthetic },
        logger,
      }),
      market,
      clock,
      logger,
    }).job(),
  );
  jobs.add(strategyRunnerJob(services.strategyRuntime));
  jobs.add(backupJob(services.backups));
  jobs.add(maintenanceJob(services.maintenance));
  jobs.add(retentionJob(services.retention));
  jobs.add(checkpointJob(services.checkpoints));
  return jobs;
}

/**
 * The outbox sends through its own Api without auto-retry: the drainer handles 429s per chat
 * itself (see src/bot/outbox/telegram-sender.ts).
 */
export function buildOutbox(sources: JobSources): OutboxDrainer {
  const { config } = sources;
  return new OutboxDrainer({
    db: sources.database,
    sender: new TelegramOutboxSender(
      new Api(config.BOT_TOKEN, {
        apiRoot: config.TELEGRAM_API_ROOT,
        timeoutSeconds: config.TELEGRAM_TIMEOUT_SECONDS,
      }),
    ),
    logger: sources.logger,
    clock: sources.clock,
    limits: {
      globalPerSecond: config.OUTBOX_GLOBAL_PER_SECOND,
      perChatPerSecond: config.OUTBOX_PRIVATE_PER_SECOND,
      groupPerMinute: config.OUTBOX_GROUP_PER_MINUTE,
    },
    maxAttempts: config.OUTBOX_MAX_ATTEMPTS,
    leaseMs: config.OUTBOX_LEASE_SECONDS * 1000,
    metrics: sources.metrics,
  });
}
