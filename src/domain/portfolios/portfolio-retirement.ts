// Retiring a portfolio: deleting it, or archiving it when it has any history (orders, trades or
// cash movements), since history is never destroyed. Either is refused while it holds open orders,
// open positions or cash. What referred to it (schedules, alerts, portfolio risk policies) is
// paused in the same transaction, and the owner is told once through the outbox.
import type { DbOrTx, Tx } from "../../db/client.ts";
import { lockRow } from "../../db/locks.ts";
import { fromDb } from "../../lib/decimal.ts";
import { audit } from "../audit/audit-logger.ts";
import { cashBalances } from "../cash/cash-ledger.ts";
import type { DomainContext } from "../context.ts";
import { NotFoundError, StateError } from "../errors.ts";
import type { NotificationService } from "../notifications/notification-service.ts";
import { OPEN_STATUSES } from "../orders/order-status.ts";
import { scheduleTargetSchema } from "../schedules/schedule-types.ts";
import type { Actor } from "../users/actor.ts";
import {
  LIVE,
  type PortfolioView,
  type RetirementBlockers,
  type RetirementResult,
  moveDefault,
} from "./portfolio-rows.ts";
import {
  type PausedReferences,
  type RetirementNotifier,
  sendRetirementNotice,
} from "./retirement-notice.ts";

export interface RetirementDeps {
  ctx: DomainContext;
  notifications: NotificationService | null;
  notifier: RetirementNotifier | null;
}

/**
 * PortfolioService.deletePortfolio once the portfolio is known to be the actor's and live: checked
 * again under the account lock, since an order may have been placed meanwhile.
 */
export async function retirePortfolio(
  deps: RetirementDeps,
  actor: Actor,
  portfolio: PortfolioView,
): Promise<RetirementResult> {
  const { ctx } = deps;
  const portfolioId = portfolio.id;
  const now = ctx.clock.now();
  return ctx.db.$transaction(async (tx) => {
    // placements and fills of the account wait for this (PostgreSQL; SQLite is serialized)
    await lockRow(tx, ctx.provider, "accounts", portfolio.accountId);
    const current = await tx.portfolio.findFirst({
      where: { id: portfolioId, userId: actor.id, ...LIVE },
      select: { id: true },
    });
    if (!current) throw new NotFoundError("portfolio", portfolioId);
    const blockers = await blockersIn(tx, portfolioId);
    if (blockers.openOrders > 0 || blockers.openPositions > 0) {
      throw new StateError("error-portfolio-not-flat", {
        name: portfolio.name,
        orders: blockers.openOrders,
        positions: blockers.openPositions,
      });
    }
    for (const [currency, amount] of await cashBalances(tx, portfolioId)) {
      if (!amount.isZero())
        throw new StateError("error-portfolio-has-cash", {
          name: portfolio.name,
          amount: amount.toFixed(),
          currency,
        });
    }
    // any order, trade or cash movement is history: it is archived, never destroyed
    const [orders, trades, cash] = await Promise.all([
      tx.order.count({ where: { portfolioId } }),
      tx.trade.count({ where: { portfolioId } }),
      tx.cashTransaction.count({ where: { portfolioId } }),
    ]);
    const outcome = orders > 0 || trades > 0 || cash > 0 ? "ARCHIVED" : "DELETED";
    const paused = await pauseReferences(tx, actor.id, portfolioId, now);
    if (outcome === "ARCHIVED") {
      await tx.portfolio.update({
        where: { id: portfolioId },
        data: { archivedAt: now, archiveKey: portfolioId, defaultForUserId: null },
      });
    } else {
      await tx.portfolio.delete({ where: { id: portfolioId } });
    }
    if (portfolio.isDefault) {
      const next = await tx.portfolio.findFirst({
        where: { userId: actor.id, ...LIVE },
        orderBy: { id: "asc" },
      });
      if (next) await moveDefault(tx, actor.id, next.id);
    }
    await tx.user.updateMany({
      where: { id: actor.id, activePortfolioId: portfolioId },
      data: { activePortfolioId: null },
    });
    await audit(tx, {
      actorId: actor.id,
      entityType: "PORTFOLIO",
      entityId: portfolioId,
      action: outcome === "ARCHIVED" ? "ARCHIVE" : "DELETE",
      details: { name: portfolio.name, orders, trades, paused: { ...paused } },
    });
    await sendRetirementNotice(
      tx,
      deps,
      { userId: actor.id, portfolio: { id: portfolioId, name: portfolio.name }, outcome, paused },
      `portfolio-retired:${portfolioId}`,
    );
    return { outcome, name: portfolio.name, paused };
  });
}

