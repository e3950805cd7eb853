// The embedded market data source used when no exchange is configured: deterministic, seeded,
// realistic synthetic prices for every catalog instrument (and any extra instruments given).
//
// Model, top to bottom (details in each file's header):
// - daily-anchors.ts: one log price per UTC day, a mean-reverting random walk around the
//   reference price with the instrument's annualised volatility, volatility regimes and jumps;
// - bridge-segment.ts + price-path.ts: days split into hours, hours into minutes, minutes into
//   seconds by Brownian bridges with exact extreme distributions, intraday seasonality
//   (seasonality.ts) and volume splits, each level fitted to its parent's high and low;
// - price-scale.ts: log prices to ticks, softly bounded to (reference / 4.5, reference × 4.5).
//
// Guarantees: same seed + same time ⇒ same prices in any process and any call order (all
// randomness is counter-based: counter-rng.ts); every interval's candles are exact merges of the
// same 1m candles; closed candles never change; the current candle and the quote move once per
// second; prices sit on the tick grid and volumes on the lot grid.
import {
  INSTRUMENT_CATALOG,
  type InstrumentSpec,
  type SyntheticInstrumentSpec,
} from "../catalog.ts";
import { type Clock } from "../../lib/clock.ts";
import { type Decimal } from "../../lib/decimal.ts";
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
import { hash4, hashText, streamKey, unit } from "./counter-rng.ts";
import { type InstrumentModel, buildInstrumentModel } from "./instrument-model.ts";
import {
  type Aggregate,
  type CacheCapacity,
  DEFAULT_CACHE_CAPACITY,
  PricePath,
  SECOND_MS,
} from "./price-path.ts";
import { priceTicks } from "./price-scale.ts";

export const DEFAULT_OFFLINE_SEED = "tradedesk";

const STREAM_SPREAD = 5;

export interface OfflineMarketDataOptions {
  /** the same seed gives the same prices everywhere; defaults to DEFAULT_OFFLINE_SEED */
  seed?: string | number;
  /** where "now" comes from; wall-clock time by default, so prices move while the bot runs */
  clock?: (() => Date) | Clock;
  /** instruments priced in addition to the catalog (a spec with a catalog symbol replaces it) */
  instruments?: readonly SyntheticInstrumentSpec[];
  /** LRU sizes of the computed path levels; the defaults cap memory at about 16 MB */
  cache?: Partial<CacheCapacity>;
}

export class OfflineMarketData implements MarketData {
  readonly name = "offline";
  readonly synthetic = true;
  private readonly now: () => Date;
  private readonly models = new Map<string, InstrumentModel>();
  private readonly spreadKey: number;
  private readonly path: PricePath;

  constructor(options: OfflineMarketDataOptions = {}) {
    const clock = options.clock;
    this.now =
      clock === undefined
        ? () => new Date()
        : typeof clock === "function"
          ? clock
          : () => clock.now();
    const seedKey = hashText(String(options.seed ?? DEFAULT_OFFLINE_SEED));
    this.spreadKey = streamKey(seedKey, STREAM_SPREAD);
    this.path = new PricePath({ ...DEFAULT_CACHE_CAPACITY, ...options.cache });
    for (const spec of [...INSTRUMENT_CATALOG, ...(options.instruments ?? [])]) {
      const symbol = normalizeSymbol(spec.symbol);
      const ordinal = this.models.get(symbol)?.ordinal ?? this.models.size;
      this.models.set(symbol, buildInstrumentModel({ ...spec, symbol }, seedKey, ordinal));
    }
  }

  async instruments(): Promise<InstrumentSpec[]> {
    return [...this.models.values()].map((m) => ({ ...m.spec }));
  }

  async hasSymbol(symbol: string): Promise<boolean> {
    return this.models.has(normalizeSymbol(symbol));
  }

  /** The generator runs in-process: always reachable. */
  async reachable(): Promise<boolean> {
    return true;
  }

