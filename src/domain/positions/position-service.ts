// Materialized positions: updated fill by fill inside the fill's transaction, read as snapshots,
// and audited against a full recompute from the trades (position-recompute.ts): they must always
// be equal.
import { randomUUID } from "node:crypto";
import { type DbOrTx, type Tx, isRootClient } from "../../db/client.ts";
import { fromDb, toDb } from "../../lib/decimal.ts";
import type { DomainContext } from "../context.ts";
import type { InstrumentService } from "../instruments/instrument-service.ts";
import type { PortfolioService } from "../portfolios/portfolio-service.ts";
import { type Actor, assertApproved } from "../users/actor.ts";
import {
  FLAT,
  type FillEffect,
  type FillInput,
  type PositionState,
  applyFill,
  samePosition,
} from "./position-math.ts";
import {
  type PositionKey,
  keyString,
  recomputePositions,
  strategyKeyOf,
} from "./position-recompute.ts";

export interface PositionView extends PositionState {
  id: number;
  portfolioId: number;
  instrumentId: number;
  symbol: string;
  currency: string;
  strategyId: number | null;
  strategyName: string | null;
  strategyVersion: number | null;
  openedAt: Date | null;
  updatedAt: Date;
}

interface PositionMismatch {
  instrumentId: number;
  strategyId: number | null;
  materialized: PositionState | null;
  recomputed: PositionState | null;
}

export class PositionService {
  constructor(
    private readonly ctx: DomainContext,
    private readonly portfolios: PortfolioService,
    /** the cached catalog, which names positions without a query; without it they are read */
    private readonly instruments?: Pick<InstrumentService, "list">,
  ) {}

  /** Applies one fill to its position; must run inside the fill's transaction. */
  async applyFill(
    tx: Tx,
    key: PositionKey,
    fill: FillInput,
    at: Date,
  ): Promise<FillEffect & { positionId: number }> {
    const unique = {
      portfolioId_instrumentId_strategyKey: {
        portfolioId: key.portfolioId,
        instrumentId: key.instrumentId,
        strategyKey: strategyKeyOf(key.strategyId),
      },
    };
    const row = await tx.position.findUnique({ where: unique });
    const effect = applyFill(row ? toState(row) : FLAT, fill);
    const data = {
      quantity: toDb(effect.next.quantity),
      avgPrice: toDb(effect.next.avgPrice),
      realizedPnl: toDb(effect.next.realizedPnl),
      fees: toDb(effect.next.fees),
      // when the current open run began: reset on (re)opening, cleared when flat
      openedAt: effect.next.quantity.isZero() ? null : effect.opened ? at : (row?.openedAt ?? at),
    };
    const saved = row
      ? await tx.position.update({ where: { id: row.id }, data })
      : await tx.position.create({
          data: {
            uid: randomUUID(),
            portfolioId: key.portfolioId,
            instrumentId: key.instrumentId,
            strategyId: key.strategyId,
            strategyKey: strategyKeyOf(key.strategyId),
            ...data,
          },
        });
    return { ...effect, positionId: saved.id };
  }

  /** The user's positions in a portfolio (open ones unless includeFlat), optionally one strategy's. */
  async snapshot(
    actor: Actor,
    portfolioId: number,
    options: { includeFlat?: boolean; strategyIds?: number[] } = {},
  ): Promise<PositionView[]> {
    assertApproved(actor);
    await this.portfolios.getPortfolio(actor, portfolioId);
    return this.snapshotUnchecked(this.ctx.db, portfolioId, options);
  }

