// The read side of running strategies: an owner's instances, their runs and the figures
// /running shows. Every read takes the acting user and only ever finds that user's instances.
// StrategyInstanceService (start, stop, pause, resume, switch) builds on it; split from
// strategy-instance-service.ts.
import { ZERO, fromDb, toDb } from "../../lib/decimal.ts";
import { startOfDay } from "../../lib/time.ts";
import type { DomainContext } from "../context.ts";
import { NotFoundError } from "../errors.ts";
import type { InstrumentService } from "../instruments/instrument-service.ts";
import type { PortfolioService, PortfolioView } from "../portfolios/portfolio-service.ts";
import type { PositionView } from "../positions/position-service.ts";
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

  /**
   * /running: each live instance with its orders today and the PnL of its current run. Its reads
   * do not grow with the instances: the instances with their portfolios, the user's strategies,
   * the running runs, today's order counts, then per portfolio its strategies' positions (the
   * cycle writes these rows while commands come in: the fewer and shorter the reads, the less
   * a command waits on it).
   */
  async running(actor: Actor): Promise<RunningInstance[]> {
    assertApproved(actor);
    const [rows, strategies] = await Promise.all([
      this.db.strategyInstance.findMany({
        where: { userId: actor.id, status: { not: "STOPPED" } },
        include: {
          ...instanceInclude,
          portfolio: {
            select: {
              name: true,
              userId: true,
              account: { select: { baseCurrency: true, broker: { select: { isPaper: true } } } },
            },
          },
        },
        orderBy: [{ startedAt: "asc" }, { id: "asc" }],
      }),
      this.db.strategy.findMany({
        where: { userId: actor.id },
        select: { id: true, name: true, version: true, isActive: true },
      }),
    ]);
    if (!rows.length) return [];
    const latest = latestOf(strategies);
    // today's orders count for every version of the instance's strategy (a switched instance
    // keeps its history), so they are counted per portfolio and version and summed per name
    const versionIds = (name: string) =>
      strategies.filter((s) => s.name.toLowerCase() === name.toLowerCase()).map((s) => s.id);
    const portfolioIds = [...new Set(rows.map((r) => r.portfolioId))];
    const dayStart = startOfDay(this.deps.ctx.clock.now(), actor.timeZone);
    const [runs, counts] = await Promise.all([
      this.db.strategyRun.findMany({
        where: { instanceId: { in: rows.map((r) => r.id) }, status: "RUNNING" },
        orderBy: { id: "desc" },
      }),
      this.db.order.groupBy({
        by: ["portfolioId", "strategyId"],
        where: {
          portfolioId: { in: portfolioIds },
          strategyId: { in: [...new Set(rows.flatMap((r) => versionIds(r.strategy.name)))] },
          placedAt: { gte: dayStart },
        },
        _count: { _all: true },
      }),
    ]);
    // per portfolio, its strategies' positions in one read
    const positions = new Map<number, Map<number, PositionView[]>>();
    for (const portfolioId of portfolioIds) {
      const owned = rows.filter((r) => r.portfolioId === portfolioId);
      // the instances are the actor's; so must their portfolios be (as getPortfolio checks)
      if (owned[0]!.portfolio.userId !== actor.id)
        throw new NotFoundError("portfolio", portfolioId);
      positions.set(
        portfolioId,
        await this.deps.metrics.positionsByStrategy(
          this.db,
          portfolioId,
          owned.map((r) => r.strategyId),
        ),
      );
    }
    const out: RunningInstance[] = [];
    for (const row of rows) {
      const v = toView(row, latest);
      const ids = new Set(versionIds(v.strategyName));
      const ordersToday = counts
        .filter((c) => c.portfolioId === v.portfolioId && ids.has(c.strategyId!))
        .reduce((sum, c) => sum + c._count._all, 0);
      const net = await this.deps.metrics.strategyNet(
        this.db,
        v.portfolioId,
        v.strategyId,
        positions.get(v.portfolioId)!.get(v.strategyId),
      );
      // the run's PnL is the net less the net it started from (advanceRun's pnl); without a
      // running run (a paused instance's run goes on) there is nothing since a start
      const run = runs.find((r) => r.instanceId === v.id);
      out.push({
        ...v,
        ordersToday,
        pnlSinceStart: run ? net.minus(fromDb(run.pnlBase)) : ZERO,
        currency: row.portfolio.account.baseCurrency,
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
      select: { name: true, version: true, isActive: true },
    });
    return latestOf(rows);
  }
}

/** Each strategy name's (lower-cased) active version. */
function latestOf(
  rows: ReadonlyArray<{ name: string; version: number; isActive: boolean }>,
): Map<string, number> {
  return new Map(rows.filter((r) => r.isActive).map((r) => [r.name.toLowerCase(), r.version]));
}
