// Policy rows turned into what callers see: scope names resolved, the configuration parsed, and
// who manages the policy read from its CREATE audit row.
import type { Db } from "../../db/client.ts";
import type { RiskPolicy } from "../../db/generated/sqlite/client.ts";
import { fromStoredConfig } from "./policy-config.ts";
import type { ApplicablePolicy, PolicyView } from "./policy-types.ts";

/** Who created each policy, from the audit trail. */
export async function policyCreators(db: Db, ids: number[]): Promise<Map<number, number | null>> {
  if (!ids.length) return new Map();
  const rows = await db.auditLog.findMany({
    where: { entityType: "POLICY", action: "CREATE", entityId: { in: ids } },
    select: { entityId: true, actorId: true },
  });
  return new Map(rows.map((r) => [r.entityId!, r.actorId]));
}

export async function policyViews(db: Db, rows: RiskPolicy[]): Promise<PolicyView[]> {
  const creators = await policyCreators(
    db,
    rows.map((r) => r.id),
  );
  const portfolioIds = rows.filter((r) => r.scopeType === "PORTFOLIO").map((r) => r.scopeId);
  const strategyIds = rows.filter((r) => r.scopeType === "STRATEGY").map((r) => r.scopeId);
  const [portfolios, strategies] = await Promise.all([
    portfolioIds.length
      ? db.portfolio.findMany({
          where: { id: { in: portfolioIds } },
          select: { id: true, name: true },
        })
      : [],
    strategyIds.length
      ? db.strategy.findMany({
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
      scopeName: row.scopeType === "USER" ? null : (names[row.scopeType].get(row.scopeId) ?? null),
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

export async function policyView(db: Db, row: RiskPolicy): Promise<PolicyView> {
  return (await policyViews(db, [row]))[0]!;
}

export function toApplicable(row: RiskPolicy): ApplicablePolicy {
  return {
    id: row.id,
    scope: row.scopeType,
    scopeId: row.scopeId,
    name: row.name,
    config: fromStoredConfig(row.config),
  };
}