  async quote(symbol: string): Promise<Quote> {
    const model = this.model(symbol);
    const t = this.currentTime().getTime();
    const last = priceTicks(model, this.path.priceAt(model, t));
    const half = this.halfSpreadTicks(model, last, Math.floor(t / SECOND_MS));
    return {
      symbol: model.spec.symbol,
      bid: model.tick.toDecimal(Math.max(1, last - half)),
      ask: model.tick.toDecimal(last + half),
      last: model.tick.toDecimal(last),
      time: new Date(t),
      synthetic: true,
    };
  }

  async candles(symbol: string, interval: Interval, range: CandleRange = {}): Promise<Candle[]> {
    const model = this.model(symbol);
    const len = intervalMs(interval);
    const now = this.currentTime().getTime();
    const to = range.to === undefined ? now : Math.min(timeOf(range.to, "to"), now);
    const last = alignDown(to, interval);
    let first =
      range.from === undefined ? -Infinity : Math.ceil(timeOf(range.from, "from") / len) * len;
    let count = range.limit ?? (range.from === undefined ? DEFAULT_CANDLE_LIMIT : MAX_CANDLE_LIMIT);
    if (!(count >= 1)) return [];
    count = Math.min(Math.floor(count), MAX_CANDLE_LIMIT);
    first = Math.max(first, last - (count - 1) * len);

    const out: Candle[] = [];
    const convert = new TickConverter(model);
    for (let open = first; open <= last; open += len) {
      const bar = this.path.aggregate(model, open, Math.min(open + len, to));
      out.push(convert.candle(open, len, bar));
    }
    return out;
  }

  private model(symbol: string): InstrumentModel {
    const model = this.models.get(normalizeSymbol(symbol));
    if (!model) throw new UnknownSymbolError(symbol, suggestSymbols(symbol, this.models.keys()));
    return model;
  }

  private currentTime(): Date {
    const time = this.now();
    timeOf(time, "clock");
    return time;
  }

  /**
   * Half the spread in ticks, at least one so bid < last < ask. It breathes from second to
   * second (0.8–1.4 × typical), as quoted spreads do.
   */
  private halfSpreadTicks(model: InstrumentModel, lastTicks: number, second: number): number {
    const breathe = 0.8 + 0.6 * unit(hash4(this.spreadKey ^ model.key, second));
    const price = lastTicks * model.tick.stepFloat;
    const half = Math.max(price * model.halfSpread * breathe, model.minHalfSpread);
    // the epsilon keeps a half spread of exactly one tick from becoming two through float error
    return Math.max(1, Math.ceil(half / model.tick.stepFloat - 1e-9));
  }
}

// The generator indexes seconds of a day and minutes since the epoch in 32-bit integers; these
// bounds keep every index in range with a wide margin.
const EARLIEST_MS = Date.UTC(1900, 0, 1);
const LATEST_MS = Date.UTC(3000, 0, 1);

function timeOf(date: Date, what: string): number {
  const t = date.getTime();
  if (!(t >= EARLIEST_MS && t < LATEST_MS)) {
    throw new RangeError(
      `${what} time outside the offline source's years 1900–2999: ${String(date)}`,
    );
  }
  return t;
}

/**
 * Turns log-space bars into Decimal candles. Consecutive candles share their boundary price (a
 * close is the next open), so the converted Decimal is reused instead of parsed twice.
 */
class TickConverter {
  private lastLog = NaN;
  private lastDecimal: Decimal | null = null;

  constructor(private readonly model: InstrumentModel) {}

  private price(x: number): Decimal {
    return this.model.tick.toDecimal(priceTicks(this.model, x));
  }

  candle(openMs: number, len: number, bar: Aggregate): Candle {
    const open =
      bar.open === this.lastLog && this.lastDecimal ? this.lastDecimal : this.price(bar.open);
    const close = bar.close === bar.open ? open : this.price(bar.close);
    const candle: Candle = {
      openTime: new Date(openMs),
      closeTime: new Date(openMs + len - 1),
      open,
      high: bar.high === bar.close ? close : bar.high === bar.open ? open : this.price(bar.high),
      low: bar.low === bar.close ? close : bar.low === bar.open ? open : this.price(bar.low),
      close,
      volume: this.model.lot.toDecimal(bar.lots),
    };
    this.lastLog = bar.close;
    this.lastDecimal = close;
    return candle;
  }
}
