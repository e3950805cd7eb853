// What the strategy runtime writes and reads around an evaluation: the outcome of a candle (the
// state, the last signal, the run's order counts and the notice, in one transaction), the errors
// that pause an instance, the run's figures, the fills a strategy is told about, the strategy's
// own position, and the notices through the outbox (worded by the notifier, in the owner's
// language). Split from strategy-runtime.ts, which decides what to evaluate and places orders.
import { Prisma } from "../../db/client.ts";
import { type Decimal, type DecimalLike, ZERO, fromDb, toDb } from "../../lib/decimal.ts";
import type { StrategyFill } from "../../strategies/types.ts";
import type { DomainContext } from "../context.ts";
import type { NotificationService } from "../notifications/notification-service.ts";
import type { PositionView } from "../positions/position-service.ts";
import type { FillView } from "../trading/trading-types.ts";
import type { CycleCache } from "./cycle-cache.ts";
import {
  type IntentReport,
  MAX_CONSECUTIVE_ERRORS,
  type StrategyNotice,
  type StrategyNotifier,
} from "./instance-types.ts";
import type { Evaluation, InstanceRow, PendingState, StrategyBook } from "./runtime-rows.ts";
import type { RunnableStrategy } from "./stored-params.ts";
import { type StrategyMetrics, advanceRun } from "./strategy-metrics.ts";

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export type InstanceNotice = DistributiveOmit<StrategyNotice, "userId" | "recipient" | "instance">;

export interface RuntimeRecordsDeps {
  ctx: DomainContext;
  metrics: StrategyMetrics;
  notifications: NotificationService;
  /** who words the notices; null: nothing is notified */
  notifier: () => StrategyNotifier | null;
}

export class RuntimeRecords {
  constructor(private readonly deps: RuntimeRecordsDeps) {}

  private get db() {
    return this.deps.ctx.db;
  }

