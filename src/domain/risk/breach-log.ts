// The breach log: every non-ALLOW pre-trade decision writes one risk_breaches row per breached
// rule with the observed numbers and the action, an audit row and a notification, all in one
// transaction; /risk reads the latest rows back.
import { randomUUID } from "node:crypto";
import type { Db } from "../../db/client.ts";
import type { Prisma } from "../../db/generated/sqlite/client.ts";
import type { RiskAction } from "../../db/generated/sqlite/enums.ts";
import { audit } from "../audit/audit-logger.ts";
import type { NotificationService } from "../notifications/notification-service.ts";
import type { NormalizedOrder } from "../orders/order-types.ts";
import { type Actor, assertApproved } from "../users/actor.ts";
import type { RiskContext, RiskDecision } from "./risk-decision.ts";
import { breachAction, breachedInOrder } from "./risk-findings.ts";
import { type RiskNotifier, sendRiskNotice } from "./risk-notifier.ts";
import type { RiskOutcome } from "./pre-trade-rules.ts";

export interface BreachView {
  id: number;
  policyId: number;
  policyName: string;
  portfolioId: number | null;
  symbol: string | null;
  orderId: number | null;
  rule: string;
  action: RiskAction;
  /** the numbers recorded with it (decimal strings) */
  observed: Record<string, unknown>;
  createdAt: Date;
}

/** Breach rows, audit and notification for a non-ALLOW decision, in one transaction. */
export async function recordBreaches(
  db: Db,
  notify: { notifications: NotificationService; notifier: RiskNotifier | null },
  actor: Actor,
  order: NormalizedOrder,
  context: RiskContext,
  decision: RiskDecision,
): Promise<number[]> {
  const breached = breachedInOrder(decision.checks);
  return db.$transaction(async (tx) => {
    const ids: number[] = [];
    for (const check of breached) {
      const action = breachAction(check, decision.outcome);
      const row = await tx.riskBreach.create({
        data: {
          uid: randomUUID(),
          policyId: check.policyId,
          portfolioId: order.portfolioId,
          instrumentId: order.instrumentId,
          orderId: null,
          rule: check.rule,
          action,
          // stamped with the domain's clock, like the day it is counted in
          createdAt: context.now,
          observed: {
            source: "pre-trade",
            outcome: decision.outcome,
            limit: check.limit,
            observed: check.observed,
            reason: check.reason,
            ...check.numbers,
            clientOrderId: order.clientOrderId,
            symbol: order.symbol,
            side: order.side,
            type: order.type,
            quantity: decision.requestedQuantity,
            referencePrice: decision.referencePrice,
            maxQuantity: decision.maxQuantity,
            currency: decision.equity?.currency ?? null,
          } satisfies Prisma.InputJsonObject,
        },
      });
      ids.push(row.id);
      await audit(tx, {
        actorId: actor.id,
        entityType: "POLICY",
        entityId: check.policyId,
        action: "BREACH",
        details: {
          breachId: row.id,
          rule: check.rule,
          action,
          clientOrderId: order.clientOrderId,
        },
      });
    }
    if (notify.notifier)
      await sendRiskNotice(
        tx,
        { notifications: notify.notifications, notifier: notify.notifier },
        {
          userId: actor.id,
          severity: decision.outcome === "BLOCK" ? "ERROR" : "WARNING",
          dedupeKey: `risk:order:${order.clientOrderId}:${decision.outcome}`,
          source: "pre-trade",
          action: overallAction(decision.outcome),
          portfolio: {
            id: context.portfolio.id,
            name: context.portfolio.name,
            currency: decision.equity?.currency ?? context.portfolio.baseCurrency,
          },
          order: {
            symbol: order.symbol,
            side: order.side,
            quantity: decision.requestedQuantity,
            maxQuantity: decision.maxQuantity,
          },
          breaches: breached,
          closed: [],
          at: context.now,
        },
      );
    return ids;
  });
}

/** The latest breaches of the actor's policies, newest first (optionally one portfolio's). */
export async function listBreaches(
  db: Db,
  actor: Actor,
  options: { portfolioId?: number; take?: number } = {},
): Promise<BreachView[]> {
  assertApproved(actor);
  const rows = await db.riskBreach.findMany({
    where: {
      policy: { userId: actor.id },
      ...(options.portfolioId !== undefined ? { portfolioId: options.portfolioId } : {}),
    },
    include: { policy: { select: { name: true } }, instrument: { select: { symbol: true } } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: Math.max(1, Math.min(50, options.take ?? 10)),
  });
  return rows.map((r) => ({
    id: r.id,
    policyId: r.policyId,
    policyName: r.policy.name,
    portfolioId: r.portfolioId,
    symbol: r.instrument?.symbol ?? null,
    orderId: r.orderId,
    rule: r.rule,
    action: r.action,
    observed: (r.observed ?? {}) as Record<string, unknown>,
    createdAt: r.createdAt,
  }));
}

function overallAction(outcome: RiskOutcome): RiskAction {
  return outcome === "BLOCK" ? "BLOCKED" : outcome === "REDUCE" ? "REDUCED_SIZE" : "WARNED";
}
