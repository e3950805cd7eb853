// Bringing the broker's fills into the domain: page by page from the stored cursor, each matched
// to its order (by client or broker id) and ingested idempotently. On venues that also trade
// outside TradeDesk, orders placed elsewhere are recorded as external first; a fill that matches
// nothing is audited and logged, never ingested.
import type { BrokerGateway, GatewayFill, GatewayOrder } from "../../brokers/types.ts";
import { audit } from "../audit/audit-logger.ts";
import { SYSTEM } from "../users/actor.ts";
import { knownOrder, recordExternalOrder } from "./external-orders.ts";
import type { FillSyncResult, SyncEnv } from "./sync-types.ts";

interface FillTarget {
  id: number;
  portfolioId: number;
  instrumentId: number;
  brokerOrderId: string | null;
}

/** Ingests the account's new fills; the cursor is stored after each page. */
export async function ingestFills(
  env: SyncEnv,
  accountId: number,
  gateway: BrokerGateway,
): Promise<FillSyncResult> {
  const { db } = env.ctx;
  const result: FillSyncResult = { ingested: 0, duplicates: 0, unmatched: 0, external: 0 };
  let cursor = (await db.syncCursor.findUnique({ where: { accountId } }))?.cursor ?? null;
  const targets = new Map<string, FillTarget | null>();
  for (let page = 0; page < env.options.maxPages; page++) {
    const batch = await gateway.fetchFillsSince(cursor, env.options.pageSize);
    for (const fill of batch.fills) {
      const key = `${fill.clientOrderId}\u0000${fill.brokerOrderId}`;
      if (!targets.has(key)) {
        let found = await fillTarget(env, accountId, fill);
        if (!found && gateway.capabilities.externalOrders) {
          found = await adoptFilled(env, accountId, gateway, fill);
          if (found) result.external = (result.external ?? 0) + 1;
        }
        targets.set(key, found);
      }
      const target = targets.get(key) ?? null;
      if (!target) {
        result.unmatched++;
        await recordUnmatched(env, accountId, fill);
        continue;
      }
      if (target.brokerOrderId === null && fill.brokerOrderId) {
        // the order reached the broker but the answer was never recorded (a crash or a lost
        // reply): its fills name the broker's id. Recorded now, or a fill ingested before the
        // submit stage adopts the order would leave it without one for good
        await db.order.updateMany({
          where: { id: target.id, brokerOrderId: null },
          data: { brokerOrderId: fill.brokerOrderId },
        });
        target.brokerOrderId = fill.brokerOrderId;
      }
      const ingested = await env.trades.ingestFill(SYSTEM, {
        portfolioId: target.portfolioId,
        instrumentId: target.instrumentId,
        orderId: target.id,
        side: fill.side,
        quantity: fill.quantity,
        price: fill.price,
        fee: fill.fee,
        feeCurrency: fill.feeCurrency,
        execTime: fill.execTime,
        brokerTradeId: fill.brokerTradeId,
        meta: { brokerOrderId: fill.brokerOrderId, broker: gateway.brokerCode },
      });
      if (ingested.duplicate) result.duplicates++;
      else result.ingested++;
    }
    if (batch.cursor !== null && batch.cursor !== cursor) {
      await db.syncCursor.upsert({
        where: { accountId },
        create: { accountId, cursor: batch.cursor },
        update: { cursor: batch.cursor },
      });
      cursor = batch.cursor;
    }
    if (!batch.hasMore) break;
  }
  return result;
}

/** The account's order a fill belongs to, by the client's id or the broker's. */
async function fillTarget(
  env: SyncEnv,
  accountId: number,
  fill: GatewayFill,
): Promise<FillTarget | null> {
  return env.ctx.db.order.findFirst({
    where: {
      portfolio: { accountId },
      OR: [{ clientOrderId: fill.clientOrderId }, { brokerOrderId: fill.brokerOrderId }],
    },
    select: { id: true, portfolioId: true, instrumentId: true, brokerOrderId: true },
  });
}

/** Records the venue's open orders the account does not know (placed outside TradeDesk). */
export async function adoptOpen(
  env: SyncEnv,
  accountId: number,
  open: readonly GatewayOrder[],
): Promise<number> {
  let recorded = 0;
  for (const order of open) {
    if (await knownOrder(env.ctx, accountId, order)) continue;
    const row = await recordExternalOrder(env.ctx, accountId, order);
    if (row) {
      recorded++;
      env.logger.info(
        { accountId, orderId: row.id, brokerOrderId: order.brokerOrderId },
        "external order recorded",
      );
    }
  }
  return recorded;
}

/** The order of a fill nobody here placed, recorded as external (null: cannot be recorded). */
async function adoptFilled(
  env: SyncEnv,
  accountId: number,
  gateway: BrokerGateway,
  fill: GatewayFill,
): Promise<FillTarget | null> {
  if (!fill.brokerOrderId) return null;
  const reported = await gateway.fetchOrder({
    brokerOrderId: fill.brokerOrderId,
    symbol: fill.symbol,
  });
  if (!reported) return null;
  const row = await recordExternalOrder(env.ctx, accountId, reported);
  if (row) {
    env.logger.info(
      { accountId, orderId: row.id, brokerOrderId: fill.brokerOrderId },
      "external order recorded from its fill",
    );
  }
  return row ? { ...row, brokerOrderId: reported.brokerOrderId } : null;
}

async function recordUnmatched(env: SyncEnv, accountId: number, fill: GatewayFill): Promise<void> {
  const details = {
    accountId,
    reason: "no-matching-order",
    brokerTradeId: fill.brokerTradeId,
    brokerOrderId: fill.brokerOrderId,
    clientOrderId: fill.clientOrderId,
    symbol: fill.symbol,
    side: fill.side,
    quantity: fill.quantity.toFixed(),
    price: fill.price.toFixed(),
  };
  env.logger.warn(details, "broker fill for an unknown order was not ingested");
  await audit(env.ctx.db, { actorId: null, entityType: "TRADE", action: "SYNC", details });
}
