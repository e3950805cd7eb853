// A small, hand-checkable market for report tests: every price is a straight line in time
// (BTC +100 an hour, ETH −10 an hour from a base instant), candles are cut from those lines, and
// the marks (last price, price at a moment) come from the same lines, so every figure in a
// report can be worked out by hand.
import type { MarkSource } from "../../../src/domain/pnl/pnl-service.ts";
import type { PriceHistory } from "../../../src/domain/reports/equity-history.ts";
import type { Clock } from "../../../src/lib/clock.ts";
import { Decimal } from "../../../src/lib/decimal.ts";
import type { Candle, CandleRange, Interval } from "../../../src/market/types.ts";
import { intervalMs } from "../../../src/market/intervals.ts";

const HOUR = 3_600_000;

const LINES: Record<string, { start: string; perHour: string }> = {
  BTCUSDT: { start: "40000", perHour: "100" },
  ETHUSDT: { start: "3000", perHour: "-10" },
};

export class LinearMarket implements PriceHistory, MarkSource {
  constructor(
    /** the instant the lines start from */
    readonly base: Date,
    private readonly clock: Clock,
  ) {}

  price(symbol: string, at: Date): Decimal {
    const line = LINES[symbol];
    if (!line) throw new Error(`no test line for ${symbol}`);
    const hours = new Decimal(at.getTime() - this.base.getTime()).div(HOUR);
    return new Decimal(line.start).plus(hours.mul(line.perHour));
  }

  async lastPrice(symbol: string): Promise<Decimal> {
    return this.price(symbol, this.clock.now());
  }

  async priceAt(symbol: string, at: Date): Promise<Decimal | null> {
    return this.price(symbol, at);
  }

  async candles(symbol: string, interval: Interval, range: CandleRange = {}): Promise<Candle[]> {
    const len = intervalMs(interval);
    const now = this.clock.now().getTime();
    const to = Math.min(range.to?.getTime() ?? now, now);
    let from = range.from
      ? Math.ceil(range.from.getTime() / len) * len
      : Math.floor(to / len) * len - ((range.limit ?? 1) - 1) * len;
    const out: Candle[] = [];
    for (; from <= to; from += len) {
      const end = Math.min(from + len, to);
      const open = this.price(symbol, new Date(from));
      const close = this.price(symbol, new Date(end));
      out.push({
        openTime: new Date(from),
        closeTime: new Date(from + len - 1),
        open,
        high: Decimal.max(open, close),
        low: Decimal.min(open, close),
        close,
        volume: new Decimal(1),
      });
    }
    return range.limit ? out.slice(-range.limit) : out;
  }
}

/** A base instant safely after the wall clock, so ledger rows (stamped by the database's own
 * clock) are older than every trade of the test. */
export function futureDayStart(daysAhead = 2): Date {
  const day = 86_400_000;
  return new Date(Math.floor(Date.now() / day) * day + daysAhead * day);
}
