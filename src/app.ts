// The whole application, wired: configuration → database (migrated, reference data seeded) →
// market data → domain services → bot → jobs. main.ts runs it; tests, the sandbox and benchmarks
// build it the same way with their own clock, market or Telegram endpoint. The pieces are built
// in src/wiring (the composition root); this file orders them and runs start and stop.
import type { Bot } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import type { Config } from "./config.ts";
import type { Database } from "./db/client.ts";
import { type Leadership, openLeaderLock } from "./db/leadership.ts";
import { type RuntimeLease, holdRuntimeLease } from "./db/runtime-lease.ts";
import type { Services } from "./domain/services.ts";
import type { StrategyRegistry } from "./domain/strategies/instance-types.ts";
import type { CredentialProbe } from "./brokers/types.ts";
import { type Clock, systemClock } from "./lib/clock.ts";
import { type Logger, createLogger } from "./logger.ts";
import type { MarketData } from "./market/types.ts";
import type { CommandRegistry } from "./bot/commands/registry.ts";
import type { BotContext } from "./bot/context.ts";
import { translatorFor } from "./bot/i18n.ts";
import type { OutboxDrainer } from "./jobs/outbox/drainer.ts";
import type { JobScheduler } from "./jobs/scheduler.ts";
import type { HealthMonitor } from "./ops/health.ts";
import { PrometheusMetrics } from "./ops/prometheus.ts";
import { buildBot, wireNotifications } from "./wiring/bot.ts";
import { buildJobs, buildOutbox, jobsLeadership } from "./wiring/jobs.ts";
import { buildHealth } from "./wiring/ops.ts";
import { UpdateReceiver } from "./wiring/receive.ts";
import {
  buildServices,
  marketFromConfig,
  openAppDatabase,
  readMasterKey,
} from "./wiring/sources.ts";

export { ALLOWED_UPDATES } from "./wiring/receive.ts";
export { marketPrices } from "./wiring/sources.ts";

export interface AppOverrides {
  logger?: Logger;
  clock?: Clock;
  market?: MarketData;
  /** skip getMe (tests, benchmarks) */
  botInfo?: UserFromGetMe;
  /** false when the database is known to be migrated already (tests copy a migrated template) */
  migrate?: boolean;
  /** checks exchange API keys before they are stored (the live gateway layer; tests) */
  credentialProbe?: CredentialProbe;
  /** the strategy kinds that can run (src/strategies/registry.ts when not given; tests add kinds) */
  strategyRegistry?: StrategyRegistry;
  /**
   * An already opened client on config.DATABASE_URL, used instead of opening one (benchmarks and
   * tests that watch the SQL the app sends, e.g. B2). Migrations (unless migrate is false), data
   * migrations and the reference seed still run on it, and stop() closes it.
   */
  database?: Database;
  /** the app cannot go on (another process polls this token); main.ts stops and exits non-zero */
  onFatal?: (reason: string) => void;
  /** told of every SQL statement the app sends (benchmarks count them) */
  onQuery?: (sql: string) => void;
}

/** Thrown by start() when another instance already long-polls this bot on this database. */
export class InstanceConflictError extends Error {
  constructor(where: string) {
    super(
      `another TradeDesk instance is already receiving updates by long polling on this database (${where}). ` +
        "Telegram allows one poller per bot token: stop the other instance, or run every instance with BOT_MODE=webhook.",
    );
    this.name = "InstanceConflictError";
  }
}

export interface App {
  config: Config;
  logger: Logger;
  database: Database;
  services: Services;
  market: MarketData;
  bot: Bot<BotContext>;
  registry: CommandRegistry;
  jobs: JobScheduler;
  /** delivers notification_outbox rows to Telegram within its rate limits */
  outbox: OutboxDrainer;
  /** who runs the jobs when several instances share the database */
  leadership: Leadership;
  metrics: PrometheusMetrics;
  health: HealthMonitor;
  /** where /healthz and /metrics answer once started (null: not served) */
  opsAddress(): { host: string; port: number } | null;
  /** updates received and not yet handled to the end (see UpdateReceiver.updatesInHand) */
  updatesInHand(): number;
  /** starts jobs and receiving updates (long polling or webhook) */
  start(): Promise<void>;
  /** stops receiving, lets in-flight updates finish, stops jobs, closes the database */
  stop(): Promise<void>;
}