  /** The state, the candle, the last signal, the run's order counts and the notice: together. */
  async saveOutcome(
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
    const saveState = {
      where: { instanceId_symbol: { instanceId: row.id, symbol } },
      create: { instanceId: row.id, symbol, state: json, lastCandleAt: candleOpenTime },
      update: { state: json, lastCandleAt: candleOpenTime },
    } satisfies Prisma.StrategySymbolStateUpsertArgs;
    if (!last && !placed) {
      // no intent, so nothing to write with the state: one statement is atomic on its own, and
      // most candles end here (a transaction would only add its BEGIN and COMMIT)
      await this.db.strategySymbolState.upsert(saveState);
      return;
    }
    await this.db.$transaction(async (tx) => {
      await tx.strategySymbolState.upsert(saveState);
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

  /**
   * The states of an instance's symbols whose candle asked for no order (`state` never
   * undefined), in one statement: what saveOutcome writes for each of them alone. Held until the
   * instance's symbols are all evaluated; a crash before makes the next cycle evaluate those
   * candles again, which gives the same state and, with no intent, places nothing.
   */
  async saveStates(instanceId: number, states: readonly PendingState[]): Promise<void> {
    if (!states.length) return;
    if (states.length === 1) {
      const { symbol, candleOpenTime, state } = states[0]!;
      const json = (state ?? null) as Prisma.InputJsonValue;
      await this.db.strategySymbolState.upsert({
        where: { instanceId_symbol: { instanceId, symbol } },
        create: { instanceId, symbol, state: json, lastCandleAt: candleOpenTime },
        update: { state: json, lastCandleAt: candleOpenTime },
      });
      return;
    }
    // raw: the ORM has no upsert of several rows. The JSON as text (SQLite stores it so; PostgreSQL
    // casts it to jsonb), and updatedAt the wall time, as @updatedAt sets it
    const updatedAt = new Date();
    const postgres = this.deps.ctx.provider === "postgres";
    const rows = states.map(({ symbol, candleOpenTime, state }) => {
      const json = JSON.stringify(state);
      return Prisma.sql`(${instanceId}, ${symbol}, ${postgres ? Prisma.sql`${json}::jsonb` : json}, ${candleOpenTime}, ${updatedAt})`;
    });
    await this.db.$executeRaw`
      INSERT INTO strategy_symbol_states ("instanceId", symbol, state, "lastCandleAt", "updatedAt")
      VALUES ${Prisma.join(rows)}
      ON CONFLICT ("instanceId", symbol) DO UPDATE SET state = excluded.state,
        "lastCandleAt" = excluded."lastCandleAt", "updatedAt" = excluded."updatedAt"`;
  }

  /** Counts an error; at the limit the instance is paused. True when this error paused it. */
  async recordError(row: InstanceRow, message: string): Promise<boolean> {
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

  /**
   * The run's peak, drawdown, PnL and capital after this evaluation (`equity`: the portfolio's).
   * The run is the one read with the instance (EvaluatedRow): only this runtime moves its peak
   * and drawdown, and an instance stopped or switched since was read again (its updatedAt); it
   * is written only while still RUNNING. `positions`: the strategy's positions as the
   * evaluation read them, when no order of it may have moved one since; absent, read here.
   */
  async updateRun(
    ev: Evaluation,
    equity: () => Promise<Decimal>,
    positions?: readonly PositionView[],
  ): Promise<void> {
    const run = ev.row.runs[0];
    if (!run) return;
    const [value, net] = await Promise.all([
      equity(),
      this.deps.metrics.strategyNet(this.db, ev.portfolio.id, ev.row.strategyId, positions),
    ]);
    const figures = advanceRun(run, value, net);
    // unchanged figures are not written again (a run has no updatedAt): most evaluations of a
    // portfolio without open positions end here, and only this runtime moves these four
    if (
      sameDecimal(run.peakEquity, figures.peakEquity) &&
      sameDecimal(run.maxDrawdown, figures.maxDrawdown) &&
      sameDecimal(run.pnl, figures.pnl) &&
      sameDecimal(run.capitalEnd, figures.capitalEnd)
    )
      return;
    await this.db.strategyRun.updateMany({
      where: { id: run.id, status: "RUNNING" },
      data: figures,
    });
  }

  /**
   * Tells the strategy (onFill) about each fill of its order, in order. `known`: the order's
   * fills, oldest first, as placing it just returned them (TradingService.place reads them last);
   * absent, they are read.
   */
  async applyFills(
    runnable: RunnableStrategy,
    state: unknown,
    intentId: string,
    orderId: number,
    side: "BUY" | "SELL",
    known?: ReadonlyArray<Pick<FillView, "quantity" | "price" | "execTime">>,
  ): Promise<unknown> {
    const onFill = runnable.definition.onFill;
    if (!onFill) return state;
    const fills =
      known ??
      (await this.db.trade.findMany({ where: { orderId }, orderBy: { id: "asc" } })).map((t) => ({
        quantity: fromDb(t.quantity),
        price: fromDb(t.price),
        execTime: t.execTime,
      }));
    let next = state;
    for (const f of fills) {
      const fill: StrategyFill = {
        intentId,
        side,
        quantity: f.quantity,
        price: f.price,
        time: f.execTime,
      };
      next = onFill(runnable.params, next, fill);
    }
    return next;
  }

  /**
   * The strategy version's positions in the portfolio: one read for all the symbols of an
   * instance, and for the run's PnL after them when no order moved one meanwhile.
   */
  async strategyPositions(
    portfolioId: number,
    strategyId: number,
    cache: CycleCache,
  ): Promise<StrategyBook> {
    const read = await cache.strategyPositions(portfolioId, strategyId, (ids) =>
      this.deps.metrics.strategyPositions(this.db, portfolioId, ids),
    );
    const byInstrument = new Map(read.map((p) => [p.instrumentId, p]));
    return {
      read,
      of: (instrumentId) => {
        const position = byInstrument.get(instrumentId);
        const quantity = position ? position.quantity : ZERO;
        return {
          quantity,
          averagePrice: position && !quantity.isZero() ? position.avgPrice : null,
        };
      },
    };
  }

  async notify(tx: Prisma.TransactionClient, row: InstanceRow, notice: InstanceNotice) {
    const notifier = this.deps.notifier();
    if (!notifier) return;
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
    const message = notifier.render(full);
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

/**
 * A stored figure (TEXT on SQLite, NUMERIC on PostgreSQL) is the one about to be written: on
 * SQLite the same text (only toDb writes these), on PostgreSQL the same number.
 */
function sameDecimal(stored: DecimalLike | null, written: string): boolean {
  return stored !== null && toDb(fromDb(stored)) === written;
}
