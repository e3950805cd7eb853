// People: registration from Telegram, onboarding applications, admin approval within the user
// cap, deactivation, admin roles (never removing the last admin), and personal settings.
import { randomUUID } from "node:crypto";
import type { Prisma, User } from "../../db/generated/sqlite/client.ts";
import { canonicalTimeZone } from "../../lib/time.ts";
import { audit } from "../audit/audit-logger.ts";
import type { DomainContext } from "../context.ts";
import { NotFoundError, StateError, ValidationError } from "../errors.ts";
import { type Actor, assertAdmin, toActor } from "./actor.ts";
import {
  ACTIVE_USERS,
  type UserFilter,
  assertNotLastAdmin,
  assertSeatFree,
  decide,
  usersWhere,
} from "./user-decisions.ts";
import { type Standing, reapplyAt, standingOf } from "./user-standing.ts";

export type { UserFilter } from "./user-decisions.ts";
export { REAPPLY_AFTER_MS } from "./user-standing.ts";

export interface TelegramProfile {
  telegramUserId: string;
  username?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  languageCode?: string | null;
}

export interface UserOptions {
  adminTelegramIds: readonly string[];
  maxUsers: number;
  supportedLanguages: readonly string[];
  /** time zone of a new user until they choose one (config DEFAULT_TIME_ZONE); default UTC */
  defaultTimeZone?: string;
}

export interface UserPage {
  users: User[];
  total: number;
  page: number;
  pageSize: number;
}

const MAX_NOTE = 500;
export class UserService {
  constructor(
    private readonly ctx: DomainContext,
    private readonly options: UserOptions,
  ) {}

  isConfiguredAdmin(telegramUserId: string): boolean {
    return this.options.adminTelegramIds.includes(telegramUserId);
  }

  /**
   * Finds or creates the user behind a Telegram profile and refreshes its names. Users listed in
   * ADMIN_TELEGRAM_IDS are admins, approved and active from their first update.
   */
  async registerFromTelegram(profile: TelegramProfile): Promise<User> {
    const configuredAdmin = this.isConfiguredAdmin(profile.telegramUserId);
    const names = {
      username: profile.username ?? null,
      firstName: profile.firstName ?? null,
      lastName: profile.lastName ?? null,
      telegramLanguage: profile.languageCode ?? null,
    };
    const existing = await this.ctx.db.user.findUnique({
      where: { telegramUserId: profile.telegramUserId },
    });
    if (existing) {
      const changed = Object.entries(names).some(
        ([k, v]) => existing[k as keyof typeof names] !== v,
      );
      const promote = configuredAdmin && (!existing.isAdmin || existing.status !== "APPROVED");
      if (!changed && !promote) return existing;
      return this.ctx.db.user.update({
        where: { id: existing.id },
        data: {
          ...names,
          ...(promote
            ? {
                isAdmin: true,
                status: "APPROVED",
                isActive: true,
                approvedAt: existing.approvedAt ?? this.ctx.clock.now(),
              }
            : {}),
        },
      });
    }
    try {
      return await this.ctx.db.$transaction(async (tx) => {
        const user = await tx.user.create({
          data: {
            uid: randomUUID(),
            telegramUserId: profile.telegramUserId,
            ...names,
            isAdmin: configuredAdmin,
            timeZone: this.options.defaultTimeZone ?? "UTC",
            status: configuredAdmin ? "APPROVED" : "PENDING",
            approvedAt: configuredAdmin ? this.ctx.clock.now() : null,
          },
        });
        await audit(tx, {
          actorId: user.id,
          entityType: "USER",
          entityId: user.id,
          action: "CREATE",
          details: { telegramUserId: profile.telegramUserId, admin: configuredAdmin },
        });
        return user;
      });
    } catch (e) {
      // two first updates of the same person raced: the other one created the row
      const again = await this.ctx.db.user.findUnique({
        where: { telegramUserId: profile.telegramUserId },
      });
      if (again) return again;
      throw e;
    }
  }

