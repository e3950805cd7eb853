// The read side of running strategies: an owner's instances, their runs and the figures
// /running shows. Every read takes the acting user and only ever finds that user's instances.
// StrategyInstanceService (start, stop, pause, resume, switch) builds on it; split from
// strategy-instance-service.ts.
import { fromDb, toDb } from "../../lib/decimal.ts";
import { startOfDay } from "../../lib/time.ts";
import type { DomainContext } from "../context.ts";
import { NotFoundError } from "../errors.ts";
import type { InstrumentService } from "../instruments/instrument-service.ts";
import type { PortfolioService, PortfolioView } from "../portfolios/portfolio-service.ts";
import { type Actor, assertApproved } from "../users/actor.ts";
import type {
  RunningInstance,
  StrategyInstanceView,
  StrategyRegistry,
  StrategyRunView,
} from "./instance-types.ts";
import { type InstanceRow, instanceInclude, toView } from "./instance-rows.ts";
import { type StrategyMetrics, advanceRun, toRunView } from "./strategy-metrics.ts";

export interface StrategyInstanceDeps {
  ctx: DomainContext;
  portfolios: PortfolioService;
  instruments: InstrumentService;
  metrics: StrategyMetrics;
  registry: StrategyRegistry;
}

export class StrategyInstanceQueries {
  constructor(protected readonly deps: StrategyInstanceDeps) {}

  protected get db() {
    return this.deps.ctx.db;
  }

  async get(actor: Actor, instanceId: number): Promise<StrategyInstanceView> {
    const row = await this.owned(actor, instanceId);
    const latest = await this.latestVersions(actor.id);
    return toView(row, latest);
  }

  /** The actor's instances, running and paused first (stopped ones only when asked). */
  async list(actor: Actor, includeStopped = false): Promise<StrategyInstanceView[]> {
    assertApproved(actor);
    const rows = await this.db.strategyInstance.findMany({
      where: { userId: actor.id, ...(includeStopped ? {} : { status: { not: "STOPPED" } }) },
      include: instanceInclude,
      orderBy: [{ startedAt: "asc" }, { id: "asc" }],
    });
    const latest = await this.latestVersions(actor.id);
    return rows.map((r) => toView(r, latest));
  }

  /** /running: each live instance with its orders today and the PnL of its current run. */
  async running(actor: Actor): Promise<RunningInstance[]> {
    const views = await this.list(actor);
    const dayStart = startOfDay(this.deps.ctx.clock.now(), actor.timeZone);
    const out: RunningInstance[] = [];
    // instances share portfolios and strategies: each is read once per call
    const portfolios = new Map<number, Promise<PortfolioView>>();
    const versions = new Map<string, Promise<number[]>>();
    const once = <K, V>(memo: Map<K, Promise<V>>, key: K, read: () => Promise<V>) => {
      let found = memo.get(key);
      if (!found) memo.set(key, (found = read()));
      return found;
    };
    for (const v of views) {
      const portfolio = await once(portfolios, v.portfolioId, () =>
        this.deps.portfolios.getPortfolio(actor, v.portfolioId),
      );
      const versionIds = await once(versions, v.strategyName, () =>
        this.versionIds(actor.id, v.strategyName),
      );
      const [ordersToday, figures] = await Promise.all([
        this.db.order.count({
          where: {
            portfolioId: v.portfolioId,
            strategyId: { in: versionIds },
            placedAt: { gte: dayStart },
          },
        }),
        this.runFigures(portfolio, v.id, v.strategyId),
      ]);
      out.push({
        ...v,
        ordersToday,
        pnlSinceStart: fromDb(figures.pnl),
        currency: portfolio.baseCurrency,
      });
    }
    return out;
  }

  /**
   * The actor's live (running or paused) instances of a strategy by name, optionally on one
   * portfolio. NotFoundError when there is none.
   */
  async findLive(
    actor: Actor,
    strategyName: string,
    portfolioId?: number,
  ): Promise<StrategyInstanceView[]> {
    const all = await this.list(actor);
    const found = all.filter(
      (v) =>
        v.strategyName.toLowerCase() === strategyName.trim().toLowerCase() &&
        (portfolioId === undefined || v.portfolioId === portfolioId),
    );
    if (!found.length)
      throw new NotFoundError("strategy", strategyName.trim(), "error-strategy-not-running-name");
    return found;
  }

  /** Every run of the actor's instance, newest first. */
  async runs(actor: Actor, instanceId: number): Promise<StrategyRunView[]> {
    const row = await this.owned(actor, instanceId);
    const runs = await this.db.strategyRun.findMany({
      where: { instanceId: row.id },
      orderBy: { id: "desc" },
    });
    return runs.map(toRunView);
  }

  /** Which of the actor's strategy versions run where (for /strategy NAME). */
  async byVersion(
    actor: Actor,
    strategyIds: number[],
  ): Promise<Map<number, Array<{ portfolioName: string; status: string }>>> {
    assertApproved(actor);
    const rows = await this.db.strategyInstance.findMany({
      where: { userId: actor.id, strategyId: { in: strategyIds }, status: { not: "STOPPED" } },
      select: { strategyId: true, status: true, portfolio: { select: { name: true } } },
      orderBy: { id: "asc" },
    });
    const out = new Map<number, Array<{ portfolioName: string; status: string }>>();
    for (const r of rows) {
      const list = out.get(r.strategyId) ?? [];
      list.push({ portfolioName: r.portfolio.name, status: r.status });
      out.set(r.strategyId, list);
    }
    return out;
  }

  /** The current run's figures now: equity, PnL since its start, peak and drawdown. */
  protected async runFigures(portfolio: PortfolioView, instanceId: number, strategyId: number) {
    const run = await this.db.strategyRun.findFirst({
      where: { instanceId, status: "RUNNING" },
      orderBy: { id: "desc" },
    });
    const [equity, net] = await Promise.all([
      this.deps.metrics.equity(portfolio),
      this.deps.metrics.strategyNet(this.db, portfolio.id, strategyId),
    ]);
    return advanceRun(
      run ?? { peakEquity: toDb(equity), maxDrawdown: "0", pnlBase: toDb(net) },
      equity,
      net,
    );
  }

  protected async owned(actor: Actor, instanceId: number): Promise<InstanceRow> {
    assertApproved(actor);
    const row = await this.db.strategyInstance.findFirst({
      where: { id: instanceId, userId: actor.id },
      include: instanceInclude,
    });
    if (!row) throw new NotFoundError("strategy-instance", instanceId);
    return row;
  }

  protected async latestVersions(userId: number): Promise<Map<string, number>> {
    const rows = await this.db.strategy.findMany({
      where: { userId, isActive: true },
      select: { name: true, version: true },
    });
    return new Map(rows.map((r) => [r.name.toLowerCase(), r.version]));
  }

  protected async versionIds(userId: number, name: string): Promise<number[]> {
    const rows = await this.db.strategy.findMany({
      where: { userId },
      select: { id: true, name: true },
    });
    return rows.filter((r) => r.name.toLowerCase() === name.toLowerCase()).map((r) => r.id);
  }
}
