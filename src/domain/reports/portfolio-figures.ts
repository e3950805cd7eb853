// The figures a portfolio summary is built from: value per currency, the allocation, and the
// biggest movers of the day.
import { Decimal, ZERO } from "../../lib/decimal.ts";
import type { Valuation } from "../pnl/pnl-service.ts";
import type { PriceHistory } from "./equity-history.ts";
import type { Allocation, CashBalance, Mover, ValueTotals } from "./report-types.ts";

/** How many movers a summary lists. */
const MAX_MOVERS = 5;

/** Held instruments by the size of their move over the current daily candle. */
export async function dailyMovers(history: PriceHistory, valuation: Valuation): Promise<Mover[]> {
  const moves = await Promise.all(
    valuation.positions.map(async (p): Promise<Mover | null> => {
      if (!p.lastPrice) return null;
      const [day] = await history.candles(p.instrument.symbol, "1d", { limit: 1 }).catch(() => []);
      if (!day || day.open.isZero()) return null;
      return {
        instrumentId: p.instrumentId,
        symbol: p.instrument.symbol,
        currency: p.currency,
        quantity: p.quantity,
        open: day.open,
        last: p.lastPrice,
        changePct: p.lastPrice.minus(day.open).div(day.open).mul(100),
      };
    }),
  );
  // one row per instrument even when several strategies hold it
  const unique = new Map<number, Mover>();
  for (const m of moves) {
    if (!m) continue;
    const seen = unique.get(m.instrumentId);
    unique.set(m.instrumentId, seen ? { ...seen, quantity: seen.quantity.plus(m.quantity) } : m);
  }
  return [...unique.values()]
    .sort(
      (a, b) => b.changePct.abs().comparedTo(a.changePct.abs()) || a.symbol.localeCompare(b.symbol),
    )
    .slice(0, MAX_MOVERS);
}

export function valueTotals(valuation: Valuation, cash: CashBalance[]): ValueTotals[] {
  const out = new Map<string, ValueTotals>();
  const entry = (currency: string) => {
    const e = out.get(currency) ?? { currency, positions: ZERO, cash: ZERO, total: ZERO };
    out.set(currency, e);
    return e;
  };
  for (const t of valuation.totals) entry(t.currency).positions = t.marketValue;
  for (const c of cash) entry(c.currency).cash = c.amount;
  for (const e of out.values()) e.total = e.positions.plus(e.cash);
  return [...out.values()].sort((a, b) => b.total.abs().comparedTo(a.total.abs()));
}

/** Per currency: each instrument's market value and the cash, as shares of the gross. */
export function allocations(valuation: Valuation, cash: CashBalance[]): Allocation[] {
  const byCurrency = new Map<string, Map<string | null, Decimal>>();
  const add = (currency: string, symbol: string | null, value: Decimal) => {
    const items = byCurrency.get(currency) ?? new Map<string | null, Decimal>();
    items.set(symbol, (items.get(symbol) ?? ZERO).plus(value));
    byCurrency.set(currency, items);
  };
  for (const p of valuation.positions) {
    if (p.marketValue) add(p.currency, p.instrument.symbol, p.marketValue);
  }
  for (const c of cash) add(c.currency, null, c.amount);
  const out: Allocation[] = [];
  for (const [currency, items] of byCurrency) {
    const gross = [...items.values()].reduce((s, v) => s.plus(v.abs()), ZERO);
    if (gross.isZero()) continue;
    out.push({
      currency,
      gross,
      items: [...items]
        .map(([symbol, value]) => ({
          symbol,
          value,
          share: value.abs().div(gross).mul(100).toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN),
        }))
        .sort((a, b) => b.value.abs().comparedTo(a.value.abs())),
    });
  }
  return out.sort((a, b) => b.gross.comparedTo(a.gross));
}
