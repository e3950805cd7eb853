// The risk watch: for every active user's portfolios with open positions, compares the standing
// measures — the loss since the start of the user's day and the exposure per instrument —
// against the daily loss limits and exposure caps of the policies that apply (the user's USER
// policies, the portfolio's, and the policies of strategies holding positions there). A breach
// is logged (risk_breaches), audited and notified (CRITICAL); where the breached daily loss rule
// says closePositions, the positions in the policy's scope are closed with market orders through
// TradingService (action CLOSED_POSITION), each close audited.
//
// Idempotent: one breach per policy, portfolio, rule and user's day. The breach row is claimed
// (inserted, under the portfolio's row lock on PostgreSQL) before anything is closed, so a run
// that overlaps another, or a restart, never closes twice; the day is the user's own (their time
// zone), so the loss measure and the dedupe both start afresh at their midnight. Closing orders
// only reduce positions, so the pre-trade check always lets them through.
//
// Schedule: every minute, 20 s past (RISK_WATCH_CRON), never overlapping itself (JobScheduler's
// protect):
//   jobs.add({ name: "risk-watch", pattern: RISK_WATCH_CRON, run: () => riskWatch.runOnce() })
// `now` should be the services' clock time (the default): the day's PnL is computed by
// PnlService on that clock, and `now` names the day the breach belongs to.
import { randomUUID } from "node:crypto";
import type { OrderSide, RiskAction } from "../db/generated/sqlite/enums.ts";
import type { Prisma } from "../db/generated/sqlite/client.ts";
import { lockRow } from "../db/locks.ts";
import { audit } from "../domain/audit/audit-logger.ts";
import type { DomainContext } from "../domain/context.ts";
import { isDomainError } from "../domain/errors.ts";
import type { InstrumentService } from "../domain/instruments/instrument-service.ts";
import type { NotificationService } from "../domain/notifications/notification-service.ts";
import type { PortfolioService, PortfolioView } from "../domain/portfolios/portfolio-service.ts";
import type { PositionService } from "../domain/positions/position-service.ts";
import type { RuleCheck } from "../domain/risk/pre-trade-rules.ts";
import {
  type ClosedPosition,
  type RiskNotifier,
  sendRiskNotice,
} from "../domain/risk/risk-notifier.ts";
import type { ApplicablePolicy, RiskPolicyService } from "../domain/risk/risk-policy-service.ts";
import type { RiskSnapshotLoader } from "../domain/risk/snapshot-loader.ts";
import { type PortfolioRiskSnapshot, dailyLoss } from "../domain/risk/risk-snapshot.ts";
import { type RiskRule, breaches } from "../domain/risk/rules.ts";
import { SILENT_LOGGER, type SyncLogger } from "../domain/trading/account-sync.ts";
import type { TradingService } from "../domain/trading/trading-service.ts";
import { type Actor, toActor } from "../domain/users/actor.ts";
import type { Decimal } from "../lib/decimal.ts";
import { endOfDay, formatLocal, startOfDay } from "../lib/time.ts";

/** Every minute at second 20 (croner's six-field form: seconds first). */
export const RISK_WATCH_CRON = "20 * * * * *";

/** The rules that describe a standing position (the others are about single orders). */
const WATCHED: readonly RiskRule[] = [
  "dailyLossLimitPct",
  "maxExposurePerAssetPct",
  "maxExposurePerAssetAbs",
];

export interface RiskWatchDeps {
  ctx: DomainContext;
  portfolios: PortfolioService;
  positions: PositionService;
  instruments: InstrumentService;
  policies: RiskPolicyService;
  snapshots: RiskSnapshotLoader;
  trading: Pick<TradingService, "place">;
  notifications: NotificationService;
  notifier: RiskNotifier;
  logger?: SyncLogger;
}

export interface RiskWatchSummary {
  portfolios: number;
  breaches: number;
  /** breaches already handled today (not acted on again) */
  repeats: number;
  closeOrders: number;
  closeFailures: number;
  errors: Array<{ portfolioId: number; message: string }>;
}

interface Finding {
  policy: ApplicablePolicy;
  rule: RiskRule;
  check: RuleCheck;
  instrumentId: number | null;
  closePositions: boolean;
  /** STRATEGY scope: the strategy ids (all versions) whose positions it governs */
  strategyIds: number[] | null;
}

const str = (d: Decimal) => d.toDecimalPlaces(8).toFixed();

export class RiskWatch {
  private readonly logger: SyncLogger;

  constructor(private readonly deps: RiskWatchDeps) {
    this.logger = deps.logger ?? SILENT_LOGGER;
  }

  async runOnce(now: Date = this.deps.ctx.clock.now()): Promise<RiskWatchSummary> {
    const summary: RiskWatchSummary = {
      portfolios: 0,
      breaches: 0,
      repeats: 0,
      closeOrders: 0,
      closeFailures: 0,
      errors: [],
    };
    const users = await this.deps.ctx.db.user.findMany({
      where: { isActive: true, OR: [{ status: "APPROVED" }, { isAdmin: true }] },
      orderBy: { id: "asc" },
    });
    for (const user of users) {
      const portfolios = await this.deps.ctx.db.portfolio.findMany({
        where: { userId: user.id, positions: { some: { NOT: { quantity: "0" } } } },
        select: { id: true },
        orderBy: { id: "asc" },
      });
      const actor = toActor(user);
      for (const { id } of portfolios) {
        summary.portfolios++;
        try {
          await this.watchPortfolio(actor, id, now, summary);
        } catch (e) {
          summary.errors.push({ portfolioId: id, message: String(e) });
          this.logger.error({ portfolioId: id, err: e }, "risk watch failed for a portfolio");
        }
      }
    }
    return summary;
  }

