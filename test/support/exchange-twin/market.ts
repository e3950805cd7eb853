// Prices of the twin's symbols: the current last/bid/ask each symbol trades at (moved by the
// control API), the path it took since the twin started, and a deterministic synthetic history
// before that, from which klines, 24 h tickers and order books are answered.
import { Decimal } from "../../../src/lib/decimal.ts";
import { fmt8, type SymbolSpec } from "./filters.ts";

const MINUTE = 60_000;
const DAY = 1440 * MINUTE;

export const KLINE_INTERVALS: Record<string, number> = {
  "1s": 1000,
  "1m": MINUTE,
  "3m": 3 * MINUTE,
  "5m": 5 * MINUTE,
  "15m": 15 * MINUTE,
  "30m": 30 * MINUTE,
  "1h": 60 * MINUTE,
  "2h": 120 * MINUTE,
  "4h": 240 * MINUTE,
  "6h": 360 * MINUTE,
  "8h": 480 * MINUTE,
  "12h": 720 * MINUTE,
  "1d": DAY,
  "3d": 3 * DAY,
  "1w": 7 * DAY,
};

interface PricePoint {
  t: number;
  price: Decimal;
}

export interface Kline {
  openTime: number;
  closeTime: number;
  open: Decimal;
  high: Decimal;
  low: Decimal;
  close: Decimal;
  volume: Decimal;
}

export class SymbolMarket {
  last: Decimal;
  bid: Decimal;
  ask: Decimal;
  readonly tick: Decimal;
  private readonly step: Decimal;
  /** the price path since `start`; points[0] is the starting price at `start` */
  private readonly points: PricePoint[];
  /** base quantity traded through the twin's own fills, by minute */
  private readonly tradedByMinute = new Map<number, Decimal>();
  tradeCount = 0;

  constructor(
    readonly spec: SymbolSpec,
    private readonly start: number,
  ) {
    this.tick = new Decimal(spec.tickSize);
    this.step = new Decimal(spec.stepSize);
    this.last = new Decimal(spec.price);
    this.bid = this.last;
    this.ask = this.last;
    this.setSpread();
    this.points = [{ t: start, price: this.last }];
  }

  private setSpread(bid?: Decimal, ask?: Decimal): void {
    this.bid = bid ?? Decimal.max(this.tick, this.last.minus(this.tick));
    this.ask = ask ?? this.last.plus(this.tick);
  }

  move(now: number, price: Decimal, bid?: Decimal, ask?: Decimal): void {
    this.last = price;
    this.setSpread(bid, ask);
    this.points.push({ t: Math.max(now, this.points.at(-1)!.t), price });
  }

  recordTrade(now: number, qty: Decimal): void {
    const minute = Math.floor(now / MINUTE) * MINUTE;
    this.tradedByMinute.set(minute, (this.tradedByMinute.get(minute) ?? new Decimal(0)).plus(qty));
    this.tradeCount++;
  }

  /** On the tick grid, never below one tick. */
  private onTick(value: Decimal): Decimal {
    const q = value.div(this.tick).toDecimalPlaces(0, Decimal.ROUND_HALF_EVEN);
    return Decimal.max(this.tick, q.times(this.tick));
  }

  /** The synthetic path before the twin started: two slow waves that meet the start price. */
  private synthetic(t: number): Decimal {
    const dt = t - this.start;
    const wave =
      0.02 * Math.sin((2 * Math.PI * dt) / (6 * 60 * MINUTE)) +
      0.01 * Math.sin((2 * Math.PI * dt) / (41 * MINUTE));
    // the wave is only a shape; the price itself stays a decimal on the tick grid
    return this.onTick(
      new Decimal(this.spec.price).times(new Decimal(1 + wave).toDecimalPlaces(6)),
    );
  }

  /** Index of the last point at or before t, or -1. */
  private indexAt(t: number): number {
    let lo = 0;
    let hi = this.points.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.points[mid]!.t <= t) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  priceAt(t: number): Decimal {
    if (t < this.start) return this.synthetic(t);
    return this.points[this.indexAt(t)]!.price;
  }

  private syntheticVolume(from: number, to: number): Decimal {
    // about 20 000 quote units a minute, in base units on the lot step
    const perMinute = new Decimal(20_000).div(this.spec.price);
    const v = perMinute.times(Math.max(0, to - from)).div(MINUTE);
    return v.div(this.step).floor().times(this.step);
  }

