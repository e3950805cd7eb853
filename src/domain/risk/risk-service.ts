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
import { dec } from "../../lib/decimal.ts";
import type { DomainContext } from "../context.ts";
import { NotFoundError } from "../errors.ts";
import type { InstrumentService } from "../instruments/instrument-service.ts";
import type { NotificationService } from "../notifications/notification-service.ts";
import type { NormalizedOrder } from "../orders/order-types.ts";
import type { PnlService } from "../pnl/pnl-service.ts";
import type { PortfolioService } from "../portfolios/portfolio-service.ts";
import type { PreTradeCheck } from "../trading/pre-trade-check.ts";
import { type Actor, assertApproved, toActor } from "../users/actor.ts";
import { type BreachView, listBreaches, recordBreaches } from "./breach-log.ts";
import { mergePolicies } from "./effective-policy.ts";
import { evaluatePreTrade } from "./pre-trade-rules.ts";
import { type RiskContext, type RiskDecision, equitySummary } from "./risk-decision.ts";
import { breachedInOrder, findingOf } from "./risk-findings.ts";
import type { RiskNotifier } from "./risk-notifier.ts";
import type { RiskPolicyService } from "./risk-policy-service.ts";
import { type RiskOverview, type RiskUsage, policyUsages, usageRows } from "./risk-reports.ts";
import { RiskSnapshotLoader } from "./snapshot-loader.ts";

export type { BreachView } from "./breach-log.ts";
export type { RiskDecision } from "./risk-decision.ts";

export interface RiskServiceDeps {
  /** cash per portfolio from the ledger (paper) or the exchange (live); the ledger when absent */
  funds?: Pick<FundsSource, "portfolioCash">;
  portfolios: PortfolioService;
  notifications: NotificationService;
  instruments: InstrumentService;
  pnl: PnlService;
  policies: RiskPolicyService;
}

export class RiskService implements PreTradeCheck {
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
      decision.breachIds = await recordBreaches(
        this.ctx.db,
        { notifications: this.deps.notifications, notifier: this.notifier },
        actor,
        order,
        context,
        decision,
      );
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
      context.strategyName,
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
    const snapshot = await this.snapshots.load(
      portfolio,
      { userId: actor.id, timeZone: actor.timeZone },
      this.ctx.clock.now(),
    );
    const policies = policyUsages(await this.deps.policies.list(actor), portfolio.id, snapshot);
    return {
      portfolio,
      equity: equitySummary(snapshot),
      policies,
      breaches: await this.breaches(actor, { portfolioId: portfolio.id, take: breachCount }),
    };
  }

  /** The latest breaches of the actor's policies, newest first (optionally one portfolio's). */
  breaches(
    actor: Actor,
    options: { portfolioId?: number; take?: number } = {},
  ): Promise<BreachView[]> {
    return listBreaches(this.ctx.db, actor, options);
  }
}
