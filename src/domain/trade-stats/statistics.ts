// Figures over closed trades and realized PnL (pure). Money stays per currency (no conversion):
// a portfolio trading USDT and USD pairs gets one set of figures for each.
import { type Decimal, ZERO } from "../../lib/decimal.ts";
import { EXIT_REASONS, type ExitReason } from "./exit-reason.ts";
import type { RoundTrip, SymbolRealized } from "./round-trips.ts";

export interface TradeCounts {
  /** closed round trips */
  trades: number;
  wins: number;
  losses: number;
  /** closed at exactly zero net */
  even: number;
  /** wins / trades × 100; null without trades */
  winRate: Decimal | null;
}

export interface CurrencyTradeStats extends TradeCounts {
  currency: string;
  /** realized PnL of the period's fills net of their fees (the sum of the symbols') */
  realized: Decimal;
  /** sum of the winners' net PnL */
  grossProfit: Decimal;
  /** sum of the losers' net PnL, as a positive amount */
  grossLoss: Decimal;
  /** grossProfit / grossLoss; null when nothing was lost */
  profitFactor: Decimal | null;
  averageWin: Decimal | null;
  /** the average loser's net PnL (negative) */
  averageLoss: Decimal | null;
  /** mean holding time of all closed trades, of winners and of losers, in milliseconds */
  averageHoldMs: number | null;
  averageWinHoldMs: number | null;
  averageLossHoldMs: number | null;
  /** the symbols with the highest and lowest realized PnL (null without any) */
  best: SymbolPerformance | null;
  worst: SymbolPerformance | null;
  exitReasons: Array<{ reason: ExitReason; trades: number; wins: number; net: Decimal }>;
}

export interface SymbolPerformance extends TradeCounts {
  instrumentId: number;
  symbol: string;
  currency: string;
  /** realized PnL of the period's fills on it, net of their fees */
  realized: Decimal;
  /** net PnL of the round trips closed on it */
  closedNet: Decimal;
}

export function counts(trips: readonly RoundTrip[]): TradeCounts {
  let wins = 0;
  let losses = 0;
  for (const t of trips) {
    if (t.net.gt(0)) wins++;
    else if (t.net.lt(0)) losses++;
  }
  const trades = trips.length;
  return {
    trades,
    wins,
    losses,
    even: trades - wins - losses,
    winRate: trades ? ZERO.plus(wins).div(trades).mul(100) : null,
  };
}

function meanMs(trips: readonly RoundTrip[]): number | null {
  if (!trips.length) return null;
  const total = trips.reduce((s, t) => s + (t.closedAt.getTime() - t.openedAt.getTime()), 0);
  return Math.round(total / trips.length);
}

const sum = (values: readonly Decimal[]) => values.reduce((s, v) => s.plus(v), ZERO);

/**
 * One row per symbol with a fill or a closed trade in the period, the highest realized PnL first
 * (ties by symbol).
 */
export function symbolPerformance(
  trips: readonly RoundTrip[],
  realized: readonly SymbolRealized[],
): SymbolPerformance[] {
  const ids = new Map<number, { symbol: string; currency: string }>();
  for (const r of realized) ids.set(r.instrumentId, r);
  for (const t of trips) if (!ids.has(t.instrumentId)) ids.set(t.instrumentId, t);
  return [...ids]
    .map(([instrumentId, { symbol, currency }]) => {
      const mine = trips.filter((t) => t.instrumentId === instrumentId);
      return {
        instrumentId,
        symbol,
        currency,
        ...counts(mine),
        realized: realized.find((r) => r.instrumentId === instrumentId)?.net ?? ZERO,
        closedNet: sum(mine.map((t) => t.net)),
      };
    })
    .sort((a, b) => b.realized.comparedTo(a.realized) || a.symbol.localeCompare(b.symbol));
}

/** The figures of each currency with a fill or a closed trade in the period, by currency. */
export function tradeStatistics(
  trips: readonly RoundTrip[],
  realized: readonly SymbolRealized[],
): CurrencyTradeStats[] {
  const currencies = [
    ...new Set([...realized.map((r) => r.currency), ...trips.map((t) => t.currency)]),
  ].sort();
  return currencies.map((currency) => {
    const mine = trips.filter((t) => t.currency === currency);
    const symbols = symbolPerformance(
      mine,
      realized.filter((r) => r.currency === currency),
    );
    const winners = mine.filter((t) => t.net.gt(0));
    const losers = mine.filter((t) => t.net.lt(0));
    const grossProfit = sum(winners.map((t) => t.net));
    const grossLoss = sum(losers.map((t) => t.net)).neg();
    return {
      currency,
      ...counts(mine),
      realized: sum(symbols.map((s) => s.realized)),
      grossProfit,
      grossLoss,
      profitFactor: grossLoss.isZero() ? null : grossProfit.div(grossLoss),
      averageWin: winners.length ? grossProfit.div(winners.length) : null,
      averageLoss: losers.length ? grossLoss.neg().div(losers.length) : null,
      averageHoldMs: meanMs(mine),
      averageWinHoldMs: meanMs(winners),
      averageLossHoldMs: meanMs(losers),
      best: symbols[0] ?? null,
      worst: symbols.length > 1 ? symbols[symbols.length - 1]! : null,
      exitReasons: EXIT_REASONS.map((reason) => {
        const byReason = mine.filter((t) => t.exitReason === reason);
        return {
          reason,
          trades: byReason.length,
          wins: byReason.filter((t) => t.net.gt(0)).length,
          net: sum(byReason.map((t) => t.net)),
        };
      }).filter((r) => r.trades > 0),
    };
  });
}