  async getById(id: number): Promise<User> {
    const user = await this.ctx.db.user.findUnique({ where: { id } });
    if (!user) throw new NotFoundError("user", id);
    return user;
  }

  async findByTelegramId(telegramUserId: string): Promise<User | null> {
    return this.ctx.db.user.findUnique({ where: { telegramUserId } });
  }

  /** The applicant's answers from onboarding; the application then waits for an admin. */
  async submitApplication(
    userId: number,
    input: { language?: string | null; timeZone?: string | null; note?: string | null },
  ): Promise<User> {
    const user = await this.getById(userId);
    if (user.status === "APPROVED") throw new StateError("error-already-approved");
    const again = reapplyAt(user);
    if (again && again > this.ctx.clock.now())
      throw new StateError("error-reapply-too-early", {
        at: `${again.toISOString().slice(0, 16).replace("T", " ")} UTC`,
      });
    const data: Prisma.UserUpdateInput = {};
    if (input.language) data.language = this.checkLanguage(input.language);
    if (input.timeZone) data.timeZone = checkTimeZone(input.timeZone);
    const note = input.note?.trim();
    data.onboardingNote = note ? note.slice(0, MAX_NOTE) : null;
    data.appliedAt = this.ctx.clock.now();
    // a rejected applicant may apply again
    if (user.status === "REJECTED") data.status = "PENDING";
    return this.ctx.db.user.update({ where: { id: userId }, data });
  }

  async admins(): Promise<User[]> {
    return this.ctx.db.user.findMany({
      where: { isAdmin: true, isActive: true },
      orderBy: { id: "asc" },
    });
  }

  /** Everyone who may use the product now (jobs and start-up use this, not an admin). */
  async activeUsers(): Promise<User[]> {
    return this.ctx.db.user.findMany({
      where: ACTIVE_USERS,
      orderBy: { id: "asc" },
    });
  }

  async countActiveUsers(): Promise<number> {
    return this.ctx.db.user.count({ where: ACTIVE_USERS });
  }

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

  async updateSettings(
    actor: Actor,
    input: { language?: string | null; timeZone?: string },
  ): Promise<User> {
    const data: Prisma.UserUpdateInput = {};
    if (input.language !== undefined)
      data.language = input.language === null ? null : this.checkLanguage(input.language);
    if (input.timeZone !== undefined) data.timeZone = checkTimeZone(input.timeZone);
    return this.ctx.db.user.update({ where: { id: actor.id }, data });
  }

  /** The language chosen during onboarding (before approval) or in /settings. */
  async setLanguage(userId: number, language: string): Promise<User> {
    return this.ctx.db.user.update({
      where: { id: userId },
      data: { language: this.checkLanguage(language) },
    });
  }

  async markBotBlocked(userId: number, blocked: boolean): Promise<void> {
    await this.ctx.db.user.update({
      where: { id: userId },
      data: { blockedBotAt: blocked ? this.ctx.clock.now() : null },
    });
  }

  /** Where someone stands who may not use the product (yet), for the words they are shown. */
  standing(user: User): Standing {
    return standingOf(user, this.ctx.clock.now());
  }

  actorOf(user: User): Actor {
    return toActor(user);
  }

  private checkLanguage(language: string): string {
    const code = language.trim().toLowerCase();
    if (!this.options.supportedLanguages.includes(code)) {
      throw new ValidationError("language", "error-unsupported-language", {
        value: language,
        supported: this.options.supportedLanguages.join(", "),
      });
    }
    return code;
  }
}

export function checkTimeZone(zone: string): string {
  // stored as the tz database spells it, however it was typed
  const canonical = canonicalTimeZone(zone);
  if (!canonical)
    throw new ValidationError("timeZone", "error-invalid-time-zone", {
      value: zone,
      example: "Europe/Berlin",
    });
  return canonical;
}

export function displayName(
  user: Pick<User, "firstName" | "lastName" | "username" | "telegramUserId">,
): string {
  const name = [user.firstName, user.lastName].filter(Boolean).join(" ");
  return name || (user.username ? `@${user.username}` : user.telegramUserId);
}
