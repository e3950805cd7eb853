// The prices the equity curve values holdings at: per instrument and sample, from candles, marks
// and, failing those, the last trade price.
import { type Decimal, ZERO, fromDb } from "../../lib/decimal.ts";
import type { Candle } from "../../market/types.ts";
import type { MarkSource } from "../pnl/pnl-service.ts";
import { type EquityResolution, resolutionMs } from "./equity-curve.ts";
import type { PriceHistory } from "./equity-history.ts";

/** What a checkpoint says an instrument held at its close, and its last trade price then. */
export interface StartHolding {
  symbol: string;
  currency: string;
  held: Decimal;
  lastPrice: Decimal | null;
}

export type TradeRow = {
  instrumentId: number;
  side: "BUY" | "SELL";
  quantity: string;
  price: string;
  execTime: Date;
  instrument: { symbol: string; currency: string };
};

/**
 * Price of each traded instrument at each sample: the first at the period start, interior ones
 * on the grid from the close of the candle that ended at (or last before) the sample, interior
 * ones off the grid (a flow's instant) at the price of that moment, the last at the last price —
 * or, for a period that is over, at the price of its end.
 * A sample the market cannot price falls back to the latest trade price before it.
 */
export async function samplePrices(
  tradeRows: TradeRow[],
  start: ReadonlyMap<number, StartHolding>,
  times: Date[],
  resolution: EquityResolution,
  market: { history: PriceHistory; marks: MarkSource },
  onGrid: ReadonlySet<number>,
  periodOver: boolean,
): Promise<Map<number, Array<Decimal | null>>> {
  const bySymbol = new Map<number, { symbol: string; trades: TradeRow[] }>();
  for (const [instrumentId, h] of start)
    bySymbol.set(instrumentId, { symbol: h.symbol, trades: [] });
  for (const r of tradeRows) {
    const entry = bySymbol.get(r.instrumentId) ?? { symbol: r.instrument.symbol, trades: [] };
    entry.trades.push(r);
    bySymbol.set(r.instrumentId, entry);
  }
  const first = times[0]!;
  const last = times[times.length - 1]!;
  const step = resolutionMs(resolution);
  const out = new Map<number, Array<Decimal | null>>();
  await Promise.all(
    [...bySymbol].map(async ([instrumentId, { symbol, trades }]) => {
      const [candles, atStart, atEnd, offGrid] = await Promise.all([
        market.history
          .candles(symbol, resolution, { from: new Date(first.getTime() - step), to: last })
          .catch(() => [] as Candle[]),
        market.marks.priceAt(symbol, first).catch(() => null),
        (periodOver ? market.marks.priceAt(symbol, last) : market.marks.lastPrice(symbol)).catch(
          () => null,
        ),
        Promise.all(
          times.map((at, index) =>
            index === 0 ||
            index === times.length - 1 ||
            onGrid.has(at.getTime()) ||
            heldAt(start.get(instrumentId)?.held ?? ZERO, trades, at).isZero()
              ? Promise.resolve(null)
              : market.marks.priceAt(symbol, at).catch(() => null),
          ),
        ),
      ]);
      const prices: Array<Decimal | null> = [];
      let k = 0;
      let closed: Decimal | null = null;
      let tradeIndex = 0;
      let tradePrice: Decimal | null = start.get(instrumentId)?.lastPrice ?? null;
      times.forEach((at, index) => {
        const t = at.getTime();
        for (; k < candles.length && candles[k]!.closeTime.getTime() < t; k++) {
          closed = candles[k]!.close;
        }
        for (
          ;
          tradeIndex < trades.length && trades[tradeIndex]!.execTime.getTime() <= t;
          tradeIndex++
        ) {
          tradePrice = fromDb(trades[tradeIndex]!.price);
        }
        const mark =
          index === times.length - 1 ? atEnd : index === 0 ? atStart : (offGrid[index] ?? closed);
        prices.push(mark ?? closed ?? tradePrice);
      });
      out.set(instrumentId, prices);
    }),
  );
  return out;
}

/**
 * The signed quantity an instrument's trades (in execution order) leave held at `at`, on top of
 * what it held before them.
 */
function heldAt(before: Decimal, trades: readonly TradeRow[], at: Date): Decimal {
  let held = before;
  for (const t of trades) {
    if (t.execTime.getTime() > at.getTime()) break;
    held = t.side === "BUY" ? held.plus(fromDb(t.quantity)) : held.minus(fromDb(t.quantity));
  }
  return held;
}
