// How prices, candles and trading rules are read from one exchange through ccxt, as the
// exchange's own decimal strings. ccxt's unified results are JS floats; for Binance the raw
// answers (`info`, the klines endpoint) carry the venue's strings and are read instead. Other
// exchanges fall back to the unified numbers, turned back into the shortest decimal text that
// round-trips (the digits the exchange sent, for the up-to-15-digit prices exchanges quote).
import type { Exchange, MarketInterface as Market, Ticker } from "ccxt";
import { Decimal } from "../../lib/decimal.ts";
import type { Interval } from "../intervals.ts";

export interface VenueTicker {
  last: string;
  bid: string | undefined;
  ask: string | undefined;
  /** the exchange's timestamp of the ticker (ms), when it gives one */
  time: number | undefined;
}

export interface VenueCandle {
  openTime: number;
  open: string;
  high: string;
  low: string;
  close: string;
  volume: string;
}

export interface VenueRules {
  tickSize: string;
  lotSize: string;
  minQty: string;
  minNotional: string;
}

export interface Venue {
  /** candles one request returns at most */
  readonly maxCandles: number;
  ticker(ex: Exchange, market: Market): Promise<VenueTicker>;
  /** tickers of several markets in one request, by ccxt symbol; null when the venue cannot */
  tickers(ex: Exchange, markets: Market[]): Promise<Map<string, VenueTicker> | null>;
  /** candles of `market` opening in [since, until], oldest first, at most `limit` */
  candles(
    ex: Exchange,
    market: Market,
    interval: Interval,
    since: number,
    until: number,
    limit: number,
  ): Promise<VenueCandle[]>;
  rules(ex: Exchange, market: Market): VenueRules;
}

/** "0.01000000" → "0.01": the same exact value, in the canonical form the database stores. */
export function plain(text: string): string {
  const d = new Decimal(text);
  return d.isZero() ? "0" : d.toFixed();
}

function str(value: unknown): string | undefined {
  if (typeof value === "string" && value.trim() !== "") return value;
  return undefined;
}

// ---- Binance (and its look-alikes: binanceus shares the spot API) -------------------------------

interface BinanceFilter {
  filterType: string;
  [key: string]: unknown;
}

/** The spot endpoints ccxt's Binance class exposes as implicit methods. */
interface BinanceImplicit {
  publicGetKlines(params: Record<string, unknown>): Promise<unknown[][]>;
}

/** A 24 h ticker as Binance sends it (lastPrice, bidPrice, askPrice, closeTime as strings). */
function binanceTicker(info: Record<string, unknown>): VenueTicker | null {
  const last = str(info.lastPrice);
  if (!last) return null;
  const closeTime = Number(info.closeTime);
  return {
    last,
    bid: str(info.bidPrice),
    ask: str(info.askPrice),
    time: Number.isFinite(closeTime) && closeTime > 0 ? closeTime : undefined,
  };
}

const binance: Venue = {
  maxCandles: 1000,

  async ticker(ex, market) {
    const t = await ex.fetchTicker(market.symbol);
    const ticker = binanceTicker(t.info as Record<string, unknown>);
    if (!ticker) throw new Error(`ticker of ${market.id} without lastPrice`);
    return ticker;
  },

  async tickers(ex, markets) {
    const all = await ex.fetchTickers(markets.map((m) => m.symbol));
    const out = new Map<string, VenueTicker>();
    for (const [symbol, t] of Object.entries(all)) {
      const ticker = binanceTicker(t.info as Record<string, unknown>);
      if (ticker) out.set(symbol, ticker);
    }
    return out;
  },

  async candles(ex, market, interval, since, until, limit) {
    const api = ex as unknown as BinanceImplicit;
    const rows = await api.publicGetKlines({
      symbol: market.id,
      interval,
      startTime: since,
      endTime: until,
      limit,
    });
    return rows.map((r) => ({
      openTime: Number(r[0]),
      open: String(r[1]),
      high: String(r[2]),
      low: String(r[3]),
      close: String(r[4]),
      volume: String(r[5]),
    }));
  },

  rules(ex, market) {
    const filters = ((market.info as { filters?: BinanceFilter[] }).filters ?? []).reduce(
      (byType, f) => byType.set(f.filterType, f),
      new Map<string, BinanceFilter>(),
    );
    const price = filters.get("PRICE_FILTER");
    const lot = filters.get("LOT_SIZE");
    const notional = filters.get("NOTIONAL") ?? filters.get("MIN_NOTIONAL");
    const fallback = generic.rules(ex, market);
    return {
      tickSize: plain(str(price?.tickSize) ?? fallback.tickSize),
      lotSize: plain(str(lot?.stepSize) ?? fallback.lotSize),
      minQty: plain(str(lot?.minQty) ?? fallback.minQty),
      minNotional: plain(str(notional?.minNotional) ?? fallback.minNotional),
    };
  },
};

