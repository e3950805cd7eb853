// Portfolios: creation, renaming, the default and the active portfolio, and their retirement
// (portfolio-retirement.ts); the reads come from PortfolioReads (portfolio-reads.ts), the account
// calls from AccountService (account-service.ts). Every call takes the acting user and only ever
// sees that user's rows; another user's id looks exactly like a missing one.
//
// Deleting never destroys trade history: a portfolio with any orders or trades is archived
// (hidden from lists, switchers and pickers, no new orders, never active or default, its name
// free for a new portfolio) and only one that never traded is really deleted. Either is refused
// while it holds open positions or open orders. What referred to it (schedules, alerts,
// portfolio risk policies) is paused, and the owner is told once through the outbox.
import { randomUUID } from "node:crypto";
import type { Tx } from "../../db/client.ts";
import { isUniqueViolationOn } from "../../db/errors.ts";
import { lockRow } from "../../db/locks.ts";
import { type Decimal, fromDbOrNull, toDb } from "../../lib/decimal.ts";
import { audit } from "../audit/audit-logger.ts";
import { appendCash } from "../cash/cash-ledger.ts";
import type { DomainContext } from "../context.ts";
import { ConflictError } from "../errors.ts";
import { cleanName } from "../names.ts";
import type { NotificationService } from "../notifications/notification-service.ts";
import { type Actor, assertApproved } from "../users/actor.ts";
import {
  type RetirementDeps,
  blockersIn,
  pauseScheduleOfRetiredPortfolio,
  retirePortfolio,
} from "./portfolio-retirement.ts";
import {
  type CreatePortfolioInput,
  LIVE,
  type PortfolioView,
  type RetirementBlockers,
  type RetirementResult,
  moveDefault,
} from "./portfolio-rows.ts";
import { PortfolioReads } from "./portfolio-reads.ts";
import type { RetirementNotifier } from "./retirement-notice.ts";

export type { AccountView, PortfolioView, RetirementResult } from "./portfolio-rows.ts";

export class PortfolioService extends PortfolioReads {
  private notifier: RetirementNotifier | null = null;

  constructor(
    ctx: DomainContext,
    private readonly notifications: NotificationService | null = null,
  ) {
    super(ctx);
  }

  /**
   * The words of the "portfolio archived/deleted, these were paused" notification: the bot
   * installs its notifier at start; without one (scripts) things are paused silently.
   */
  useNotifier(notifier: RetirementNotifier): void {
    this.notifier = notifier;
  }

  async setActivePortfolio(actor: Actor, portfolioId: number): Promise<PortfolioView> {
    await this.getLivePortfolio(actor, portfolioId);
    await this.ctx.db.user.update({
      where: { id: actor.id },
      data: { activePortfolioId: portfolioId },
    });
    return this.getPortfolio(actor, portfolioId);
  }

  async createPortfolio(actor: Actor, input: CreatePortfolioInput): Promise<PortfolioView> {
    assertApproved(actor);
    await this.getAccount(actor, input.accountId);
    const name = cleanName("name", input.name);
    const description = input.description?.trim() ? input.description.trim().slice(0, 200) : null;
    await this.assertPortfolioNameFree(actor.id, name);
    try {
      const id = await this.ctx.db.$transaction(async (tx) => {
        const hasDefault = await tx.portfolio.count({ where: { defaultForUserId: actor.id } });
        const makeDefault = input.makeDefault === true || hasDefault === 0;
        if (makeDefault)
          await tx.portfolio.updateMany({
            where: { defaultForUserId: actor.id },
            data: { defaultForUserId: null },
          });
        const created = await tx.portfolio.create({
          data: {
            uid: randomUUID(),
            userId: actor.id,
            accountId: input.accountId,
            name,
            description,
            defaultForUserId: makeDefault ? actor.id : null,
          },
        });
        const opening = await this.creditOpeningBalance(tx, input.accountId, created.id);
        await audit(tx, {
          actorId: actor.id,
          entityType: "PORTFOLIO",
          entityId: created.id,
          action: "CREATE",
          details: {
            name,
            accountId: input.accountId,
            isDefault: makeDefault,
            openingBalance: opening ? toDb(opening) : null,
          },
        });
        return created.id;
      });
      return this.getPortfolio(actor, id);
    } catch (e) {
      if (isUniqueViolationOn(e, "name"))
        throw new ConflictError("name", "error-portfolio-name-taken", { name });
      throw e;
    }
  }

