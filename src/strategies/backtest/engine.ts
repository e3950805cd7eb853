// The backtest engine (pure: no database, no clock, no I/O): runs a StrategyDefinition — the very
// object the live runtime runs — over historical candles and keeps the books a paper portfolio
// would keep (cash, position, fees, equity per candle).
//
// Per closed candle i, in this order:
//   1. orders the strategy decided on earlier closes are matched against candle i: at its open
//      first, so a decision on the close of i−1 executes at the open of i — never at a price
//      the strategy had already seen (see execution.ts);
//   2. the position is marked at the close of i (equity = cash + quantity × close);
//   3. onCandle sees the window of the last lookback candles ending at i, with the position,
//      cash and equity after step 2, and answers intents and its next state.
// The first lookback − 1 candles are warm-up only: nothing is evaluated or marked on them.
//
// Speed matters (B8: a year of one-minute candles in under two seconds): the window is one array
// shifted in place (no per-candle copy; strategies keep JSON state, never the array), equity is
// recomputed only while a position is open, and ratios use floats converted once per candle.
import { type Decimal, ZERO } from "../../lib/decimal.ts";
import { intervalMs } from "../../market/types.ts";
import { type PositionState, FLAT, applyFill } from "../../domain/positions/position-math.ts";
import type { Candle } from "../../market/types.ts";
import type { StrategyPosition } from "../types.ts";
import { DrawdownTracker } from "./drawdown.ts";
import { type PendingOrder, affordable, matchOnCandle, orderFor, ratesOf } from "./execution.ts";
import { summarize } from "./metrics.ts";
import { ReturnStats, periodsPerYear } from "./returns.ts";
import type { BacktestFill, BacktestInput, BacktestResult, SkippedIntent } from "./types.ts";

/** Points kept for the chart; the exact figures come from every candle. */
export const SERIES_POINTS = 1500;

export class BacktestInputError extends Error {
  constructor(
    readonly code: "too-few-candles" | "unordered-candles",
    message: string,
  ) {
    super(message);
  }
}

export function runBacktest(input: BacktestInput): BacktestResult {
  const { definition, params, instrument, candles } = input;
  const timeframe = definition.timeframe(params);
  const lookback = Math.max(1, Math.floor(definition.lookback(params)));
  const n = candles.length;
  if (n < lookback + 1)
    throw new BacktestInputError(
      "too-few-candles",
      `the strategy needs ${lookback} candles to warm up and at least one more; got ${n}`,
    );
  for (let i = 1; i < n; i++)
    if (candles[i]!.openTime.getTime() <= candles[i - 1]!.openTime.getTime())
      throw new BacktestInputError(
        "unordered-candles",
        `candles must be in ascending open time (at ${candles[i]!.openTime.toISOString()})`,
      );

  const rates = ratesOf(input.costs);
  const periods = periodsPerYear(intervalMs(timeframe));
  const timeZone = input.timeZone ?? "UTC";
  const first = lookback - 1;
  const evaluated = n - first;
  const stride = Math.max(1, Math.ceil(evaluated / SERIES_POINTS));
  const seriesLength = Math.ceil(evaluated / stride) + ((evaluated - 1) % stride === 0 ? 0 : 1);
  const series = {
    stride,
    times: new Float64Array(seriesLength),
    equity: new Float64Array(seriesLength),
    buyHold: new Float64Array(seriesLength),
  };
  let seriesAt = 0;

  let state: unknown = definition.initialState(params);
  let cash = input.initialCash;
  let book: PositionState = FLAT;
  let position: StrategyPosition = { quantity: ZERO, averagePrice: null };
  const pending: PendingOrder[] = [];
  const fills: BacktestFill[] = [];
  const skipped: SkippedIntent[] = [];
  const drawdown = new DrawdownTracker();
  const returns = new ReturnStats();
  const window: Candle[] = candles.slice(0, first);
  const startClose = candles[first]!.close;
  const startCloseF = startClose.toNumber();
  const cashStartF = input.initialCash.toNumber();
  let previousEquity: Decimal | null = null;
  let previousEquityF = cashStartF;
  let exposed = 0;
  const progressEvery = input.progressEvery ?? 10_000;

  for (let i = first; i < n; i++) {
    const candle = candles[i]!;
    if (pending.length) {
      for (let k = 0; k < pending.length; k++) {
        const order = pending[k]!;
        const matched = matchOnCandle(order, candle, instrument, rates);
        if (!matched) continue;
        pending.splice(k--, 1);
        const fill = affordable(matched, order.side, cash, book.quantity, instrument, rates);
        if (!fill) {
          skipped.push({
            intent: order.intent,
            time: candle.openTime,
            why: order.side === "BUY" ? "no-cash" : "no-position",
          });
          continue;
        }
        const notional = fill.quantity.mul(fill.price);
        cash =
          order.side === "BUY"
            ? cash.minus(notional).minus(fill.fee)
            : cash.plus(notional).minus(fill.fee);
        book = applyFill(book, { side: order.side, ...fill }).next;
        position = {
          quantity: book.quantity,
          averagePrice: book.quantity.isZero() ? null : book.avgPrice,
        };
        const recorded: BacktestFill = {
          intentId: order.intent.id,
          reason: order.intent.reason,
          side: order.side,
          ...fill,
          time: candle.openTime,
          candleIndex: i - first,
        };
        fills.push(recorded);
        if (definition.onFill)
          state = definition.onFill(params, state, {
            intentId: recorded.intentId,
            side: recorded.side,
            quantity: recorded.quantity,
            price: recorded.price,
            time: recorded.time,
          });
        previousEquity = null; // the books changed: mark again
      }
    }

    window.push(candle);
    if (window.length > lookback) window.shift();

    const open = !book.quantity.isZero();
    let equity: Decimal;
    let equityF: number;
    if (open) {
      exposed++;
      equity = cash.plus(book.quantity.mul(candle.close));
      equityF = equity.toNumber();
    } else {
      equity = cash;
      equityF = previousEquity === cash ? previousEquityF : cash.toNumber();
    }
    if (equity !== previousEquity) drawdown.add(equity);
    if (i > first) returns.add(previousEquityF > 0 ? equityF / previousEquityF - 1 : 0);
    previousEquity = equity;
    previousEquityF = equityF;
    const j = i - first;
    if (j % stride === 0 || i === n - 1) {
      series.times[seriesAt] = candle.openTime.getTime();
      series.equity[seriesAt] = equityF;
      series.buyHold[seriesAt] = (cashStartF * candle.close.toNumber()) / startCloseF;
      seriesAt++;
    }

    const decision = definition.onCandle({
      symbol: instrument.symbol,
      timeframe,
      candles: window,
      position,
      cash,
      equity,
      timeZone,
      params,
      state,
    });
    state = decision.state;
    for (const intent of decision.intents) {
      const order = orderFor(
        intent,
        { price: candle.close, position: book.quantity, equity },
        instrument,
      );
      if (typeof order === "string") skipped.push({ intent, time: candle.closeTime, why: order });
      else pending.push(order);
    }
    if (input.onProgress && j % progressEvery === 0) input.onProgress(j / evaluated);
  }

  const last = candles[n - 1]!;
  return summarize({
    symbol: instrument.symbol,
    timeframe,
    firstCandle: candles[first]!,
    lastCandle: last,
    evaluated,
    initialCash: input.initialCash,
    finalEquity: previousEquity ?? cash.plus(book.quantity.mul(last.close)),
    startClose,
    drawdown,
    returns,
    periods,
    exposed,
    fills,
    skipped,
    series,
  });
}