  /**
   * Snapshot without an actor: for jobs (risk watch, reports) that already hold the portfolio.
   * `strategyNames: false`: strategyName and strategyVersion are left null, not read (a caller
   * that only sums figures, or knows the strategy).
   */
  async snapshotUnchecked(
    db: DbOrTx,
    portfolioId: number,
    options: { includeFlat?: boolean; strategyIds?: number[]; strategyNames?: boolean } = {},
  ): Promise<PositionView[]> {
    // one query for the rows: symbols and currencies come from the instrument catalog's cache,
    // strategy names are asked for only when a position has a strategy (/positions runs often)
    const rows = await db.position.findMany({
      where: {
        portfolioId,
        ...(options.strategyIds ? { strategyId: { in: options.strategyIds } } : {}),
      },
      orderBy: [{ instrumentId: "asc" }, { strategyKey: "asc" }],
    });
    const [instruments, strategies] = await Promise.all([
      this.instrumentNames(db, rows),
      options.strategyNames === false ? new Map<number, never>() : this.strategyNames(db, rows),
    ]);
    return rows
      .map((r) => {
        const instrument = instruments.get(r.instrumentId)!;
        const strategy = r.strategyId === null ? undefined : strategies.get(r.strategyId);
        return {
          id: r.id,
          portfolioId: r.portfolioId,
          instrumentId: r.instrumentId,
          symbol: instrument.symbol,
          currency: instrument.currency,
          strategyId: r.strategyId,
          strategyName: strategy?.name ?? null,
          strategyVersion: strategy?.version ?? null,
          openedAt: r.openedAt,
          updatedAt: r.updatedAt,
          // not spread from toState(): the view is built in one literal (/positions reads 50)
          quantity: fromDb(r.quantity),
          avgPrice: fromDb(r.avgPrice),
          realizedPnl: fromDb(r.realizedPnl),
          fees: fromDb(r.fees),
        };
      })
      .filter((p) => options.includeFlat || !p.quantity.isZero());
  }

  private async instrumentNames(
    db: DbOrTx,
    rows: ReadonlyArray<{ instrumentId: number }>,
  ): Promise<Map<number, { symbol: string; currency: string }>> {
    const out = new Map<number, { symbol: string; currency: string }>();
    if (!rows.length) return out;
    // inside a transaction the catalog (read through the root client) must not be refreshed:
    // on SQLite the root client waits for the open transaction
    if (this.instruments && isRootClient(db))
      for (const i of await this.instruments.list()) out.set(i.id, i);
    // an instrument no longer listed (inactive) still names its positions
    const missing = [...new Set(rows.map((r) => r.instrumentId))].filter((id) => !out.has(id));
    if (missing.length) {
      const found = await db.instrument.findMany({
        where: { id: { in: missing } },
        select: { id: true, symbol: true, currency: true },
      });
      for (const i of found) out.set(i.id, i);
    }
    return out;
  }

  private async strategyNames(
    db: DbOrTx,
    rows: ReadonlyArray<{ strategyId: number | null }>,
  ): Promise<Map<number, { name: string; version: number }>> {
    const ids = [...new Set(rows.flatMap((r) => (r.strategyId === null ? [] : [r.strategyId])))];
    if (!ids.length) return new Map();
    const found = await db.strategy.findMany({
      where: { id: { in: ids } },
      select: { id: true, name: true, version: true },
    });
    return new Map(found.map((s) => [s.id, s]));
  }

  /**
   * Recomputes every position of a portfolio from its trades, in ingestion order
   * (position-recompute.ts).
   */
  recompute(
    db: DbOrTx,
    portfolioId: number,
    /** trades per round trip; tests lower it to cross many batch boundaries */
    batchSize?: number,
  ): Promise<Map<string, PositionState & PositionKey>> {
    return recomputePositions(db, this.ctx.provider, portfolioId, batchSize);
  }

  /** Compares materialized positions with a recompute from trades; empty means consistent. */
  async verify(db: DbOrTx, portfolioId: number): Promise<PositionMismatch[]> {
    const recomputed = await this.recompute(db, portfolioId);
    const rows = await db.position.findMany({ where: { portfolioId } });
    const mismatches: PositionMismatch[] = [];
    const seen = new Set<string>();
    for (const row of rows) {
      const k = keyString(row.instrumentId, row.strategyId);
      seen.add(k);
      const materialized = toState(row);
      const expected = recomputed.get(k) ?? null;
      if (!expected || !samePosition(materialized, expected)) {
        mismatches.push({
          instrumentId: row.instrumentId,
          strategyId: row.strategyId,
          materialized,
          recomputed: expected,
        });
      }
    }
    for (const [k, expected] of recomputed) {
      if (!seen.has(k)) {
        mismatches.push({
          instrumentId: expected.instrumentId,
          strategyId: expected.strategyId,
          materialized: null,
          recomputed: expected,
        });
      }
    }
    return mismatches;
  }
}

function toState(row: {
  quantity: string;
  avgPrice: string;
  realizedPnl: string;
  fees: string;
}): PositionState {
  return {
    quantity: fromDb(row.quantity),
    avgPrice: fromDb(row.avgPrice),
    realizedPnl: fromDb(row.realizedPnl),
    fees: fromDb(row.fees),
  };
}
