// Risk policies: create, replace the configuration, pause and resume, delete, list — always on
// the acting user's own policies, every change audited with the configuration before and after.
//
// Scopes (scopeId): USER (the user's id), PORTFOLIO (one of the user's portfolios), STRATEGY (one
// of the user's strategies; a policy on a strategy covers all of its versions, since a new
// version is a new row). The userId column is always the protected user.
//
// Admins set USER-scope policies for other users through the admin* functions only. A policy an
// admin created for someone is "managed": its user sees it and is bound by it, but cannot change,
// pause or delete it (who created a policy is read from its CREATE audit row).
import { randomUUID } from "node:crypto";
import type { Prisma, RiskPolicy } from "../../db/generated/sqlite/client.ts";
import type { RiskScope } from "../../db/generated/sqlite/enums.ts";
import { audit } from "../audit/audit-logger.ts";
import type { DomainContext } from "../context.ts";
import { ForbiddenError, NotFoundError, ValidationError } from "../errors.ts";
import { cleanName } from "../names.ts";
import type { PortfolioService } from "../portfolios/portfolio-service.ts";
import { type Actor, assertAdmin, assertApproved } from "../users/actor.ts";
import { displayName } from "../users/user-service.ts";
import {
  type PolicyConfig,
  fromStoredConfig,
  parsePolicyConfig,
  toStoredConfig,
} from "./policy-config.ts";

export const RISK_SCOPES = [
  "USER",
  "PORTFOLIO",
  "STRATEGY",
] as const satisfies readonly RiskScope[];
/** Enough for any sensible set-up; stops a runaway script from filling the table. */
export const MAX_POLICIES_PER_USER = 50;

export interface PolicyView {
  id: number;
  uid: string;
  /** the protected user */
  userId: number;
  scope: RiskScope;
  scopeId: number;
  /** the portfolio's or strategy's name (null for USER scope) */
  scopeName: string | null;
  name: string;
  config: PolicyConfig;
  isActive: boolean;
  /** the admin who set this policy for the user (they cannot change it); null: their own */
  managedBy: number | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewPolicy {
  scope: RiskScope;
  /** USER scope: omitted (the acting user); PORTFOLIO/STRATEGY: the portfolio's or strategy's id */
  scopeId?: number | null;
  name: string;
  /** validated by parsePolicyConfig */
  config: unknown;
}

export interface PolicyPatch {
  name?: string;
  /** a new configuration replaces the old one entirely */
  config?: unknown;
}

export interface PolicyFilter {
  scope?: RiskScope;
  scopeId?: number;
  activeOnly?: boolean;
}

/** A policy as the evaluators need it. */
export interface ApplicablePolicy {
  id: number;
  scope: RiskScope;
  scopeId: number;
  name: string;
  config: PolicyConfig;
}

export class RiskPolicyService {
  constructor(
    private readonly ctx: DomainContext,
    private readonly portfolios: PortfolioService,
  ) {}

  // ───────────── the user's own policies ─────────────

  async create(actor: Actor, input: NewPolicy): Promise<PolicyView> {
    assertApproved(actor);
    const scope = checkScope(input.scope);
    const scopeId = await this.ownedScopeId(actor, scope, input.scopeId);
    return this.insert(actor, actor.id, scope, scopeId, input.name, input.config);
  }

  async update(actor: Actor, policyId: number, patch: PolicyPatch): Promise<PolicyView> {
    const row = await this.ownRow(actor, policyId, true);
    return this.change(actor, row, patch);
  }

  async setActive(actor: Actor, policyId: number, isActive: boolean): Promise<PolicyView> {
    const row = await this.ownRow(actor, policyId, true);
    return this.toggle(actor, row, isActive);
  }

  async delete(actor: Actor, policyId: number): Promise<void> {
    const row = await this.ownRow(actor, policyId, true);
    await this.remove(actor, row);
  }

  async get(actor: Actor, policyId: number): Promise<PolicyView> {
    const row = await this.ownRow(actor, policyId, false);
    return (await this.views([row]))[0]!;
  }

