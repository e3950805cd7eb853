// A portfolio's value over time, reconstructed (pure: no database, no market): at each sample
// time, per currency, the cash held (the sum of the ledger movements up to then) plus every
// position held then (the signed sum of the trades up to then) marked at its price then.
//
// Times are sampled on the market's candle grid (UTC-aligned, like the candles that price them)
// between the period's start and now, so each interior point is priced by the close of the candle
// that ended there; the first point is priced at the period start and the last at the last price.
import { type Decimal, ZERO } from "../../lib/decimal.ts";

export type EquityResolution = "15m" | "1h" | "1d";

const RESOLUTION_MS: Record<EquityResolution, number> = {
  "15m": 15 * 60_000,
  "1h": 3_600_000,
  "1d": 86_400_000,
};

export function resolutionMs(resolution: EquityResolution): number {
  return RESOLUTION_MS[resolution];
}

/**
 * The sampling step for a span: quarter-hours up to half a day, hours up to ten days, days
 * beyond (about 50–240 points for today and week, one a day for month, year and all).
 */
export function resolutionFor(from: Date, to: Date): EquityResolution {
  const span = to.getTime() - from.getTime();
  if (span <= 12 * 3_600_000) return "15m";
  if (span <= 10 * 86_400_000) return "1h";
  return "1d";
}

/** `from`, every grid boundary strictly between, and `to` (just `to` when they coincide). */
export function sampleTimes(from: Date, to: Date, resolution: EquityResolution): Date[] {
  const step = RESOLUTION_MS[resolution];
  const start = from.getTime();
  const end = to.getTime();
  if (end <= start) return [new Date(end)];
  const out = [new Date(start)];
  for (let t = Math.floor(start / step) * step + step; t < end; t += step) out.push(new Date(t));
  out.push(new Date(end));
  return out;
}

export interface EquityTrade {
  instrumentId: number;
  /** the instrument's quote currency */
  currency: string;
  side: "BUY" | "SELL";
  quantity: Decimal;
  execTime: Date;
}

export interface EquityCashMove {
  currency: string;
  /** signed ledger amount */
  amount: Decimal;
  /** when it took effect (a trade's settlement counts at the trade's execution time) */
  at: Date;
}

export interface EquityInputs {
  times: Date[];
  /** in execution order */
  trades: EquityTrade[];
  /** in effective-time order */
  cash: EquityCashMove[];
  /**
   * The price of an instrument at sample `index`, or null when unknown (the position then
   * counts at its last known price).
   */
  priceAt(instrumentId: number, index: number): Decimal | null;
  /**
   * What was held before the first trade and cash move passed (a daily checkpoint): quantities
   * per instrument (every instrument traded before, flat ones too) and cash per currency.
   */
  initial?: {
    quantities: ReadonlyMap<number, { currency: string; quantity: Decimal }>;
    cash: ReadonlyMap<string, Decimal>;
  };
}

export interface EquityPoint {
  at: Date;
  value: Decimal;
}

export interface EquitySeries {
  currency: string;
  points: EquityPoint[];
}

export function reconstructEquity(inputs: EquityInputs): EquitySeries[] {
  const quantities = new Map<number, { currency: string; quantity: Decimal }>(
    [...(inputs.initial?.quantities ?? [])].map(([id, q]) => [id, { ...q }]),
  );
  const cash = new Map<string, Decimal>(inputs.initial?.cash ?? []);
  const lastPrice = new Map<number, Decimal>();
  const series = new Map<string, EquityPoint[]>();
  let t = 0;
  let c = 0;
  inputs.times.forEach((at, index) => {
    const now = at.getTime();
    for (; t < inputs.trades.length && inputs.trades[t]!.execTime.getTime() <= now; t++) {
      const trade = inputs.trades[t]!;
      const held = quantities.get(trade.instrumentId) ?? {
        currency: trade.currency,
        quantity: ZERO,
      };
      held.quantity =
        trade.side === "BUY"
          ? held.quantity.plus(trade.quantity)
          : held.quantity.minus(trade.quantity);
      quantities.set(trade.instrumentId, held);
    }
    for (; c < inputs.cash.length && inputs.cash[c]!.at.getTime() <= now; c++) {
      const move = inputs.cash[c]!;
      cash.set(move.currency, (cash.get(move.currency) ?? ZERO).plus(move.amount));
    }
    const values = new Map<string, Decimal>(cash);
    for (const [instrumentId, held] of quantities) {
      const price = inputs.priceAt(instrumentId, index) ?? lastPrice.get(instrumentId) ?? null;
      if (price) lastPrice.set(instrumentId, price);
      if (held.quantity.isZero() || !price) {
        if (!values.has(held.currency)) values.set(held.currency, ZERO);
        continue;
      }
      values.set(held.currency, (values.get(held.currency) ?? ZERO).plus(held.quantity.mul(price)));
    }
    for (const [currency, value] of values) {
      let points = series.get(currency);
      if (!points) {
        // a currency that appears later starts from zero at the earlier samples
        points = inputs.times.slice(0, index).map((a) => ({ at: a, value: ZERO }));
        series.set(currency, points);
      }
      points.push({ at, value });
    }
  });
  return [...series]
    .map(([currency, points]) => ({ currency, points }))
    .sort((a, b) => a.currency.localeCompare(b.currency));
}
