// Orders placed outside TradeDesk on a live account (by hand on the exchange's site or app, or
// by another program), recorded so the account's trades, positions and cash here match the
// exchange. The sync job meets them as open orders it does not know, or as fills of orders it
// does not know, and records each exactly once:
// - the stored clientOrderId is ours, derived from the account and the exchange's order id
//   ("ext-<account>-<broker order id>"; the exchange's own client id is kept in meta), so two
//   processes adopting the same order collide on the unique index and the loser reads the winner's;
// - meta.external = true marks it (the orders table has no column for it: meta holds broker
//   payloads by design), and the audit row says "SYNC" by the system;
// - it goes to the account's portfolio that is its owner's default portfolio, or else the
//   account's oldest live portfolio. An account without a live portfolio cannot record it (the
//   fill is audited as unmatched instead, as before).
import { randomUUID } from "node:crypto";
import type { GatewayOrder } from "../../brokers/types.ts";
import { isUniqueViolationOn } from "../../db/errors.ts";
import { toDb, toDbOrNull } from "../../lib/decimal.ts";
import { audit } from "../audit/audit-logger.ts";
import type { DomainContext } from "../context.ts";

export interface ExternalOrderTarget {
  id: number;
  portfolioId: number;
  instrumentId: number;
}

/** The domain's clientOrderId of an order placed outside TradeDesk. */
export function externalClientOrderId(accountId: number, brokerOrderId: string): string {
  return `ext-${accountId}-${brokerOrderId}`;
}

/** The account's order with this broker id, if recorded. */
export async function knownOrder(
  ctx: DomainContext,
  accountId: number,
  ref: { brokerOrderId: string; clientOrderId?: string | null },
): Promise<ExternalOrderTarget | null> {
  return ctx.db.order.findFirst({
    where: {
      portfolio: { accountId },
      OR: [
        { brokerOrderId: ref.brokerOrderId },
        { clientOrderId: externalClientOrderId(accountId, ref.brokerOrderId) },
        ...(ref.clientOrderId ? [{ clientOrderId: ref.clientOrderId }] : []),
      ],
    },
    select: { id: true, portfolioId: true, instrumentId: true },
  });
}

/** Where an account's external orders go; null when the account has no live portfolio. */
async function targetPortfolio(ctx: DomainContext, accountId: number): Promise<number | null> {
  const portfolios = await ctx.db.portfolio.findMany({
    where: { accountId, archivedAt: null },
    select: { id: true, defaultForUserId: true },
    orderBy: { id: "asc" },
  });
  const preferred = portfolios.find((p) => p.defaultForUserId !== null) ?? portfolios[0];
  return preferred?.id ?? null;
}

/**
 * Records an order the exchange reports and the account does not know, as NEW (its fills then
 * move it on through the ordinary fill path, and the status sync applies a cancel or expiry).
 * Returns the recorded order (an earlier recording when there is one), or null when it cannot be
 * recorded here (no live portfolio, an instrument this installation does not list).
 */
export async function recordExternalOrder(
  ctx: DomainContext,
  accountId: number,
  reported: GatewayOrder,
): Promise<ExternalOrderTarget | null> {
  if (!reported.brokerOrderId) return null;
  const existing = await knownOrder(ctx, accountId, reported);
  if (existing) return existing;
  const portfolioId = await targetPortfolio(ctx, accountId);
  if (portfolioId === null) return null;
  const instrument = await ctx.db.instrument.findFirst({
    where: { symbol: reported.symbol, isActive: true },
    select: { id: true },
    orderBy: { id: "asc" },
  });
  if (!instrument) return null;
  const clientOrderId = externalClientOrderId(accountId, reported.brokerOrderId);
  try {
    return await ctx.db.$transaction(async (tx) => {
      const row = await tx.order.create({
        data: {
          uid: randomUUID(),
          portfolioId,
          instrumentId: instrument.id,
          side: reported.side,
          type: reported.type,
          status: "NEW",
          timeInForce: reported.timeInForce,
          quantity: toDb(reported.quantity),
          price: toDbOrNull(reported.price),
          stopPrice: toDbOrNull(reported.type === "TRAILING" ? null : reported.stopPrice),
          trailAmount: toDbOrNull(reported.trailAmount),
          trailPercent: toDbOrNull(reported.trailPercent),
          clientOrderId,
          brokerOrderId: reported.brokerOrderId,
          placedAt: reported.updatedAt,
          meta: { external: true, venueClientOrderId: reported.clientOrderId },
        },
        select: { id: true, portfolioId: true, instrumentId: true },
      });
      await audit(tx, {
        actorId: null,
        entityType: "ORDER",
        entityId: row.id,
        action: "SYNC",
        details: {
          event: "external order recorded",
          accountId,
          brokerOrderId: reported.brokerOrderId,
          venueClientOrderId: reported.clientOrderId,
          symbol: reported.symbol,
          side: reported.side,
          type: reported.type,
          quantity: toDb(reported.quantity),
          status: reported.status,
        },
      });
      return row;
    });
  } catch (e) {
    // another process recorded it first
    if (isUniqueViolationOn(e, "clientOrderId") || isUniqueViolationOn(e, "brokerOrderId"))
      return knownOrder(ctx, accountId, reported);
    throw e;
  }
}