  async list(actor: Actor, filter: PolicyFilter = {}): Promise<PolicyView[]> {
    assertApproved(actor);
    const rows = await this.ctx.db.riskPolicy.findMany({
      where: {
        userId: actor.id,
        ...(filter.scope ? { scopeType: filter.scope } : {}),
        ...(filter.scopeId !== undefined ? { scopeId: filter.scopeId } : {}),
        ...(filter.activeOnly ? { isActive: true } : {}),
      },
      orderBy: { id: "asc" },
    });
    return this.views(byScope(rows));
  }

  // ───────────── admin functions ─────────────

  /** Sets a USER-scope policy on another user (or oneself); the user cannot change it. */
  async adminCreateForUser(
    admin: Actor,
    userId: number,
    input: { name: string; config: unknown },
  ): Promise<PolicyView> {
    assertAdmin(admin);
    const user = await this.ctx.db.user.findUnique({ where: { id: userId }, select: { id: true } });
    if (!user) throw new NotFoundError("user", userId);
    return this.insert(admin, userId, "USER", userId, input.name, input.config);
  }

  /**
   * The user an admin means by a Telegram id ("123456") or a username ("@bob", any case), for
   * the admin functions below.
   */
  async adminTargetUser(
    admin: Actor,
    ref: string,
  ): Promise<{ id: number; name: string; telegramUserId: string }> {
    assertAdmin(admin);
    const text = ref.trim();
    const byId = /^\d{1,20}$/.test(text)
      ? await this.ctx.db.user.findUnique({ where: { telegramUserId: text } })
      : null;
    const wanted = text.replace(/^@/, "").toLowerCase();
    // usernames compared case-insensitively the same way on SQLite and PostgreSQL
    const user =
      byId ??
      (wanted && !/^\d+$/.test(text)
        ? ((await this.ctx.db.user.findMany({ where: { username: { not: null } } })).find(
            (u) => u.username?.toLowerCase() === wanted,
          ) ?? null)
        : null);
    if (!user) throw new NotFoundError("user", text || "-");
    return { id: user.id, name: displayName(user), telegramUserId: user.telegramUserId };
  }

  async adminList(admin: Actor, userId: number): Promise<PolicyView[]> {
    assertAdmin(admin);
    const rows = await this.ctx.db.riskPolicy.findMany({
      where: { userId },
      orderBy: { id: "asc" },
    });
    return this.views(byScope(rows));
  }

  async adminGet(admin: Actor, policyId: number): Promise<PolicyView> {
    return (await this.views([await this.adminRow(admin, policyId)]))[0]!;
  }

  async adminUpdate(admin: Actor, policyId: number, patch: PolicyPatch): Promise<PolicyView> {
    return this.change(admin, await this.adminRow(admin, policyId), patch);
  }

  async adminSetActive(admin: Actor, policyId: number, isActive: boolean): Promise<PolicyView> {
    return this.toggle(admin, await this.adminRow(admin, policyId), isActive);
  }

  async adminDelete(admin: Actor, policyId: number): Promise<void> {
    await this.remove(admin, await this.adminRow(admin, policyId));
  }

  // ───────────── for the evaluators (no actor: callers hold the user already) ─────────────

  /**
   * Active policies that apply to an order in `portfolioId` (optionally by a strategy): the
   * user's USER policies, the portfolio's, and the strategy's (any version of it).
   */
  async applicable(
    userId: number,
    portfolioId: number,
    strategyId: number | null,
  ): Promise<ApplicablePolicy[]> {
    const strategyIds = strategyId === null ? [] : await this.strategyVersions(userId, strategyId);
    const rows = await this.ctx.db.riskPolicy.findMany({
      where: {
        userId,
        isActive: true,
        OR: [
          { scopeType: "USER", scopeId: userId },
          { scopeType: "PORTFOLIO", scopeId: portfolioId },
          ...(strategyIds.length
            ? [{ scopeType: "STRATEGY" as const, scopeId: { in: strategyIds } }]
            : []),
        ],
      },
      orderBy: { id: "asc" },
    });
    return rows.map(toApplicable);
  }

  /** Every active policy of the user that can bear on a portfolio (all strategies included). */
  async applicableToPortfolio(userId: number, portfolioId: number): Promise<ApplicablePolicy[]> {
    const rows = await this.ctx.db.riskPolicy.findMany({
      where: {
        userId,
        isActive: true,
        OR: [
          { scopeType: "USER", scopeId: userId },
          { scopeType: "PORTFOLIO", scopeId: portfolioId },
          { scopeType: "STRATEGY" },
        ],
      },
      orderBy: { id: "asc" },
    });
    return rows.map(toApplicable);
  }

