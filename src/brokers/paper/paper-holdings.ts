// The paper venue is a spot venue: it never lets a sell take an account's holding of an asset
// below zero. A sell is rejected at placement ("insufficient-balance") when its quantity exceeds
// what the account holds less what its other open sells already lock — checked inside the
// placement transaction holding the account's row lock, so of two sells racing for the same
// holding the second is rejected, as an exchange would.
//
// What the account holds of a symbol: the positions of all its portfolios (every fill the domain
// ingested, and trades it was given otherwise, e.g. imported history) plus the venue fills the
// domain has not ingested yet (after the account's sync cursor, and not already a trade). Like
// paper-balances.ts reading the ledger's deposits, the simulation reads the application's own
// tables because it runs on the same database; a live venue knows its balances itself.
// Sells of one OCO group (bracket exits, brokers/oco.ts) lock the holding once.
import type { Tx } from "../../db/client.ts";
import { type Decimal, ZERO, fromDb, maxDec } from "../../lib/decimal.ts";
import { ocoGroupOfClientOrderId } from "../oco.ts";

export const INSUFFICIENT_BALANCE = "insufficient-balance";

export async function sellableQuantity(
  tx: Tx,
  accountId: number,
  symbol: string,
  excludeClientOrderId: string,
): Promise<Decimal> {
  const cursor = await tx.syncCursor.findUnique({ where: { accountId } });
  const after = cursor && /^\d+$/.test(cursor.cursor) ? Number(cursor.cursor) : 0;
  const [positions, pending, openSells] = await Promise.all([
    tx.position.findMany({
      where: { portfolio: { accountId }, instrument: { symbol } },
      select: { quantity: true },
    }),
    tx.paperFill.findMany({
      where: { accountId, id: { gt: after }, order: { symbol } },
      select: { brokerTradeId: true, quantity: true, order: { select: { side: true } } },
    }),
    tx.paperOrder.findMany({
      where: {
        accountId,
        symbol,
        side: "SELL",
        status: { in: ["NEW", "PARTIALLY_FILLED"] },
        clientOrderId: { not: excludeClientOrderId },
      },
      select: { quantity: true, filledQuantity: true, clientOrderId: true },
    }),
  ]);
  const ingested = pending.length
    ? new Set(
        (
          await tx.trade.findMany({
            where: {
              portfolio: { accountId },
              brokerTradeId: { in: pending.map((f) => f.brokerTradeId) },
            },
            select: { brokerTradeId: true },
          })
        ).map((t) => t.brokerTradeId),
      )
    : new Set<string>();
  let held = positions.reduce((sum, p) => sum.plus(fromDb(p.quantity)), ZERO);
  for (const fill of pending) {
    if (ingested.has(fill.brokerTradeId)) continue;
    const quantity = fromDb(fill.quantity);
    held = fill.order.side === "BUY" ? held.plus(quantity) : held.minus(quantity);
  }
  // the legs of one OCO group lock their largest remainder once, and nothing against a new leg
  // of the same group (only one of them can fill)
  const ownGroup = ocoGroupOfClientOrderId(excludeClientOrderId);
  let locked = ZERO;
  const groups = new Map<string, Decimal>();
  for (const o of openSells) {
    const remaining = fromDb(o.quantity).minus(fromDb(o.filledQuantity));
    const group = ocoGroupOfClientOrderId(o.clientOrderId);
    if (group === null) locked = locked.plus(remaining);
    else if (group !== ownGroup) groups.set(group, maxDec(groups.get(group) ?? ZERO, remaining));
  }
  for (const remaining of groups.values()) locked = locked.plus(remaining);
  return held.minus(locked);
}