  /** The candle opening at `openTime`, as it stands at `now`. */
  kline(openTime: number, len: number, now: number): Kline {
    const end = Math.min(openTime + len - 1, now);
    const open = this.priceAt(openTime);
    const close = this.priceAt(end);
    let high = Decimal.max(open, close);
    let low = Decimal.min(open, close);
    if (openTime < this.start) {
      const band = high.minus(low).div(4).plus(this.tick);
      high = this.onTick(high.plus(band));
      low = this.onTick(low.minus(band));
    }
    if (end >= this.start) {
      for (let i = Math.max(0, this.indexAt(openTime)); i < this.points.length; i++) {
        const p = this.points[i]!;
        if (p.t > end) break;
        if (p.t < openTime) continue;
        if (p.price.gt(high)) high = p.price;
        if (p.price.lt(low)) low = p.price;
      }
    }
    let volume = this.syntheticVolume(openTime, Math.min(end + 1, this.start));
    for (const [minute, traded] of this.tradedByMinute) {
      if (minute >= openTime && minute <= end) volume = volume.plus(traded);
    }
    return { openTime, closeTime: openTime + len - 1, open, high, low, close, volume };
  }

  klines(
    len: number,
    now: number,
    opts: { startTime?: number; endTime?: number; limit: number },
  ): Kline[] {
    const lastOpen = Math.floor(Math.min(now, opts.endTime ?? now) / len) * len;
    let first: number;
    if (opts.startTime !== undefined) {
      first = Math.ceil(opts.startTime / len) * len;
    } else {
      first = lastOpen - (opts.limit - 1) * len;
    }
    const out: Kline[] = [];
    for (let t = first; t <= lastOpen && out.length < opts.limit; t += len) {
      out.push(this.kline(t, len, now));
    }
    return out;
  }

  ticker24h(now: number): Record<string, unknown> {
    const from = now - DAY;
    const open = this.priceAt(from);
    let high = Decimal.max(open, this.last);
    let low = Decimal.min(open, this.last);
    let volume = new Decimal(0);
    let quoteVolume = new Decimal(0);
    for (const k of this.klines(60 * MINUTE, now, { startTime: from, endTime: now, limit: 30 })) {
      if (k.high.gt(high)) high = k.high;
      if (k.low.lt(low)) low = k.low;
      volume = volume.plus(k.volume);
      quoteVolume = quoteVolume.plus(k.volume.times(k.close));
    }
    const change = this.last.minus(open);
    return {
      symbol: this.spec.symbol,
      priceChange: fmt8(change),
      priceChangePercent: change.div(open).times(100).toFixed(3),
      weightedAvgPrice: fmt8(volume.isZero() ? this.last : quoteVolume.div(volume)),
      prevClosePrice: fmt8(open),
      lastPrice: fmt8(this.last),
      lastQty: fmt8(this.step),
      bidPrice: fmt8(this.bid),
      bidQty: fmt8(this.depthQty(0)),
      askPrice: fmt8(this.ask),
      askQty: fmt8(this.depthQty(0)),
      openPrice: fmt8(open),
      highPrice: fmt8(high),
      lowPrice: fmt8(low),
      volume: fmt8(volume),
      quoteVolume: fmt8(quoteVolume),
      openTime: from,
      closeTime: now,
      firstId: 1,
      lastId: 1 + this.tradeCount,
      count: this.tradeCount,
    };
  }

  /** Quantity resting at depth level i: about 1 000 quote units a level, growing with depth. */
  depthQty(level: number): Decimal {
    const base = new Decimal(1000).div(this.last).div(this.step).floor().times(this.step);
    return Decimal.max(this.step, base).times(level + 1);
  }

  depth(limit: number): { bids: [string, string][]; asks: [string, string][] } {
    const bids: [string, string][] = [];
    const asks: [string, string][] = [];
    for (let i = 0; i < limit; i++) {
      const b = this.bid.minus(this.tick.times(i));
      if (b.gt(0)) bids.push([fmt8(b), fmt8(this.depthQty(i))]);
      asks.push([fmt8(this.ask.plus(this.tick.times(i))), fmt8(this.depthQty(i))]);
    }
    return { bids, asks };
  }
}
