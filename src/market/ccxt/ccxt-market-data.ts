// Market data from a real exchange through ccxt: quotes, candles and instruments with the
// exchange's own decimal strings (see venue.ts), cached briefly with in-flight coalescing so
// many users and alerts watching one symbol cost one request, and resilient to outages: while
// the exchange is unreachable a quote is the last good one marked stale, everything else raises
// MarketUnavailableError, and requests resume by themselves after a short pause (outage-guard.ts).
// Answers are read in market-mapping.ts.
import type { Exchange, MarketInterface } from "ccxt";
import type { InstrumentSpec } from "../catalog.ts";
import { isMarketUnavailable } from "../errors.ts";
import { type Interval, alignDown, intervalMs } from "../intervals.ts";
import { UnknownSymbolError, normalizeSymbol, suggestSymbols } from "../symbols.ts";
import {
  type Candle,
  type CandleRange,
  DEFAULT_CANDLE_LIMIT,
  MAX_CANDLE_LIMIT,
  type MarketData,
  type Quote,
} from "../types.ts";
import { CoalescingCache } from "./coalescing-cache.ts";
import { type Listed, listMarkets, toCandle, toQuote } from "./market-mapping.ts";
import { type MarketLogger, OutageGuard } from "./outage-guard.ts";
import { type Venue, venueFor } from "./venue.ts";

interface CcxtMarketDataOptions {
  /** ccxt exchange id ("binance") */
  id: string;
  /** the client, built on first use (LazyExchange.get) */
  exchange: () => Promise<Exchange>;
  clock?: () => Date;
  /** how long a quote is served from cache (default 2 s) */
  quoteTtlMs?: number;
  /** how long candles that include the forming one are served from cache (default 5 s) */
  candleTtlMs?: number;
  /** how long the market list is kept before loadMarkets is asked again (default 12 h) */
  marketsTtlMs?: number;
  /** after a failed request, how long calls fail fast before the exchange is tried again (5 s) */
  retryDelayMs?: number;
  logger?: MarketLogger;
}

interface MarketTable {
  bySymbol: Map<string, Listed>;
}

/** Closed candles never change; they are kept this long. */
const CLOSED_CANDLES_TTL_MS = 10 * 60_000;
/** How long a success vouches for reachability without a probe. */
const REACHABLE_TTL_MS = 5_000;

const noLogger: MarketLogger = { info: () => {}, warn: () => {} };

export class CcxtMarketData implements MarketData {
  readonly name: string;
  readonly synthetic = false;
  private readonly venue: Venue;
  private readonly now: () => number;
  private readonly quoteTtl: number;
  private readonly candleTtl: number;
  private readonly marketsTtl: number;
  private readonly logger: MarketLogger;
  private readonly guard: OutageGuard;
  private readonly markets: CoalescingCache<MarketTable>;
  private readonly quotes: CoalescingCache<Quote>;
  private readonly candleSets: CoalescingCache<Candle[]>;
  private readonly probes: CoalescingCache<true>;
  private marketsLoaded = false;

  constructor(private readonly opts: CcxtMarketDataOptions) {
    this.name = `ccxt:${opts.id}`;
    this.venue = venueFor(opts.id);
    const clock = opts.clock;
    this.now = clock ? () => clock().getTime() : () => Date.now();
    this.quoteTtl = opts.quoteTtlMs ?? 2_000;
    this.candleTtl = opts.candleTtlMs ?? 5_000;
    this.marketsTtl = opts.marketsTtlMs ?? 12 * 3_600_000;
    this.logger = opts.logger ?? noLogger;
    this.guard = new OutageGuard({
      source: this.name,
      exchange: opts.exchange,
      now: this.now,
      retryDelayMs: opts.retryDelayMs ?? 5_000,
      logger: this.logger,
    });
    this.markets = new CoalescingCache(this.now, 1);
    this.quotes = new CoalescingCache(this.now);
    this.candleSets = new CoalescingCache(this.now, 500);
    this.probes = new CoalescingCache(this.now, 1);
  }

  // ---- MarketData -----------------------------------------------------------------------------

  async instruments(): Promise<InstrumentSpec[]> {
    const table = await this.table();
    return [...table.bySymbol.values()].map((l) => ({ ...l.spec }));
  }

  async hasSymbol(symbol: string): Promise<boolean> {
    return (await this.table()).bySymbol.has(normalizeSymbol(symbol));
  }

  async quote(symbol: string): Promise<Quote> {
    const listed = await this.listed(symbol);
    const key = listed.spec.symbol;
    try {
      const got = await this.quotes.get(key, this.quoteTtl, () =>
        this.guard
          .call((ex) => this.venue.ticker(ex, listed.market))
          .then((t) => toQuote(key, t, this.now())),
      );
      return got.value;
    } catch (e) {
      if (!isMarketUnavailable(e)) throw e;
      const previous = this.quotes.lastGood(key);
      if (!previous) throw e;
      return { ...previous.value, stale: true };
    }
  }

