// The strategy contract: what a strategy kind is and what it sees and answers on each closed
// candle. A strategy is a pure, deterministic function of its inputs: it never touches Prisma, a
// broker, the clock or Telegram. The same code runs live (domain/strategies runtime, one call per
// closed candle of its timeframe per symbol) and in backtests (src/strategies/backtest), which is
// what makes a backtest say something about the live behaviour.
import type { ZodType } from "zod";
import type { FloatSeries } from "../domain/indicators/float-series.ts";
import type { Decimal } from "../lib/decimal.ts";
import type { Candle, Interval } from "../market/types.ts";

/** The kinds a user can choose; each is one file in src/strategies/kinds/, listed in registry.ts. */
export const STRATEGY_KINDS = ["dca", "grid", "ma-cross", "rules"] as const;
export type StrategyKind = (typeof STRATEGY_KINDS)[number];

/** The strategy's own position in the symbol it is evaluated for (signed; 0 when flat). */
export interface StrategyPosition {
  quantity: Decimal;
  /** average entry price of the open quantity; null when flat */
  averagePrice: Decimal | null;
}

/** How much an intent trades. */
export type IntentSize =
  /** base units (coins, shares) */
  | { kind: "quantity"; value: Decimal }
  /** an amount of the quote currency (buy 100 USDT of BTC) */
  | { kind: "quote"; value: Decimal }
  /** a percentage of the portfolio's equity, e.g. 10 for 10 % */
  | { kind: "equity-pct"; value: Decimal }
  /** the whole open position (sell/close only) */
  | { kind: "all" };

export interface StrategyIntent {
  /**
   * Stable name of this intent within one candle ("entry", "exit", "grid-buy-3", "dca"): the
   * runtime derives the order's clientOrderId from (instance, symbol, candle open time, id), so
   * evaluating the same candle twice (a crash and restart) never places a second order.
   */
  id: string;
  action: "buy" | "sell" | "close";
  size: IntentSize;
  /** MARKET unless a limit price is given */
  orderType: "MARKET" | "LIMIT";
  limitPrice?: Decimal;
  /**
   * Why: "signal", "stop-loss", "take-profit", "grid", "dca" — stored as the order's exit reason
   * (trade-stats) and shown in notifications.
   */
  reason: string;
}

/** Everything a strategy sees for one closed candle of one symbol. */
export interface StrategyInput<P, S> {
  symbol: string;
  timeframe: Interval;
  /** closed candles, oldest first, the last one being the candle that just closed */
  candles: readonly Candle[];
  /**
   * Optional: the close of `candles[i]` as a float, exactly toFloat(candles[i].close). A backtest
   * reads every close once for the whole run and hands the floats out here, so indicator math
   * over a year of minutes does not read the same Decimal again on every candle of its window;
   * without it a strategy reads the close itself (see kinds/running-averages.ts).
   */
  closeFloat?(i: number): number;
  /**
   * Optional: `candles` as float columns, exactly toFloatSeries(candles). A backtest converts the
   * whole run once and hands out views of it, so indicators over a window of hundreds of candles
   * do not convert the same Decimals again on every close.
   */
  floatSeries?(): FloatSeries;
  position: StrategyPosition;
  /** free cash of the portfolio in its quote currency */
  cash: Decimal;
  /** portfolio equity (cash + positions at the last close) in the same currency */
  equity: Decimal;
  /** the owner's IANA time zone (DCA schedules are in the user's zone) */
  timeZone: string;
  params: P;
  /** the state this strategy returned last time for this symbol (initialState at first) */
  state: S;
}

/**
 * What an evaluator sees for one closed candle: a StrategyInput without the window as an array
 * (nor the state, which the evaluator holds). The window is read by index, so a backtest moves
 * one view along the run instead of pushing and shifting an array on every candle.
 */
export interface StrategyStep<P> extends Omit<StrategyInput<P, unknown>, "candles" | "state"> {
  /** how many closed candles the window holds, the last being the candle that just closed */
  readonly candleCount: number;
  /** candle `i` of the window, oldest first (0 ≤ i < candleCount) */
  candleAt(i: number): Candle;
  /**
   * Optional: candleAt(i).openTime.getTime(). A backtest reads every open time once for the run
   * (checking their order), so a strategy that follows the candles by their times does not
   * read a Date of another candle object on each of a year of minutes.
   */
  openTimeAt?(i: number): number;
}

/**
 * A strategy's working state, kept mutable across consecutive candles of one symbol (a backtest
 * over a year of minutes would otherwise build and drop a state object per candle). It decides
 * exactly what onCandle decides on the same candles from the same state: onCandle is this,
 * built from the persisted state, run once, and read back with state().
 */
export interface StrategyEvaluator<P, S> {
  /** the intents on the candle that just closed; the working state moves on */
  next(step: StrategyStep<P>): readonly StrategyIntent[];
  /** one of its orders filled (what onFill does, in place) */
  fill(fill: StrategyFill): void;
  /** the state onCandle would have returned (JSON-serializable, to persist) */
  state(): S;
}

export interface StrategyDecision<S> {
  intents: StrategyIntent[];
  /** persisted as JSON by the runtime and given back next time: must be JSON-serializable */
  state: S;
}

/** One fill of an order an intent produced, told back so a strategy (grid) can rebalance. */
export interface StrategyFill {
  intentId: string;
  side: "BUY" | "SELL";
  quantity: Decimal;
  price: Decimal;
  time: Date;
}

export interface StrategyDefinition<P, S> {
  kind: StrategyKind;
  /** validates and fills defaults; its errors are shown to the user, so field names matter */
  params: ZodType<P>;
  /** the candle interval the strategy is evaluated on */
  timeframe(params: P): Interval;
  /** how many closed candles onCandle needs to see (indicator warm-up included) */
  lookback(params: P): number;
  initialState(params: P): S;
  onCandle(input: StrategyInput<P, S>): StrategyDecision<S>;
  /** optional: the state after one of its orders filled */
  onFill?(params: P, state: S, fill: StrategyFill): S;
  /**
   * Optional: an evaluator starting from `state`, for runs over many consecutive candles (the
   * backtest uses it when present, and onFill through its fill()).
   */
  evaluator?(params: P, state: S): StrategyEvaluator<P, S>;
}

/**
 * What a strategy version stores in `strategies.params`: the kind and its parameters, e.g.
 * `{ "kind": "ma-cross", "fast": 20, "slow": 50, "type": "EMA", "timeframe": "1h" }` or
 * `{ "kind": "rules", "source": "buy 10% when RSI(14) < 30; sell all when RSI(14) > 70",
 *    "timeframe": "1h" }`.
 */
export type StoredStrategyParams = { kind: StrategyKind } & Record<string, unknown>;
