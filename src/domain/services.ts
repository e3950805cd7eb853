// Builds the domain services from a database, a clock and the outside dependencies (market data,
// broker settings). The bot, the jobs, the scripts and the tests all get their services here. The
// services on the order path come from createCoreServices (core-services.ts); the features on
// top of them are built here.
import type { GatewayRegistry } from "../brokers/gateway-registry.ts";
import type { Database } from "../db/client.ts";
import { type Clock, systemClock } from "../lib/clock.ts";
import { type OpsSettings, defaultOpsSettings } from "../ops-config.ts";
import { AlertService } from "./alerts/alert-service.ts";
import { BackupService } from "./backups/backup-service.ts";
import { BacktestService } from "./backtests/backtest-service.ts";
import { BacktestPool, type PoolOptions } from "../strategies/backtest/worker-pool.ts";
import { CheckpointService } from "./pnl/checkpoint-service.ts";
import { MaintenanceService } from "./maintenance/maintenance-service.ts";
import { RetentionService } from "./maintenance/retention-service.ts";
import type { CashService } from "./cash/cash-service.ts";
import { HoldingsCheckService } from "./funds/holdings-check-service.ts";
import type { CredentialService } from "./credentials/credential-service.ts";
import { LiveAccountService } from "./credentials/live-accounts.ts";
import { CandleCache } from "./indicators/candle-cache.ts";
import { ScreenerService } from "./screeners/screener-service.ts";
import type { DomainContext } from "./context.ts";
import { type CoreServiceDeps, createCoreServices } from "./core-services.ts";
import type { InstrumentService } from "./instruments/instrument-service.ts";
import { QuoteViews } from "./instruments/quote-views.ts";
import { ChatService } from "./notifications/chat-service.ts";
import type { NotificationService } from "./notifications/notification-service.ts";
import { OutboxAdminService } from "./notifications/outbox-admin-service.ts";
import type { OrderService } from "./orders/order-service.ts";
import type { PnlService } from "./pnl/pnl-service.ts";
import { EntryPauseService } from "./portfolios/entry-pause.ts";
import { PortfolioCloseout } from "./portfolios/portfolio-closeout.ts";
import type { PortfolioService } from "./portfolios/portfolio-service.ts";
import type { PositionService } from "./positions/position-service.ts";
import { ReportService } from "./reports/report-service.ts";
import { ExportService } from "./exports/export-service.ts";
import { TradeStatsService } from "./trade-stats/trade-stats-service.ts";
import type { RiskPolicyService } from "./risk/risk-policy-service.ts";
import type { RiskDecision, RiskService } from "./risk/risk-service.ts";
import { RiskWatchService } from "./risk/risk-watch-service.ts";
import { ScheduleRunner } from "./schedules/schedule-runner.ts";
import { ScheduleService } from "./schedules/schedule-service.ts";
import { StrategyService } from "./strategies/strategy-service.ts";
import type { StrategyRegistry } from "./strategies/instance-types.ts";
import { StrategyInstanceService } from "./strategies/strategy-instance-service.ts";
import { StrategyMetrics } from "./strategies/strategy-metrics.ts";
import { StrategyRuntime } from "./strategies/strategy-runtime.ts";
import { strategyDefinition } from "../strategies/registry.ts";
import type { AccountSynchronizer } from "./trading/account-sync.ts";
import type { TradingService } from "./trading/trading-service.ts";
import type { TradeService } from "./trades/trade-service.ts";
import { type UserOptions, UserService } from "./users/user-service.ts";

export interface ServiceDeps extends CoreServiceDeps {
  users: UserOptions;
  clock?: Clock;
  /** backups, database maintenance, data retention (defaults when not given) */
  ops?: OpsSettings;
  /** the strategy kinds that can run (src/strategies/registry.ts when not given; tests add their own) */
  strategyRegistry?: StrategyRegistry;
  /** /backtest: worker threads at once, run time limit, idle thread wait, candle cache folder */
  backtests?: PoolOptions & { cacheDir?: string; preload?: string[] };
  /**
   * true when this process is the database's only writer (one bot instance, long polling): the
   * reads every update makes are then kept between updates (DomainContext.writes)
   */
  cacheReads?: boolean;
}

export interface Services {
  /** the database and clock: for the composition root (app.ts), jobs and tests, never the bot */
  ctx: DomainContext;
  /** what time the domain thinks it is (a test clock in tests) */
  clock: Clock;
  users: UserService;
  instruments: InstrumentService;
  /** /price and /quote figures */
  quotes: QuoteViews;
  portfolios: PortfolioService;
  /** cancel a portfolio's open orders, close its positions at market (before deleting it) */
  closeout: PortfolioCloseout;
  /** /pause and /resume: stop new entries on a portfolio while exits still work */
  entryPause: EntryPauseService;
  orders: OrderService;
  positions: PositionService;
  trades: TradeService;
  cash: CashService;
  /** a live account's fills against the exchange's balances, per asset (/positions) */
  holdingsCheck: HoldingsCheckService;
  pnl: PnlService;
  strategies: StrategyService;
  /** /run, /stop, /running: strategy versions running on portfolios */
  strategyInstances: StrategyInstanceService;
  /** evaluates running strategies per closed candle (the strategy-runner job) */
  strategyRuntime: StrategyRuntime;
  gateways: GatewayRegistry;
  sync: AccountSynchronizer;
  trading: TradingService<RiskDecision>;
  notifications: NotificationService;
  chats: ChatService;
  outbox: OutboxAdminService;
  schedules: ScheduleService;
  /** fires the due schedules, each due time once: the schedule-runner job's work */
  scheduleRunner: ScheduleRunner;
  reports: ReportService;
  /** closed trades, win rates, per-symbol PnL, period history (/profit, /stats, /daily …) */
  tradeStats: TradeStatsService;
  /** trades and orders as CSV (/export) */
  exports: ExportService;
  risk: RiskService;
  riskPolicies: RiskPolicyService;
  /** standing breaches (daily loss, exposure) of open positions: the risk-watch job's work */
  riskWatch: RiskWatchService;
  candles: CandleCache;
  alerts: AlertService;
  screeners: ScreenerService;
  /** live accounts' exchange API keys, encrypted under the master key */
  credentials: CredentialService;
  /** /newaccount for an exchange: key checked, account and sealed key stored together */
  liveAccounts: LiveAccountService;
  backups: BackupService;
  /** /backtest: strategies over historical candles, in worker threads */
  backtests: BacktestService;
  maintenance: MaintenanceService;
  retention: RetentionService;
  /** daily PnL checkpoints of closed UTC days: the pnl-checkpoints job's work */
  checkpoints: CheckpointService;
}

