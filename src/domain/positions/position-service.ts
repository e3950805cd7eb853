// Materialized positions: updated fill by fill inside the fill's transaction, read as snapshots,
// and audited against a full recompute from the trades (they must always be equal).
import { randomUUID } from "node:crypto";
import type { DbOrTx, Tx } from "../../db/client.ts";
import { type Decimal, fromDb, toDb } from "../../lib/decimal.ts";
import type { DomainContext } from "../context.ts";
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

export interface PositionKey {
  portfolioId: number;
  instrumentId: number;
  strategyId: number | null;
}

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

export interface PositionMismatch {
  instrumentId: number;
  strategyId: number | null;
  materialized: PositionState | null;
  recomputed: PositionState | null;
}

const strategyKeyOf = (strategyId: number | null) => strategyId ?? 0;
const keyString = (instrumentId: number, strategyId: number | null) =>
  `${instrumentId}:${strategyKeyOf(strategyId)}`;

/** How many trades a recompute reads per round trip. */
const RECOMPUTE_BATCH = 20_000;

export class PositionService {
  constructor(
    private readonly ctx: DomainContext,
    private readonly portfolios: PortfolioService,
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

  /** Snapshot without an actor: for jobs (risk watch, reports) that already hold the portfolio. */
  async snapshotUnchecked(
    db: DbOrTx,
    portfolioId: number,
    options: { includeFlat?: boolean; strategyIds?: number[] } = {},
  ): Promise<PositionView[]> {
    const rows = await db.position.findMany({
      where: {
        portfolioId,
        ...(options.strategyIds ? { strategyId: { in: options.strategyIds } } : {}),
      },
      include: {
        instrument: { select: { symbol: true, currency: true } },
        strategy: { select: { name: true, version: true } },
      },
      orderBy: [{ instrumentId: "asc" }, { strategyKey: "asc" }],
    });
    return rows
      .map((r) => ({
        id: r.id,
        portfolioId: r.portfolioId,
        instrumentId: r.instrumentId,
        symbol: r.instrument.symbol,
        currency: r.instrument.currency,
        strategyId: r.strategyId,
        strategyName: r.strategy?.name ?? null,
        strategyVersion: r.strategy?.version ?? null,
        openedAt: r.openedAt,
        updatedAt: r.updatedAt,
        ...toState(r),
      }))
      .filter((p) => options.includeFlat || !p.quantity.isZero());
  }

  /**
   * Recomputes every position of a portfolio from its trades, in ingestion order (trade id, the
   * order the fills were applied in), streaming in batches so memory stays flat.
   */
  async recompute(
    db: DbOrTx,
    portfolioId: number,
  ): Promise<Map<string, PositionState & PositionKey>> {
    const states = new Map<string, PositionState & PositionKey>();
    let cursor = 0;
    for (;;) {
      const batch = await db.trade.findMany({
        where: { portfolioId, id: { gt: cursor } },
        select: {
          id: true,
          instrumentId: true,
          strategyId: true,
          side: true,
          quantity: true,
          price: true,
          fee: true,
        },
        orderBy: { id: "asc" },
        take: RECOMPUTE_BATCH,
      });
      for (const t of batch) {
        const k = keyString(t.instrumentId, t.strategyId);
        const prev = states.get(k) ?? {
          ...FLAT,
          portfolioId,
          instrumentId: t.instrumentId,
          strategyId: t.strategyId,
        };
        const next = applyFill(prev, {
          side: t.side,
          quantity: fromDb(t.quantity),
          price: fromDb(t.price),
          fee: fromDb(t.fee),
        }).next;
        states.set(k, { ...prev, ...next });
      }
      if (batch.length < RECOMPUTE_BATCH) break;
      cursor = batch[batch.length - 1]!.id;
    }
    return states;
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

export function toState(row: {
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

export function netRealized(p: PositionState): Decimal {
  return p.realizedPnl.minus(p.fees);
}
