// The account's balances and fee rates from ccxt's answers, as exact Decimals: Binance's own
// strings where the answer is Binance-shaped, ccxt's unified numbers turned back into their
// shortest exact decimal text otherwise.
import type { Balances, Exchange, MarketInterface as Market } from "ccxt";
import { Decimal } from "../../lib/decimal.ts";
import type { AssetBalance, CostModel } from "../types.ts";

/** The assets held (free or locked), by asset code; empty balances left out. */
export function toBalances(ex: Exchange, balance: Balances): Map<string, AssetBalance> {
  const out = new Map<string, AssetBalance>();
  const raw = (balance.info as { balances?: unknown }).balances;
  if (Array.isArray(raw)) {
    for (const b of raw as Array<{ asset?: unknown; free?: unknown; locked?: unknown }>) {
      if (typeof b.asset !== "string") continue;
      const free = new Decimal(String(b.free ?? "0"));
      const locked = new Decimal(String(b.locked ?? "0"));
      if (free.isZero() && locked.isZero()) continue;
      out.set(b.asset, { free, locked });
    }
    return out;
  }
  // not Binance-shaped: ccxt's unified free/used, back to their exact decimal text
  const totals = balance as unknown as Record<string, { free?: number; used?: number }>;
  for (const [asset, b] of Object.entries(totals)) {
    if (!b || typeof b !== "object" || typeof b.free !== "number") continue;
    const free = new Decimal(ex.numberToString(b.free));
    const locked = new Decimal(ex.numberToString(b.used ?? 0));
    if (free.isZero() && locked.isZero()) continue;
    out.set(asset, { free, locked });
  }
  return out;
}

/** The market's maker and taker rates (the exchange's defaults without one; 0.1 % unknown). */
export function toCostModel(ex: Exchange, market: Market | null): CostModel {
  const fees = (ex.fees as { trading?: { maker?: number; taker?: number } }).trading ?? {};
  const rate = (v: number | undefined) =>
    new Decimal(ex.numberToString(typeof v === "number" && Number.isFinite(v) ? v : 0.001));
  return {
    makerFeeRate: rate(market?.maker ?? fees.maker),
    takerFeeRate: rate(market?.taker ?? fees.taker),
    slippageRate: new Decimal(0),
  };
}
