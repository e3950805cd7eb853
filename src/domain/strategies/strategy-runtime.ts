// The strategy runtime: evaluates each running instance once per CLOSED candle of its timeframe
// for each of its symbols, and turns what the strategy answers into orders through
// TradingService.place — the path every manual order takes (normalization, pre-trade risk at
// user, portfolio and strategy scope, broker, fills) — tagged with the strategy version.
//
// Exactly once per candle: an intent's order gets a clientOrderId derived from (instance, symbol,
// candle open time, intent id). The state the strategy returned and the candle's open time are
// saved after its orders, with the notification, in one transaction; a crash in between makes
// the next cycle evaluate the same candle again (the strategy is deterministic), find the order
// already there and place nothing twice.
//
// Downtime: only the latest closed candle is evaluated, never the ones missed while down (hours
// of stale signals would be worse than none). Candles that closed before the instance started
// are not evaluated.
//
// Error boundary: each instance is evaluated on its own; one that throws (its strategy, its data)
// counts an error, and after MAX_CONSECUTIVE_ERRORS in a row it is paused and its owner told.
// Orders the pre-trade check or the trading rules refuse are not errors: they are reported.
import type { Interval, MarketData } from "../../market/types.ts";
import type { DomainContext } from "../context.ts";
import { isDomainError } from "../errors.ts";
import type { InstrumentService } from "../instruments/instrument-service.ts";
import type { NotificationService } from "../notifications/notification-service.ts";
import type { PortfolioService, PortfolioView } from "../portfolios/portfolio-service.ts";
import { SILENT_LOGGER, type SyncLogger } from "../trading/account-sync.ts";
import type { TradingService } from "../trading/trading-service.ts";
import { toActor } from "../users/actor.ts";
import { CycleCache } from "./cycle-cache.ts";
import { sendDailySummaries } from "./daily-summaries.ts";
import type { StrategyNotifier, StrategyRegistry } from "./instance-types.ts";
import { RuntimeRecords } from "./runtime-records.ts";
import { type EvaluatedRow, type Evaluation, evaluatedInclude } from "./runtime-rows.ts";
import { runnableStrategy } from "./stored-params.ts";
import type { StrategyMetrics } from "./strategy-metrics.ts";
import { symbolsOf } from "./strategy-instance-service.ts";
import { type SymbolEvaluationDeps, evaluateSymbol } from "./symbol-evaluation.ts";

export interface StrategyRuntimeDeps {
  ctx: DomainContext;
  trading: TradingService;
  portfolios: PortfolioService;
  instruments: InstrumentService;
  market: Pick<MarketData, "candles" | "reachable">;
  metrics: StrategyMetrics;
  notifications: NotificationService;
  registry: StrategyRegistry;
  logger?: SyncLogger;
}

export interface InstanceResult {
  instanceId: number;
  /** symbols evaluated on a new closed candle */
  evaluated: number;
  /** orders placed */
  orders: number;
  error: string | null;
  /** this evaluation's error paused the instance */
  paused: boolean;
}

export interface CycleSummary {
  instances: number;
  evaluated: number;
  orders: number;
  errors: number;
  paused: number;
  summaries: number;
  marketDown?: boolean;
}

const MAX_ERROR_CHARS = 500;

export class StrategyRuntime {
  private notifier: StrategyNotifier | null = null;
  private readonly logger: SyncLogger;
  private readonly records: RuntimeRecords;

  constructor(private readonly deps: StrategyRuntimeDeps) {
    this.logger = deps.logger ?? SILENT_LOGGER;
    this.records = new RuntimeRecords({
      ctx: deps.ctx,
      metrics: deps.metrics,
      notifications: deps.notifications,
      notifier: () => this.notifier,
    });
  }

  /** Who words the notices (the bot, in each owner's language); none: nothing is notified. */
  useNotifier(notifier: StrategyNotifier): void {
    this.notifier = notifier;
  }

  private get db() {
    return this.deps.ctx.db;
  }

  /**
   * One pass over every running instance of an active user, each in its own error boundary,
   * then the daily summaries that are due. Skipped while the market data source is unreachable.
   */
  async runCycle(): Promise<CycleSummary> {
    const summary: CycleSummary = {
      instances: 0,
      evaluated: 0,
      orders: 0,
      errors: 0,
      paused: 0,
      summaries: 0,
    };
    if (!(await this.deps.market.reachable())) return { ...summary, marketDown: true };
    // every instance with its strategy version, owner, symbol states and running run in one read
    // (a handful of statements, where one read per instance made five); each is checked
    // unchanged before its turn, as a user may pause or stop it while the cycle goes through the
    // others
    const rows = await this.db.strategyInstance.findMany({
      where: { status: "RUNNING", user: { isActive: true } },
      include: evaluatedInclude,
      orderBy: { id: "asc" },
    });
    // portfolio views and balances read once for the cycle (see CycleCache)
    const cache = new CycleCache();
    cache.plan(rows);
    cache.planPortfolios(() =>
      this.deps.portfolios.getLivePortfolios(
        rows.map((r) => ({ actor: toActor(r.user), portfolioId: r.portfolioId })),
      ),
    );
    for (const row of rows) {
      const id = row.id;
      // let the bot in between two instances: on SQLite every query resolves without waiting on
      // I/O, so a cycle that never yields holds the event loop (and every command) to its end
      await new Promise<void>((resolve) => setImmediate(resolve));
      summary.instances++;
      const result = await this.evaluateLoaded(row, cache).catch((err: unknown) => {
        // the boundary itself failed (the database?): logged, the other instances go on
        this.logger.error({ err, instanceId: id }, "strategy instance evaluation failed");
        return null;
      });
      if (!result) {
        summary.errors++;
        continue;
      }
      summary.evaluated += result.evaluated;
      summary.orders += result.orders;
      if (result.error) summary.errors++;
      if (result.paused) summary.paused++;
    }
    summary.summaries = await (
      this.notifier ? sendDailySummaries(this.deps.ctx, this.records) : Promise.resolve(0)
    ).catch((err: unknown) => {
      this.logger.error({ err }, "strategy daily summaries failed");
      return 0;
    });
    return summary;
  }

