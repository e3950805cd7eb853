// Pre-trade risk evaluation (TradingService's PreTradeCheck), current usage of the limits, the
// /risk overview and the breach log.
//
// evaluate() is the check TradingService.place() calls once per order: it decides (ALLOW, WARN,
// REDUCE with the largest quantity that fits, BLOCK), and for every outcome but ALLOW writes one
// risk_breaches row per breached rule with the observed numbers and the action, an audit row, and
// a RISK_BREACH notification (WARNING for warn/reduce, ERROR for block) — all in one transaction.
// assess() decides the same way and writes nothing: the order card uses it to show what will
// happen (and to ask the user to confirm a WARN or take a REDUCE) before they press a button;
// a BLOCK goes no further than the card, which logs it with log().
//
// Measures are those of the order's portfolio, in its account's base currency (risk-snapshot.ts):
// a USER-scope rule applies to each of the user's portfolios on its own, a STRATEGY-scope rule to
// the strategy's orders, measured on the portfolio they are placed in.
import type { FundsSource } from "../funds/funds-source.ts";
import { randomUUID } from "node:crypto";
import type { OrderSide, RiskAction } from "../../db/generated/sqlite/enums.ts";
import type { Prisma } from "../../db/generated/sqlite/client.ts";
import { type Decimal, dec } from "../../lib/decimal.ts";
import { audit } from "../audit/audit-logger.ts";
import type { DomainContext } from "../context.ts";
import { NotFoundError } from "../errors.ts";
import type { InstrumentService } from "../instruments/instrument-service.ts";
import type { NotificationService } from "../notifications/notification-service.ts";
import type { NormalizedOrder } from "../orders/order-types.ts";
import type { PnlService } from "../pnl/pnl-service.ts";
import type { PortfolioService, PortfolioView } from "../portfolios/portfolio-service.ts";
import type {
  PreTradeCheck,
  PreTradeContext,
  PreTradeDecision,
} from "../trading/pre-trade-check.ts";
import { type Actor, assertApproved, toActor } from "../users/actor.ts";
import { mergePolicies } from "./effective-policy.ts";
import { breachAction, breachedInOrder, findingOf } from "./risk-findings.ts";
import { type RiskNotifier, sendRiskNotice } from "./risk-notifier.ts";
import type { ApplicablePolicy, PolicyView, RiskPolicyService } from "./risk-policy-service.ts";
import type { PortfolioRiskSnapshot } from "./risk-snapshot.ts";
import {
  type OrderEffect,
  type RiskOutcome,
  type RuleCheck,
  evaluatePreTrade,
} from "./pre-trade-rules.ts";
import { RISK_RULES, type RiskRule } from "./rules.ts";
import { RiskSnapshotLoader } from "./snapshot-loader.ts";
import { type RuleUsage, ruleUsage } from "./usage.ts";

/** The portfolio's figures behind a decision (decimal strings, base currency). */
export interface EquitySummary {
  currency: string;
  cash: string;
  positionsValue: string;
  equity: string;
  grossExposure: string;
  dayPnl: string;
  dayStartEquity: string;
  ordersToday: number;
  /** positions in other currencies: not converted, not counted */
  excluded: Array<{ symbol: string; currency: string; quantity: string }>;
  /** positions valued at cost for want of a price */
  unpriced: string[];
}

export interface RiskDecision extends PreTradeDecision {
  outcome: RiskOutcome;
  /** every rule of the effective policy with its verdict and numbers */
  checks: RuleCheck[];
  /** REDUCE: the quantity as a decimal string (for drafts kept in a session) */
  maxQuantity: string | null;
  requestedQuantity: string;
  symbol: string;
  side: OrderSide;
  /** the price the order was valued at (the execution estimate) */
  referencePrice: string;
  effect: OrderEffect | null;
  /** null when no policy applies (nothing was measured) */
  equity: EquitySummary | null;
  /** the policies that applied */
  policyIds: number[];
  /** the risk_breaches rows written (evaluate only) */
  breachIds: number[];
}

/** Extra inputs a caller may give beyond TradingService's context. */
export interface RiskContext extends PreTradeContext {
  /** a protective stop for the new position: risk per trade = quantity × |entry − stop| */
  protectiveStop?: Decimal | null;
}

/** Usage of one rule of one policy, for alerts (RISK alerts: "warn me at 80 % of a limit"). */
export interface RiskUsage {
  policyId: number;
  rule: RiskRule;
  usedPct: Decimal;
  limit: Decimal;
  observed: Decimal;
}

