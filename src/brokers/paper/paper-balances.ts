// The paper account's balances as the venue sees them: the money deposited into the account
// (its ledger's deposits and withdrawals) plus the effect of every paper fill, so the figures
// are right even before the domain has ingested the latest fills. What open orders would spend
// is locked: a buy locks its remaining notional plus fee in the quote currency, a sell its
// remaining quantity of the base asset.
import type { Db } from "../../db/client.ts";
import { type Decimal, ONE, ZERO, fromDb, fromDbOrNull } from "../../lib/decimal.ts";
import type { AssetBalance } from "../types.ts";
import type { VenueInstrument } from "./venue-rules.ts";

export interface BalanceInputs {
  db: Db;
  accountId: number;
  instrument(symbol: string): Promise<VenueInstrument | undefined>;
  /** current ask, to value open buy orders that carry no price (market, trailing) */
  ask(symbol: string): Promise<Decimal>;
  takerFeeRate: Decimal;
}

export async function paperBalances(inputs: BalanceInputs): Promise<Map<string, AssetBalance>> {
  const { db, accountId } = inputs;
  const totals = new Map<string, Decimal>();
  const locked = new Map<string, Decimal>();
  const add = (map: Map<string, Decimal>, asset: string, amount: Decimal) =>
    map.set(asset, (map.get(asset) ?? ZERO).plus(amount));

  const transfers = await db.cashTransaction.findMany({
    where: { accountId, type: { in: ["DEPOSIT", "WITHDRAWAL"] } },
    select: { currency: true, amount: true },
  });
  for (const t of transfers) add(totals, t.currency, fromDb(t.amount));

  const fills = await db.paperFill.findMany({
    where: { accountId },
    select: {
      quantity: true,
      price: true,
      fee: true,
      feeCurrency: true,
      order: { select: { symbol: true, side: true } },
    },
  });
  for (const f of fills) {
    const instrument = await inputs.instrument(f.order.symbol);
    if (!instrument) continue;
    const qty = fromDb(f.quantity);
    const notional = qty.mul(fromDb(f.price));
    const sign = f.order.side === "BUY" ? ONE : ONE.neg();
    add(totals, instrument.baseAsset, qty.mul(sign));
    add(totals, instrument.currency, notional.mul(sign).neg());
    add(totals, f.feeCurrency, fromDb(f.fee).neg());
  }

  const open = await db.paperOrder.findMany({
    where: { accountId, status: { in: ["NEW", "PARTIALLY_FILLED"] } },
  });
  for (const o of open) {
    const instrument = await inputs.instrument(o.symbol);
    if (!instrument) continue;
    const remaining = fromDb(o.quantity).minus(fromDb(o.filledQuantity));
    if (o.side === "SELL") {
      add(locked, instrument.baseAsset, remaining);
      continue;
    }
    const price =
      fromDbOrNull(o.price) ?? fromDbOrNull(o.stopPrice) ?? (await inputs.ask(o.symbol));
    add(locked, instrument.currency, remaining.mul(price).mul(ONE.plus(inputs.takerFeeRate)));
  }

  const out = new Map<string, AssetBalance>();
  for (const asset of [...new Set([...totals.keys(), ...locked.keys()])].sort()) {
    const lockedAmount = locked.get(asset) ?? ZERO;
    out.set(asset, { free: (totals.get(asset) ?? ZERO).minus(lockedAmount), locked: lockedAmount });
  }
  return out;
}
