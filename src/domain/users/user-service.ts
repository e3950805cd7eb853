// People: registration from Telegram, onboarding applications and personal settings; the admin's
// decisions (approval within the user cap, deactivation, admin roles, never removing the last
// admin) come from UserDecisions (user-decisions.ts).
import { randomUUID } from "node:crypto";
import type { Prisma, User } from "../../db/generated/sqlite/client.ts";
import { ReadCache } from "../../db/read-cache.ts";
import { audit } from "../audit/audit-logger.ts";
import type { DomainContext } from "../context.ts";
import { NotFoundError, StateError } from "../errors.ts";
import { type Actor, toActor } from "./actor.ts";
import { ACTIVE_USERS, type SeatOptions, UserDecisions } from "./user-decisions.ts";
import { checkLanguage, checkTimeZone } from "./user-fields.ts";
import { type Standing, reapplyAt, standingOf } from "./user-standing.ts";

export type { UserFilter } from "./user-decisions.ts";
export { REAPPLY_AFTER_MS } from "./user-standing.ts";

interface TelegramProfile {
  telegramUserId: string;
  username?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  languageCode?: string | null;
}

export interface UserOptions extends SeatOptions {
  adminTelegramIds: readonly string[];
  supportedLanguages: readonly string[];
  /** time zone of a new user until they choose one (config DEFAULT_TIME_ZONE); default UTC */
  defaultTimeZone?: string;
}

const MAX_NOTE = 500;

type Identity = { user: User; privateChatActive: boolean } | null;

export class UserService extends UserDecisions {
  /** the user row behind a Telegram id, with whether their private chat is active */
  private readonly identities: ReadCache<Identity>;

  constructor(
    ctx: DomainContext,
    protected override readonly options: UserOptions,
  ) {
    super(ctx, options);
    this.identities = new ReadCache(ctx.writes ?? null, ["users", "telegram_chats"]);
  }

  isConfiguredAdmin(telegramUserId: string): boolean {
    return this.options.adminTelegramIds.includes(telegramUserId);
  }

  /**
   * Finds or creates the user behind a Telegram profile and refreshes its names. Users listed in
   * ADMIN_TELEGRAM_IDS are admins, approved and active from their first update.
   */
  async registerFromTelegram(profile: TelegramProfile): Promise<User> {
    return (await this.identify(profile, null)).user;
  }

  /**
   * registerFromTelegram, and in the same read whether `privateChatId` (their private chat with
   * the bot, as Telegram numbers it) is registered for them and active: the bot needs both on
   * every update, and one statement answers both.
   */
  async identify(
    profile: TelegramProfile,
    privateChatId: string | null,
  ): Promise<{ user: User; privateChatActive: boolean }> {
    const where = { telegramUserId: profile.telegramUserId };
    if (privateChatId === null) {
      const existing = await this.ctx.db.user.findUnique({ where });
      return { user: await this.refreshOrCreate(profile, existing), privateChatActive: false };
    }
    // a relation count is a subquery of the user's SELECT, not a statement of its own; kept
    // between updates until users or telegram_chats are written (DomainContext.writes)
    const found = await this.identities.get(
      `${profile.telegramUserId}:${privateChatId}`,
      async () => {
        const row = await this.ctx.db.user.findUnique({
          where,
          include: {
            _count: { select: { chats: { where: { chatId: privateChatId, isActive: true } } } },
          },
        });
        if (!row) return null;
        // taken apart once per read, not per update; the row is shared, so frozen
        const { _count: count, ...user } = row;
        return { user: Object.freeze(user), privateChatActive: count.chats > 0 };
      },
    );
    if (!found)
      return { user: await this.refreshOrCreate(profile, null), privateChatActive: false };
    return {
      user: await this.refreshOrCreate(profile, found.user),
      privateChatActive: found.privateChatActive,
    };
  }

  /** The user row as read (`existing`, null when none) brought up to date with the profile. */
  private async refreshOrCreate(profile: TelegramProfile, existing: User | null): Promise<User> {
    const configuredAdmin = this.isConfiguredAdmin(profile.telegramUserId);
    const names = {
      username: profile.username ?? null,
      firstName: profile.firstName ?? null,
      lastName: profile.lastName ?? null,
      telegramLanguage: profile.languageCode ?? null,
    };
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
    if (input.language)
      data.language = checkLanguage(input.language, this.options.supportedLanguages);
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

  async updateSettings(
    actor: Actor,
    input: { language?: string | null; timeZone?: string },
  ): Promise<User> {
    const data: Prisma.UserUpdateInput = {};
    if (input.language !== undefined)
      data.language =
        input.language === null
          ? null
          : checkLanguage(input.language, this.options.supportedLanguages);
    if (input.timeZone !== undefined) data.timeZone = checkTimeZone(input.timeZone);
    return this.ctx.db.user.update({ where: { id: actor.id }, data });
  }

  /** The language chosen during onboarding (before approval) or in /settings. */
  async setLanguage(userId: number, language: string): Promise<User> {
    return this.ctx.db.user.update({
      where: { id: userId },
      data: { language: checkLanguage(language, this.options.supportedLanguages) },
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
}