  /** Ids of every version of the user's strategy `strategyId` (same name). */
  async strategyVersions(userId: number, strategyId: number): Promise<number[]> {
    const strategy = await this.ctx.db.strategy.findFirst({
      where: { id: strategyId, userId },
      select: { name: true },
    });
    if (!strategy) return [];
    const versions = await this.ctx.db.strategy.findMany({
      where: { userId, name: strategy.name },
      select: { id: true },
    });
    return versions.map((v) => v.id);
  }

  // ───────────── internals ─────────────

  private async ownedScopeId(
    actor: Actor,
    scope: RiskScope,
    scopeId: number | null | undefined,
  ): Promise<number> {
    if (scope === "USER") {
      if (scopeId !== undefined && scopeId !== null && scopeId !== actor.id)
        throw new ForbiddenError("error-risk-user-scope-self");
      return actor.id;
    }
    if (scopeId === undefined || scopeId === null)
      throw new ValidationError("scope", "error-risk-scope-id-required", { scope });
    if (scope === "PORTFOLIO") {
      await this.portfolios.getLivePortfolio(actor, scopeId);
      return scopeId;
    }
    const owned = await this.ctx.db.strategy.count({ where: { id: scopeId, userId: actor.id } });
    if (!owned) throw new NotFoundError("strategy", scopeId);
    return scopeId;
  }

  private async insert(
    actor: Actor,
    userId: number,
    scope: RiskScope,
    scopeId: number,
    rawName: string,
    rawConfig: unknown,
  ): Promise<PolicyView> {
    const name = cleanName("name", rawName);
    const config = toStoredConfig(parsePolicyConfig(rawConfig));
    const row = await this.ctx.db.$transaction(async (tx) => {
      const count = await tx.riskPolicy.count({ where: { userId } });
      if (count >= MAX_POLICIES_PER_USER)
        throw new ValidationError("name", "error-risk-too-many-policies", {
          max: MAX_POLICIES_PER_USER,
        });
      const created = await tx.riskPolicy.create({
        data: { uid: randomUUID(), userId, scopeType: scope, scopeId, name, config },
      });
      await audit(tx, {
        actorId: actor.id,
        entityType: "POLICY",
        entityId: created.id,
        action: "CREATE",
        details: { userId, scope, scopeId, name, after: config },
      });
      return created;
    });
    return (await this.views([row]))[0]!;
  }

  private async change(actor: Actor, row: RiskPolicy, patch: PolicyPatch): Promise<PolicyView> {
    const name = patch.name === undefined ? row.name : cleanName("name", patch.name);
    const config =
      patch.config === undefined
        ? (row.config as Prisma.InputJsonObject)
        : toStoredConfig(parsePolicyConfig(patch.config));
    const updated = await this.ctx.db.$transaction(async (tx) => {
      const saved = await tx.riskPolicy.update({ where: { id: row.id }, data: { name, config } });
      await audit(tx, {
        actorId: actor.id,
        entityType: "POLICY",
        entityId: row.id,
        action: "UPDATE",
        details: {
          userId: row.userId,
          before: { name: row.name, config: row.config as Prisma.InputJsonObject },
          after: { name, config },
        },
      });
      return saved;
    });
    return (await this.views([updated]))[0]!;
  }

  private async toggle(actor: Actor, row: RiskPolicy, isActive: boolean): Promise<PolicyView> {
    if (row.isActive === isActive) return (await this.views([row]))[0]!;
    const updated = await this.ctx.db.$transaction(async (tx) => {
      const saved = await tx.riskPolicy.update({ where: { id: row.id }, data: { isActive } });
      await audit(tx, {
        actorId: actor.id,
        entityType: "POLICY",
        entityId: row.id,
        action: isActive ? "REACTIVATE" : "DEACTIVATE",
        details: { userId: row.userId, before: { isActive: row.isActive }, after: { isActive } },
      });
      return saved;
    });
    return (await this.views([updated]))[0]!;
  }