  /**
   * Evaluates one instance on the latest closed candle of each symbol not evaluated yet. Errors
   * are counted (and pause the instance at the limit), never thrown. `cache`: what the cycle
   * shares between its instances (alone, the instance's own).
   */
  async evaluate(instanceId: number, cache = new CycleCache()): Promise<InstanceResult> {
    const row = await this.db.strategyInstance.findUnique({
      where: { id: instanceId },
      include: evaluatedInclude,
    });
    if (!row || row.status !== "RUNNING") return emptyResult(instanceId);
    return this.evaluateRow(row, cache);
  }

  /**
   * evaluate() of a row the cycle read with the others: as it was read if it has not changed
   * since (its updatedAt), read anew if it has (paused, resumed, edited meanwhile).
   */
  private async evaluateLoaded(row: EvaluatedRow, cache: CycleCache): Promise<InstanceResult> {
    const now = await this.db.strategyInstance.findUnique({
      where: { id: row.id },
      select: { updatedAt: true },
    });
    if (!now) return emptyResult(row.id);
    if (now.updatedAt.getTime() !== row.updatedAt.getTime()) return this.evaluate(row.id, cache);
    return this.evaluateRow(row, cache);
  }

  private async evaluateRow(row: EvaluatedRow, cache: CycleCache): Promise<InstanceResult> {
    const instanceId = row.id;
    const result = emptyResult(instanceId);
    let failure: unknown = null;
    try {
      const actor = toActor(row.user);
      const ev: Evaluation = {
        row,
        actor,
        portfolio: await cache.portfolio(actor.id, row.portfolioId, () =>
          this.deps.portfolios.getLivePortfolio(actor, row.portfolioId),
        ),
        runnable: runnableStrategy(this.deps.registry, row.strategy.params),
        timeframe: "1m",
        now: this.deps.ctx.clock.now(),
        positions: null,
        pending: [],
      };
      ev.timeframe = ev.runnable.definition.timeframe(ev.runnable.params) as Interval;
      for (const symbol of symbolsOf(row.symbols)) {
        try {
          const placed = await evaluateSymbol(this.symbolDeps, ev, symbol, cache);
          if (placed !== null) {
            result.evaluated++;
            result.orders += placed;
          }
        } catch (e) {
          // the other symbols still get their turn; the instance counts one error
          failure ??= e;
          this.logger.warn({ err: e, instanceId, symbol }, "strategy evaluation failed");
        }
      }
      try {
        await this.records.saveStates(row.id, ev.pending);
      } catch (e) {
        // as when each was written alone: those candles count as not evaluated (the next cycle
        // evaluates them again), the instance one error
        result.evaluated -= ev.pending.length;
        failure ??= e;
        this.logger.warn({ err: e, instanceId }, "strategy states could not be saved");
      }
      if (result.evaluated > 0) {
        // the strategy's positions as the evaluation read them, unless an order may have moved
        // one since (then they are read again, through the cache: the portfolio's next instance
        // takes them from there)
        const book = await (
          ev.positions ?? this.records.strategyPositions(row.portfolioId, row.strategyId, cache)
        ).catch(() => null);
        await this.records.updateRun(
          ev,
          async () => {
            const balances = await this.balances(ev.portfolio, cache);
            const base = ev.portfolio.baseCurrency;
            return (await this.deps.metrics.cashAndEquityFrom(ev.portfolio, balances, base)).equity;
          },
          book?.read,
        );
      }
    } catch (e) {
      failure = e;
      this.logger.warn({ err: e, instanceId }, "strategy instance could not be evaluated");
    }
    if (failure !== null) {
      result.error = errorText(failure);
      result.paused = await this.records.recordError(row, result.error);
    } else if (row.consecutiveErrors > 0 && result.evaluated > 0) {
      await this.db.strategyInstance.update({
        where: { id: row.id },
        data: { consecutiveErrors: 0, lastError: null },
      });
    }
    return result;
  }

  private balances(portfolio: PortfolioView, cache: CycleCache) {
    return cache.balancesOf(portfolio.id, () => this.deps.metrics.balances(portfolio));
  }

  private get symbolDeps(): SymbolEvaluationDeps {
    return { ...this.deps, db: this.db, records: this.records };
  }
}

function emptyResult(instanceId: number): InstanceResult {
  return { instanceId, evaluated: 0, orders: 0, error: null, paused: false };
}

function errorText(e: unknown): string {
  const text = isDomainError(e)
    ? `${e.key} ${JSON.stringify(e.params)}`
    : e instanceof Error
      ? e.message
      : String(e);
  return text.length > MAX_ERROR_CHARS ? `${text.slice(0, MAX_ERROR_CHARS - 1)}…` : text;
}