// ---- any other ccxt exchange ---------------------------------------------------------------------

function numberText(ex: Exchange, n: number | undefined): string | undefined {
  if (n === undefined || n === null || !Number.isFinite(n)) return undefined;
  return ex.numberToString(n);
}

/** A precision as a step: ccxt gives a tick size, or a number of decimal places. */
function step(ex: Exchange, precision: number | undefined, fallback: string): string {
  if (precision === undefined || precision === null || !Number.isFinite(precision)) return fallback;
  // ccxt's TICK_SIZE mode is 4; DECIMAL_PLACES (2) and SIGNIFICANT_DIGITS (3) give digit counts
  if (ex.precisionMode === 4) return plain(ex.numberToString(precision));
  return plain(new Decimal(10).pow(-Math.trunc(precision)).toFixed());
}

function unifiedTicker(ex: Exchange, t: Ticker): VenueTicker | null {
  const last = numberText(ex, t.last ?? t.close);
  if (!last) return null;
  return {
    last,
    bid: numberText(ex, t.bid),
    ask: numberText(ex, t.ask),
    time: t.timestamp ?? undefined,
  };
}

const generic: Venue = {
  maxCandles: 500,

  async ticker(ex, market) {
    const ticker = unifiedTicker(ex, await ex.fetchTicker(market.symbol));
    if (!ticker) throw new Error(`ticker of ${market.symbol} without a last price`);
    return ticker;
  },

  async tickers(ex, markets) {
    if (!ex.has.fetchTickers) return null;
    const all = await ex.fetchTickers(markets.map((m) => m.symbol));
    const out = new Map<string, VenueTicker>();
    for (const [symbol, t] of Object.entries(all)) {
      const ticker = unifiedTicker(ex, t);
      if (ticker) out.set(symbol, ticker);
    }
    return out;
  },

  async candles(ex, market, interval, since, until, limit) {
    const rows = await ex.fetchOHLCV(market.symbol, interval, since, limit, { until });
    return rows
      .filter((r) => typeof r[0] === "number" && r[0] <= until)
      .map((r) => ({
        openTime: r[0]!,
        open: numberText(ex, r[1]) ?? "0",
        high: numberText(ex, r[2]) ?? "0",
        low: numberText(ex, r[3]) ?? "0",
        close: numberText(ex, r[4]) ?? "0",
        volume: numberText(ex, r[5]) ?? "0",
      }));
  },

  rules(ex, market) {
    const lotSize = step(ex, market.precision.amount, "0.00000001");
    const minQty = numberText(ex, market.limits.amount?.min);
    return {
      tickSize: step(ex, market.precision.price, "0.00000001"),
      lotSize,
      minQty: minQty ? plain(minQty) : lotSize,
      minNotional: plain(numberText(ex, market.limits.cost?.min) ?? "0"),
    };
  },
};

export function venueFor(exchangeId: string): Venue {
  return exchangeId === "binance" || exchangeId === "binanceus" ? binance : generic;
}