export function createServices(database: Database, deps: ServiceDeps): Services {
  const ctx: DomainContext = {
    db: database.prisma,
    provider: database.provider,
    clock: deps.clock ?? systemClock,
    ...(deps.cacheReads && database.writes ? { writes: database.writes } : {}),
  };
  // the order path's services, returned as they are; the ones the features below need, by name
  const core = createCoreServices(ctx, deps);
  const {
    instruments,
    notifications,
    portfolios,
    positions,
    credentials,
    gateways,
    pnl,
    riskPolicies,
    cash,
    risk,
    trading,
  } = core;
  const candles = new CandleCache(deps.market, ctx.clock);
  const screeners = new ScreenerService(ctx, { instruments, market: deps.market, candles });
  const schedules = new ScheduleService(ctx, portfolios, screeners);
  const ops = deps.ops ?? defaultOpsSettings();
  const strategies = new StrategyService(ctx);
  const backtestSettings = deps.backtests ?? { concurrency: 2, timeoutMs: 10 * 60_000 };
  const backtests = new BacktestService(ctx, {
    strategies,
    market: deps.market,
    pool: new BacktestPool(backtestSettings),
    ...(backtestSettings.cacheDir ? { cacheDir: backtestSettings.cacheDir } : {}),
    ...(backtestSettings.preload ? { preload: backtestSettings.preload } : {}),
    ...(deps.paperBroker ? { paper: deps.paperBroker } : {}),
  });
  const strategyRegistry = deps.strategyRegistry ?? strategyDefinition;
  const strategyMetrics = new StrategyMetrics({ cash, positions, prices: deps.prices });
  return {
    ...core,
    ctx,
    clock: ctx.clock,
    users: new UserService(ctx, deps.users),
    quotes: new QuoteViews(instruments, deps.market),
    closeout: new PortfolioCloseout({ ctx, portfolios, trading, market: deps.market }),
    entryPause: new EntryPauseService(ctx, portfolios),
    holdingsCheck: new HoldingsCheckService(ctx, { portfolios, gateways }),
    strategies,
    backtests,
    strategyInstances: new StrategyInstanceService({
      ctx,
      portfolios,
      instruments,
      metrics: strategyMetrics,
      registry: strategyRegistry,
    }),
    strategyRuntime: new StrategyRuntime({
      ctx,
      trading,
      portfolios,
      instruments,
      market: deps.market,
      metrics: strategyMetrics,
      notifications,
      registry: strategyRegistry,
      ...(deps.logger ? { logger: deps.logger } : {}),
    }),
    chats: new ChatService(ctx),
    outbox: new OutboxAdminService(ctx),
    schedules,
    scheduleRunner: new ScheduleRunner({
      ctx,
      schedules,
      notifications,
      ...(deps.logger ? { logger: deps.logger } : {}),
    }),
    reports: new ReportService(ctx, {
      portfolios,
      pnl,
      history: deps.market,
      marks: deps.prices,
      screeners,
      // a live portfolio's cash and equity are the exchange's, as /balance shows them
      funds: cash.funds,
    }),
    tradeStats: new TradeStatsService(ctx, {
      portfolios,
      pnl,
      history: deps.market,
      marks: deps.prices,
    }),
    exports: new ExportService(ctx, portfolios),
    riskWatch: new RiskWatchService({
      ctx,
      portfolios,
      positions,
      instruments,
      policies: riskPolicies,
      snapshots: risk.snapshots,
      trading,
      notifications,
      ...(deps.logger ? { logger: deps.logger } : {}),
    }),
    candles,
    screeners,
    liveAccounts: new LiveAccountService(ctx, { portfolios, credentials }),
    alerts: new AlertService(ctx, {
      instruments,
      portfolios,
      positions,
      notifications,
      market: deps.market,
      candles,
      risk,
    }),
    backups: new BackupService(
      ctx,
      { url: database.url, ...ops.backups },
      notifications,
      deps.logger,
    ),
    maintenance: new MaintenanceService(
      ctx,
      { url: database.url, ...ops.maintenance },
      deps.logger,
    ),
    retention: new RetentionService(ctx, ops.retention, deps.logger),
    checkpoints: new CheckpointService(ctx, deps.prices),
  };
}
