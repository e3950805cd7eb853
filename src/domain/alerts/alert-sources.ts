// Where alert observations get their data during one evaluation run (or one creation): quotes,
// past prices, indicator snapshots through the shared candle cache, positions and risk usage,
// each fetched at most once per run however many alerts ask for it.
import type { Db } from "../../db/client.ts";
import { type Decimal, ZERO } from "../../lib/decimal.ts";
import { type Interval, MarketUnavailableError } from "../../market/types.ts";
import type { IndicatorSpec } from "../indicators/indicator-spec.ts";
import { IndicatorSnapshot, seriesNeeds } from "../indicators/indicator-snapshot.ts";
import { unrealizedPnl } from "../positions/position-math.ts";
import type { PositionView } from "../positions/position-service.ts";
import type { ObservationSources, PositionMark } from "./alert-observer.ts";
import type { AlertServiceDeps } from "./alert-service.ts";
import type { RiskUsage } from "./risk-usage.ts";

export function createObservationSources(
  db: Db,
  deps: Pick<AlertServiceDeps, "market" | "candles" | "positions" | "risk">,
): ObservationSources {
  const { market, candles, positions, risk } = deps;
  const quotes = new Map<string, Promise<Decimal>>();
  const portfolioPositions = new Map<number, Promise<PositionView[]>>();
  const usage = new Map<string, Promise<RiskUsage[]>>();
  const lastPrice = (symbol: string) =>
    memo(quotes, symbol, async () => {
      const quote = await market.quote(symbol);
      // a stale quote (exchange unreachable) is no ground for firing or re-arming an alert
      if (quote.stale) throw new MarketUnavailableError(market.name, quote.time);
      return quote.last;
    });
  return {
    lastPrice,
    priceAt: async (symbol, at) => {
      const bars = await market.candles(symbol, "1m", { to: at, limit: 1 });
      return bars.at(-1)?.close ?? null;
    },
    snapshot: (symbol: string, interval: Interval, specs: IndicatorSpec[]) =>
      IndicatorSnapshot.load(candles, symbol, interval, seriesNeeds(specs)),
    position: async (portfolioId, symbol) => {
      const list = await memo(portfolioPositions, portfolioId, () =>
        positions.snapshotUnchecked(db, portfolioId),
      );
      const mine = list.filter((p) => p.symbol === symbol);
      return mine.length ? markPosition(mine, await lastPrice(symbol)) : null;
    },
    riskUsage: async (userId, portfolioId) =>
      risk ? memo(usage, `${userId}:${portfolioId}`, () => risk.usage(userId, portfolioId)) : null,
  };
}

function memo<K, V>(cache: Map<K, Promise<V>>, key: K, load: () => Promise<V>): Promise<V> {
  let hit = cache.get(key);
  if (!hit) {
    hit = load();
    cache.set(key, hit);
  }
  return hit;
}

/** One instrument's positions in a portfolio (one per strategy) as a single position. */
function markPosition(list: PositionView[], last: Decimal): PositionMark | null {
  let quantity = ZERO;
  let unrealized = ZERO;
  let basis = ZERO;
  for (const p of list) {
    quantity = quantity.plus(p.quantity);
    unrealized = unrealized.plus(unrealizedPnl(p, last));
    basis = basis.plus(p.quantity.abs().mul(p.avgPrice));
  }
  if (quantity.isZero()) return null;
  return {
    quantity,
    avgPrice: basis.div(quantity.abs()),
    lastPrice: last,
    unrealized,
    basis,
    currency: list[0]!.currency,
  };
}