  async renamePortfolio(
    actor: Actor,
    portfolioId: number,
    newName: string,
  ): Promise<PortfolioView> {
    const before = await this.getLivePortfolio(actor, portfolioId);
    const name = cleanName("name", newName);
    await this.assertPortfolioNameFree(actor.id, name, portfolioId);
    try {
      await this.ctx.db.$transaction(async (tx) => {
        await tx.portfolio.update({ where: { id: portfolioId }, data: { name } });
        await audit(tx, {
          actorId: actor.id,
          entityType: "PORTFOLIO",
          entityId: portfolioId,
          action: "UPDATE",
          details: { from: before.name, to: name },
        });
      });
    } catch (e) {
      if (isUniqueViolationOn(e, "name"))
        throw new ConflictError("name", "error-portfolio-name-taken", { name });
      throw e;
    }
    return this.getPortfolio(actor, portfolioId);
  }

  async setDefaultPortfolio(actor: Actor, portfolioId: number): Promise<PortfolioView> {
    await this.getLivePortfolio(actor, portfolioId);
    await this.ctx.db.$transaction(async (tx) => {
      await moveDefault(tx, actor.id, portfolioId);
      await audit(tx, {
        actorId: actor.id,
        entityType: "PORTFOLIO",
        entityId: portfolioId,
        action: "UPDATE",
        details: { isDefault: true },
      });
    });
    return this.getPortfolio(actor, portfolioId);
  }

  /** Open orders and open positions: a portfolio is deleted or archived only without either. */
  async retirementBlockers(actor: Actor, portfolioId: number): Promise<RetirementBlockers> {
    await this.getLivePortfolio(actor, portfolioId);
    return blockersIn(this.ctx.db, portfolioId);
  }

  /**
   * The account's starting cash, if it still waits for a portfolio, deposited into this one (the
   * account's first portfolio). Locks the account so two portfolios cannot both receive it.
   */
  private async creditOpeningBalance(
    tx: Tx,
    accountId: number,
    portfolioId: number,
  ): Promise<Decimal | null> {
    await lockRow(tx, this.ctx.provider, "accounts", accountId);
    const account = await tx.account.findUniqueOrThrow({
      where: { id: accountId },
      select: { openingBalance: true, baseCurrency: true },
    });
    const opening = fromDbOrNull(account.openingBalance);
    if (!opening) return null;
    await tx.account.update({ where: { id: accountId }, data: { openingBalance: null } });
    if (!opening.gt(0)) return null;
    await appendCash(tx, this.ctx.provider, {
      accountId,
      portfolioId,
      type: "DEPOSIT",
      currency: account.baseCurrency,
      amount: opening,
      note: "opening balance",
      at: this.ctx.clock.now(),
    });
    return opening;
  }

  /**
   * Deletes the portfolio — or archives it when it has any history (orders or trades): history is
   * never destroyed. Refused (StateError "error-portfolio-not-flat", with the counts) while it
   * holds open orders or open positions: cancel or close them first. Its schedules, alerts and
   * portfolio risk policies are paused, and the owner gets one notification listing them. The
   * default moves to the oldest live portfolio left; the active one falls back to the default.
   * Refused too while it holds cash ("error-portfolio-has-cash"): transfer or withdraw it first,
   * or the money would vanish from the account.
   */
  async deletePortfolio(actor: Actor, portfolioId: number): Promise<RetirementResult> {
    const portfolio = await this.getLivePortfolio(actor, portfolioId);
    return retirePortfolio(this.retirementDeps(), actor, portfolio);
  }

  /**
   * The schedule runner's guard for schedules made before archiving existed, or that slipped
   * through: the schedule's portfolio is gone or archived, so it is paused (only if still active:
   * of two runners one does it) and the owner is told, with the same notification as a deletion.
   * Returns false when there was nothing to pause.
   */
  async pauseOrphanedSchedule(
    scheduleId: number,
    userId: number,
    portfolioId: number,
  ): Promise<boolean> {
    return pauseScheduleOfRetiredPortfolio(this.retirementDeps(), scheduleId, userId, portfolioId);
  }

  private retirementDeps(): RetirementDeps {
    return { ctx: this.ctx, notifications: this.notifications, notifier: this.notifier };
  }

  private async assertPortfolioNameFree(
    userId: number,
    name: string,
    exceptId?: number,
  ): Promise<void> {
    const rows = await this.ctx.db.portfolio.findMany({
      where: { userId, ...LIVE },
      select: { id: true, name: true },
    });
    if (rows.some((r) => r.id !== exceptId && r.name.toLowerCase() === name.toLowerCase())) {
      throw new ConflictError("name", "error-portfolio-name-taken", { name });
    }
  }
}
