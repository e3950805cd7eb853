// Strategies: a name, a version and JSON parameters, owned by a user. A new version is a new row
// (the old one keeps its orders, trades and positions untouched), and only the newest version of
// a name is active for new orders.
import { randomUUID } from "node:crypto";
import type { Prisma, Strategy } from "../../db/generated/sqlite/client.ts";
import { audit } from "../audit/audit-logger.ts";
import { fromDb } from "../../lib/decimal.ts";
import type { DomainContext } from "../context.ts";
import { ConflictError, NotFoundError, ValidationError } from "../errors.ts";
import { cleanName } from "../names.ts";
import { type Actor, assertApproved } from "../users/actor.ts";
import { canonicalParams, definitionOf } from "../../strategies/params.ts";
import { STRATEGY_KINDS, type StrategyKind } from "../../strategies/types.ts";

export interface StrategyView {
  id: number;
  name: string;
  version: number;
  params: Prisma.JsonValue;
  isActive: boolean;
  createdAt: Date;
}

/** What has been done with one strategy version: orders placed and positions still open. */
export interface StrategyUsage {
  orders: number;
  openPositions: number;
}

const MAX_PARAMS_BYTES = 4096;

export interface SaveOptions {
  /** refuse (ConflictError) rather than make a new version when the name exists */
  firstVersion?: boolean;
}

function checkParams(params: unknown): Prisma.InputJsonObject {
  if (typeof params !== "object" || params === null || Array.isArray(params)) {
    throw new ValidationError("params", "error-strategy-params-object");
  }
  if (JSON.stringify(params).length > MAX_PARAMS_BYTES)
    throw new ValidationError("params", "error-strategy-params-size", { max: MAX_PARAMS_BYTES });
  return params as Prisma.InputJsonObject;
}

/** Parameters of a built-in kind in canonical form; anything else unchanged. */
function withKind(params: unknown): unknown {
  if (typeof params !== "object" || params === null || Array.isArray(params)) return params;
  const { kind, ...rest } = params as Record<string, unknown>;
  if (typeof kind !== "string" || !(STRATEGY_KINDS as readonly string[]).includes(kind))
    return params;
  return canonicalParams(kind as StrategyKind, rest);
}

const toView = (s: Strategy): StrategyView => ({
  id: s.id,
  name: s.name,
  version: s.version,
  params: s.params,
  isActive: s.isActive,
  createdAt: s.createdAt,
});

export class StrategyService {
  constructor(private readonly ctx: DomainContext) {}

  async list(actor: Actor, includeOld = false): Promise<StrategyView[]> {
    assertApproved(actor);
    const rows = await this.ctx.db.strategy.findMany({
      where: { userId: actor.id, ...(includeOld ? {} : { isActive: true }) },
      orderBy: [{ name: "asc" }, { version: "desc" }],
    });
    return rows.map(toView);
  }

  /**
   * Creates a strategy of a built-in kind (or its next version): the parameters are validated by
   * the kind's schema and stored in canonical form, defaults filled in. A mistake throws the
   * ValidationError naming the parameter (or, for rules, the statement and the word).
   */
  async saveKind(
    actor: Actor,
    name: string,
    kind: string,
    params: Record<string, unknown>,
    options: SaveOptions = {},
  ): Promise<StrategyView> {
    assertApproved(actor);
    cleanName("name", name);
    const definition = definitionOf(kind);
    return this.save(actor, name, canonicalParams(definition.kind, params), options);
  }

  /**
   * The name cleaned, when no strategy of this user has it (in any case): what a step-by-step
   * "new strategy" asks before it saves version 1; a ConflictError otherwise.
   */
  async assertNameFree(actor: Actor, name: string): Promise<string> {
    assertApproved(actor);
    const clean = cleanName("name", name);
    const rows = await this.ctx.db.strategy.findMany({
      where: { userId: actor.id },
      select: { name: true },
    });
    if (rows.some((r) => r.name.toLowerCase() === clean.toLowerCase()))
      throw new ConflictError("name", "error-strategy-name-taken", { name: clean });
    return clean;
  }