/** What the alerts engine reads. */
export interface RiskUsageSource {
  usage(userId: number, portfolioId: number): Promise<RiskUsage[]>;
}

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

export interface PolicyUsageView {
  policy: PolicyView;
  /** per rule of the policy: current usage, null when it has none (risk per trade) or cannot be measured */
  rules: Array<{ rule: RiskRule; usage: RuleUsage | null }>;
}

export interface RiskOverview {
  portfolio: PortfolioView;
  equity: EquitySummary;
  /** USER, then PORTFOLIO, then STRATEGY; paused ones included (isActive false) */
  policies: PolicyUsageView[];
  breaches: BreachView[];
}

export interface RiskServiceDeps {
  /** cash per portfolio from the ledger (paper) or the exchange (live); the ledger when absent */
  funds?: Pick<FundsSource, "portfolioCash">;
  portfolios: PortfolioService;
  notifications: NotificationService;
  instruments: InstrumentService;
  pnl: PnlService;
  policies: RiskPolicyService;
}

const str = (d: Decimal) => d.toDecimalPlaces(8).toFixed();

export function equitySummary(s: PortfolioRiskSnapshot): EquitySummary {
  return {
    currency: s.currency,
    cash: str(s.cash),
    positionsValue: str(s.positionsValue),
    equity: str(s.equity),
    grossExposure: str(s.grossExposure),
    dayPnl: str(s.dayPnl),
    dayStartEquity: str(s.dayStartEquity),
    ordersToday: s.ordersToday,
    excluded: s.excluded.map((e) => ({ ...e, quantity: str(e.quantity) })),
    unpriced: s.unpriced,
  };
}

export class RiskService implements PreTradeCheck, RiskUsageSource {
  readonly snapshots: RiskSnapshotLoader;
  private notifier: RiskNotifier | null = null;

  constructor(
    private readonly ctx: DomainContext,
    private readonly deps: RiskServiceDeps,
  ) {
    this.snapshots = new RiskSnapshotLoader(ctx, deps.pnl, deps.funds);
  }

  /**
   * Who words breach notifications (they are queued in the breach's transaction). The bot
   * installs its notifier at start (it is built after the services); without one (scripts)
   * breaches are still logged, just not notified.
   */
  useNotifier(notifier: RiskNotifier): void {
    this.notifier = notifier;
  }

  /** TradingService's pre-trade check: decides, and logs and notifies any breach. */
  async evaluate(
    actor: Actor,
    order: NormalizedOrder,
    context: RiskContext,
  ): Promise<RiskDecision> {
    return this.log(actor, order, context, await this.assess(actor, order, context));
  }

  /**
   * Logs and notifies a decision assess() made (nothing for ALLOW), as evaluate() would. For an
   * attempt that ends before place(): the order card of a blocked order has nothing to confirm.
   */
  async log(
    actor: Actor,
    order: NormalizedOrder,
    context: RiskContext,
    decision: RiskDecision,
  ): Promise<RiskDecision> {
    if (decision.outcome !== "ALLOW")
      decision.breachIds = await this.record(actor, order, context, decision);
    return decision;
  }

  /** The same decision as evaluate(), with nothing written (for the confirmation card). */
  async assess(actor: Actor, order: NormalizedOrder, context: RiskContext): Promise<RiskDecision> {
    assertApproved(actor);
    const base = {
      requestedQuantity: order.quantity.toFixed(),
      symbol: order.symbol,
      side: order.side,
      referencePrice: context.estimate.price.toFixed(),
      breachIds: [],
    };
    const policies = await this.deps.policies.applicable(
      actor.id,
      order.portfolioId,
      order.strategyId,
    );
    if (policies.length === 0)
      return {
        ...base,
        outcome: "ALLOW",
        findings: [],
        checks: [],
        maxQuantity: null,
        effect: null,
        equity: null,
        policyIds: [],
      };
    const portfolio =
      context.portfolio.id === order.portfolioId
        ? context.portfolio
        : await this.deps.portfolios.getPortfolio(actor, order.portfolioId);
    const [snapshot, instrument] = await Promise.all([
      this.snapshots.load(portfolio, { userId: actor.id, timeZone: actor.timeZone }, context.now),
      this.deps.instruments.get(order.instrumentId),
    ]);
    const result = evaluatePreTrade({
      order: {
        instrumentId: order.instrumentId,
        symbol: order.symbol,
        currency: order.currency,
        side: order.side,
        quantity: order.quantity,
        referencePrice: context.estimate.price,
      },
      snapshot,
      policy: mergePolicies(policies),
      rules: instrument.rules,
      protectiveStop: context.protectiveStop ?? null,
    });
    const findings = breachedInOrder(result.checks).map((c) =>
      findingOf(c, {
        symbol: order.symbol,
        currency: snapshot.currency,
        minQuantity: instrument.rules.minQty.toFixed(),
      }),
    );
    return {
      ...base,
      outcome: result.outcome,
      ...(result.maxQuantity ? { quantity: dec(result.maxQuantity) } : {}),
      findings,
      checks: result.checks,
      maxQuantity: result.maxQuantity,
      effect: result.effect,
      equity: equitySummary(snapshot),
      policyIds: policies.map((p) => p.id),
    };
  }

