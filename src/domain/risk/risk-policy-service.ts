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
import type { RiskPolicy } from "../../db/generated/sqlite/client.ts";
import type { RiskScope } from "../../db/generated/sqlite/enums.ts";
import type { DomainContext } from "../context.ts";
import { ForbiddenError, NotFoundError, ValidationError } from "../errors.ts";
import type { PortfolioService } from "../portfolios/portfolio-service.ts";
import { type Actor, assertAdmin, assertApproved } from "../users/actor.ts";
import { displayName } from "../users/user-fields.ts";
import {
  applicablePolicies,
  policiesForPortfolio,
  strategyVersions,
} from "./applicable-policies.ts";
import {
  type ApplicablePolicy,
  type NewPolicy,
  type PolicyFilter,
  type PolicyPatch,
  type PolicyView,
  byScope,
  checkScope,
} from "./policy-types.ts";
import { policyCreators, policyView, policyViews } from "./policy-views.ts";
import { changePolicy, insertPolicy, removePolicy, togglePolicy } from "./policy-writes.ts";

export type { ApplicablePolicy, PolicyView } from "./policy-types.ts";

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
    return this.insert(actor, { userId: actor.id, scope, scopeId }, input.name, input.config);
  }

  async update(actor: Actor, policyId: number, patch: PolicyPatch): Promise<PolicyView> {
    const row = await this.ownRow(actor, policyId, true);
    return policyView(this.ctx.db, await changePolicy(this.ctx.db, actor, row, patch));
  }

  async setActive(actor: Actor, policyId: number, isActive: boolean): Promise<PolicyView> {
    const row = await this.ownRow(actor, policyId, true);
    return policyView(this.ctx.db, await togglePolicy(this.ctx.db, actor, row, isActive));
  }

  async delete(actor: Actor, policyId: number): Promise<void> {
    const row = await this.ownRow(actor, policyId, true);
    await removePolicy(this.ctx.db, actor, row);
  }

  async get(actor: Actor, policyId: number): Promise<PolicyView> {
    const row = await this.ownRow(actor, policyId, false);
    return policyView(this.ctx.db, row);
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
    return policyViews(this.ctx.db, byScope(rows));
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
    return this.insert(admin, { userId, scope: "USER", scopeId: userId }, input.name, input.config);
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
    return policyViews(this.ctx.db, byScope(rows));
  }

  async adminGet(admin: Actor, policyId: number): Promise<PolicyView> {
    return policyView(this.ctx.db, await this.adminRow(admin, policyId));
  }

  async adminUpdate(admin: Actor, policyId: number, patch: PolicyPatch): Promise<PolicyView> {
    const row = await this.adminRow(admin, policyId);
    return policyView(this.ctx.db, await changePolicy(this.ctx.db, admin, row, patch));
  }

  async adminSetActive(admin: Actor, policyId: number, isActive: boolean): Promise<PolicyView> {
    const row = await this.adminRow(admin, policyId);
    return policyView(this.ctx.db, await togglePolicy(this.ctx.db, admin, row, isActive));
  }

  async adminDelete(admin: Actor, policyId: number): Promise<void> {
    await removePolicy(this.ctx.db, admin, await this.adminRow(admin, policyId));
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
    /** the strategy's name, when the caller read it with the strategy checked the user's */
    strategyName?: string | null,
  ): Promise<ApplicablePolicy[]> {
    return applicablePolicies(this.ctx.db, userId, portfolioId, strategyId, strategyName);
  }

  /** Every active policy of the user that can bear on a portfolio (all strategies included). */
  async applicableToPortfolio(userId: number, portfolioId: number): Promise<ApplicablePolicy[]> {
    return policiesForPortfolio(this.ctx.db, userId, portfolioId);
  }

  /** Ids of every version of the user's strategy `strategyId` (same name). */
  async strategyVersions(userId: number, strategyId: number): Promise<number[]> {
    return strategyVersions(this.ctx.db, userId, strategyId);
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
    target: { userId: number; scope: RiskScope; scopeId: number },
    name: string,
    config: unknown,
  ): Promise<PolicyView> {
    return policyView(this.ctx.db, await insertPolicy(this.ctx.db, actor, target, name, config));
  }

  /** The actor's own policy; `forChange` also refuses one an admin manages. */
  private async ownRow(actor: Actor, policyId: number, forChange: boolean): Promise<RiskPolicy> {
    assertApproved(actor);
    const row = await this.ctx.db.riskPolicy.findFirst({
      where: { id: policyId, userId: actor.id },
    });
    if (!row) throw new NotFoundError("policy", policyId);
    if (forChange) {
      const creator = (await policyCreators(this.ctx.db, [row.id])).get(row.id);
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
}
