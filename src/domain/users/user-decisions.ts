// Admin decisions about users, each atomic and audited, and the seat and last-admin rules they
// enforce; which users each admin list filter shows.
import type { Prisma, User } from "../../db/generated/sqlite/client.ts";
import { audit } from "../audit/audit-logger.ts";
import type { DomainContext } from "../context.ts";
import { NotFoundError, StateError } from "../errors.ts";
import { type Actor, assertAdmin } from "./actor.ts";

export type Tx = Prisma.TransactionClient;

export type UserFilter = "all" | "pending" | "active" | "inactive" | "admins";

export /** Who holds a seat: active users who are approved, and active admins. */
const ACTIVE_USERS: Prisma.UserWhereInput = {
  isActive: true,
  OR: [{ status: "APPROVED" }, { isAdmin: true }],
};

/**
 * One admin decision about a user, atomically: read the user, let `change` check the rules and
 * say what to write, write it, audit it. Nothing is written when a rule refuses.
 */
export async function decide(
  ctx: DomainContext,
  admin: Actor,
  userId: number,
  action: "APPROVE" | "REJECT" | "DEACTIVATE" | "REACTIVATE" | "PROMOTE" | "DEMOTE",
  change: (user: User, tx: Tx) => Promise<Prisma.UserUpdateInput>,
): Promise<User> {
  assertAdmin(admin);
  return ctx.db.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: userId } });
    if (!user) throw new NotFoundError("user", userId);
    const updated = await tx.user.update({
      where: { id: userId },
      data: await change(user, tx),
    });
    await audit(tx, {
      actorId: admin.id,
      entityType: "USER",
      entityId: userId,
      action,
      details: { telegramUserId: user.telegramUserId },
    });
    return updated;
  });
}

/** Refuses when every seat (MAX_USERS active approved users and admins) is taken. */
export async function assertSeatFree(tx: Tx, maxUsers: number): Promise<void> {
  const active = await tx.user.count({ where: ACTIVE_USERS });
  if (active >= maxUsers) throw new StateError("error-user-cap", { max: maxUsers });
}

/** Refuses when no other active admin would be left. */
export async function assertNotLastAdmin(tx: Tx, leavingId: number): Promise<void> {
  const others = await tx.user.count({
    where: { isAdmin: true, isActive: true, id: { not: leavingId } },
  });
  if (others === 0) throw new StateError("error-last-admin");
}
/** The users an admin list filter shows. */
export function usersWhere(filter: UserFilter): Prisma.UserWhereInput {
  return filter === "pending"
    ? // applications: people who wrote without applying are not waiting for a decision
      { status: "PENDING", appliedAt: { not: null } }
    : filter === "active"
      ? ACTIVE_USERS
      : filter === "inactive"
        ? { OR: [{ isActive: false }, { status: "REJECTED" }] }
        : filter === "admins"
          ? { isAdmin: true }
          : {};
}