  /**
   * Fetches the quotes of `symbols` that are not fresh in one request (Binance: one 24 h ticker
   * call for all of them), so an alert run over a hundred symbols costs one request, not a
   * hundred. Failures are left to quote(), which retries symbol by symbol or serves stale.
   */
  async prefetchQuotes(symbols: readonly string[]): Promise<void> {
    try {
      const table = await this.table();
      const wanted = new Map<string, Listed>();
      for (const s of symbols) {
        const listed = table.bySymbol.get(normalizeSymbol(s));
        if (listed && !this.quotes.fresh(listed.spec.symbol, this.quoteTtl)) {
          wanted.set(listed.spec.symbol, listed);
        }
      }
      // one symbol is no batch: quote() fetches it the ordinary way
      if (wanted.size < 2) return;
      const list = [...wanted.values()];
      const at = this.now();
      const tickers = await this.guard.call((ex) =>
        this.venue.tickers(
          ex,
          list.map((l) => l.market),
        ),
      );
      if (!tickers) return;
      for (const listed of list) {
        const t = tickers.get(listed.market.symbol);
        if (t) this.quotes.put(listed.spec.symbol, toQuote(listed.spec.symbol, t, at), at);
      }
    } catch (e) {
      if (!isMarketUnavailable(e)) {
        this.logger.warn({ source: this.name, err: e }, "batch quote request failed");
      }
    }
  }

  async candles(symbol: string, interval: Interval, range: CandleRange = {}): Promise<Candle[]> {
    const listed = await this.listed(symbol);
    const len = intervalMs(interval);
    const now = this.now();
    const to = range.to === undefined ? now : Math.min(range.to.getTime(), now);
    const lastOpen = alignDown(to, interval);
    let first = range.from === undefined ? -Infinity : Math.ceil(range.from.getTime() / len) * len;
    let count = range.limit ?? (range.from === undefined ? DEFAULT_CANDLE_LIMIT : MAX_CANDLE_LIMIT);
    if (!(count >= 1)) return [];
    count = Math.min(Math.floor(count), MAX_CANDLE_LIMIT);
    first = Math.max(first, lastOpen - (count - 1) * len);
    if (first > lastOpen) return [];

    // the forming candle changes; a set of closed candles does not
    const forming = lastOpen + len > now;
    const key = `${listed.spec.symbol}|${interval}|${first}|${lastOpen}`;
    const got = await this.candleSets.get(
      key,
      forming ? this.candleTtl : CLOSED_CANDLES_TTL_MS,
      () => this.fetchCandles(listed.market, interval, first, lastOpen),
    );
    return got.value;
  }

  async reachable(): Promise<boolean> {
    const now = this.now();
    if (this.guard.failingFast(now)) return false;
    if (this.guard.succeededWithin(now, REACHABLE_TTL_MS)) return true;
    try {
      await this.probes.get("probe", REACHABLE_TTL_MS, () =>
        this.guard.call(async (ex) => {
          if (ex.has.fetchTime) await ex.fetchTime();
          else await ex.loadMarkets();
          return true as const;
        }),
      );
      return true;
    } catch (e) {
      if (isMarketUnavailable(e)) return false;
      throw e;
    }
  }

  // ---- internals ------------------------------------------------------------------------------

  /** The market list, loaded once and refreshed after marketsTtl; the last good one in outages. */
  private async table(): Promise<MarketTable> {
    try {
      const got = await this.markets.get("markets", this.marketsTtl, () =>
        this.guard.call(async (ex) => {
          // after the first load, a refresh must ask the exchange again, not ccxt's copy
          const loaded = await ex.loadMarkets(this.marketsLoaded);
          this.marketsLoaded = true;
          return this.buildTable(
            ex,
            Object.values(loaded).filter((m) => m !== undefined),
          );
        }),
      );
      return got.value;
    } catch (e) {
      const previous = this.markets.lastGood("markets");
      if (isMarketUnavailable(e) && previous) return previous.value;
      throw e;
    }
  }

  private buildTable(ex: Exchange, markets: MarketInterface[]): MarketTable {
    return { bySymbol: listMarkets(ex, this.venue, this.opts.id.toUpperCase(), markets) };
  }

  private async listed(symbol: string): Promise<Listed> {
    const table = await this.table();
    const found = table.bySymbol.get(normalizeSymbol(symbol));
    if (!found) throw new UnknownSymbolError(symbol, suggestSymbols(symbol, table.bySymbol.keys()));
    return found;
  }

  /** Candles opening in [first, lastOpen], page by page (the venue caps each request). */
  private async fetchCandles(
    market: MarketInterface,
    interval: Interval,
    first: number,
    lastOpen: number,
  ): Promise<Candle[]> {
    const len = intervalMs(interval);
    const out: Candle[] = [];
    let cursor = first;
    while (cursor <= lastOpen) {
      const wanted = Math.min(this.venue.maxCandles, Math.floor((lastOpen - cursor) / len) + 1);
      const page = await this.guard.call((ex) =>
        this.venue.candles(ex, market, interval, cursor, lastOpen + len - 1, wanted),
      );
      const usable = page.filter((c) => c.openTime >= cursor && c.openTime <= lastOpen);
      if (usable.length === 0) break;
      for (const c of usable) out.push(toCandle(c, len));
      cursor = usable[usable.length - 1]!.openTime + len;
      // a short page means the exchange has nothing more in the range
      if (page.length < wanted) break;
    }
    return out;
  }
}