  private async watchPortfolio(
    owner: Actor,
    portfolioId: number,
    now: Date,
    summary: RiskWatchSummary,
  ): Promise<void> {
    const policies = (await this.deps.policies.applicableToPortfolio(owner.id, portfolioId)).filter(
      (p) => WATCHED.some((r) => p.config[r]),
    );
    if (!policies.length) return;
    const portfolio = await this.deps.portfolios.getPortfolio(owner, portfolioId);
    const snapshot = await this.deps.snapshots.load(
      portfolio,
      { userId: owner.id, timeZone: owner.timeZone },
      now,
    );
    const held = new Set(snapshot.assets.flatMap((a) => a.strategyIds));
    for (const policy of policies) {
      let strategyIds: number[] | null = null;
      if (policy.scope === "STRATEGY") {
        strategyIds = await this.deps.policies.strategyVersions(owner.id, policy.scopeId);
        // a strategy's policy watches only portfolios where the strategy holds something
        if (!strategyIds.some((id) => held.has(id))) continue;
      }
      for (const finding of findingsOf(policy, snapshot, strategyIds)) {
        const acted = await this.act(owner, portfolio, snapshot, finding, now);
        if (acted === null) summary.repeats++;
        else {
          summary.breaches++;
          summary.closeOrders += acted.filter((c) => c.orderId !== null).length;
          summary.closeFailures += acted.filter((c) => c.errorKey !== null).length;
        }
      }
    }
  }

  /** Logs, notifies and (if asked) closes; null when this breach was handled today already. */
  private async act(
    owner: Actor,
    portfolio: PortfolioView,
    snapshot: PortfolioRiskSnapshot,
    f: Finding,
    now: Date,
  ): Promise<ClosedPosition[] | null> {
    const { ctx } = this.deps;
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
      if (!f.closePositions) await sendRiskNotice(tx, this.deps, { ...notice, closed: [] });
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
      await sendRiskNotice(tx, this.deps, { ...notice, closed });
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
        quantity: str(quantity),
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
        this.logger.error({ portfolioId, positionId: p.id, err: e }, "risk watch could not close");
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
          quantity: str(quantity),
          orderId: result.orderId,
          error: result.errorKey,
        },
      });
      out.push(result);
    }
    return out;
  }
}

/** The watched rules a policy breaks on this snapshot (exposure: the worst instrument). */
function findingsOf(
  policy: ApplicablePolicy,
  s: PortfolioRiskSnapshot,
  strategyIds: number[] | null,
): Finding[] {
  const out: Finding[] = [];
  const base = (rule: RiskRule) => {
    const r = policy.config[rule]!;
    return {
      rule,
      action: r.action,
      limit: r.limit.toFixed(),
      policyId: policy.id,
      maxQuantity: null,
      reason: null,
      status: "BREACH" as const,
    };
  };
  const loss = policy.config.dailyLossLimitPct;
  if (loss) {
    const { loss: amount, pct } = dailyLoss(s);
    if (pct !== null && breaches("dailyLossLimitPct", pct, loss.limit)) {
      out.push({
        policy,
        rule: "dailyLossLimitPct",
        instrumentId: null,
        closePositions: loss.closePositions,
        strategyIds,
        check: {
          ...base("dailyLossLimitPct"),
          observed: str(pct),
          numbers: {
            loss: str(amount),
            dayPnl: str(s.dayPnl),
            dayStartEquity: str(s.dayStartEquity),
            equity: str(s.equity),
          },
        },
      });
    }
  }
  // a strategy's caps look at the instruments the strategy holds
  const assets = s.assets.filter(
    (a) => !strategyIds || a.strategyIds.some((id) => id !== null && strategyIds.includes(id)),
  );
  for (const rule of ["maxExposurePerAssetPct", "maxExposurePerAssetAbs"] as const) {
    const cap = policy.config[rule];
    if (!cap) continue;
    if (rule === "maxExposurePerAssetPct" && !s.equity.gt(0)) continue;
    const measured = assets.map((a) => ({
      asset: a,
      value:
        rule === "maxExposurePerAssetPct" ? a.value.abs().div(s.equity).mul(100) : a.value.abs(),
    }));
    const over = measured
      .filter((m) => breaches(rule, m.value, cap.limit))
      .sort((a, b) => b.value.cmp(a.value));
    const worst = over[0];
    if (!worst) continue;
    out.push({
      policy,
      rule,
      instrumentId: worst.asset.instrumentId,
      closePositions: false,
      strategyIds,
      check: {
        ...base(rule),
        observed: str(worst.value),
        numbers: {
          symbol: worst.asset.symbol,
          value: str(worst.asset.value.abs()),
          equity: str(s.equity),
          over: over.map((m) => m.asset.symbol).join(","),
          cash: str(s.cash),
        },
      },
    });
  }
  return out;
}
