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
import type { Prisma } from "../../db/generated/sqlite/client.ts";
import { type Decimal, ZERO, fromDb } from "../../lib/decimal.ts";
import { startOfDay } from "../../lib/time.ts";
import { type Interval, type MarketData, alignDown, intervalMs } from "../../market/types.ts";
import type { StrategyFill, StrategyPosition } from "../../strategies/types.ts";
import type { DomainContext } from "../context.ts";
import { ConflictError, isDomainError } from "../errors.ts";
import type { InstrumentService } from "../instruments/instrument-service.ts";
import type { NotificationService } from "../notifications/notification-service.ts";
import type { PortfolioService, PortfolioView } from "../portfolios/portfolio-service.ts";
import { SILENT_LOGGER, type SyncLogger } from "../trading/account-sync.ts";
import type { TradingService } from "../trading/trading-service.ts";
import { type Actor, toActor } from "../users/actor.ts";
import { strategyClientOrderId } from "./client-order-id.ts";
import {
  type IntentReport,
  MAX_CONSECUTIVE_ERRORS,
  type StrategyNotice,
  type StrategyNotifier,
  type StrategyRegistry,
} from "./instance-types.ts";
import { intentOrder, intentSide } from "./intent-orders.ts";
import { type RunnableStrategy, runnableStrategy } from "./stored-params.ts";
import { type StrategyMetrics, advanceRun } from "./strategy-metrics.ts";
import { symbolsOf } from "./strategy-instance-service.ts";

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

/** Daily summaries go out during the first hours of the owner's day (then no more retries). */
const SUMMARY_WINDOW_MS = 6 * 3600_000;
const MAX_ERROR_CHARS = 500;

const instanceInclude = {
  strategy: { select: { id: true, name: true, version: true, params: true } },
  user: true,
  states: true,
} satisfies Prisma.StrategyInstanceInclude;

type InstanceRow = Prisma.StrategyInstanceGetPayload<{ include: typeof instanceInclude }>;

interface Evaluation {
  row: InstanceRow;
  actor: Actor;
  portfolio: PortfolioView;
  runnable: RunnableStrategy;
  timeframe: Interval;
  now: Date;
}

export class StrategyRuntime {
  private notifier: StrategyNotifier | null = null;
  private readonly logger: SyncLogger;