  /**
   * Creates version 1 of a new strategy, or the next version of an existing one. Parameters that
   * name a built-in kind ({"kind": "ma-cross", ...}) are validated by that kind and stored in
   * canonical form; other JSON objects are kept as they are.
   */
  async save(
    actor: Actor,
    name: string,
    params: unknown,
    options: SaveOptions = {},
  ): Promise<StrategyView> {
    assertApproved(actor);
    const clean = cleanName("name", name);
    const json = checkParams(withKind(params));
    return this.ctx.db.$transaction(async (tx) => {
      const versions = await tx.strategy.findMany({
        where: { userId: actor.id },
        select: { id: true, name: true, version: true },
      });
      const same = versions.filter((v) => v.name.toLowerCase() === clean.toLowerCase());
      // checked again here: the name may have been taken since the conversation asked
      if (options.firstVersion && same.length)
        throw new ConflictError("name", "error-strategy-name-taken", { name: clean });
      const version = same.reduce((m, v) => Math.max(m, v.version), 0) + 1;
      const canonicalName = same[0]?.name ?? clean;
      await tx.strategy.updateMany({
        where: { id: { in: same.map((v) => v.id) } },
        data: { isActive: false },
      });
      const row = await tx.strategy.create({
        data: { uid: randomUUID(), userId: actor.id, name: canonicalName, version, params: json },
      });
      await audit(tx, {
        actorId: actor.id,
        entityType: "STRATEGY",
        entityId: row.id,
        action: "CREATE",
        details: { name: canonicalName, version },
      });
      return toView(row);
    });
  }

  /** The active (newest) version of a strategy by name, for placing orders. */
  async active(actor: Actor, name: string): Promise<StrategyView> {
    assertApproved(actor);
    const rows = await this.ctx.db.strategy.findMany({
      where: { userId: actor.id, isActive: true },
    });
    const row = rows.find((r) => r.name.toLowerCase() === name.trim().toLowerCase());
    if (!row) throw new NotFoundError("strategy", name.trim(), "error-unknown-strategy");
    return toView(row);
  }

  /** Every version of a strategy by name, newest first (for showing its history). */
  async versions(actor: Actor, name: string): Promise<StrategyView[]> {
    assertApproved(actor);
    const rows = await this.ctx.db.strategy.findMany({
      where: { userId: actor.id },
      orderBy: { version: "desc" },
    });
    const same = rows.filter((r) => r.name.toLowerCase() === name.trim().toLowerCase());
    if (!same.length) throw new NotFoundError("strategy", name.trim(), "error-unknown-strategy");
    return same.map(toView);
  }

  /**
   * Orders and open positions per strategy version, for the actor's own strategies only (other
   * ids are ignored). Three queries however many strategies there are; positions are few per user.
   */
  async usage(actor: Actor, strategyIds: number[]): Promise<Map<number, StrategyUsage>> {
    assertApproved(actor);
    const owned = await this.ctx.db.strategy.findMany({
      where: { userId: actor.id, id: { in: strategyIds } },
      select: { id: true },
    });
    const ids = owned.map((s) => s.id);
    const out = new Map<number, StrategyUsage>(
      ids.map((id) => [id, { orders: 0, openPositions: 0 }]),
    );
    if (!ids.length) return out;
    const [orders, positions] = await Promise.all([
      this.ctx.db.order.groupBy({
        by: ["strategyId"],
        where: { strategyId: { in: ids } },
        _count: { _all: true },
      }),
      this.ctx.db.position.findMany({
        where: { strategyId: { in: ids } },
        select: { strategyId: true, quantity: true },
      }),
    ]);
    for (const o of orders)
      if (o.strategyId !== null) out.get(o.strategyId)!.orders = o._count._all;
    // quantities are decimal strings: "flat" is compared as a number, not as the text "0"
    for (const p of positions)
      if (p.strategyId !== null && !fromDb(p.quantity).isZero())
        out.get(p.strategyId)!.openPositions++;
    return out;
  }

  /** Every version of a strategy by name: positions and PnL are looked at across versions. */
  async idsByName(actor: Actor, name: string): Promise<number[]> {
    assertApproved(actor);
    const rows = await this.ctx.db.strategy.findMany({
      where: { userId: actor.id },
      select: { id: true, name: true },
    });
    const ids = rows
      .filter((r) => r.name.toLowerCase() === name.trim().toLowerCase())
      .map((r) => r.id);
    if (!ids.length) throw new NotFoundError("strategy", name.trim(), "error-unknown-strategy");
    return ids;
  }
}
