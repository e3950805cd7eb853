// Running strategies (/run, /stop, /running): a strategy version started on one of the owner's
// portfolios for a few symbols. Every call takes the acting user and only ever finds that user's
// instances: another user's instance is "not found", never shown, stopped or switched.
//
// A strategy's newer version changes nothing that runs until the owner switches the instance to
// it (switchVersion): that ends the current run and starts a new one on the new version, with
// the per-symbol state reset to the new version's initial state (its parameters may differ) and
// the last evaluated candle kept (the same candle is not answered twice).
import { randomUUID } from "node:crypto";
import type { Prisma } from "../../db/generated/sqlite/client.ts";
import type { Tx } from "../../db/client.ts";
import { fromDb, toDb } from "../../lib/decimal.ts";
import { startOfDay } from "../../lib/time.ts";
import { audit } from "../audit/audit-logger.ts";
import type { DomainContext } from "../context.ts";
import { ConflictError, NotFoundError, StateError, ValidationError } from "../errors.ts";
import type { InstrumentService } from "../instruments/instrument-service.ts";
import type { PortfolioService, PortfolioView } from "../portfolios/portfolio-service.ts";
import { type Actor, assertApproved } from "../users/actor.ts";
import {
  type LastSignal,
  MAX_INSTANCE_SYMBOLS,
  type RunningInstance,
  type StrategyInstanceView,
  type StrategyRegistry,
  type StrategyRunView,
} from "./instance-types.ts";
import { type StrategyMetrics, advanceRun, toRunView } from "./strategy-metrics.ts";
import { runnableStrategy } from "./stored-params.ts";

export interface StartInput {
  strategyName: string;
  portfolioId: number;
  symbols: string[];
  /** a live (real money) portfolio runs only when the owner confirmed it */
  confirmLive?: boolean;
}

export interface StrategyInstanceDeps {
  ctx: DomainContext;
  portfolios: PortfolioService;
  instruments: InstrumentService;
  metrics: StrategyMetrics;
  registry: StrategyRegistry;
}

const instanceInclude = {
  portfolio: {
    select: {
      name: true,
      account: { select: { broker: { select: { isPaper: true } } } },
    },
  },
  strategy: { select: { name: true, version: true, params: true } },
} satisfies Prisma.StrategyInstanceInclude;

type InstanceRow = Prisma.StrategyInstanceGetPayload<{ include: typeof instanceInclude }>;

export function parseLastSignal(text: string | null): LastSignal | null {
  if (!text) return null;
  const [action = "", symbol = "", ...reason] = text.split(" ");
  return { action, symbol, reason: reason.join(" ") };
}

export function symbolsOf(json: Prisma.JsonValue): string[] {
  return Array.isArray(json) ? json.filter((s): s is string => typeof s === "string") : [];
}

export class StrategyInstanceService {
  constructor(private readonly deps: StrategyInstanceDeps) {}

  private get db() {
    return this.deps.ctx.db;
  }

  /** Starts the active version of the actor's strategy on one of their portfolios. */
  async start(actor: Actor, input: StartInput): Promise<StrategyInstanceView> {
    assertApproved(actor);
    const name = input.strategyName.trim();
    const versions = await this.db.strategy.findMany({
      where: { userId: actor.id },
      select: { id: true, name: true, version: true, params: true, isActive: true },
    });
    const same = versions.filter((v) => v.name.toLowerCase() === name.toLowerCase());
    const strategy = same.find((v) => v.isActive);
    if (!strategy) throw new NotFoundError("strategy", name, "error-unknown-strategy");
    const runnable = runnableStrategy(this.deps.registry, strategy.params);
    const portfolio = await this.deps.portfolios.getLivePortfolio(actor, input.portfolioId);
    if (!portfolio.isPaper && !input.confirmLive) {
      throw new ValidationError("portfolio", "error-strategy-live-needs-confirmation", {
        portfolio: portfolio.name,
      });
    }
    const symbols = await this.cleanSymbols(input.symbols);
    const running = await this.db.strategyInstance.count({
      where: {
        userId: actor.id,
        portfolioId: portfolio.id,
        strategyId: { in: same.map((v) => v.id) },
        status: { in: ["RUNNING", "PAUSED"] },
      },
    });
    if (running) {
      throw new ConflictError("strategy", "error-strategy-already-running", {
        name: strategy.name,
        portfolio: portfolio.name,
      });
    }
    const capital = await this.deps.metrics.equity(portfolio);
    const pnlBase = await this.deps.metrics.strategyNet(this.db, portfolio.id, strategy.id);
    const now = this.deps.ctx.clock.now();
    const created = await this.db.$transaction(async (tx) => {
      const row = await tx.strategyInstance.create({
        data: {
          uid: randomUUID(),
          userId: actor.id,
          portfolioId: portfolio.id,
          strategyId: strategy.id,
          symbols,
          status: "RUNNING",
          startedAt: now,
        },
      });
      await tx.strategySymbolState.createMany({
        data: symbols.map((symbol) => ({
          instanceId: row.id,
          symbol,
          state: runnable.definition.initialState(runnable.params) as Prisma.InputJsonValue,
        })),
      });
      await openRun(tx, row.id, strategy.id, capital, pnlBase, now);
      await audit(tx, {
        actorId: actor.id,
        entityType: "STRATEGY",
        entityId: strategy.id,
        action: "RUN",
        details: { instanceId: row.id, portfolioId: portfolio.id, symbols, kind: runnable.kind },
      });
      return row;
    });
    return this.get(actor, created.id);
  }

