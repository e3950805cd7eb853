// /backtest: runs one of the user's strategies (its active version, by name, owned by them) over
// the market's history of a symbol. Two steps, so a front can answer bad input at once and show
// progress for the long part:
// - prepare(): the strategy, its parameters (with an optional timeframe override), the symbol
//   and the date range, checked — cheap, every problem a typed domain error;
// - execute(): the candles (paged from the configured MarketData, cached on disk for a live
//   one) and the run itself in a worker thread of a bounded pool, off the event loop.
// One backtest per user at a time; the pool bounds how many run at once across users.
import type { PaperBrokerSettings } from "../../brokers/paper/paper-options.ts";
import { candleHistory } from "../../market/candle-history.ts";
import {
  type Interval,
  type MarketData,
  UnknownSymbolError,
  intervalMs,
  normalizeSymbol,
  suggestSymbols,
} from "../../market/types.ts";
import {
  type ParsedStrategy,
  parseStoredParams,
  storedWithTimeframe,
} from "../../strategies/params.ts";
import { backtestCosts, backtestInstrument } from "../../strategies/backtest/prepare.ts";
import type { BacktestReport } from "../../strategies/backtest/report.ts";
import type { BacktestInstrument } from "../../strategies/backtest/types.ts";
import { BacktestJobError, type BacktestPool } from "../../strategies/backtest/worker-pool.ts";
import { packCandles, packInstrument } from "../../strategies/backtest/worker-protocol.ts";
import type { DomainContext } from "../context.ts";
import { StateError, ValidationError } from "../errors.ts";
import type { StrategyService } from "../strategies/strategy-service.ts";
import { type Actor, assertApproved } from "../users/actor.ts";

/** A year of one-minute candles (and a day to spare): the longest history one run reads. */
export const MAX_BACKTEST_CANDLES = 366 * 1440;
/** Without dates: the last 90 days. */
export const DEFAULT_BACKTEST_DAYS = 90;
export const BACKTEST_CASH = "10000";

export interface BacktestRequest {
  strategy: string;
  symbol: string;
  from?: Date | undefined;
  to?: Date | undefined;
  /** replaces the strategy's own timeframe for this run */
  timeframe?: Interval | undefined;
}

export interface PreparedBacktest {
  userId: number;
  strategy: { name: string; version: number };
  stored: Record<string, unknown>;
  parsed: ParsedStrategy;
  timeframe: Interval;
  instrument: BacktestInstrument;
  currency: string;
  from: Date;
  to: Date;
  timeZone: string;
}

export interface BacktestOutcome {
  prepared: PreparedBacktest;
  report: BacktestReport;
}

export type BacktestPhase = "candles" | "running";

export interface BacktestDeps {
  strategies: StrategyService;
  market: MarketData;
  pool: BacktestPool;
  /** where a live source's candle pages are cached */
  cacheDir?: string;
  paper?: PaperBrokerSettings;
  /** modules the worker imports first (tests register extra kinds this way) */
  preload?: string[];
}

const DAY_MS = 86_400_000;

export class BacktestService {
  private readonly busy = new Set<number>();

  constructor(
    private readonly ctx: DomainContext,
    private readonly deps: BacktestDeps,
  ) {}

  async prepare(actor: Actor, request: BacktestRequest): Promise<PreparedBacktest> {
    assertApproved(actor);
    this.assertIdle(actor.id);
    const view = await this.deps.strategies.active(actor, request.strategy);
    const base =
      typeof view.params === "object" && view.params !== null && !Array.isArray(view.params)
        ? (view.params as Record<string, unknown>)
        : {};
    // the TIMEFRAME argument wins over the strategy's own, a rules "every 4h" included
    const stored = request.timeframe ? storedWithTimeframe(base, request.timeframe) : base;
    const parsed = parseStoredParams(stored);
    const timeframe = parsed.definition.timeframe(parsed.params);

    const symbol = normalizeSymbol(request.symbol);
    const specs = await this.deps.market.instruments();
    const spec = specs.find((s) => s.symbol === symbol);
    if (!spec)
      throw new UnknownSymbolError(
        request.symbol,
        suggestSymbols(
          request.symbol,
          specs.map((s) => s.symbol),
        ),
      );

    const now = this.ctx.clock.now();
    const to = request.to && request.to < now ? request.to : now;
    const from = request.from ?? new Date(to.getTime() - DEFAULT_BACKTEST_DAYS * DAY_MS);
    if (from >= to) throw new ValidationError("backtestRange", "error-backtest-range-order");
    const candles = Math.floor((to.getTime() - from.getTime()) / intervalMs(timeframe));
    if (candles > MAX_BACKTEST_CANDLES)
      throw new ValidationError("backtestRange", "error-backtest-range-long", {
        candles,
        max: MAX_BACKTEST_CANDLES,
        timeframe,
      });
    return {
      userId: actor.id,
      strategy: { name: view.name, version: view.version },
      stored,
      parsed,
      timeframe,
      instrument: backtestInstrument(spec),
      currency: spec.currency,
      from,
      to,
      timeZone: actor.timeZone,
    };
  }

  private assertIdle(userId: number): void {
    if (this.busy.has(userId)) throw new StateError("error-backtest-running");
  }

  /** Stops the worker threads (shutdown). */
  close(): Promise<void> {
    return this.deps.pool.close();
  }

  /** Reads the candles and runs; `onProgress` hears the phase and the share done (0..1). */
  async execute(
    prepared: PreparedBacktest,
    onProgress: (phase: BacktestPhase, done: number) => void = () => {},
  ): Promise<BacktestOutcome> {
    this.assertIdle(prepared.userId);
    this.busy.add(prepared.userId);
    try {
      const { parsed, timeframe } = prepared;
      const lookback = Math.max(1, parsed.definition.lookback(parsed.params));
      const warmUp = (lookback - 1) * intervalMs(timeframe);
      const candles = await candleHistory(
        this.deps.market,
        prepared.instrument.symbol,
        timeframe,
        new Date(prepared.from.getTime() - warmUp),
        prepared.to,
        {
          now: this.ctx.clock.now(),
          ...(this.deps.cacheDir ? { cacheDir: this.deps.cacheDir } : {}),
          onPage: (done) => onProgress("candles", done),
        },
      );
      if (candles.length < lookback + 1)
        throw new ValidationError("backtestRange", "error-backtest-few-candles", {
          needed: lookback + 1,
          got: candles.length,
        });
      const costs = backtestCosts(this.deps.paper);
      try {
        const report = await this.deps.pool.run(
          {
            stored: prepared.stored,
            instrument: packInstrument(prepared.instrument),
            candles: await packCandles(candles, timeframe),
            initialCash: BACKTEST_CASH,
            costs: {
              takerFeeBps: costs.takerFeeBps.toFixed(),
              makerFeeBps: costs.makerFeeBps.toFixed(),
              slippageBps: costs.slippageBps.toFixed(),
              feeDecimals: costs.feeDecimals,
            },
            timeZone: prepared.timeZone,
            ...(this.deps.preload ? { preload: this.deps.preload } : {}),
          },
          (done) => onProgress("running", done),
        );
        return { prepared, report };
      } catch (e) {
        if (e instanceof BacktestJobError && e.kind === "timeout")
          throw new StateError("error-backtest-timeout");
        throw e;
      }
    } finally {
      this.busy.delete(prepared.userId);
    }
  }
}
