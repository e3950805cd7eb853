// What the risk watch does about a finding: log the breach (risk_breaches), audit it, notify the
// owner (CRITICAL) and, where the breached daily loss rule says closePositions, close the
// positions in the policy's scope with market orders through TradingService, each close audited.
//
// Idempotent: one breach per policy, portfolio, rule and user's day. The breach row is claimed
// (inserted, under the portfolio's row lock on PostgreSQL) before anything is closed, so a run
// that overlaps another, or a restart, never closes twice. Closing orders only reduce positions,
// so the pre-trade check always lets them through.
import { randomUUID } from "node:crypto";
import type { DbOrTx } from "../../db/client.ts";
import type { OrderSide, RiskAction } from "../../db/generated/sqlite/enums.ts";
import type { Prisma } from "../../db/generated/sqlite/client.ts";
import { lockRow } from "../../db/locks.ts";
import { endOfDay, formatLocal, startOfDay } from "../../lib/time.ts";
import { audit } from "../audit/audit-logger.ts";
import type { DomainContext } from "../context.ts";
import { isDomainError } from "../errors.ts";
import type { InstrumentService } from "../instruments/instrument-service.ts";
import type { NotificationService } from "../notifications/notification-service.ts";
import type { PortfolioView } from "../portfolios/portfolio-service.ts";
import type { PositionService } from "../positions/position-service.ts";
import type { SyncLogger } from "../trading/account-sync.ts";
import type { TradingService } from "../trading/trading-service.ts";
import type { Actor } from "../users/actor.ts";
import { type ClosedPosition, type RiskNotifier, sendRiskNotice } from "./risk-notifier.ts";
import type { PortfolioRiskSnapshot } from "./risk-snapshot.ts";
import { type Finding, plain } from "./risk-watch-findings.ts";

export interface BreachActionDeps {
  ctx: DomainContext;
  positions: PositionService;
  instruments: InstrumentService;
  trading: Pick<TradingService, "place">;
  notifications: NotificationService;
  logger: SyncLogger;
}

/** Where a finding was made: whose portfolio, as measured when. */
export interface FindingSite {
  owner: Actor;
  portfolio: PortfolioView;
  snapshot: PortfolioRiskSnapshot;
  now: Date;
}

export class BreachActions {
  constructor(private readonly deps: BreachActionDeps) {}

  /** Logs, notifies and (if asked) closes; null when this breach was handled today already. */
  async act(
    site: FindingSite,
    f: Finding,
    notifier: RiskNotifier,
  ): Promise<ClosedPosition[] | null> {
    const { ctx } = this.deps;
    const { owner, portfolio, snapshot, now } = site;
    const dayStart = startOfDay(now, owner.timeZone);
    const day = formatLocal(dayStart, owner.timeZone).slice(0, 10);
    const action: RiskAction = f.closePositions ? "CLOSED_POSITION" : "WARNED";
    const observed = {
      source: "watch",
      day,
      limit: f.check.limit,
      observed: f.check.observed,
      ...f.check.numbers,
      currency: snapshot.currency,
    };
    const notice = {
      userId: owner.id,
      severity: "CRITICAL" as const,
      dedupeKey: `risk:watch:${f.policy.id}:${portfolio.id}:${f.rule}:${day}`,
      source: "watch" as const,
      action,
      portfolio: { id: portfolio.id, name: portfolio.name, currency: snapshot.currency },
      order: null,
      breaches: [f.check],
      at: now,
    };
    const notify = (db: DbOrTx, closed: ClosedPosition[]) =>
      sendRiskNotice(
        db,
        { notifications: this.deps.notifications, notifier },
        {
          ...notice,
          closed,
        },
      );
    const breachId = await ctx.db.$transaction(async (tx) => {
      await lockRow(tx, ctx.provider, "portfolios", portfolio.id);
      const today = await tx.riskBreach.findMany({
        where: {
          policyId: f.policy.id,
          portfolioId: portfolio.id,
          rule: f.rule,
          createdAt: { gte: dayStart, lt: endOfDay(now, owner.timeZone) },
        },
        select: { observed: true },
      });
      if (today.some((b) => (b.observed as { source?: string } | null)?.source === "watch"))
        return null;
      const row = await tx.riskBreach.create({
        data: {
          uid: randomUUID(),
          policyId: f.policy.id,
          portfolioId: portfolio.id,
          instrumentId: f.instrumentId,
          rule: f.rule,
          action,
          createdAt: now,
          observed: observed satisfies Prisma.InputJsonObject,
        },
      });
      await audit(tx, {
        actorId: null,
        entityType: "POLICY",
        entityId: f.policy.id,
        action: "BREACH",
        details: { breachId: row.id, rule: f.rule, action, portfolioId: portfolio.id, day },
      });
      // without closing, the notification commits with the breach; a close reports its results
      if (!f.closePositions) await notify(tx, []);
      return row.id;
    });
    if (breachId === null) return null;
    if (!f.closePositions) return [];

    const closed = await this.closePositions(owner, portfolio.id, f.strategyIds, breachId);
    await ctx.db.$transaction(async (tx) => {
      await tx.riskBreach.update({
        where: { id: breachId },
        data: {
          observed: {
            ...observed,
            closed: closed.map((c) => ({
              symbol: c.symbol,
              side: c.side,
              quantity: c.quantity,
              orderId: c.orderId,
              error: c.errorKey,
            })),
          } satisfies Prisma.InputJsonObject,
        },
      });
      await notify(tx, closed);
    });
    return closed;
  }

  /** Market orders closing every open position in scope, one by one; failures are reported. */
  private async closePositions(
    owner: Actor,
    portfolioId: number,
    strategyIds: number[] | null,
    breachId: number,
  ): Promise<ClosedPosition[]> {
    const { ctx, positions, instruments, trading } = this.deps;
    const open = await positions.snapshotUnchecked(
      ctx.db,
      portfolioId,
      strategyIds ? { strategyIds } : {},
    );
    const out: ClosedPosition[] = [];
    for (const p of open) {
      if (p.quantity.isZero()) continue;
      const instrument = await instruments.get(p.instrumentId);
      const side: OrderSide = p.quantity.isNeg() ? "BUY" : "SELL";
      const quantity = p.quantity.abs();
      const result: ClosedPosition = {
        symbol: p.symbol,
        side,
        quantity: plain(quantity),
        orderId: null,
        errorKey: null,
        errorParams: {},
      };
      try {
        const placed = await trading.place(owner, {
          portfolioId,
          symbol: `${instrument.symbol}@${instrument.exchange}`,
          side,
          type: "MARKET",
          quantity,
          strategyId: p.strategyId,
          // deterministic: a retried placement of the same close is the same order
          clientOrderId: `rw-${breachId}-${p.id}`,
        });
        result.orderId = placed.order.id;
      } catch (e) {
        result.errorKey = isDomainError(e) ? e.key : "error-unexpected";
        result.errorParams = isDomainError(e) ? e.params : { ref: "-" };
        this.deps.logger.error(
          { portfolioId, positionId: p.id, err: e },
          "risk watch could not close",
        );
      }
      await audit(ctx.db, {
        actorId: null,
        entityType: "POSITION",
        entityId: p.id,
        action: "CLOSE",
        details: {
          breachId,
          portfolioId,
          symbol: p.symbol,
          side,
          quantity: plain(quantity),
          orderId: result.orderId,
          error: result.errorKey,
        },
      });
      out.push(result);
    }
    return out;
  }
}