  async stop(actor: Actor, instanceId: number): Promise<StrategyInstanceView> {
    const row = await this.owned(actor, instanceId);
    if (row.status === "STOPPED") {
      throw new StateError("error-strategy-not-running", { name: row.strategy.name });
    }
    const portfolio = await this.deps.portfolios.getPortfolio(actor, row.portfolioId);
    const closing = await this.runFigures(portfolio, row.id, row.strategyId);
    const now = this.deps.ctx.clock.now();
    await this.db.$transaction(async (tx) => {
      await tx.strategyInstance.update({
        where: { id: row.id },
        data: { status: "STOPPED", stoppedAt: now },
      });
      await endRuns(tx, row.id, now, closing);
      await audit(tx, {
        actorId: actor.id,
        entityType: "STRATEGY",
        entityId: row.strategyId,
        action: "STOP",
        details: { instanceId: row.id },
      });
    });
    return this.get(actor, row.id);
  }

  async pause(actor: Actor, instanceId: number): Promise<StrategyInstanceView> {
    const row = await this.owned(actor, instanceId);
    if (row.status !== "RUNNING") {
      throw new StateError(
        row.status === "PAUSED" ? "error-strategy-already-paused" : "error-strategy-not-running",
        { name: row.strategy.name },
      );
    }
    await this.db.strategyInstance.update({
      where: { id: row.id },
      data: { status: "PAUSED", pausedAt: this.deps.ctx.clock.now() },
    });
    return this.get(actor, row.id);
  }

  /** Runs a paused instance again; its error count starts from zero. */
  async resume(actor: Actor, instanceId: number): Promise<StrategyInstanceView> {
    const row = await this.owned(actor, instanceId);
    if (row.status !== "PAUSED") {
      throw new StateError(
        row.status === "RUNNING"
          ? "error-strategy-already-running-now"
          : "error-strategy-not-running",
        { name: row.strategy.name },
      );
    }
    await this.db.strategyInstance.update({
      where: { id: row.id },
      data: { status: "RUNNING", pausedAt: null, consecutiveErrors: 0, lastError: null },
    });
    return this.get(actor, row.id);
  }