/** PortfolioService.pauseOrphanedSchedule: false when there was nothing to pause. */
export async function pauseScheduleOfRetiredPortfolio(
  deps: RetirementDeps,
  scheduleId: number,
  userId: number,
  portfolioId: number,
): Promise<boolean> {
  return deps.ctx.db.$transaction(async (tx) => {
    const schedule = await tx.schedule.findFirst({
      where: { id: scheduleId, userId, isActive: true },
      select: { id: true, name: true },
    });
    if (!schedule) return false;
    const portfolio = await tx.portfolio.findFirst({
      where: { id: portfolioId, userId },
      select: { name: true, archivedAt: true },
    });
    if (portfolio && !portfolio.archivedAt) return false;
    const { count } = await tx.schedule.updateMany({
      where: { id: scheduleId, isActive: true },
      data: { isActive: false, nextRunAt: null },
    });
    if (count !== 1) return false;
    await audit(tx, {
      actorId: null,
      entityType: "SCHEDULE",
      entityId: scheduleId,
      action: "PAUSE",
      details: { reason: portfolio ? "portfolio-archived" : "portfolio-missing", portfolioId },
    });
    await sendRetirementNotice(
      tx,
      deps,
      {
        userId,
        portfolio: { id: portfolioId, name: portfolio?.name ?? null },
        outcome: portfolio ? "ARCHIVED" : "MISSING",
        paused: { schedules: [schedule.name], alerts: [], policies: [] },
      },
      `portfolio-retired:${portfolioId}:schedule:${scheduleId}`,
    );
    return true;
  });
}

export async function blockersIn(db: DbOrTx, portfolioId: number): Promise<RetirementBlockers> {
  const [openOrders, positions] = await Promise.all([
    db.order.count({ where: { portfolioId, status: { in: [...OPEN_STATUSES] } } }),
    db.position.findMany({ where: { portfolioId }, select: { quantity: true } }),
  ]);
  // quantities are decimal strings (TEXT on SQLite): compared in decimal.js, not in SQL
  const openPositions = positions.filter((p) => !fromDb(p.quantity).isZero()).length;
  return { openOrders, openPositions };
}

/** Pauses the user's active schedules, alerts and risk policies that refer to the portfolio. */
async function pauseReferences(
  tx: Tx,
  userId: number,
  portfolioId: number,
  now: Date,
): Promise<PausedReferences> {
  const [schedules, alerts, policies] = await Promise.all([
    tx.schedule.findMany({
      where: { userId, isActive: true },
      select: { id: true, name: true, config: true },
      orderBy: { id: "asc" },
    }),
    tx.alert.findMany({
      where: { userId, portfolioId, isActive: true },
      select: { id: true, name: true },
      orderBy: { id: "asc" },
    }),
    tx.riskPolicy.findMany({
      where: { userId, scopeType: "PORTFOLIO", scopeId: portfolioId, isActive: true },
      select: { id: true, name: true },
      orderBy: { id: "asc" },
    }),
  ]);
  const pausedSchedules = schedules.filter((s) => {
    const target = scheduleTargetSchema.safeParse(s.config);
    return target.success && target.data.kind !== "SCREENER"
      ? target.data.portfolioId === portfolioId
      : false;
  });
  if (pausedSchedules.length) {
    await tx.schedule.updateMany({
      where: { id: { in: pausedSchedules.map((s) => s.id) } },
      data: { isActive: false, nextRunAt: null, updatedAt: now },
    });
  }
  if (alerts.length) {
    await tx.alert.updateMany({
      where: { id: { in: alerts.map((a) => a.id) } },
      data: { isActive: false, updatedAt: now },
    });
  }
  if (policies.length) {
    await tx.riskPolicy.updateMany({
      where: { id: { in: policies.map((p) => p.id) } },
      data: { isActive: false, updatedAt: now },
    });
  }
  return {
    schedules: pausedSchedules.map((s) => s.name),
    alerts: alerts.map((a) => a.name),
    policies: policies.map((p) => p.name),
  };
}
