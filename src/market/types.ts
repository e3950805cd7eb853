// The market data contract every source implements (the embedded offline generator, ccxt
// exchanges) and that screeners, alerts, paper fills and valuation consume.
import { type Decimal } from "../lib/decimal.ts";
import { type InstrumentSpec } from "./catalog.ts";
import { type Interval } from "./intervals.ts";

export {
  INTERVALS,
  type Interval,
  alignDown,
  intervalMs,
  isInterval,
  parseInterval,
} from "./intervals.ts";
export { UnknownSymbolError, editDistance, normalizeSymbol, suggestSymbols } from "./symbols.ts";
export { MarketUnavailableError, isMarketUnavailable } from "./errors.ts";
export type { InstrumentSpec, SyntheticInstrumentSpec } from "./catalog.ts";

/** Most recent candles returned when a request gives neither `from` nor `limit`. */
export const DEFAULT_CANDLE_LIMIT = 500;
/** Most candles one request returns; longer histories are read page by page with `from`/`to`. */
export const MAX_CANDLE_LIMIT = 10_000;

export interface Quote {
  symbol: string;
  /** best bid and ask, on the tick grid, bid < ask */
  bid: Decimal;
  ask: Decimal;
  /** last trade price; equals the close of the current 1m candle */
  last: Decimal;
  time: Date;
  /** true when the price comes from a generator rather than a real market */
  synthetic: boolean;
  /**
   * true when the source could not reach its market just now and this is the last good quote
   * it had, as of `time` (which then says how old it is)
   */
  stale?: boolean;
}

export interface Candle {
  /** first millisecond the candle covers, aligned to the interval in UTC */
  openTime: Date;
  /**
   * last millisecond the candle covers (openTime + interval − 1 ms, as exchanges report it);
   * a candle is still forming while closeTime is at or after the time it was read
   */
  closeTime: Date;
  open: Decimal;
  high: Decimal;
  low: Decimal;
  close: Decimal;
  /** traded quantity in base units (coins, shares) */
  volume: Decimal;
}

export interface CandleRange {
  /** earliest open time wanted (inclusive) */
  from?: Date;
  /** the moment the history is seen from (inclusive); defaults to now, never later than now */
  to?: Date;
  /** keep only the most recent `limit` candles of the range */
  limit?: number;
}

export interface MarketData {
  /** "offline", "ccxt:binance", ... */
  readonly name: string;
  /** shown in the UI ("synthetic prices") */
  readonly synthetic: boolean;
  /** every tradable instrument with its trading rules */
  instruments(): Promise<InstrumentSpec[]>;
  hasSymbol(symbol: string): Promise<boolean>;
  /** current quote; throws UnknownSymbolError for a symbol the source does not list */
  quote(symbol: string): Promise<Quote>;
  /**
   * Candles in ascending open time: those opening in [from, to], each as it stood at `to` — so
   * when `to` is now the last one is the current, still forming candle covering [openTime, now].
   * With `limit`, the most recent `limit` of them. Without `from` and `limit`, the most recent
   * DEFAULT_CANDLE_LIMIT; never more than MAX_CANDLE_LIMIT (the most recent ones are kept).
   */
  candles(symbol: string, interval: Interval, range?: CandleRange): Promise<Candle[]>;
  /**
   * Whether the source can reach its market now (always true offline). Cheap: answered from the
   * outcome of recent requests, probing the exchange at most every few seconds. Jobs ask before a
   * run, so an outage skips the run instead of failing every item of it.
   */
  reachable(): Promise<boolean>;
  /**
   * A hint that quotes of these symbols are about to be asked for (an alert run): a source that
   * can may fetch them all in one request. Never throws; quote() still works symbol by symbol.
   */
  prefetchQuotes?(symbols: readonly string[]): Promise<void>;
}
