// The four changes to a policy row (create, change, pause/resume, delete), each in one
// transaction with its audit row carrying the configuration before and after. Callers have
// already checked who may make the change.
import { randomUUID } from "node:crypto";
import type { Db } from "../../db/client.ts";
import type { Prisma, RiskPolicy } from "../../db/generated/sqlite/client.ts";
import type { RiskScope } from "../../db/generated/sqlite/enums.ts";
import { audit } from "../audit/audit-logger.ts";
import { ValidationError } from "../errors.ts";
import { cleanName } from "../names.ts";
import type { Actor } from "../users/actor.ts";
import { parsePolicyConfig, toStoredConfig } from "./policy-config.ts";
import { MAX_POLICIES_PER_USER, type PolicyPatch } from "./policy-types.ts";

export async function insertPolicy(
  db: Db,
  actor: Actor,
  target: { userId: number; scope: RiskScope; scopeId: number },
  rawName: string,
  rawConfig: unknown,
): Promise<RiskPolicy> {
  const { userId, scope, scopeId } = target;
  const name = cleanName("name", rawName);
  const config = toStoredConfig(parsePolicyConfig(rawConfig));
  return db.$transaction(async (tx) => {
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
}

export async function changePolicy(
  db: Db,
  actor: Actor,
  row: RiskPolicy,
  patch: PolicyPatch,
): Promise<RiskPolicy> {
  const name = patch.name === undefined ? row.name : cleanName("name", patch.name);
  const config =
    patch.config === undefined
      ? (row.config as Prisma.InputJsonObject)
      : toStoredConfig(parsePolicyConfig(patch.config));
  return db.$transaction(async (tx) => {
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
}

/** Pauses or resumes; a policy already in the wanted state is returned unchanged, unaudited. */
export async function togglePolicy(
  db: Db,
  actor: Actor,
  row: RiskPolicy,
  isActive: boolean,
): Promise<RiskPolicy> {
  if (row.isActive === isActive) return row;
  return db.$transaction(async (tx) => {
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
}

export async function removePolicy(db: Db, actor: Actor, row: RiskPolicy): Promise<void> {
  await db.$transaction(async (tx) => {
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
