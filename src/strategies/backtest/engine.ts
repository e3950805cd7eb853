// The backtest engine (pure: no database, no clock, no I/O): runs a StrategyDefinition — the very
// object the live runtime runs — over historical candles and keeps the books a paper portfolio
// would keep (cash, position, fees, equity per candle).
//
// Per closed candle i, in this order:
//   1. orders the strategy decided on earlier closes are matched against candle i: at its open
//      first, so a decision on the close of i−1 executes at the open of i — never at a price
//      the strategy had already seen (see execution.ts);
//   2. the position is marked at the close of i (equity = cash + quantity × close);
//   3. the strategy sees the window of the last lookback candles ending at i, with the position,
//      cash and equity after step 2, and answers intents (and, through onCandle, its next state).
// The first lookback − 1 candles are warm-up only: nothing is evaluated or marked on them.
//
// Speed matters (B8: a year of one-minute candles in under two seconds): a kind with an evaluator
// (StrategyDefinition.evaluator) keeps its working state in place for the whole run and reads the
// window by index from one view moved along the candles, so a candle builds no state object and
// no window; for the others the window is one array shifted in place (no per-candle copy;
// strategies keep JSON state, never the array). Equity is
// tracked as a float (exact Decimal figures only where a figure is reported: drawdown.ts) and
// computed exactly for the strategy only when it reads it. Each candle's open time and close are
// read to floats once, as the loop reaches it (the order checked there too): in a pass of their
// own before the run, those reads — the candles' memory, as the floor of B8 reads it — took as
// long as the floor; in the loop they overlap its work.
import { intervalMs } from "../../market/types.ts";
import type { Candle } from "../../market/types.ts";
import type { StrategyEvaluator, StrategyIntent } from "../types.ts";
import { CandleView } from "./candle-view.ts";
import { DrawdownTracker } from "./drawdown.ts";
import { toFloat } from "../../lib/decimal-float.ts";
import { ratesOf } from "./execution.ts";
import { summarize } from "./metrics.ts";
import { ReturnStats, periodsPerYear } from "./returns.ts";
import { RunBooks } from "./run-books.ts";
import type { BacktestInput, BacktestResult } from "./types.ts";

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
  const closes = new Float64Array(n);
  const openTimes = new Float64Array(n);
  readWarmUp(candles, lookback - 1, closes, openTimes);

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
  const drawdown = new DrawdownTracker(candles);
  const returns = new ReturnStats();
  const window: Candle[] = candles.slice(0, first);
  const view = new CandleView(
    instrument.symbol,
    timeframe,
    window,
    timeZone,
    params,
    closes,
    openTimes,
    candles,
    lookback,
  );
  // with an evaluator, the working state lives in it (and `state` is not read again)
  const evaluator: StrategyEvaluator<unknown, unknown> | null = definition.evaluator
    ? definition.evaluator(params, state)
    : null;
  const onFill = definition.onFill;
  const startClose = candles[first]!.close;
  const books = new RunBooks(
    instrument,
    ratesOf(input.costs),
    input.initialCash,
    startClose,
    // what orderFor sizes with, the equity read from the view only when an entry is sized by it
    // (a sell of the position, or a quote amount, never needs cash + quantity × close)
    () => view.equity,
    evaluator
      ? (fill) => evaluator.fill(fill)
      : (fill) => {
          if (onFill) state = onFill(params, state, fill);
        },
  );
  const startCloseF = toFloat(startClose);
  const cashStartF = books.cashF;
  let previousEquityF = cashStartF;
  let marked = false;
  let exposed = 0;
  const progressEvery = input.progressEvery ?? 10_000;

  // Per candle only what every candle needs; fills and intents are the books' (see run-books.ts).
  for (let i = first; i < n; i++) {
    const candle = candles[i]!;
    if (!readCandle(candle, i, closes, openTimes)) throw unordered(candle);
    // the books changed: mark again
    if (books.pending.length && books.fillPending(candle, i - first)) marked = false;

    if (!evaluator) {
      window.push(candle);
      if (window.length > lookback) window.shift();
    }

    // equity at this close: a float for the ratios and the chart, and exactly only when wanted
    const quantityF = books.quantityF;
    const open = quantityF !== 0;
    let equityF = books.cashF;
    if (open) {
      exposed++;
      equityF += quantityF * closes[i]!;
    }
    // candle i's close is passed by index: read from the candle only where it is kept
    if ((open || !marked) && drawdown.wants(equityF))
      drawdown.mark(equityF, books.cash, books.book.quantity, i);
    marked = true;
    if (i > first) returns.add(previousEquityF > 0 ? equityF / previousEquityF - 1 : 0);
    previousEquityF = equityF;
    const j = i - first;
    if (j % stride === 0 || i === n - 1) {
      series.times[seriesAt] = openTimes[i]!;
      series.equity[seriesAt] = equityF;
      series.buyHold[seriesAt] = (cashStartF * closes[i]!) / startCloseF;
      seriesAt++;
    }

    view.moveTo(books.position, books.cash, state, i, i + 1 - lookback);
    let intents: readonly StrategyIntent[];
    if (evaluator) intents = evaluator.next(view);
    else {
      const decision = definition.onCandle(view);
      state = decision.state;
      intents = decision.intents;
    }
    if (intents.length) books.decide(intents, candle);
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
    finalEquity: books.book.quantity.isZero()
      ? books.cash
      : books.cash.plus(books.book.quantity.mul(last.close)),
    startClose,
    drawdown,
    returns,
    periods,
    exposed,
    fills: books.fills,
    fillUnits: books.fillUnits(),
    skipped: books.skipped,
    series,
  });
}

/** The first `count` candles' (the warm-up's) open times and closes, their order checked. */
function readWarmUp(
  candles: readonly Candle[],
  count: number,
  closes: Float64Array,
  openTimes: Float64Array,
): void {
  for (let i = 0; i < count; i++)
    if (!readCandle(candles[i]!, i, closes, openTimes)) throw unordered(candles[i]!);
}

/**
 * Candle i's open time and close read into the run's columns, once; false when it does not open
 * after candle i − 1. A function of its own that hands back a boolean: called rather than inlined
 * (the loop's inlining budget goes to the strategy), a float handed back would be a heap number
 * per candle.
 */
function readCandle(
  candle: Candle,
  i: number,
  closes: Float64Array,
  openTimes: Float64Array,
): boolean {
  const open = candle.openTime.getTime();
  if (i > 0 && open <= openTimes[i - 1]!) return false;
  openTimes[i] = open;
  closes[i] = toFloat(candle.close);
  return true;
}

const unordered = (candle: Candle) =>
  new BacktestInputError(
    "unordered-candles",
    `candles must be in ascending open time (at ${candle.openTime.toISOString()})`,
  );