  /**
   * Switches the instance to the strategy's active (newest) version. StateError when it already
   * runs that version. The current run ends and a new one starts on the new version.
   */
  async switchVersion(actor: Actor, instanceId: number): Promise<StrategyInstanceView> {
    const row = await this.owned(actor, instanceId);
    if (row.status === "STOPPED") {
      throw new StateError("error-strategy-not-running", { name: row.strategy.name });
    }
    const versions = await this.db.strategy.findMany({
      where: { userId: actor.id },
      select: { id: true, name: true, version: true, params: true, isActive: true },
    });
    const target = versions.find(
      (v) => v.isActive && v.name.toLowerCase() === row.strategy.name.toLowerCase(),
    );
    if (!target || target.id === row.strategyId) {
      throw new StateError("error-strategy-version-current", {
        name: row.strategy.name,
        version: row.strategy.version,
      });
    }
    const runnable = runnableStrategy(this.deps.registry, target.params);
    const portfolio = await this.deps.portfolios.getPortfolio(actor, row.portfolioId);
    const closing = await this.runFigures(portfolio, row.id, row.strategyId);
    const pnlBase = await this.deps.metrics.strategyNet(this.db, portfolio.id, target.id);
    const now = this.deps.ctx.clock.now();
    await this.db.$transaction(async (tx) => {
      await endRuns(tx, row.id, now, closing);
      await tx.strategyInstance.update({
        where: { id: row.id },
        data: { strategyId: target.id, consecutiveErrors: 0, lastError: null },
      });
      await tx.strategySymbolState.updateMany({
        where: { instanceId: row.id },
        data: {
          state: runnable.definition.initialState(runnable.params) as Prisma.InputJsonValue,
        },
      });
      await openRun(tx, row.id, target.id, fromDb(closing.capitalEnd), pnlBase, now);
      await audit(tx, {
        actorId: actor.id,
        entityType: "STRATEGY",
        entityId: target.id,
        action: "SWITCH",
        details: { instanceId: row.id, from: row.strategy.version, to: target.version },
      });
    });
    return this.get(actor, row.id);
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
    for (const v of views) {
      const portfolio = await this.deps.portfolios.getPortfolio(actor, v.portfolioId);
      const versionIds = await this.versionIds(actor.id, v.strategyName);
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
  private async runFigures(portfolio: PortfolioView, instanceId: number, strategyId: number) {
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

  private async cleanSymbols(input: string[]): Promise<string[]> {
    const out: string[] = [];
    for (const text of input) {
      const symbol = (await this.deps.instruments.resolve(text)).symbol;
      if (!out.includes(symbol)) out.push(symbol);
    }
    if (!out.length) throw new ValidationError("symbols", "error-strategy-symbols-missing");
    if (out.length > MAX_INSTANCE_SYMBOLS) {
      throw new ValidationError("symbols", "error-strategy-symbols-too-many", {
        max: MAX_INSTANCE_SYMBOLS,
      });
    }
    return out;
  }

  private async owned(actor: Actor, instanceId: number): Promise<InstanceRow> {
    assertApproved(actor);
    const row = await this.db.strategyInstance.findFirst({
      where: { id: instanceId, userId: actor.id },
      include: instanceInclude,
    });
    if (!row) throw new NotFoundError("strategy-instance", instanceId);
    return row;
  }

  private async latestVersions(userId: number): Promise<Map<string, number>> {
    const rows = await this.db.strategy.findMany({
      where: { userId, isActive: true },
      select: { name: true, version: true },
    });
    return new Map(rows.map((r) => [r.name.toLowerCase(), r.version]));
  }

  private async versionIds(userId: number, name: string): Promise<number[]> {
    const rows = await this.db.strategy.findMany({
      where: { userId },
      select: { id: true, name: true },
    });
    return rows.filter((r) => r.name.toLowerCase() === name.toLowerCase()).map((r) => r.id);
  }
}

function kindOf(params: Prisma.JsonValue): string {
  return typeof params === "object" &&
    params !== null &&
    !Array.isArray(params) &&
    typeof params.kind === "string"
    ? params.kind
    : "";
}

function toView(row: InstanceRow, latest: Map<string, number>): StrategyInstanceView {
  return {
    id: row.id,
    uid: row.uid,
    userId: row.userId,
    portfolioId: row.portfolioId,
    portfolioName: row.portfolio.name,
    isPaper: row.portfolio.account.broker.isPaper,
    strategyId: row.strategyId,
    strategyName: row.strategy.name,
    strategyVersion: row.strategy.version,
    latestVersion: latest.get(row.strategy.name.toLowerCase()) ?? row.strategy.version,
    kind: kindOf(row.strategy.params),
    symbols: symbolsOf(row.symbols),
    status: row.status,
    consecutiveErrors: row.consecutiveErrors,
    lastError: row.lastError,
    lastSignal: parseLastSignal(row.lastSignal),
    lastSignalAt: row.lastSignalAt,
    startedAt: row.startedAt,
    pausedAt: row.pausedAt,
    stoppedAt: row.stoppedAt,
  };
}

async function openRun(
  tx: Tx,
  instanceId: number,
  strategyId: number,
  capital: ReturnType<typeof fromDb>,
  pnlBase: ReturnType<typeof fromDb>,
  now: Date,
): Promise<void> {
  await tx.strategyRun.create({
    data: {
      instanceId,
      strategyId,
      status: "RUNNING",
      startedAt: now,
      capitalStart: toDb(capital),
      peakEquity: toDb(capital),
      pnlBase: toDb(pnlBase),
    },
  });
}

async function endRuns(
  tx: Tx,
  instanceId: number,
  now: Date,
  figures: ReturnType<typeof advanceRun>,
): Promise<void> {
  await tx.strategyRun.updateMany({
    where: { instanceId, status: "RUNNING" },
    data: { status: "FINISHED", endedAt: now, ...figures },
  });
}
