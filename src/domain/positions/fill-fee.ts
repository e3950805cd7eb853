// How a fill's fee reaches its position, by the asset the venue charged it in (pure). Ingestion,
// the recompute from trades, /pnl's period replay and the trade statistics all go through
// positionFill(), so they can never disagree about a fee.
//
// The trade row always keeps the fee as charged: its amount in its own asset (feeCurrency). The
// position (quantity in the base asset, fees in the quote currency) sees it as follows:
// - quote currency (or none given): the fee counts in `fees` as is.
// - base asset (Binance takes a buy's commission from the coin bought: buy 0.01 BTC, receive
//   0.00999): the position holds what the account holds, so the fee leaves the quantity (a buy
//   adds quantity − fee, a sell removes quantity + fee), and its value at the fill price,
//   fee × price rounded to the storage scale, counts in `fees`. The kept units cost the fill
//   price (the average does not absorb the fee) and the fee's units are disposed of at the fill
//   price, so realized + unrealized − fees still equals the change in what the account is worth.
// - any other asset (BNB paying the commission): the quantity is untouched; the fee counts in
//   `fees` at its value in the quote currency at the fill's time (`feeValue`, stored in the
//   trade's meta when ingestion could price it: the close of the fee asset's minute candle against
//   the quote), and not at all when no price was available then (the trade still records it).
import {
  type Decimal,
  type DecimalLike,
  ZERO,
  fromDb,
  fromDbOrNull,
  roundForStorage,
} from "../../lib/decimal.ts";
import type { FillInput, Side } from "./position-math.ts";

export type FeeKind = "quote" | "base" | "other";

/** What the fee rules need of an instrument. */
export interface FeeAssets {
  /** quote currency: prices, PnL and position fees are in it */
  currency: string;
  baseAsset: string | null;
}

export interface TradeFee {
  side: Side;
  quantity: Decimal;
  price: Decimal;
  /** in feeCurrency */
  fee: Decimal;
  feeCurrency: string | null;
  /** an "other" fee valued in the quote currency at the fill's time; null when unpriced */
  feeValue: Decimal | null;
}

export function feeKind(feeCurrency: string | null | undefined, assets: FeeAssets): FeeKind {
  if (!feeCurrency || feeCurrency === assets.currency) return "quote";
  if (assets.baseAsset && feeCurrency === assets.baseAsset) return "base";
  return "other";
}

/** The fill as the position applies it (see the rules above). */
export function positionFill(trade: TradeFee, assets: FeeAssets): FillInput {
  const { side, quantity, price, fee } = trade;
  switch (feeKind(trade.feeCurrency, assets)) {
    case "quote":
      return { side, quantity, price, fee };
    case "base":
      if (fee.isZero()) return { side, quantity, price, fee };
      return {
        side,
        quantity: side === "BUY" ? quantity.minus(fee) : quantity.plus(fee),
        price,
        fee: roundForStorage(fee.mul(price)),
      };
    case "other":
      return { side, quantity, price, fee: trade.feeValue ?? ZERO };
  }
}

/** The meta key ingestion stores an "other" fee's quote value under (a canonical decimal). */
export const FEE_VALUE_KEY = "feeValue";

/** The stored quote value of an "other" fee from a trade's meta; null when none. */
export function feeValueOf(meta: unknown): string | null {
  if (meta && typeof meta === "object" && !Array.isArray(meta)) {
    const v = (meta as Record<string, unknown>)[FEE_VALUE_KEY];
    if (typeof v === "string" && v !== "") return v;
  }
  return null;
}

/** A stored trade row's fee fields (decimals as either database returns them). */
export function storedTradeFee(row: {
  side: Side;
  quantity: DecimalLike;
  price: DecimalLike;
  fee: DecimalLike;
  feeCurrency: string | null;
  meta: unknown;
}): TradeFee {
  return {
    side: row.side,
    quantity: fromDb(row.quantity),
    price: fromDb(row.price),
    fee: fromDb(row.fee),
    feeCurrency: row.feeCurrency,
    feeValue: fromDbOrNull(feeValueOf(row.meta)),
  };
}
