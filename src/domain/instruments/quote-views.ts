// What /price and /quote show, computed here so every front formats the same figures: an
// instrument's quote with its spread (also in basis points) and the day's range and change.
import type { Decimal } from "../../lib/decimal.ts";
import { type MarketData, type Quote, isMarketUnavailable } from "../../market/types.ts";
import type { InstrumentService, InstrumentView } from "./instrument-service.ts";

export interface PriceView {
  instrument: InstrumentView;
  quote: Quote;
}

export interface QuoteView extends PriceView {
  spread: Decimal;
  /** the spread in basis points of the last price; null when the last price is zero */
  spreadBps: Decimal | null;
  /** null when the source cannot reach the exchange (the quote is then stale) or has no candle */
  day: {
    low: Decimal;
    high: Decimal;
    /** percent from the day's open; null when it opened at zero */
    changePct: Decimal | null;
  } | null;
}

export class QuoteViews {
  constructor(
    private readonly instruments: Pick<InstrumentService, "resolve">,
    private readonly market: Pick<MarketData, "quote" | "candles">,
  ) {}

  /** The last price of the instrument `text` names (a symbol, or close enough to suggest one). */
  async price(text: string): Promise<PriceView> {
    const instrument = await this.instruments.resolve(text);
    return { instrument, quote: await this.market.quote(instrument.symbol) };
  }

  /** The full quote: bid/ask, spread, the day's range and change. */
  async quote(text: string): Promise<QuoteView> {
    const { instrument, quote } = await this.price(text);
    const [day] = await this.market
      .candles(instrument.symbol, "1d", { limit: 1 })
      .catch((e: unknown) => {
        // without the exchange the quote can still be shown (stale); the day's range cannot
        if (isMarketUnavailable(e)) return [];
        throw e;
      });
    const spread = quote.ask.minus(quote.bid);
    return {
      instrument,
      quote,
      spread,
      spreadBps: quote.last.isZero() ? null : spread.div(quote.last).mul(10_000),
      day: day
        ? {
            low: day.low,
            high: day.high,
            changePct: day.open.isZero() ? null : quote.last.minus(day.open).div(day.open).mul(100),
          }
        : null,
    };
  }
}
