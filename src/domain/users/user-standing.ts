// Where someone stands who may not use the product (yet): a member, revoked, a visitor who never
// applied, waiting for a decision, or declined and when they may apply again.
import type { User } from "../../db/generated/sqlite/client.ts";

export type Standing =
  | { kind: "member" | "revoked" | "visitor" | "pending" }
  | { kind: "rejected"; reapplyAt: Date; mayReapplyNow: boolean };

/**
 * A declined applicant may apply again after this long: a second chance, without letting one
 * person fill the admins' chats with the same request.
 */
export const REAPPLY_AFTER_MS = 24 * 60 * 60 * 1000;

/** When a declined applicant may apply again (null for anyone who was not declined). */
export function reapplyAt(user: Pick<User, "status" | "decidedAt">): Date | null {
  if (user.status !== "REJECTED") return null;
  return new Date((user.decidedAt?.getTime() ?? 0) + REAPPLY_AFTER_MS);
}

/** Someone who wrote to the bot but never sent an application: not waiting for anyone. */
export function isVisitor(user: Pick<User, "status" | "appliedAt" | "isAdmin">): boolean {
  return !user.isAdmin && user.status === "PENDING" && user.appliedAt === null;
}

/** The standing of `user` at `now`. */
export function standingOf(user: User, now: Date): Standing {
  if (!user.isActive) return { kind: "revoked" };
  if (user.isAdmin || user.status === "APPROVED") return { kind: "member" };
  if (user.status === "REJECTED") {
    const at = reapplyAt(user)!;
    return { kind: "rejected", reapplyAt: at, mayReapplyNow: at <= now };
  }
  return isVisitor(user) ? { kind: "visitor" } : { kind: "pending" };
}
