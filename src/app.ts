// The whole application, wired: configuration → database (migrated, reference data seeded) →
// market data → domain services → bot → jobs. main.ts runs it; tests, the sandbox and benchmarks
// build it the same way with their own clock, market or Telegram endpoint.
import http from "node:http";
import { type RunnerHandle, run } from "@grammyjs/runner";
import { Api, type Bot, webhookCallback } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import { type Config, ConfigError } from "./config.ts";
import { type Database, openDatabase } from "./db/client.ts";
import { runDataMigrations } from "./db/data-migrations.ts";
import { Leadership, openLeaderLock } from "./db/leadership.ts";
import { applyMigrations } from "./db/migrate.ts";
import { seedReferenceData } from "./db/seed.ts";
import { createServices, type Services } from "./domain/services.ts";
import type { CredentialProbe } from "./brokers/types.ts";
import { type Clock, systemClock } from "./lib/clock.ts";
import { MasterKeyError, loadMasterKey } from "./lib/secrets/master-key.ts";
import { type Logger, createLogger } from "./logger.ts";
import { UnknownExchangeError, apiUrlFor, ccxtExchangeIds } from "./market/ccxt/client.ts";
import { type LiveTradingSettings, liveGatewayFactories } from "./brokers/ccxt/live-gateways.ts";
import { CcxtCredentialProbe } from "./brokers/ccxt/credential-probe.ts";
import { createMarketData, isLiveSource } from "./market/source.ts";
import type { MarketData } from "./market/types.ts";
import { InstrumentSync } from "./domain/instruments/instrument-sync.ts";
import { InstrumentSyncJob } from "./jobs/instrument-sync.ts";
import { PrismaAdapter } from "@grammyjs/storage-prisma";
import { createBot, longPollSeconds } from "./bot/bot.ts";
import type { CommandRegistry } from "./bot/commands/registry.ts";
import type { BotContext } from "./bot/context.ts";
import { createI18n, translatorFor } from "./bot/i18n.ts";
import { registerFillNotifications } from "./bot/features/fill-notifications.ts";
import { Notifier } from "./bot/notifier.ts";
import { BotRiskNotifier } from "./bot/features/risk.ts";
import { BotRetirementNotifier } from "./bot/features/portfolios.ts";
import { createAlertNotifier } from "./bot/features/alerts.ts";
import { AlertEvaluator } from "./jobs/alerts.ts";
import { RiskWatchJob } from "./jobs/risk-watch.ts";
import { ORDER_SYNC_CRON, OrderSync } from "./jobs/order-sync.ts";
import { JobScheduler } from "./jobs/scheduler.ts";
import { ScheduleRunnerJob } from "./jobs/schedule-runner.ts";
import { strategyRunnerJob } from "./jobs/strategy-runner.ts";
import type { StrategyRegistry } from "./domain/strategies/instance-types.ts";
import { BotStrategyNotifier } from "./bot/features/strategy-notices.ts";
import { ReportComposer } from "./bot/reports/report-composer.ts";
import { OutboxDrainer } from "./jobs/outbox/drainer.ts";
import { TelegramOutboxSender } from "./bot/outbox/telegram-sender.ts";
import { BotBackupAlerts } from "./bot/features/backups.ts";
import { backupJob } from "./jobs/backups.ts";
import { checkpointJob } from "./jobs/checkpoints.ts";
import { maintenanceJob, retentionJob } from "./jobs/maintenance.ts";
import { type RuntimeLease, holdRuntimeLease } from "./db/runtime-lease.ts";
import { opsSettings } from "./ops-config.ts";
import { HealthMonitor } from "./ops/health.ts";
import { handleOpsRequest, startOpsServer } from "./ops/http.ts";
import { PrometheusMetrics } from "./ops/prometheus.ts";

export const ALLOWED_UPDATES = [
  "message",
  "edited_message",
  "callback_query",
  "my_chat_member",
  "channel_post",
] as const;

/** Last prices and historical marks for the domain, from the market data source. */
export function marketPrices(market: MarketData) {
  return {
    lastPrice: async (symbol: string) => (await market.quote(symbol)).last,
    priceAt: async (symbol: string, at: Date) => {
      const [candle] = await market.candles(symbol, "1m", { to: at, limit: 1 });
      return candle ? candle.close : null;
    },
  };
}

async function marketFromConfig(config: Config, clock: Clock, logger: Logger): Promise<MarketData> {
  try {
    return await createMarketData({
      source: config.MARKET_DATA,
      seed: config.MARKET_DATA_SEED,
      apiUrl: apiUrlFor(config.MARKET_DATA, config),
      clock: () => clock.now(),
      logger,
    });
  } catch (e) {
    if (e instanceof UnknownExchangeError) {
      throw new ConfigError([
        `MARKET_DATA "${e.id}" is not an exchange ccxt knows: use offline, binance or another ccxt exchange id`,
      ]);
    }
    throw e;
  }
}

