// Risk policy CRUD on both databases: scopes and ownership, audited changes with before/after,
// bad input refused with nothing saved, another user's policies out of reach, and the admin
// functions (policies an admin sets cannot be changed by their user).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ForbiddenError, NotFoundError, ValidationError } from "../../../src/domain/errors.ts";
import { toActor } from "../../../src/domain/users/actor.ts";
import { PROVIDERS, type TestDatabase, createTestDatabase } from "../../support/db.ts";
import { type RiskWorld, createRiskWorld, riskTrader } from "./risk-world.ts";

const LEVERAGE = { maxLeverage: { limit: "2", action: "block" } };

describe.each(PROVIDERS)("RiskPolicyService on %s", (provider) => {
  let tdb: TestDatabase;
  let world: RiskWorld;
  beforeAll(async () => {
    tdb = await createTestDatabase(provider);
    world = createRiskWorld(tdb.db);
  });
  afterAll(() => tdb.drop());

  const admin = async () =>
    toActor(
      await world.services.users.registerFromTelegram({ telegramUserId: "1", firstName: "Admin" }),
    );

  async function policyAudits(policyId: number) {
    return tdb.db.prisma.auditLog.findMany({
      where: { entityType: "POLICY", entityId: policyId },
      orderBy: { id: "asc" },
    });
  }

  it("creates policies at each scope, on the user's own portfolio and strategy", async () => {
    const { actor, portfolio } = await riskTrader(world);
    const strategy = await world.services.strategies.save(actor, "Swing", {});
    const user = await world.policies.create(actor, {
      scope: "USER",
      name: "Me",
      config: LEVERAGE,
    });
    const pf = await world.policies.create(actor, {
      scope: "PORTFOLIO",
      scopeId: portfolio.id,
      name: "Main caps",
      config: { maxOrdersPerDay: { limit: 10, action: "warn" } },
    });
    const st = await world.policies.create(actor, {
      scope: "STRATEGY",
      scopeId: strategy.id,
      name: "Swing caps",
      config: { maxRiskPerTradePct: { limit: "1", action: "reduce" } },
    });
    expect(user).toMatchObject({
      scope: "USER",
      scopeId: actor.id,
      userId: actor.id,
      scopeName: null,
    });
    expect(pf).toMatchObject({ scope: "PORTFOLIO", scopeId: portfolio.id, scopeName: "Main" });
    expect(st).toMatchObject({ scope: "STRATEGY", scopeId: strategy.id, scopeName: "Swing" });
    expect(st.config.maxRiskPerTradePct?.limit.toFixed()).toBe("1");
    expect(user.managedBy).toBeNull();

    const listed = await world.policies.list(actor);
    expect(listed.map((p) => p.id)).toEqual([user.id, pf.id, st.id]);
    expect((await world.policies.list(actor, { scope: "PORTFOLIO" })).map((p) => p.id)).toEqual([
      pf.id,
    ]);
    const [created] = await policyAudits(user.id);
    expect(created).toMatchObject({ action: "CREATE", actorId: actor.id });
    expect(created!.details).toMatchObject({
      after: { maxLeverage: { limit: "2", action: "block" } },
    });
  });

  it("replaces the configuration on update and audits before and after", async () => {
    const { actor } = await riskTrader(world);
    const p = await world.policies.create(actor, { scope: "USER", name: "Caps", config: LEVERAGE });
    const updated = await world.policies.update(actor, p.id, {
      config: { dailyLossLimitPct: { limit: "3", action: "block", closePositions: true } },
    });
    // the old rule is gone: a new configuration replaces the old one
    expect(Object.keys(updated.config)).toEqual(["dailyLossLimitPct"]);
    expect(updated.config.dailyLossLimitPct?.closePositions).toBe(true);
    const row = await tdb.db.prisma.riskPolicy.findUniqueOrThrow({ where: { id: p.id } });
    expect(row.config).toEqual({
      dailyLossLimitPct: { limit: "3", action: "block", closePositions: true },
    });
    const audits = await policyAudits(p.id);
    expect(audits.map((a) => a.action)).toEqual(["CREATE", "UPDATE"]);
    expect(audits[1]!.details).toEqual({
      userId: actor.id,
      before: { name: "Caps", config: { maxLeverage: { limit: "2", action: "block" } } },
      after: {
        name: "Caps",
        config: { dailyLossLimitPct: { limit: "3", action: "block", closePositions: true } },
      },
    });
  });

  it("pauses, resumes and deletes, each audited", async () => {
    const { actor } = await riskTrader(world);
    const p = await world.policies.create(actor, { scope: "USER", name: "Caps", config: LEVERAGE });
    expect((await world.policies.setActive(actor, p.id, false)).isActive).toBe(false);
    expect(await world.policies.applicable(actor.id, 0, null)).toEqual([]);
    expect((await world.policies.setActive(actor, p.id, true)).isActive).toBe(true);
    expect((await world.policies.applicable(actor.id, 0, null)).map((a) => a.id)).toEqual([p.id]);
    await world.policies.delete(actor, p.id);
    await expect(world.policies.get(actor, p.id)).rejects.toBeInstanceOf(NotFoundError);
    expect((await policyAudits(p.id)).map((a) => a.action)).toEqual([
      "CREATE",
      "DEACTIVATE",
      "REACTIVATE",
      "DELETE",
    ]);
  });

  it("refuses impossible values with the field named and saves nothing", async () => {
    const { actor } = await riskTrader(world);
    const before = {
      policies: await tdb.db.prisma.riskPolicy.count(),
      audits: await tdb.db.prisma.auditLog.count({ where: { entityType: "POLICY" } }),
    };
    const attempts: Array<[unknown, string]> = [
      [{ maxRiskPerTradePct: { limit: "-2", action: "block" } }, "maxRiskPerTradePct"],
      [{ dailyLossLimitPct: { limit: "120", action: "block" } }, "dailyLossLimitPct"],
      [{ maxLeverage: { limit: "0.5", action: "warn" } }, "maxLeverage"],
      [{ maxOrdersPerDay: { action: "warn" } }, "maxOrdersPerDay"],
      [{ maxLeverage: { limit: "2", action: "block", extra: 1 } }, "maxLeverage"],
      [{ notARule: { limit: "2", action: "block" } }, "config"],
      [{}, "config"],
    ];
    for (const [config, field] of attempts) {
      const error = await world.policies
        .create(actor, { scope: "USER", name: "Bad", config })
        .catch((e: unknown) => e);
      expect(error, JSON.stringify(config)).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).field).toBe(field);
    }
    await expect(
      world.policies.create(actor, { scope: "USER", name: "   ", config: LEVERAGE }),
    ).rejects.toMatchObject({ field: "name" });
    await expect(
      world.policies.create(actor, { scope: "PORTFOLIO", name: "No id", config: LEVERAGE }),
    ).rejects.toMatchObject({ field: "scope", key: "error-risk-scope-id-required" });
    await expect(
      world.policies.create(actor, {
        scope: "ACCOUNT" as never,
        name: "Odd scope",
        config: LEVERAGE,
      }),
    ).rejects.toMatchObject({ field: "scope", key: "error-risk-scope-invalid" });
    // an update with a bad configuration leaves the old one in place
    const p = await world.policies.create(actor, { scope: "USER", name: "Caps", config: LEVERAGE });
    await expect(
      world.policies.update(actor, p.id, {
        config: { maxLeverage: { limit: "x", action: "block" } },
      }),
    ).rejects.toMatchObject({ field: "maxLeverage", key: "error-not-a-number" });
    expect((await world.policies.get(actor, p.id)).config.maxLeverage?.limit.toFixed()).toBe("2");
    expect(await tdb.db.prisma.riskPolicy.count()).toBe(before.policies + 1);
    expect(await tdb.db.prisma.auditLog.count({ where: { entityType: "POLICY" } })).toBe(
      before.audits + 1,
    );
  });

  it("keeps other users' policies, portfolios and strategies out of reach", async () => {
    const alice = await riskTrader(world, { name: "Alice" });
    const bob = await riskTrader(world, { name: "Bob" });
    const bobStrategy = await world.services.strategies.save(bob.actor, "Bob's", {});
    const bobs = await world.policies.create(bob.actor, {
      scope: "USER",
      name: "Bob",
      config: LEVERAGE,
    });

    await expect(world.policies.get(alice.actor, bobs.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      world.policies.update(alice.actor, bobs.id, {
        config: { maxLeverage: { limit: "100", action: "warn" } },
      }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(world.policies.setActive(alice.actor, bobs.id, false)).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(world.policies.delete(alice.actor, bobs.id)).rejects.toBeInstanceOf(NotFoundError);
    expect(await world.policies.list(alice.actor)).toEqual([]);
    await expect(
      world.policies.create(alice.actor, {
        scope: "PORTFOLIO",
        scopeId: bob.portfolio.id,
        name: "Sneaky",
        config: LEVERAGE,
      }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      world.policies.create(alice.actor, {
        scope: "STRATEGY",
        scopeId: bobStrategy.id,
        name: "Sneaky",
        config: LEVERAGE,
      }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      world.policies.create(alice.actor, {
        scope: "USER",
        scopeId: bob.actor.id,
        name: "Sneaky",
        config: LEVERAGE,
      }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    // admin functions are for admins
    await expect(
      world.policies.adminCreateForUser(alice.actor, bob.actor.id, { name: "x", config: LEVERAGE }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    // Bob's policy is untouched
    expect((await world.policies.get(bob.actor, bobs.id)).config.maxLeverage?.limit.toFixed()).toBe(
      "2",
    );
  });

  it("lets an admin set a user-scope policy the user sees but cannot change", async () => {
    const boss = await admin();
    const { actor } = await riskTrader(world);
    const p = await world.policies.adminCreateForUser(boss, actor.id, {
      name: "House limits",
      config: { dailyLossLimitPct: { limit: "5", action: "block", closePositions: true } },
    });
    expect(p).toMatchObject({
      userId: actor.id,
      scope: "USER",
      scopeId: actor.id,
      managedBy: boss.id,
    });
    const seen = await world.policies.list(actor);
    expect(seen.map((x) => [x.id, x.managedBy])).toEqual([[p.id, boss.id]]);
    for (const attempt of [
      () => world.policies.update(actor, p.id, { config: LEVERAGE }),
      () => world.policies.setActive(actor, p.id, false),
      () => world.policies.delete(actor, p.id),
    ]) {
      await expect(attempt()).rejects.toMatchObject({ key: "error-risk-policy-managed" });
    }
    // the admin manages it
    const changed = await world.policies.adminUpdate(boss, p.id, { name: "House" });
    expect(changed.name).toBe("House");
    expect((await world.policies.adminList(boss, actor.id)).map((x) => x.id)).toEqual([p.id]);
    await world.policies.adminSetActive(boss, p.id, false);
    await world.policies.adminDelete(boss, p.id);
    expect(await world.policies.list(actor)).toEqual([]);
    const audits = await policyAudits(p.id);
    expect(audits.every((a) => a.actorId === boss.id)).toBe(true);
    await expect(
      world.policies.adminCreateForUser(boss, 999_999, { name: "Ghost", config: LEVERAGE }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it("finds the user an admin means by Telegram id or @username", async () => {
    const boss = await admin();
    const user = await world.services.users.registerFromTelegram({
      telegramUserId: "777000111",
      username: "Kenji_T",
      firstName: "Kenji",
    });
    for (const ref of ["777000111", "@kenji_t", "KENJI_T", " @Kenji_T "])
      expect(await world.policies.adminTargetUser(boss, ref)).toEqual({
        id: user.id,
        name: "Kenji",
        telegramUserId: "777000111",
      });
    for (const ref of ["@nobody", "123", "", "@"])
      await expect(world.policies.adminTargetUser(boss, ref)).rejects.toBeInstanceOf(NotFoundError);
    const { actor } = await riskTrader(world);
    await expect(world.policies.adminTargetUser(actor, "@kenji_t")).rejects.toBeInstanceOf(
      ForbiddenError,
    );
  });

  it("finds the policies that apply: the user's, the portfolio's, every version of the strategy", async () => {
    const { actor, portfolio } = await riskTrader(world);
    const other = await world.services.portfolios.createPortfolio(actor, {
      accountId: portfolio.accountId,
      name: "Other",
    });
    const v1 = await world.services.strategies.save(actor, "Trend", {});
    const mine = await world.policies.create(actor, { scope: "USER", name: "U", config: LEVERAGE });
    const pf = await world.policies.create(actor, {
      scope: "PORTFOLIO",
      scopeId: portfolio.id,
      name: "P",
      config: LEVERAGE,
    });
    await world.policies.create(actor, {
      scope: "PORTFOLIO",
      scopeId: other.id,
      name: "Other P",
      config: LEVERAGE,
    });
    const st = await world.policies.create(actor, {
      scope: "STRATEGY",
      scopeId: v1.id,
      name: "S",
      config: LEVERAGE,
    });
    const v2 = await world.services.strategies.save(actor, "Trend", { fast: 5 });
    const ids = async (strategyId: number | null) =>
      (await world.policies.applicable(actor.id, portfolio.id, strategyId)).map((p) => p.id);
    expect(await ids(null)).toEqual([mine.id, pf.id]);
    expect(await ids(v1.id)).toEqual([mine.id, pf.id, st.id]);
    expect(await ids(v2.id)).toEqual([mine.id, pf.id, st.id]);
  });
});