  private async remove(actor: Actor, row: RiskPolicy): Promise<void> {
    await this.ctx.db.$transaction(async (tx) => {
      await tx.riskPolicy.delete({ where: { id: row.id } });
      await audit(tx, {
        actorId: actor.id,
        entityType: "POLICY",
        entityId: row.id,
        action: "DELETE",
        details: {
          userId: row.userId,
          scope: row.scopeType,
          scopeId: row.scopeId,
          before: { name: row.name, config: row.config as Prisma.InputJsonObject },
        },
      });
    });
  }

  /** The actor's own policy; `forChange` also refuses one an admin manages. */
  private async ownRow(actor: Actor, policyId: number, forChange: boolean): Promise<RiskPolicy> {
    assertApproved(actor);
    const row = await this.ctx.db.riskPolicy.findFirst({
      where: { id: policyId, userId: actor.id },
    });
    if (!row) throw new NotFoundError("policy", policyId);
    if (forChange) {
      const creator = (await this.creators([row.id])).get(row.id);
      if (creator !== undefined && creator !== null && creator !== actor.id)
        throw new ForbiddenError("error-risk-policy-managed");
    }
    return row;
  }

  private async adminRow(admin: Actor, policyId: number): Promise<RiskPolicy> {
    assertAdmin(admin);
    const row = await this.ctx.db.riskPolicy.findUnique({ where: { id: policyId } });
    if (!row) throw new NotFoundError("policy", policyId);
    return row;
  }

  /** Who created each policy, from the audit trail. */
  private async creators(ids: number[]): Promise<Map<number, number | null>> {
    if (!ids.length) return new Map();
    const rows = await this.ctx.db.auditLog.findMany({
      where: { entityType: "POLICY", action: "CREATE", entityId: { in: ids } },
      select: { entityId: true, actorId: true },
    });
    return new Map(rows.map((r) => [r.entityId!, r.actorId]));
  }

  private async views(rows: RiskPolicy[]): Promise<PolicyView[]> {
    const creators = await this.creators(rows.map((r) => r.id));
    const portfolioIds = rows.filter((r) => r.scopeType === "PORTFOLIO").map((r) => r.scopeId);
    const strategyIds = rows.filter((r) => r.scopeType === "STRATEGY").map((r) => r.scopeId);
    const [portfolios, strategies] = await Promise.all([
      portfolioIds.length
        ? this.ctx.db.portfolio.findMany({
            where: { id: { in: portfolioIds } },
            select: { id: true, name: true },
          })
        : [],
      strategyIds.length
        ? this.ctx.db.strategy.findMany({
            where: { id: { in: strategyIds } },
            select: { id: true, name: true },
          })
        : [],
    ]);
    const names = {
      PORTFOLIO: new Map(portfolios.map((p) => [p.id, p.name])),
      STRATEGY: new Map(strategies.map((s) => [s.id, s.name])),
    };
    return rows.map((row) => {
      const creator = creators.get(row.id);
      return {
        id: row.id,
        uid: row.uid,
        userId: row.userId,
        scope: row.scopeType,
        scopeId: row.scopeId,
        scopeName:
          row.scopeType === "USER" ? null : (names[row.scopeType].get(row.scopeId) ?? null),
        name: row.name,
        config: fromStoredConfig(row.config),
        isActive: row.isActive,
        managedBy:
          creator !== undefined && creator !== null && creator !== row.userId ? creator : null,
        createdAt: row.createdAt,
        updatedAt: row.updatedAt,
      };
    });
  }
}

/**
 * USER, PORTFOLIO, STRATEGY, oldest first within each (sorted here: SQLite orders enums as text,
 * PostgreSQL in declaration order).
 */
function byScope(rows: RiskPolicy[]): RiskPolicy[] {
  return [...rows].sort(
    (a, b) => RISK_SCOPES.indexOf(a.scopeType) - RISK_SCOPES.indexOf(b.scopeType) || a.id - b.id,
  );
}

function checkScope(scope: string): RiskScope {
  if (!(RISK_SCOPES as readonly string[]).includes(scope))
    throw new ValidationError("scope", "error-risk-scope-invalid", { value: String(scope) });
  return scope as RiskScope;
}

function toApplicable(row: RiskPolicy): ApplicablePolicy {
  return {
    id: row.id,
    scope: row.scopeType,
    scopeId: row.scopeId,
    name: row.name,
    config: fromStoredConfig(row.config),
  };
}
