// The risk watch: for every active user's portfolios with open positions, compares the standing
// measures — the loss since the start of the user's day and the exposure per instrument —
// against the daily loss limits and exposure caps of the policies that apply (the user's USER
// policies, the portfolio's, and the policies of strategies holding positions there). Findings
// come from risk-watch-findings.ts; each is logged, notified and, where the rule says so, acted
// on by risk-watch-actions.ts (once per policy, portfolio, rule and user's day).
//
// The day is the user's own (their time zone), so the loss measure and the dedupe both start
// afresh at their midnight. `now` should be the services' clock time: the day's PnL is computed
// by PnlService on that clock, and `now` names the day the breach belongs to. The job
// (src/jobs/risk-watch.ts) runs it every minute and gives it the bot's notifier, so the domain
// never words a message.
import type { PortfolioService } from "../portfolios/portfolio-service.ts";
import { SILENT_LOGGER, type SyncLogger } from "../trading/account-sync.ts";
import { type Actor, toActor } from "../users/actor.ts";
import type { RiskNotifier } from "./risk-notifier.ts";
import type { RiskPolicyService } from "./risk-policy-service.ts";
import { BreachActions, type BreachActionDeps } from "./risk-watch-actions.ts";
import { WATCHED, findingsOf } from "./risk-watch-findings.ts";
import type { RiskSnapshotLoader } from "./snapshot-loader.ts";

export interface RiskWatchDeps extends Omit<BreachActionDeps, "logger"> {
  portfolios: PortfolioService;
  policies: RiskPolicyService;
  snapshots: RiskSnapshotLoader;
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

export class RiskWatchService {
  private readonly logger: SyncLogger;
  private readonly actions: BreachActions;

  constructor(private readonly deps: RiskWatchDeps) {
    this.logger = deps.logger ?? SILENT_LOGGER;
    this.actions = new BreachActions({ ...deps, logger: this.logger });
  }

  /** One pass over every active user's portfolios; a failing portfolio is logged, not thrown. */
  async watchAll(now: Date, notifier: RiskNotifier): Promise<RiskWatchSummary> {
    const { db } = this.deps.ctx;
    const summary: RiskWatchSummary = {
      portfolios: 0,
      breaches: 0,
      repeats: 0,
      closeOrders: 0,
      closeFailures: 0,
      errors: [],
    };
    const users = await db.user.findMany({
      where: { isActive: true, OR: [{ status: "APPROVED" }, { isAdmin: true }] },
      orderBy: { id: "asc" },
    });
    for (const user of users) {
      const portfolios = await db.portfolio.findMany({
        where: { userId: user.id, positions: { some: { NOT: { quantity: "0" } } } },
        select: { id: true },
        orderBy: { id: "asc" },
      });
      const actor = toActor(user);
      for (const { id } of portfolios) {
        summary.portfolios++;
        try {
          await this.watchPortfolio(actor, id, now, notifier, summary);
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
    notifier: RiskNotifier,
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
    const site = { owner, portfolio, snapshot, now };
    const held = new Set(snapshot.assets.flatMap((a) => a.strategyIds));
    for (const policy of policies) {
      let strategyIds: number[] | null = null;
      if (policy.scope === "STRATEGY") {
        strategyIds = await this.deps.policies.strategyVersions(owner.id, policy.scopeId);
        // a strategy's policy watches only portfolios where the strategy holds something
        if (!strategyIds.some((id) => held.has(id))) continue;
      }
      for (const finding of findingsOf(policy, snapshot, strategyIds)) {
        const acted = await this.actions.act(site, finding, notifier);
        if (acted === null) summary.repeats++;
        else {
          summary.breaches++;
          summary.closeOrders += acted.filter((c) => c.orderId !== null).length;
          summary.closeFailures += acted.filter((c) => c.errorKey !== null).length;
        }
      }
    }
  }
}
