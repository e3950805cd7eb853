// A market whose price path the test controls, at every timeframe at once: a slow daily wave
// (so a backtest over its history has signals to trade) until the test sets the price from some
// moment on, after which the price is what the test said. Candles of any interval are cut from
// that one path (open at the candle's first millisecond, close at its last, or at `to` while the
// candle is still forming), so the strategy runtime's candles, the paper broker's quotes and
// 1-minute volumes, and /backtest's history all agree. The same MarketData contract as the
// offline source, with the catalog's instruments and trading rules.
import type { Clock } from "../../src/lib/clock.ts";
import { Decimal } from "../../src/lib/decimal.ts";
import { INSTRUMENT_CATALOG } from "../../src/market/catalog.ts";
import {
  type Candle,
  type CandleRange,
  DEFAULT_CANDLE_LIMIT,
  type InstrumentSpec,
  type Interval,
  MAX_CANDLE_LIMIT,
  type MarketData,
  type Quote,
  UnknownSymbolError,
  alignDown,
  intervalMs,
} from "../../src/market/types.ts";

const DAY_MS = 86_400_000;

export class ControlledMarket implements MarketData {
  readonly name = "controlled";
  readonly synthetic = true;
  private readonly specs: Map<string, InstrumentSpec>;
  /** per symbol: (from ms, price) steps set by the test, ascending */
  private readonly steps = new Map<string, Array<{ from: number; price: Decimal }>>();

  /**
   * @param wave the price before any step: `center` ± `amplitude`, one full wave per day
   */
  constructor(
    private readonly clock: Clock,
    private readonly wave: { center: number; amplitude: number } = { center: 100, amplitude: 15 },
  ) {
    this.specs = new Map(INSTRUMENT_CATALOG.map((s) => [s.symbol, s]));
  }

  /** From `from` on (until a later step), the price of `symbol` is `price`. */
  setPrice(symbol: string, from: Date, price: string): void {
    this.spec(symbol);
    const list = (this.steps.get(symbol) ?? []).filter((s) => s.from < from.getTime());
    list.push({ from: from.getTime(), price: new Decimal(price) });
    this.steps.set(symbol, list);
  }

  priceAt(symbol: string, at: number): Decimal {
    const step = this.steps
      .get(symbol)
      ?.filter((s) => s.from <= at)
      .at(-1);
    if (step) return step.price;
    const { center, amplitude } = this.wave;
    // two decimals, read from text: the path is exact from here on
    return new Decimal((center + amplitude * Math.sin((2 * Math.PI * at) / DAY_MS)).toFixed(2));
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
    const tick = new Decimal(this.spec(symbol).tickSize);
    const now = this.clock.now();
    const last = this.priceAt(symbol, now.getTime());
    return {
      symbol,
      bid: last.minus(tick),
      ask: last.plus(tick),
      last,
      time: now,
      synthetic: true,
    };
  }

  async candles(symbol: string, interval: Interval, range: CandleRange = {}): Promise<Candle[]> {
    this.spec(symbol);
    const len = intervalMs(interval);
    const now = this.clock.now().getTime();
    const to = Math.min(range.to?.getTime() ?? now, now);
    const lastOpen = alignDown(to, interval);
    const wanted = range.from
      ? Math.floor((lastOpen - Math.ceil(range.from.getTime() / len) * len) / len) + 1
      : DEFAULT_CANDLE_LIMIT;
    const count = Math.max(0, Math.min(range.limit ?? wanted, wanted, MAX_CANDLE_LIMIT));
    const out: Candle[] = [];
    for (let open = lastOpen - (count - 1) * len; open <= lastOpen; open += len) {
      const closeTime = open + len - 1;
      const first = this.priceAt(symbol, open);
      const last = this.priceAt(symbol, Math.min(closeTime, to));
      out.push({
        openTime: new Date(open),
        closeTime: new Date(closeTime),
        open: first,
        high: Decimal.max(first, last),
        low: Decimal.min(first, last),
        close: last,
        volume: new Decimal(1000),
      });
    }
    return out;
  }

  private spec(symbol: string): InstrumentSpec {
    const spec = this.specs.get(symbol);
    if (!spec) throw new UnknownSymbolError(symbol, []);
    return spec;
  }
}
