// Admin decisions about users (approve, reject, deactivate, reactivate, promote, demote), each
// atomic and audited, and the seat and last-admin rules they enforce; the admin's list of users
// by filter. UserService (user-service.ts) adds a person's own calls on top.
import type { Prisma, User } from "../../db/generated/sqlite/client.ts";
import { audit } from "../audit/audit-logger.ts";
import type { DomainContext } from "../context.ts";
import { NotFoundError, StateError } from "../errors.ts";
import { type Actor, assertAdmin } from "./actor.ts";
import { displayName } from "./user-fields.ts";

type Tx = Prisma.TransactionClient;

export type UserFilter = "all" | "pending" | "active" | "inactive" | "admins";

/** Who holds a seat: active users who are approved, and active admins. */
export const ACTIVE_USERS: Prisma.UserWhereInput = {
  isActive: true,
  OR: [{ status: "APPROVED" }, { isAdmin: true }],
};

/**
 * One admin decision about a user, atomically: read the user, let `change` check the rules and
 * say what to write, write it, audit it. Nothing is written when a rule refuses.
 */
async function decide(
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
async function assertSeatFree(tx: Tx, maxUsers: number): Promise<void> {
  const active = await tx.user.count({ where: ACTIVE_USERS });
  if (active >= maxUsers) throw new StateError("error-user-cap", { max: maxUsers });
}

/** Refuses when no other active admin would be left. */
async function assertNotLastAdmin(tx: Tx, leavingId: number): Promise<void> {
  const others = await tx.user.count({
    where: { isAdmin: true, isActive: true, id: { not: leavingId } },
  });
  if (others === 0) throw new StateError("error-last-admin");
}

/** The users an admin list filter shows. */
function usersWhere(filter: UserFilter): Prisma.UserWhereInput {
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

interface UserPage {
  users: User[];
  total: number;
  page: number;
  pageSize: number;
}

export interface SeatOptions {
  /** active approved users and admins at most (MAX_USERS) */
  maxUsers: number;
}

export class UserDecisions {
  constructor(
    protected readonly ctx: DomainContext,
    protected readonly options: SeatOptions,
  ) {}

  async approve(admin: Actor, userId: number): Promise<User> {
    return decide(this.ctx, admin, userId, "APPROVE", async (user, tx) => {
      if (user.status === "APPROVED")
        throw new StateError("error-already-approved", { name: displayName(user) });
      await assertSeatFree(tx, this.options.maxUsers);
      const now = this.ctx.clock.now();
      return {
        status: "APPROVED",
        isActive: true,
        approvedById: admin.id,
        approvedAt: now,
        decidedAt: now,
      };
    });
  }

  async reject(admin: Actor, userId: number): Promise<User> {
    return decide(this.ctx, admin, userId, "REJECT", async (user) => {
      if (user.status !== "PENDING")
        throw new StateError("error-not-pending", { name: displayName(user), status: user.status });
      return { status: "REJECTED", approvedById: admin.id, decidedAt: this.ctx.clock.now() };
    });
  }

  async deactivate(admin: Actor, userId: number): Promise<User> {
    assertAdmin(admin);
    if (admin.id === userId) throw new StateError("error-cannot-deactivate-self");
    return decide(this.ctx, admin, userId, "DEACTIVATE", async (user, tx) => {
      if (!user.isActive)
        throw new StateError("error-already-inactive", { name: displayName(user) });
      if (user.isAdmin) await assertNotLastAdmin(tx, userId);
      return { isActive: false };
    });
  }

  async reactivate(admin: Actor, userId: number): Promise<User> {
    return decide(this.ctx, admin, userId, "REACTIVATE", async (user, tx) => {
      if (user.isActive) throw new StateError("error-already-active", { name: displayName(user) });
      // a pending or rejected applicant takes no seat until approved
      if (user.status === "APPROVED" || user.isAdmin)
        await assertSeatFree(tx, this.options.maxUsers);
      return { isActive: true };
    });
  }

  async promote(admin: Actor, userId: number): Promise<User> {
    return decide(this.ctx, admin, userId, "PROMOTE", async (user) => {
      if (user.isAdmin) throw new StateError("error-already-admin", { name: displayName(user) });
      if (user.status !== "APPROVED" || !user.isActive)
        throw new StateError("error-promote-unapproved", { name: displayName(user) });
      return { isAdmin: true };
    });
  }

  async demote(admin: Actor, userId: number): Promise<User> {
    return decide(this.ctx, admin, userId, "DEMOTE", async (user, tx) => {
      if (!user.isAdmin) throw new StateError("error-not-admin", { name: displayName(user) });
      await assertNotLastAdmin(tx, userId);
      return { isAdmin: false };
    });
  }

  async list(admin: Actor, filter: UserFilter, page = 1, pageSize = 8): Promise<UserPage> {
    assertAdmin(admin);
    const where = usersWhere(filter);
    const size = Math.max(1, Math.min(50, pageSize));
    const current = Math.max(1, page);
    const [total, users] = await Promise.all([
      this.ctx.db.user.count({ where }),
      this.ctx.db.user.findMany({
        where,
        orderBy: { id: "asc" },
        skip: (current - 1) * size,
        take: size,
      }),
    ]);
    return { users, total, page: current, pageSize: size };
  }
}
