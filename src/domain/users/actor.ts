// The acting user, as every domain call receives it, and the access rules that apply to it.
import type { UserStatus } from "../../db/generated/sqlite/enums.ts";
import { ForbiddenError } from "../errors.ts";

export interface Actor {
  id: number;
  isAdmin: boolean;
  status: UserStatus;
  isActive: boolean;
  timeZone: string;
}

/** Jobs and broker callbacks act as the system: no user, full reach, audited as such. */
export const SYSTEM = Object.freeze({ system: true as const });
export type SystemActor = typeof SYSTEM;
export type AnyActor = Actor | SystemActor;

export function isSystem(actor: AnyActor): actor is SystemActor {
  return "system" in actor;
}

export function actorId(actor: AnyActor): number | null {
  return isSystem(actor) ? null : actor.id;
}

export function canUseProduct(actor: Actor): boolean {
  return actor.isActive && (actor.isAdmin || actor.status === "APPROVED");
}

/** Approved and not deactivated (admins always count as approved). */
export function assertApproved(actor: Actor): void {
  if (!actor.isActive) throw new ForbiddenError("error-access-revoked");
  if (!canUseProduct(actor)) throw new ForbiddenError("error-access-pending");
}

export function assertAdmin(actor: Actor): void {
  assertApproved(actor);
  if (!actor.isAdmin) throw new ForbiddenError("error-admin-only");
}

export function toActor(user: {
  id: number;
  isAdmin: boolean;
  status: UserStatus;
  isActive: boolean;
  timeZone: string;
}): Actor {
  return {
    id: user.id,
    isAdmin: user.isAdmin,
    status: user.status,
    isActive: user.isActive,
    timeZone: user.timeZone,
  };
}
