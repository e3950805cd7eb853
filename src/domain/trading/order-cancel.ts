// Canceling an open order: ownership and open check → cancel at the broker → ingest fills (it
// may have filled meanwhile) → record whatever the broker reports. An order that never reached
// the broker is canceled here, under the account's sync lock.
import { BrokerOrderNotFoundError } from "../../brokers/gateway-errors.ts";
import type { DbOrTx } from "../../db/client.ts";
import { fromDb } from "../../lib/decimal.ts";
import type { Actor } from "../users/actor.ts";
import type { CancelResult, FillView, TradingServiceDeps } from "./trading-types.ts";

/**
 * Cancels the user's open order. NotFoundError for another user's (or no) order, StateError
 * for one already filled, canceled or expired.
 */
export async function cancelOrder(
  deps: Pick<TradingServiceDeps, "ctx" | "orders" | "portfolios" | "gateways" | "sync">,
  actor: Actor,
  orderId: number,
): Promise<CancelResult> {
  const { orders, portfolios, sync } = deps;
  const db = deps.ctx.db;
  const order = await orders.requireCancelable(actor, orderId);
  const portfolio = await portfolios.getPortfolio(actor, order.portfolioId);
  const gateway = await deps.gateways.forAccount(portfolio.accountId);
  try {
    await sync.cancelAndSettle(actor, portfolio.accountId, orderId, () =>
      gateway.cancelOrder({
        brokerOrderId: order.brokerOrderId,
        clientOrderId: order.clientOrderId,
      }),
    );
  } catch (e) {
    if (!(e instanceof BrokerOrderNotFoundError) || order.brokerOrderId) throw e;
    // it never reached the broker: cancel it here, under the account's sync lock so the sync
    // job cannot be submitting it at the same moment
    const canceled = await sync.exclusive(portfolio.accountId, async () => {
      await orders.requireCancelable(actor, orderId);
      return orders.transition(actor, orderId, {
        status: "CANCELED",
        reason: "canceled-before-submit",
      });
    });
    return { order: canceled, fills: await fillsOf(db, orderId), canceled: true };
  }
  const after = await orders.get(actor, orderId);
  return {
    order: after,
    fills: await fillsOf(db, orderId),
    canceled: after.status === "CANCELED",
  };
}

/** An order's fills, oldest first. */
export async function fillsOf(db: DbOrTx, orderId: number): Promise<FillView[]> {
  const rows = await db.trade.findMany({
    where: { orderId },
    orderBy: { id: "asc" },
  });
  return rows.map((t) => ({
    tradeId: t.id,
    quantity: fromDb(t.quantity),
    price: fromDb(t.price),
    fee: fromDb(t.fee),
    feeCurrency: t.feeCurrency,
    execTime: t.execTime,
  }));
}
