// /daily, /weekly, /monthly: the figures of each bucket of time, from the portfolio's value over
// time (paper) or from the realized PnL of its fills (live: the capital is at the exchange).
import { type Decimal, ZERO } from "../../lib/decimal.ts";
import type { MarkSource } from "../pnl/pnl-service.ts";
import {
  type EquityCashMove,
  type EquityTrade,
  reconstructEquity,
} from "../reports/equity-curve.ts";
import { type ExternalFlow, seriesPerformance } from "../reports/performance.ts";
import { type StatTrade, roundTrips } from "./round-trips.ts";
import type { HistoryReport } from "./trade-stats-types.ts";

/**
 * A paper portfolio's buckets: per currency the value's change net of deposits and withdrawals,
 * its time-weighted return, and the round trips closed in each.
 */
export async function valueBuckets(input: {
  trades: readonly StatTrade[];
  cash: EquityCashMove[];
  flows: ExternalFlow[];
  buckets: ReadonlyArray<{ from: Date; to: Date }>;
  now: Date;
  end: Date;
  marks: MarkSource;
}): Promise<Pick<HistoryReport, "buckets" | "currencies">> {
  const { trades, cash, flows, buckets, now, end, marks } = input;
  const start = buckets[0]!.from;
  const closed = roundTrips(trades, start, end).closed;
  const boundaries = [...buckets.map((b) => b.from), now];
  const times = uniqueTimes([...boundaries, ...flows.map((f) => f.at).filter((at) => at > start)]);
  const prices = await pricesAt(marks, trades, times);
  const series = reconstructEquity({
    times,
    // the value follows execution time (a fill recorded late still counts when it happened)
    trades: [...trades]
      .sort((a, b) => a.execTime.getTime() - b.execTime.getTime())
      .map(toEquityTrade),
    cash,
    priceAt: (instrumentId, index) => prices.get(instrumentId)?.[index] ?? null,
  });
  const currencies = series
    .filter(
      (s) =>
        s.points.some((p) => !p.value.isZero()) ||
        flows.some((f) => f.currency === s.currency) ||
        closed.some((t) => t.currency === s.currency),
    )
    .map((s) => s.currency);
  return {
    currencies,
    buckets: buckets.map((b, k) => {
      const last = k === buckets.length - 1;
      return {
        from: b.from,
        to: b.to,
        currencies: currencies.map((currency) => {
          const points = series.find((s) => s.currency === currency)!.points;
          const mine = flows.filter((f) => f.currency === currency);
          const inside = (at: Date) => at >= b.from && (last ? at <= b.to : at < b.to);
          const bucketFlows = mine.filter((f) => inside(f.at));
          // the bucket ends just before a flow at its last instant: that flow opens the next
          const atEnd = last
            ? ZERO
            : mine
                .filter((f) => f.at.getTime() === b.to.getTime())
                .reduce((s, f) => s.plus(f.amount), ZERO);
          const slice = points
            .filter((p) => p.at >= b.from && p.at <= b.to)
            .map((p) =>
              p.at.getTime() === b.to.getTime() ? { at: p.at, value: p.value.minus(atEnd) } : p,
            );
          const perf = seriesPerformance(currency, slice, bucketFlows);
          return {
            currency,
            profit: perf?.profit ?? ZERO,
            twr: perf?.twr ?? null,
            trades: closed.filter(
              (t) => t.currency === currency && t.closedAt >= b.from && (last || t.closedAt < b.to),
            ).length,
          };
        }),
      };
    }),
  };
}

/**
 * Each instrument's price at each sample while it is held: the market's price at that moment
 * (the last price at the final sample), else the last trade price before it.
 */
async function pricesAt(
  marks: MarkSource,
  trades: readonly StatTrade[],
  times: readonly Date[],
): Promise<Map<number, Array<Decimal | null>>> {
  const out = new Map<number, Array<Decimal | null>>();
  const byInstrument = new Map<number, StatTrade[]>();
  for (const t of trades) {
    const list = byInstrument.get(t.instrumentId) ?? [];
    list.push(t);
    byInstrument.set(t.instrumentId, list);
  }
  for (const [instrumentId, list] of byInstrument) {
    const symbol = list[0]!.symbol;
    const prices: Array<Decimal | null> = [];
    for (const [index, at] of times.entries()) {
      let held = ZERO;
      let tradePrice: Decimal | null = null;
      for (const t of list) {
        if (t.execTime > at) continue;
        held = t.side === "BUY" ? held.plus(t.quantity) : held.minus(t.quantity);
        tradePrice = t.price;
      }
      if (held.isZero()) {
        prices.push(null);
        continue;
      }
      const mark =
        index === times.length - 1
          ? await marks.lastPrice(symbol).catch(() => null)
          : await marks.priceAt(symbol, at).catch(() => null);
      prices.push(mark ?? tradePrice);
    }
    out.set(instrumentId, prices);
  }
  return out;
}

/**
 * A live portfolio's buckets: the realized PnL of each bucket's fills net of their fees, and the
 * round trips closed in it (no return: the capital invested is at the exchange).
 */
export function realizedBuckets(
  trades: readonly StatTrade[],
  buckets: ReadonlyArray<{ from: Date; to: Date }>,
  end: Date,
): Pick<HistoryReport, "buckets" | "currencies"> {
  const per = buckets.map((b, k) => {
    const last = k === buckets.length - 1;
    return { bucket: b, result: roundTrips(trades, b.from, last ? end : b.to) };
  });
  const currencies = [
    ...new Set(
      per.flatMap(({ result }) => [
        ...result.realized.map((r) => r.currency),
        ...result.closed.map((t) => t.currency),
      ]),
    ),
  ].sort();
  return {
    currencies,
    buckets: per.map(({ bucket, result }) => ({
      from: bucket.from,
      to: bucket.to,
      currencies: currencies.map((currency) => ({
        currency,
        profit: result.realized
          .filter((r) => r.currency === currency)
          .reduce((sum, r) => sum.plus(r.net), ZERO),
        twr: null,
        trades: result.closed.filter((t) => t.currency === currency).length,
      })),
    })),
  };
}

function uniqueTimes(times: Date[]): Date[] {
  return [...new Set(times.map((t) => t.getTime()))].sort((a, b) => a - b).map((t) => new Date(t));
}

function toEquityTrade(t: StatTrade): EquityTrade {
  return {
    instrumentId: t.instrumentId,
    currency: t.currency,
    side: t.side,
    quantity: t.quantity,
    execTime: t.execTime,
  };
}