  constructor(private readonly deps: StrategyRuntimeDeps) {
    this.logger = deps.logger ?? SILENT_LOGGER;
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
    const ids = await this.db.strategyInstance.findMany({
      where: { status: "RUNNING", user: { isActive: true } },
      select: { id: true },
      orderBy: { id: "asc" },
    });
    for (const { id } of ids) {
      // let the bot in between two instances: on SQLite every query resolves without waiting on
      // I/O, so a cycle that never yields holds the event loop (and every command) to its end
      await new Promise<void>((resolve) => setImmediate(resolve));
      summary.instances++;
      const result = await this.evaluate(id).catch((err: unknown) => {
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
    summary.summaries = await this.dailySummaries().catch((err: unknown) => {
      this.logger.error({ err }, "strategy daily summaries failed");
      return 0;
    });
    return summary;
  }

  /**
   * Evaluates one instance on the latest closed candle of each symbol not evaluated yet. Errors
   * are counted (and pause the instance at the limit), never thrown.
   */
  async evaluate(instanceId: number): Promise<InstanceResult> {
    const result: InstanceResult = {
      instanceId,
      evaluated: 0,
      orders: 0,
      error: null,
      paused: false,
    };
    const row = await this.db.strategyInstance.findUnique({
      where: { id: instanceId },
      include: instanceInclude,
    });
    if (!row || row.status !== "RUNNING") return result;
    let failure: unknown = null;
    try {
      const actor = toActor(row.user);
      const ev: Evaluation = {
        row,
        actor,
        portfolio: await this.deps.portfolios.getLivePortfolio(actor, row.portfolioId),
        runnable: runnableStrategy(this.deps.registry, row.strategy.params),
        timeframe: "1m",
        now: this.deps.ctx.clock.now(),
      };
      ev.timeframe = ev.runnable.definition.timeframe(ev.runnable.params) as Interval;
      for (const symbol of symbolsOf(row.symbols)) {
        try {
          const placed = await this.evaluateSymbol(ev, symbol);
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
      if (result.evaluated > 0) await this.updateRun(ev);
    } catch (e) {
      failure = e;
      this.logger.warn({ err: e, instanceId }, "strategy instance could not be evaluated");
    }
    if (failure !== null) {
      result.error = errorText(failure);
      result.paused = await this.recordError(row, result.error);
    } else if (row.consecutiveErrors > 0 && result.evaluated > 0) {
      await this.db.strategyInstance.update({
        where: { id: row.id },
        data: { consecutiveErrors: 0, lastError: null },
      });
    }
    return result;
  }

  /** Orders placed for the symbol's new closed candle, or null when there was none to evaluate. */
  private async evaluateSymbol(ev: Evaluation, symbol: string): Promise<number | null> {
    const { row, runnable, timeframe, now } = ev;
    const { definition, params } = runnable;
    const stateRow = row.states.find((s) => s.symbol === symbol) ?? null;
    // the last candle that has closed by now, known without asking the market
    const step = intervalMs(timeframe);
    const lastOpen = alignDown(now.getTime(), timeframe) - step;
    if (stateRow?.lastCandleAt && stateRow.lastCandleAt.getTime() >= lastOpen) return null;
    if (lastOpen + step <= row.startedAt.getTime()) return null;
    const lookback = Math.max(1, Math.floor(definition.lookback(params)));
    const candles = await this.deps.market.candles(symbol, timeframe, {
      to: now,
      limit: lookback + 1,
    });
    const closed = candles.filter((c) => c.closeTime.getTime() < now.getTime()).slice(-lookback);
    const candle = closed.at(-1);
    if (!candle) return null;
    if (stateRow?.lastCandleAt && stateRow.lastCandleAt.getTime() >= candle.openTime.getTime())
      return null;
    if (candle.closeTime.getTime() < row.startedAt.getTime()) return null;

    const instrument = await this.deps.instruments.resolve(symbol);
    const position = await this.strategyPosition(row.portfolioId, instrument.id, row.strategyId);
    const { cash, equity } = await this.deps.metrics.cashAndEquity(
      ev.portfolio,
      instrument.currency,
    );
    const decision = definition.onCandle({
      symbol,
      timeframe,
      candles: closed,
      position,
      cash,
      equity,
      timeZone: ev.actor.timeZone,
      params,
      state: stateRow ? stateRow.state : definition.initialState(params),
    });
    let state: unknown = decision.state;
    const reports: IntentReport[] = [];
    let placed = 0;
    let successful = 0;
    for (const intent of decision.intents) {
      const clientOrderId = strategyClientOrderId(row.id, symbol, candle.openTime, intent.id);
      const side = intentSide(intent, position);
      const report: IntentReport = {
        intentId: intent.id,
        action: intent.action,
        reason: intent.reason,
        side,
        outcome: { kind: "nothing" },
      };
      reports.push(report);
      const existing = await this.db.order.findUnique({
        where: { clientOrderId },
        select: { id: true, side: true },
      });
      if (existing) {
        report.outcome = { kind: "already-placed", orderId: existing.id };
        state = await this.applyFills(runnable, state, intent.id, existing.id, existing.side);
        continue;
      }
      try {
        const request = await intentOrder(this.deps.trading, intent, {
          actor: ev.actor,
          portfolioId: row.portfolioId,
          symbol: instrument.symbol,
          lotSize: instrument.rules.lotSize,
          position,
          equity,
          strategyId: row.strategyId,
          clientOrderId,
        });
        if (!request) continue;
        const res = await this.deps.trading.place(ev.actor, request);
        placed++;
        if (res.order.status !== "REJECTED") successful++;
        report.outcome = {
          kind: "placed",
          orderId: res.order.id,
          status: res.order.status,
          quantity: res.order.quantity,
          filled: res.order.filledQuantity,
        };
        // later intents of the same candle see the position this order left
        const signed =
          request.side === "BUY" ? res.order.filledQuantity : res.order.filledQuantity.neg();
        position.quantity = position.quantity.plus(signed);
        state = await this.applyFills(runnable, state, intent.id, res.order.id, request.side);
      } catch (e) {
        if (e instanceof ConflictError && e.params.field === "clientOrderId") {
          // placed by a concurrent evaluation of the same candle
          const twin = await this.db.order.findUnique({ where: { clientOrderId } });
          if (twin) report.outcome = { kind: "already-placed", orderId: twin.id };
          continue;
        }
        if (!isDomainError(e)) throw e;
        report.outcome = { kind: "refused", key: e.key, params: e.params };
      }
    }
    await this.saveOutcome(ev, symbol, candle.openTime, state, reports, placed, successful);
    return placed;
  }

  /** The state, the candle, the last signal, the run's order counts and the notice: together. */
  private async saveOutcome(
    ev: Evaluation,
    symbol: string,
    candleOpenTime: Date,
    state: unknown,
    reports: IntentReport[],
    placed: number,
    successful: number,
  ): Promise<void> {
    const { row, now } = ev;
    const json = (state ?? null) as Prisma.InputJsonValue;
    const last = reports.at(-1);
    await this.db.$transaction(async (tx) => {
      await tx.strategySymbolState.upsert({
        where: { instanceId_symbol: { instanceId: row.id, symbol } },
        create: { instanceId: row.id, symbol, state: json, lastCandleAt: candleOpenTime },
        update: { state: json, lastCandleAt: candleOpenTime },
      });
      if (last) {
        await tx.strategyInstance.update({
          where: { id: row.id },
          data: { lastSignal: `${last.action} ${symbol} ${last.reason}`, lastSignalAt: now },
        });
      }
      if (placed) {
        await tx.strategyRun.updateMany({
          where: { instanceId: row.id, status: "RUNNING" },
          data: { orders: { increment: placed }, successfulOrders: { increment: successful } },
        });
      }
      if (reports.length) {
        const refused = reports.some((r) => r.outcome.kind === "refused");
        await this.notify(tx, row, {
          kind: "signals",
          severity: refused ? "WARNING" : "INFO",
          dedupeKey: `strategy-signal:${row.id}:${symbol}:${candleOpenTime.getTime()}`,
          symbol,
          candleOpenTime,
          intents: reports,
        });
      }
    });
  }

  /** Counts an error; at the limit the instance is paused. True when this error paused it. */
  private async recordError(row: InstanceRow, message: string): Promise<boolean> {
    const now = this.deps.ctx.clock.now();
    return this.db.$transaction(async (tx) => {
      const updated = await tx.strategyInstance.update({
        where: { id: row.id },
        data: { consecutiveErrors: { increment: 1 }, lastError: message },
      });
      const paused =
        updated.status === "RUNNING" && updated.consecutiveErrors >= MAX_CONSECUTIVE_ERRORS;
      if (paused) {
        await tx.strategyInstance.update({
          where: { id: row.id },
          data: { status: "PAUSED", pausedAt: now },
        });
      }
      // the first error and the pause are told; the ones between would only repeat the first
      if (paused || updated.consecutiveErrors === 1) {
        await this.notify(tx, row, {
          kind: "error",
          severity: paused ? "ERROR" : "WARNING",
          dedupeKey: `strategy-error:${row.id}:${now.getTime()}`,
          message,
          consecutiveErrors: updated.consecutiveErrors,
          paused,
        });
      }
      return paused;
    });
  }

  private async updateRun(ev: Evaluation): Promise<void> {
    const run = await this.db.strategyRun.findFirst({
      where: { instanceId: ev.row.id, status: "RUNNING" },
      orderBy: { id: "desc" },
    });
    if (!run) return;
    const [equity, net] = await Promise.all([
      this.deps.metrics.equity(ev.portfolio),
      this.deps.metrics.strategyNet(this.db, ev.portfolio.id, ev.row.strategyId),
    ]);
    await this.db.strategyRun.update({
      where: { id: run.id },
      data: advanceRun(run, equity, net),
    });
  }

  /** Tells the strategy (onFill) about each fill of its order, in order. */
  private async applyFills(
    runnable: RunnableStrategy,
    state: unknown,
    intentId: string,
    orderId: number,
    side: "BUY" | "SELL",
  ): Promise<unknown> {
    const onFill = runnable.definition.onFill;
    if (!onFill) return state;
    const trades = await this.db.trade.findMany({ where: { orderId }, orderBy: { id: "asc" } });
    let next = state;
    for (const t of trades) {
      const fill: StrategyFill = {
        intentId,
        side,
        quantity: fromDb(t.quantity),
        price: fromDb(t.price),
        time: t.execTime,
      };
      next = onFill(runnable.params, next, fill);
    }
    return next;
  }

  private async strategyPosition(
    portfolioId: number,
    instrumentId: number,
    strategyId: number,
  ): Promise<StrategyPosition> {
    const row = await this.db.position.findFirst({
      where: { portfolioId, instrumentId, strategyId },
      select: { quantity: true, avgPrice: true },
    });
    const quantity = row ? fromDb(row.quantity) : ZERO;
    return {
      quantity,
      averagePrice: row && !quantity.isZero() ? fromDb(row.avgPrice) : null,
    };
  }

  /**
   * Yesterday's summary of every live instance that ran then, once per instance and day (the
   * dedupe key), during the first hours of the owner's day. Returns how many were written.
   */
  private async dailySummaries(): Promise<number> {
    if (!this.notifier) return 0;
    const now = this.deps.ctx.clock.now();
    const rows = await this.db.strategyInstance.findMany({
      where: { status: { not: "STOPPED" }, user: { isActive: true } },
      include: instanceInclude,
    });
    let sent = 0;
    for (const row of rows) {
      const zone = row.user.timeZone;
      const today = startOfDay(now, zone);
      if (now.getTime() - today.getTime() > SUMMARY_WINDOW_MS) continue;
      if (row.startedAt.getTime() >= today.getTime()) continue;
      const day = startOfDay(new Date(today.getTime() - 1), zone);
      const dedupeKey = `strategy-daily:${row.id}:${day.toISOString()}`;
      if (await this.db.notificationOutbox.count({ where: { dedupeKey } })) continue;
      const versions = await this.db.strategy.findMany({
        where: { userId: row.userId },
        select: { id: true, name: true },
      });
      const ids = versions
        .filter((v) => v.name.toLowerCase() === row.strategy.name.toLowerCase())
        .map((v) => v.id);
      const range = { gte: day, lt: today };
      const [orders, fills, run, portfolio] = await Promise.all([
        this.db.order.count({
          where: { portfolioId: row.portfolioId, strategyId: { in: ids }, placedAt: range },
        }),
        this.db.trade.count({
          where: { portfolioId: row.portfolioId, strategyId: { in: ids }, execTime: range },
        }),
        this.db.strategyRun.findFirst({
          where: { instanceId: row.id, status: "RUNNING" },
          orderBy: { id: "desc" },
        }),
        this.db.portfolio.findUniqueOrThrow({
          where: { id: row.portfolioId },
          select: { account: { select: { baseCurrency: true } } },
        }),
      ]);
      const pnl: Decimal = run ? fromDb(run.pnl) : ZERO;
      await this.db.$transaction((tx) =>
        this.notify(tx, row, {
          kind: "daily",
          severity: "INFO",
          dedupeKey,
          day,
          orders,
          fills,
          pnlSinceStart: pnl,
          currency: portfolio.account.baseCurrency,
        }),
      );
      sent++;
    }
    return sent;
  }

  private async notify(
    tx: Prisma.TransactionClient,
    row: InstanceRow,
    notice: DistributiveOmit<StrategyNotice, "userId" | "recipient" | "instance">,
  ): Promise<void> {
    if (!this.notifier) return;
    const portfolio = await tx.portfolio.findUnique({
      where: { id: row.portfolioId },
      select: { name: true },
    });
    const full = {
      ...notice,
      userId: row.userId,
      recipient: {
        language: row.user.language,
        telegramLanguage: row.user.telegramLanguage,
        timeZone: row.user.timeZone,
      },
      instance: {
        id: row.id,
        strategyName: row.strategy.name,
        version: row.strategy.version,
        portfolioName: portfolio?.name ?? "",
      },
    } as StrategyNotice;
    const message = this.notifier.render(full);
    await this.deps.notifications.enqueue(tx, {
      userId: row.userId,
      type: full.kind === "daily" ? "REPORT" : "STRATEGY_SIGNAL",
      severity: full.severity,
      title: message.title,
      message: message.message,
      format: message.format,
      dedupeKey: full.dedupeKey,
    });
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

function errorText(e: unknown): string {
  const text = isDomainError(e)
    ? `${e.key} ${JSON.stringify(e.params)}`
    : e instanceof Error
      ? e.message
      : String(e);
  return text.length > MAX_ERROR_CHARS ? `${text.slice(0, MAX_ERROR_CHARS - 1)}…` : text;
}
