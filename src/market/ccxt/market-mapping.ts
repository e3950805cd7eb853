// The exchange's answers as the app's market data: its spot markets as instrument specs, tickers
// as quotes, candles with their close times. Every number comes from the exchange's decimal text
// (venue.ts), never from a float.
import type { Exchange, MarketInterface } from "ccxt";
import { Decimal } from "../../lib/decimal.ts";
import type { InstrumentSpec } from "../catalog.ts";
import { normalizeSymbol } from "../symbols.ts";
import type { Candle, Quote } from "../types.ts";
import { type Venue, type VenueCandle, type VenueTicker, plain } from "./venue.ts";

/** A tradable market and the instrument the app knows it as. */
export interface Listed {
  market: MarketInterface;
  spec: InstrumentSpec;
}

/** The active spot markets by the app's symbol ("BTCUSDT"); `exchange` is the specs' exchange. */
export function listMarkets(
  ex: Exchange,
  venue: Venue,
  exchange: string,
  markets: MarketInterface[],
): Map<string, Listed> {
  const bySymbol = new Map<string, Listed>();
  for (const market of markets) {
    if (!market.spot || market.active === false) continue;
    const symbol = normalizeSymbol(`${market.base}${market.quote}`);
    const rules = venue.rules(ex, market);
    bySymbol.set(symbol, {
      market,
      spec: {
        symbol,
        exchange,
        name: `${market.base} / ${market.quote}`,
        assetType: "CRYPTO",
        baseAsset: market.base,
        currency: market.quote,
        tickSize: rules.tickSize,
        lotSize: rules.lotSize,
        minQty: rules.minQty,
        minNotional: rules.minNotional,
      },
    });
  }
  return bySymbol;
}

/** A ticker as a quote taken at `at` (ms). */
export function toQuote(symbol: string, t: VenueTicker, at: number): Quote {
  const last = new Decimal(t.last);
  let bid = t.bid ? new Decimal(t.bid) : last;
  let ask = t.ask ? new Decimal(t.ask) : last;
  // an empty side of the book reads as 0: fall back to the last trade
  if (bid.lte(0)) bid = Decimal.min(last, ask);
  if (ask.lte(0)) ask = Decimal.max(last, bid);
  return { symbol, bid, ask, last, time: new Date(at), synthetic: false };
}

/** A candle of an interval `len` ms long. */
export function toCandle(c: VenueCandle, len: number): Candle {
  return {
    openTime: new Date(c.openTime),
    closeTime: new Date(c.openTime + len - 1),
    open: new Decimal(plain(c.open)),
    high: new Decimal(plain(c.high)),
    low: new Decimal(plain(c.low)),
    close: new Decimal(plain(c.close)),
    volume: new Decimal(plain(c.volume)),
  };
}