/**
 * The live gateways LIVE_TRADING enables and the probe that checks their keys (none: paper only).
 * An id ccxt does not know stops the start; ccxt itself is loaded only when live trading is
 * configured.
 */
async function liveTradingFromConfig(config: Config, db: Database, clock: Clock) {
  if (!config.LIVE_TRADING.length) return null;
  const known = new Set(await ccxtExchangeIds());
  const unknown = config.LIVE_TRADING.filter((id) => !known.has(id));
  if (unknown.length) {
    throw new ConfigError([
      `LIVE_TRADING names ${unknown.join(", ")}, which ccxt does not know: use binance or another ccxt exchange id`,
    ]);
  }
  const settings: LiveTradingSettings = {
    exchanges: config.LIVE_TRADING,
    apiUrl: (id) => apiUrlFor(id, config),
    sandboxUrl: (id) => config.EXCHANGE_SANDBOX_URLS[id] ?? config.EXCHANGE_SANDBOX_URL,
  };
  return {
    gateways: liveGatewayFactories(settings, { db: db.prisma, clock }),
    probe: new CcxtCredentialProbe(settings),
  };
}

/** The secret store's master key, or null; an unusable one is a configuration error. */
function readMasterKey(config: Config, logger: Logger) {
  try {
    return loadMasterKey(
      { masterKey: config.SECRETS_MASTER_KEY, keyFile: config.SECRETS_KEY_FILE },
      (warning) => logger.warn(warning),
    );
  } catch (e) {
    if (e instanceof MasterKeyError) throw new ConfigError([e.message]);
    throw e;
  }
}

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
  /** the app cannot go on (another process polls this token); main.ts stops and exits non-zero */
  onFatal?: (reason: string) => void;
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
  if (overrides.migrate !== false) await applyMigrations(config.DATABASE_URL);
  const database = openDatabase(config.DATABASE_URL);
  const dataMigrations = await runDataMigrations(database);
  if (dataMigrations.length) logger.info({ dataMigrations }, "data migrations applied");
  await seedReferenceData(database.prisma);

  if (!masterKey) logger.info("no secrets master key: live accounts' API keys cannot be stored");
  const live = await liveTradingFromConfig(config, database, clock);
  if (live) logger.info({ brokers: Object.keys(live.gateways) }, "live trading enabled");
  const credentialProbe = overrides.credentialProbe ?? live?.probe;
  const services = createServices(database, {
    clock,
    masterKey,
    ...(live ? { liveGateways: live.gateways } : {}),
    ...(credentialProbe ? { credentialProbe } : {}),
    market,
    logger,
    paperBroker: {
      takerFeeBps: config.PAPER_FEE_BPS,
      makerFeeBps: config.PAPER_FEE_BPS,
      slippageBps: config.PAPER_SLIPPAGE_BPS,
    },
    prices: marketPrices(market),
    users: {
      adminTelegramIds: config.ADMIN_TELEGRAM_IDS,
      maxUsers: config.MAX_USERS,
      supportedLanguages: ["en", "ru"],
      defaultTimeZone: config.DEFAULT_TIME_ZONE,
    },
    ops: opsSettings(config),
    ...(overrides.strategyRegistry ? { strategyRegistry: overrides.strategyRegistry } : {}),
    backtests: {
      concurrency: config.BACKTEST_CONCURRENCY,
      timeoutMs: config.BACKTEST_TIMEOUT_SECONDS * 1000,
      cacheDir: config.CANDLE_CACHE_DIR,
    },
  });
  const i18n = createI18n(config.DEFAULT_LOCALE);
  const notifier = new Notifier(services, i18n, config.DEFAULT_LOCALE);
  registerFillNotifications(services, notifier);
  const riskNotifier = new BotRiskNotifier(notifier);
  services.risk.useNotifier(riskNotifier);
  services.portfolios.useNotifier(new BotRetirementNotifier(notifier));
  services.backups.useAlertRenderer(new BotBackupAlerts(notifier));
  services.strategyRuntime.useNotifier(new BotStrategyNotifier(notifier));
  const metrics = new PrometheusMetrics();
  // the health report reads the jobs, which are created after the bot that shows it (/status)
  let health: HealthMonitor | null = null;
  const { bot, registry } = createBot(
    {
      config,
      logger,
      i18n,
      services,
      market,
      notifier,
      metrics,
      health: { report: () => health!.report() },
    },
    {
      token: config.BOT_TOKEN,
      apiRoot: config.TELEGRAM_API_ROOT,
      timeoutSeconds: config.TELEGRAM_TIMEOUT_SECONDS,
      ...(overrides.botInfo ? { botInfo: overrides.botInfo } : {}),
      // sessions and conversations live in the database's session table (instances share them)
      sessionStorage: new PrismaAdapter<unknown>(services.ctx.db.session),
    },
  );
  // Several instances may share the database: only the holder of the "jobs" lock runs the jobs;
  // the others retry and take over when it is gone (src/db/leadership.ts).
  const leadership = new Leadership(openLeaderLock(database.url, "jobs"), {
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
  const jobs = new JobScheduler(logger, {
    isLeader: () => leadership.isLeader(),
    clock,
    metrics,
  });
  if (!overrides.market && isLiveSource(config.MARKET_DATA)) {
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
    db: database.prisma,
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

  // The outbox sends through its own Api without auto-retry: the drainer handles 429s per chat
  // itself (see src/bot/outbox/telegram-sender.ts).
  const outbox = new OutboxDrainer({
    db: database,
    sender: new TelegramOutboxSender(
      new Api(config.BOT_TOKEN, {
        apiRoot: config.TELEGRAM_API_ROOT,
        timeoutSeconds: config.TELEGRAM_TIMEOUT_SECONDS,
      }),
    ),
    logger,
    clock,
    limits: {
      globalPerSecond: config.OUTBOX_GLOBAL_PER_SECOND,
      perChatPerSecond: config.OUTBOX_PRIVATE_PER_SECOND,
      groupPerMinute: config.OUTBOX_GROUP_PER_MINUTE,
    },
    maxAttempts: config.OUTBOX_MAX_ATTEMPTS,
    leaseMs: config.OUTBOX_LEASE_SECONDS * 1000,
    metrics,
  });

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
  health = new HealthMonitor(
    {
      clock,
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
  const ops = { health, metrics, logger };

  let runner: RunnerHandle | null = null;
  // tells `npm run restore` a bot runs on this database (src/db/runtime-lease.ts)
  let lease: RuntimeLease | null = null;
  const pollerLock = openLeaderLock(database.url, "poller");
  let server: http.Server | null = null;
  let opsServer: http.Server | null = null;

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
    opsAddress() {
      const listening = server ?? opsServer;
      const address = listening?.address();
      return address && typeof address === "object"
        ? { host: address.address, port: address.port }
        : null;
    },
    async start() {
      lease = holdRuntimeLease(config.DATABASE_URL);
      const polling = !(config.BOT_MODE === "webhook" && config.WEBHOOK_URL);
      // two pollers on one token make Telegram answer 409 to both: refuse before touching anything
      if (polling && !(await pollerLock.tryAcquire())) {
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
      if (config.BOT_MODE === "webhook" && config.WEBHOOK_URL) {
        const path = new URL(config.WEBHOOK_URL).pathname;
        const handle = webhookCallback(bot, "http", {
          secretToken: config.WEBHOOK_SECRET,
          onTimeout: "return",
        });
        server = http.createServer((req, res) => {
          if (req.method === "POST" && req.url === path) return void handle(req, res);
          if (!handleOpsRequest(ops, req, res)) res.writeHead(404).end();
        });
        await new Promise<void>((resolve) => server!.listen(config.PORT, config.HOST, resolve));
        await bot.api.setWebhook(config.WEBHOOK_URL, {
          secret_token: config.WEBHOOK_SECRET,
          allowed_updates: [...ALLOWED_UPDATES],
        });
        logger.info({ url: config.WEBHOOK_URL, port: config.PORT }, "receiving updates by webhook");
      } else {
        // health and metrics on a port of their own; a busy port must not keep the bot down
        try {
          opsServer = await startOpsServer(ops, config.METRICS_PORT, config.METRICS_HOST);
          logger.info(opsServer.address(), "health and metrics at /healthz and /metrics");
        } catch (err) {
          logger.error({ err, port: config.METRICS_PORT }, "could not serve /healthz and /metrics");
        }
        await bot.api.deleteWebhook();
        runner = run(bot, {
          runner: {
            fetch: {
              allowed_updates: [...ALLOWED_UPDATES],
              timeout: longPollSeconds(config.TELEGRAM_TIMEOUT_SECONDS),
            },
          },
        });
        // The runner gives up on 401 and 409 (another process polls the same token, perhaps on
        // another database): say so plainly and stop, rather than sit there deaf.
        runner.task()?.catch((err: unknown) => {
          const code = (err as { error_code?: unknown }).error_code;
          const reason =
            code === 409
              ? "Telegram answered 409 Conflict: another process is polling this bot token"
              : "long polling stopped";
          logger.fatal({ err }, reason);
          overrides.onFatal?.(reason);
        });
        logger.info({ bot: bot.botInfo.username }, "receiving updates by long polling");
      }
    },
    async stop() {
      if (runner?.isRunning()) await runner.stop();
      if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
      if (opsServer) await new Promise<void>((resolve) => opsServer!.close(() => resolve()));
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
