// A market whose prices the test sets by hand: a legitimate double for an external market when a
// test needs an exact price path (a stop crossed, a trailing stop retracing). Same MarketData
// contract as the offline source; the catalog's instruments and trading rules.
import type { Clock } from "../../../src/lib/clock.ts";
import { Decimal } from "../../../src/lib/decimal.ts";
import { INSTRUMENT_CATALOG } from "../../../src/market/catalog.ts";
import {
  type Candle,
  type CandleRange,
  type InstrumentSpec,
  type Interval,
  type MarketData,
  type Quote,
  UnknownSymbolError,
  alignDown,
  intervalMs,
} from "../../../src/market/types.ts";

interface Level {
  bid: Decimal;
  ask: Decimal;
  last: Decimal;
}

export class ScriptedMarket implements MarketData {
  readonly name = "scripted";
  readonly synthetic = true;
  private readonly levels = new Map<string, Level>();
  private readonly volumes = new Map<string, Decimal>();
  private readonly specs: Map<string, InstrumentSpec>;
  /** how many quote() calls were made, to prove what was (not) consulted */
  quoteCalls = 0;

  constructor(
    private readonly clock: Clock,
    specs: readonly InstrumentSpec[] = INSTRUMENT_CATALOG,
  ) {
    this.specs = new Map(specs.map((s) => [s.symbol, s]));
  }

  /** Sets bid, ask and last explicitly. */
  quoteAt(symbol: string, bid: string, ask: string, last?: string): void {
    const b = new Decimal(bid);
    const a = new Decimal(ask);
    this.levels.set(symbol, { bid: b, ask: a, last: last ? new Decimal(last) : b.plus(a).div(2) });
  }

  /** Last price with a one-tick spread either side. */
  price(symbol: string, last: string): void {
    const tick = new Decimal(this.spec(symbol).tickSize);
    const l = new Decimal(last);
    this.levels.set(symbol, { bid: l.minus(tick), ask: l.plus(tick), last: l });
  }

  /** Volume of every 1m candle (base units): what the paper venue's liquidity derives from. */
  volume(symbol: string, perMinute: string): void {
    this.volumes.set(symbol, new Decimal(perMinute));
  }

  async instruments(): Promise<InstrumentSpec[]> {
    return [...this.specs.values()].map((s) => ({ ...s }));
  }

  async hasSymbol(symbol: string): Promise<boolean> {
    return this.specs.has(symbol);
  }

  async reachable(): Promise<boolean> {
    return true;
  }

  async quote(symbol: string): Promise<Quote> {
    this.quoteCalls++;
    const level = this.level(symbol);
    return { symbol, ...level, time: this.clock.now(), synthetic: true };
  }

  async candles(symbol: string, interval: Interval, range: CandleRange = {}): Promise<Candle[]> {
    const { last } = this.level(symbol);
    const len = intervalMs(interval);
    const to = Math.min((range.to ?? this.clock.now()).getTime(), this.clock.now().getTime());
    const count = Math.max(1, Math.min(range.limit ?? 1, 1000));
    const volume = this.volumes.get(symbol) ?? new Decimal(1000);
    const out: Candle[] = [];
    for (let open = alignDown(to, interval) - (count - 1) * len; open <= to; open += len) {
      out.push({
        openTime: new Date(open),
        closeTime: new Date(open + len - 1),
        open: last,
        high: last,
        low: last,
        close: last,
        volume,
      });
    }
    return out;
  }

  private spec(symbol: string): InstrumentSpec {
    const spec = this.specs.get(symbol);
    if (!spec) throw new UnknownSymbolError(symbol, []);
    return spec;
  }

  private level(symbol: string): Level {
    this.spec(symbol);
    const level = this.levels.get(symbol);
    if (!level) throw new Error(`ScriptedMarket: no price set for ${symbol}`);
    return level;
  }
}
