// The composition root's outside world: market data, live broker gateways, the secrets master key,
// the database (migrated, seeded) and the domain services built over them.
import { type Config, ConfigError } from "../config.ts";
import { type Database, type DatabaseOptions, openDatabase } from "../db/client.ts";
import { runDataMigrations } from "../db/data-migrations.ts";
import { applyMigrations } from "../db/migrate.ts";
import { seedReferenceData } from "../db/seed.ts";
import { createServices, type Services } from "../domain/services.ts";
import type { StrategyRegistry } from "../domain/strategies/instance-types.ts";
import type { CredentialProbe } from "../brokers/types.ts";
import type { Clock } from "../lib/clock.ts";
import { MasterKeyError, loadMasterKey } from "../lib/secrets/master-key.ts";
import type { Logger } from "../logger.ts";
import { UnknownExchangeError, apiUrlFor, ccxtExchangeIds } from "../market/ccxt/client.ts";
import { type LiveTradingSettings, liveGatewayFactories } from "../brokers/ccxt/live-gateways.ts";
import { CcxtCredentialProbe } from "../brokers/ccxt/credential-probe.ts";
import { createMarketData } from "../market/source.ts";
import type { MarketData } from "../market/types.ts";
import { opsSettings } from "../ops-config.ts";

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

export async function marketFromConfig(
  config: Config,
  clock: Clock,
  logger: Logger,
): Promise<MarketData> {
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
export function readMasterKey(config: Config, logger: Logger) {
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

/** The database, migrated (unless `migrate` is false) and with its reference data seeded. */
export async function openAppDatabase(
  config: Config,
  logger: Logger,
  migrate: boolean,
  options: DatabaseOptions = {},
  /** an already opened client on config.DATABASE_URL (AppOverrides.database); options then unused */
  opened?: Database,
): Promise<Database> {
  if (migrate) await applyMigrations(config.DATABASE_URL);
  const database = opened ?? openDatabase(config.DATABASE_URL, options);
  const dataMigrations = await runDataMigrations(database);
  if (dataMigrations.length) logger.info({ dataMigrations }, "data migrations applied");
  await seedReferenceData(database.prisma);
  return database;
}

export interface ServiceSources {
  config: Config;
  database: Database;
  market: MarketData;
  clock: Clock;
  logger: Logger;
  masterKey: ReturnType<typeof readMasterKey>;
  credentialProbe?: CredentialProbe;
  strategyRegistry?: StrategyRegistry;
}

/** The domain services over the database, market data and (when configured) live gateways. */
export async function buildServices(sources: ServiceSources): Promise<Services> {
  const { config, database, market, clock, logger, masterKey } = sources;
  if (!masterKey) logger.info("no secrets master key: live accounts' API keys cannot be stored");
  const live = await liveTradingFromConfig(config, database, clock);
  if (live) logger.info({ brokers: Object.keys(live.gateways) }, "live trading enabled");
  const credentialProbe = sources.credentialProbe ?? live?.probe;
  return createServices(database, {
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
    // long polling admits one instance per bot (app.ts refuses a second): nobody else writes
    cacheReads: config.BOT_MODE === "polling",
    ...(sources.strategyRegistry ? { strategyRegistry: sources.strategyRegistry } : {}),
    backtests: {
      concurrency: config.BACKTEST_CONCURRENCY,
      timeoutMs: config.BACKTEST_TIMEOUT_SECONDS * 1000,
      idleMs: config.BACKTEST_IDLE_SECONDS * 1000,
      cacheDir: config.CANDLE_CACHE_DIR,
    },
  });
}
