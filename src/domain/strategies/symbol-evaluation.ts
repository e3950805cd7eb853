// One symbol of a running instance on its latest closed candle: the candles the strategy looks
// back on, its position, cash and equity, what it answers, the orders placed for it and the
// outcome saved (split from strategy-runtime.ts, which runs this per symbol in its error boundary).
import { alignDown, intervalMs } from "../../market/types.ts";
import type { Db } from "../../db/client.ts";
import type { InstrumentService } from "../instruments/instrument-service.ts";
import type { PortfolioView } from "../portfolios/portfolio-service.ts";
import type { TradingService } from "../trading/trading-service.ts";
import type { CycleCache } from "./cycle-cache.ts";
import { placeIntents } from "./intent-placement.ts";
import type { RuntimeRecords } from "./runtime-records.ts";
import type { Evaluation } from "./runtime-rows.ts";
import type { StrategyMetrics } from "./strategy-metrics.ts";
import type { StrategyRuntimeDeps } from "./strategy-runtime.ts";

export interface SymbolEvaluationDeps {
  db: Db;
  trading: TradingService;
  instruments: InstrumentService;
  market: StrategyRuntimeDeps["market"];
  metrics: StrategyMetrics;
  records: RuntimeRecords;
}

/** the portfolio's balances, read once per cycle */
function balancesOf(deps: SymbolEvaluationDeps, portfolio: PortfolioView, cache: CycleCache) {
  return cache.balancesOf(portfolio.id, () => deps.metrics.balances(portfolio));
}

/** Orders placed for the symbol's new closed candle, or null when there was none to evaluate. */
export async function evaluateSymbol(
  deps: SymbolEvaluationDeps,
  ev: Evaluation,
  symbol: string,
  cache: CycleCache,
): Promise<number | null> {
  const { row, runnable, timeframe, now } = ev;
  const { definition, params } = runnable;
  const stateRow = row.states.find((s) => s.symbol === symbol) ?? null;
  // the last candle that has closed by now, known without asking the market
  const step = intervalMs(timeframe);
  const lastOpen = alignDown(now.getTime(), timeframe) - step;
  if (stateRow?.lastCandleAt && stateRow.lastCandleAt.getTime() >= lastOpen) return null;
  if (lastOpen + step <= row.startedAt.getTime()) return null;
  const lookback = Math.max(1, Math.floor(definition.lookback(params)));
  const candles = await deps.market.candles(symbol, timeframe, {
    to: now,
    limit: lookback + 1,
  });
  const closed = candles.filter((c) => c.closeTime.getTime() < now.getTime()).slice(-lookback);
  const candle = closed.at(-1);
  if (!candle) return null;
  if (stateRow?.lastCandleAt && stateRow.lastCandleAt.getTime() >= candle.openTime.getTime())
    return null;
  if (candle.closeTime.getTime() < row.startedAt.getTime()) return null;

  const instrument = await deps.instruments.resolve(symbol);
  // the strategy's positions, read once for the instance's symbols until an order moves one
  if (!ev.positions) {
    const read = deps.records.strategyPositions(row.portfolioId, row.strategyId, cache);
    ev.positions = read;
    // a failed read is not kept: the next symbol tries again, as it did before
    read.catch(() => {
      if (ev.positions === read) ev.positions = null;
    });
  }
  const position = (await ev.positions).of(instrument.id);
  const { cash, equity } = await deps.metrics.cashAndEquityFrom(
    ev.portfolio,
    await balancesOf(deps, ev.portfolio, cache),
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
  if (decision.intents.length === 0 && decision.state !== undefined && decision.state !== null) {
    // nothing to place or tell: the state waits to be written with the instance's other symbols'
    ev.pending.push({ symbol, candleOpenTime: candle.openTime, state: decision.state });
    return 0;
  }
  // an order may move a position (whatever comes of placing it): the next symbol reads anew
  if (decision.intents.length > 0) ev.positions = null;
  const { state, reports, placed, successful } = await placeIntents(
    deps,
    ev,
    { symbol, candleOpenTime: candle.openTime, instrument, position, equity, cache },
    decision,
  );
  await deps.records.saveOutcome(ev, symbol, candle.openTime, state, reports, placed, successful);
  return placed;
}
