// Test helpers for strategy kinds: candles from a list of closes, and a loop that feeds a
// strategy one closed candle at a time the way the runtime does, filling its market orders at
// the candle's close into a one-symbol position, so tests can say at which candle what happened.
import { Decimal } from "../../src/lib/decimal.ts";
import { type Interval, intervalMs } from "../../src/market/intervals.ts";
import type { Candle } from "../../src/market/types.ts";
import type {
  StrategyDefinition,
  StrategyIntent,
  StrategyPosition,
} from "../../src/strategies/types.ts";

export const T0 = Date.UTC(2026, 0, 5, 0, 0, 0);

/** One candle per close, `interval` apart from `start`; open = previous close, high/low around. */
export function candlesOf(
  closes: readonly (number | string)[],
  interval: Interval = "1h",
  start = T0,
  lows?: readonly (number | string | undefined)[],
): Candle[] {
  const len = intervalMs(interval);
  return closes.map((c, i) => {
    const close = new Decimal(c);
    const open = i === 0 ? close : new Decimal(closes[i - 1]!);
    const low = lows?.[i] !== undefined ? new Decimal(lows[i]!) : Decimal.min(open, close);
    return {
      openTime: new Date(start + i * len),
      closeTime: new Date(start + (i + 1) * len - 1),
      open,
      high: Decimal.max(open, close),
      low,
      close,
      volume: new Decimal(1),
    };
  });
}

export interface Event {
  /** index of the candle that produced the intent */
  at: number;
  intent: StrategyIntent;
  price: Decimal;
  quantity: Decimal;
}

interface RunOptions {
  equity?: Decimal;
  timeZone?: string;
  /** fill every intent (market orders at the close, limit orders at their price); default true */
  fill?: boolean;
}

/**
 * Runs `definition` over `candles` candle by candle (each call sees every candle so far) with a
 * simple book: cash, one long position, fills at the close (or the limit price). Returns what it
 * did, in order.
 */
export function runStrategy<P, S>(
  definition: StrategyDefinition<P, S>,
  rawParams: unknown,
  candles: readonly Candle[],
  options: RunOptions = {},
): { events: Event[]; state: S; position: StrategyPosition; cash: Decimal } {
  const params = definition.params.parse(rawParams);
  let state = definition.initialState(params);
  let cash = options.equity ?? new Decimal(10_000);
  let position: StrategyPosition = { quantity: new Decimal(0), averagePrice: null };
  const events: Event[] = [];
  for (let i = 0; i < candles.length; i++) {
    const close = candles[i]!.close;
    const equity = cash.add(position.quantity.mul(close));
    const decision = definition.onCandle({
      symbol: "BTCUSDT",
      timeframe: definition.timeframe(params),
      candles: candles.slice(0, i + 1),
      position,
      cash,
      equity,
      timeZone: options.timeZone ?? "UTC",
      params,
      state,
    });
    state = decision.state;
    for (const intent of decision.intents) {
      const price = intent.orderType === "LIMIT" ? intent.limitPrice! : close;
      const size = intent.size;
      let quantity: Decimal;
      if (size.kind === "all") quantity = position.quantity;
      else if (size.kind === "quantity") quantity = size.value;
      else if (size.kind === "quote") quantity = size.value.div(price);
      else quantity = equity.mul(size.value).div(100).div(price);
      events.push({ at: i, intent, price, quantity });
      if (options.fill === false) continue;
      const buy = intent.action === "buy";
      if (buy) {
        const total = position.quantity.add(quantity);
        const cost = (position.averagePrice ?? new Decimal(0))
          .mul(position.quantity)
          .add(price.mul(quantity));
        position = { quantity: total, averagePrice: cost.div(total) };
        cash = cash.sub(price.mul(quantity));
      } else {
        const left = position.quantity.sub(quantity);
        position = { quantity: left, averagePrice: left.isZero() ? null : position.averagePrice };
        cash = cash.add(price.mul(quantity));
      }
      if (definition.onFill)
        state = definition.onFill(params, state, {
          intentId: intent.id,
          side: buy ? "BUY" : "SELL",
          quantity,
          price,
          time: candles[i]!.closeTime,
        });
    }
  }
  return { events, state, position, cash };
}

/** "buy@6 signal" lines: what happened where, easy to compare with hand-computed expectations. */
export const summary = (events: Event[]): string[] =>
  events.map((e) => `${e.intent.action}@${e.at} ${e.intent.reason}`);