export async function createApp(config: Config, overrides: AppOverrides = {}): Promise<App> {
  const logger =
    overrides.logger ??
    createLogger({
      level: config.LOG_LEVEL,
      format: config.LOG_FORMAT,
      secrets: [config.BOT_TOKEN, config.SECRETS_MASTER_KEY ?? ""],
    });
  const clock = overrides.clock ?? systemClock;
  // a key file outside the database; a world-readable one is refused, a group-readable one warned of
  const masterKey = readMasterKey(config, logger);

  // first, so a MARKET_DATA naming no ccxt exchange stops the start before anything is opened
  const market = overrides.market ?? (await marketFromConfig(config, clock, logger));
  const database = await openAppDatabase(
    config,
    logger,
    overrides.migrate !== false,
    overrides.onQuery ? { onQuery: overrides.onQuery } : {},
    overrides.database,
  );
  const services = await buildServices({
    config,
    database,
    market,
    clock,
    logger,
    masterKey,
    ...(overrides.credentialProbe ? { credentialProbe: overrides.credentialProbe } : {}),
    ...(overrides.strategyRegistry ? { strategyRegistry: overrides.strategyRegistry } : {}),
  });
  const notifications = wireNotifications(config, services);
  const { i18n, notifier } = notifications;
  const metrics = new PrometheusMetrics();
  // the health report reads the jobs, which are created after the bot that shows it (/status)
  let health: HealthMonitor | null = null;
  const { bot, registry } = buildBot({
    config,
    logger,
    services,
    market,
    metrics,
    notifications,
    health: () => health!,
    ...(overrides.botInfo ? { botInfo: overrides.botInfo } : {}),
  });
  const leadership = jobsLeadership(config, database, logger);
  const jobSources = {
    config,
    logger,
    clock,
    database,
    services,
    market,
    metrics,
    notifications,
    marketOverridden: overrides.market !== undefined,
  };
  const jobs = await buildJobs(jobSources, leadership);
  const outbox = buildOutbox(jobSources);
  health = buildHealth({ config, clock, database, services, metrics, jobs, leadership });
  const receiver = new UpdateReceiver({
    config,
    logger,
    bot,
    health,
    metrics,
    ...(overrides.onFatal ? { onFatal: overrides.onFatal } : {}),
  });

  // tells `npm run restore` a bot runs on this database (src/db/runtime-lease.ts)
  let lease: RuntimeLease | null = null;
  const pollerLock = openLeaderLock(database.url, "poller");

  async function publishCommandMenus(): Promise<void> {
    await registry.publishDefaults(bot.api, (locale) => translatorFor(i18n, locale));
    for (const user of await services.users.activeUsers()) {
      await registry.publishFor(
        bot.api,
        user.telegramUserId,
        services.users.actorOf(user),
        notifier.translator(user),
      );
    }
  }

  return {
    config,
    logger,
    database,
    services,
    market,
    bot,
    registry,
    jobs,
    outbox,
    leadership,
    metrics,
    health,
    opsAddress: () => receiver.address(),
    updatesInHand: () => receiver.updatesInHand(),
    async start() {
      lease = holdRuntimeLease(config.DATABASE_URL);
      // two pollers on one token make Telegram answer 409 to both: refuse before touching anything
      if (!receiver.webhookUrl && !(await pollerLock.tryAcquire())) {
        throw new InstanceConflictError(pollerLock.description);
      }
      await bot.init();
      await publishCommandMenus().catch((err: unknown) =>
        logger.warn({ err }, "could not publish the command menus"),
      );
      if (config.JOBS_ENABLED) {
        await leadership.start();
        jobs.start();
      }
      await outbox.start();
      await receiver.start();
    },
    async stop() {
      await receiver.stop();
      await jobs.stop();
      await leadership.stop();
      await outbox.stop();
      await pollerLock.release();
      await services.backtests.close();
      await database.close();
      lease?.release();
    },
  };
}