  /** Breach rows, audit and notification for a non-ALLOW decision, in one transaction. */
  private async record(
    actor: Actor,
    order: NormalizedOrder,
    context: RiskContext,
    decision: RiskDecision,
  ): Promise<number[]> {
    const breached = breachedInOrder(decision.checks);
    return this.ctx.db.$transaction(async (tx) => {
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
      if (this.notifier)
        await sendRiskNotice(
          tx,
          { notifications: this.deps.notifications, notifier: this.notifier },
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

  /** Usage of every active rule that bears on a portfolio (for RISK alerts). */
  async usage(userId: number, portfolioId: number): Promise<RiskUsage[]> {
    const user = await this.ctx.db.user.findUnique({ where: { id: userId } });
    if (!user) throw new NotFoundError("user", userId);
    const actor = toActor(user);
    const portfolio = await this.deps.portfolios.getPortfolio(actor, portfolioId);
    const policies = await this.deps.policies.applicableToPortfolio(userId, portfolioId);
    if (!policies.length) return [];
    const snapshot = await this.snapshots.load(
      portfolio,
      { userId, timeZone: user.timeZone },
      this.ctx.clock.now(),
    );
    return usageRows(policies, snapshot);
  }

  /** /risk: the policies bearing on a portfolio with their usage, and the latest breaches. */
  async overview(
    actor: Actor,
    portfolioId?: number | null,
    breachCount = 5,
  ): Promise<RiskOverview> {
    assertApproved(actor);
    const portfolio =
      portfolioId === undefined || portfolioId === null
        ? await this.deps.portfolios.resolvePortfolio(actor)
        : await this.deps.portfolios.getPortfolio(actor, portfolioId);
    const all = await this.deps.policies.list(actor);
    const relevant = all.filter(
      (p) =>
        p.scope === "USER" ||
        p.scope === "STRATEGY" ||
        (p.scope === "PORTFOLIO" && p.scopeId === portfolio.id),
    );
    const snapshot = await this.snapshots.load(
      portfolio,
      { userId: actor.id, timeZone: actor.timeZone },
      this.ctx.clock.now(),
    );
    const order = { USER: 0, PORTFOLIO: 1, STRATEGY: 2 } as const;
    const policies = relevant
      .sort((a, b) => order[a.scope] - order[b.scope] || a.id - b.id)
      .map((policy) => ({
        policy,
        rules: RISK_RULES.filter((r) => policy.config[r]).map((rule) => ({
          rule,
          usage: ruleUsage(rule, policy.config[rule]!.limit, snapshot),
        })),
      }));
    return {
      portfolio,
      equity: equitySummary(snapshot),
      policies,
      breaches: await this.breaches(actor, { portfolioId: portfolio.id, take: breachCount }),
    };
  }

  /** The latest breaches of the actor's policies, newest first (optionally one portfolio's). */
  async breaches(
    actor: Actor,
    options: { portfolioId?: number; take?: number } = {},
  ): Promise<BreachView[]> {
    assertApproved(actor);
    const rows = await this.ctx.db.riskBreach.findMany({
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
}

export function usageRows(
  policies: readonly ApplicablePolicy[],
  snapshot: PortfolioRiskSnapshot,
): RiskUsage[] {
  const out: RiskUsage[] = [];
  for (const policy of policies) {
    for (const rule of RISK_RULES) {
      const r = policy.config[rule];
      if (!r) continue;
      const u = ruleUsage(rule, r.limit, snapshot);
      if (u)
        out.push({
          policyId: policy.id,
          rule,
          usedPct: u.usedPct,
          limit: u.limit,
          observed: u.observed,
        });
    }
  }
  return out;
}

function overallAction(outcome: RiskOutcome): RiskAction {
  return outcome === "BLOCK" ? "BLOCKED" : outcome === "REDUCE" ? "REDUCED_SIZE" : "WARNED";
}
