// Which active policies bear on an order or a portfolio, for the evaluators (no actor: callers
// hold the user already).
import type { Db } from "../../db/client.ts";
import type { Prisma } from "../../db/generated/sqlite/client.ts";
import type { ApplicablePolicy } from "./policy-types.ts";
import { toApplicable } from "./policy-views.ts";

/**
 * Active policies that apply to an order in `portfolioId` (optionally by a strategy): the
 * user's USER policies, the portfolio's, and the strategy's (any version of it). `strategyName`:
 * the strategy's name as the caller read it, the strategy checked to be the user's (the order
 * preview), so it is not read again.
 */
export async function applicablePolicies(
  db: Db,
  userId: number,
  portfolioId: number,
  strategyId: number | null,
  strategyName?: string | null,
): Promise<ApplicablePolicy[]> {
  const strategyIds =
    strategyId === null ? [] : await strategyVersions(db, userId, strategyId, strategyName);
  return activePolicies(db, userId, [
    { scopeType: "USER", scopeId: userId },
    { scopeType: "PORTFOLIO", scopeId: portfolioId },
    ...(strategyIds.length
      ? [{ scopeType: "STRATEGY" as const, scopeId: { in: strategyIds } }]
      : []),
  ]);
}

/** Every active policy of the user that can bear on a portfolio (all strategies included). */
export async function policiesForPortfolio(
  db: Db,
  userId: number,
  portfolioId: number,
): Promise<ApplicablePolicy[]> {
  return activePolicies(db, userId, [
    { scopeType: "USER", scopeId: userId },
    { scopeType: "PORTFOLIO", scopeId: portfolioId },
    { scopeType: "STRATEGY" },
  ]);
}

/**
 * Ids of every version of the user's strategy `strategyId` (same name). `knownName`: its name,
 * read by a caller that checked the strategy is the user's (versions never change their name).
 */
export async function strategyVersions(
  db: Db,
  userId: number,
  strategyId: number,
  knownName?: string | null,
): Promise<number[]> {
  const name =
    knownName ??
    (
      await db.strategy.findFirst({
        where: { id: strategyId, userId },
        select: { name: true },
      })
    )?.name;
  if (name === undefined) return [];
  const versions = await db.strategy.findMany({
    where: { userId, name },
    select: { id: true },
  });
  return versions.map((v) => v.id);
}

/** The user's active policies in any of `scopes`, oldest first. */
async function activePolicies(
  db: Db,
  userId: number,
  scopes: Prisma.RiskPolicyWhereInput[],
): Promise<ApplicablePolicy[]> {
  const rows = await db.riskPolicy.findMany({
    where: { userId, isActive: true, OR: scopes },
    orderBy: { id: "asc" },
  });
  return rows.map(toApplicable);
}
