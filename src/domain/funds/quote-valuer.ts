// Values an amount of one asset in another currency at market quotes: the direct pair (BTC in
// USDT: BTCUSDT's last price) or the inverse one (USDT in BTC: 1 / BTCUSDT). No quote either way:
// null, and the caller names the asset as unpriced rather than guessing a rate.
import { type Decimal, ONE } from "../../lib/decimal.ts";
import type { MarketData } from "../../market/types.ts";

export class QuoteValuer {
  constructor(private readonly market: Pick<MarketData, "quote">) {}

  /** The price of one `asset` in `currency`; null when the market quotes neither pair. */
  async rate(asset: string, currency: string): Promise<Decimal | null> {
    if (asset === currency) return ONE;
    const direct = await this.last(`${asset}${currency}`);
    if (direct && direct.gt(0)) return direct;
    const inverse = await this.last(`${currency}${asset}`);
    return inverse && inverse.gt(0) ? ONE.div(inverse) : null;
  }

  async value(amount: Decimal, asset: string, currency: string): Promise<Decimal | null> {
    if (amount.isZero()) return amount;
    const rate = await this.rate(asset, currency);
    return rate ? amount.mul(rate) : null;
  }

  private async last(symbol: string): Promise<Decimal | null> {
    try {
      return (await this.market.quote(symbol)).last;
    } catch {
      // an unknown pair: no rate this way
      return null;
    }
  }
}
