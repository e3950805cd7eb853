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
import { audit } from "../audit/audit-logger.ts";
import { ConflictError, NotFoundError, StateError, ValidationError } from "../errors.ts";
import { type Actor, assertApproved } from "../users/actor.ts";
import { MAX_INSTANCE_SYMBOLS, type StrategyInstanceView } from "./instance-types.ts";
import type { advanceRun } from "./strategy-metrics.ts";
import { runnableStrategy } from "./stored-params.ts";
import { StrategyInstanceQueries } from "./instance-queries.ts";

export type { StrategyInstanceDeps } from "./instance-queries.ts";
export { parseLastSignal, symbolsOf } from "./instance-rows.ts";

export interface StartInput {
  strategyName: string;
  portfolioId: number;
  symbols: string[];
  /** a live (real money) portfolio runs only when the owner confirmed it */
  confirmLive?: boolean;
}

export class StrategyInstanceService extends StrategyInstanceQueries {
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
