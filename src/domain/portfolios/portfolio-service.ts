// Broker accounts and portfolios: creation, renaming, deletion, the default and the active
// portfolio. Every call takes the acting user and only ever sees that user's rows; another
// user's id looks exactly like a missing one.
//
// Deleting never destroys trade history: a portfolio with any orders or trades is archived
// (hidden from lists, switchers and pickers, no new orders, never active or default, its name
// free for a new portfolio) and only one that never traded is really deleted. Either is refused
// while it holds open positions or open orders. What referred to it (schedules, alerts,
// portfolio risk policies) is paused, and the owner is told once through the outbox.
import { randomUUID } from "node:crypto";
import type { DbOrTx, Tx } from "../../db/client.ts";
import { isUniqueViolationOn } from "../../db/errors.ts";
import { lockRow } from "../../db/locks.ts";
import { type Decimal, fromDb, fromDbOrNull, toDb } from "../../lib/decimal.ts";
import { audit } from "../audit/audit-logger.ts";
import { checkBound } from "../bounds.ts";
import { appendCash, cashBalances } from "../cash/cash-ledger.ts";
import type { DomainContext } from "../context.ts";
import { ConflictError, NotFoundError, StateError, ValidationError } from "../errors.ts";
import { cleanCurrency, cleanName } from "../names.ts";
import type { NotificationService } from "../notifications/notification-service.ts";
import { OPEN_STATUSES } from "../orders/order-status.ts";
import { scheduleTargetSchema } from "../schedules/schedule-types.ts";
import { type Actor, assertAdmin, assertApproved } from "../users/actor.ts";
import {
  type PausedReferences,
  type RetirementNotifier,
  type RetirementOutcome,
  sendRetirementNotice,
} from "./retirement-notice.ts";

export interface AccountView {
  id: number;
  uid: string;
  name: string;
  brokerCode: string;
  brokerName: string;
  isPaper: boolean;
  baseCurrency: string;
  /** a live account on the exchange's testnet (no real money) */
  testnet: boolean;
  accountUid: string | null;
  /** an API key is stored for it (encrypted in account_credentials, or an external reference) */
  hasSecret: boolean;
  createdAt: Date;
}

export interface PortfolioView {
  id: number;
  uid: string;
  name: string;
  description: string | null;
  accountId: number;
  accountName: string;
  brokerCode: string;
  isPaper: boolean;
  /** the account trades on the exchange's testnet (no real money) */
  testnet: boolean;
  baseCurrency: string;
  isDefault: boolean;
  isActive: boolean;
  /** set once archived: history stays readable, nothing new can be done with it */
  archivedAt: Date | null;
  /** set while new entries are paused (/pause): exits, cancels and closes still work */
  entriesPausedAt: Date | null;
  createdAt: Date;
}

/** What stands between a portfolio and its deletion. */
export interface RetirementBlockers {
  openOrders: number;
  /** positions with a non-zero quantity */
  openPositions: number;
}

export interface RetirementResult {
  /** ARCHIVED: it had history, kept hidden; DELETED: it never traded, gone */
  outcome: Exclude<RetirementOutcome, "MISSING">;
  name: string;
  paused: PausedReferences;
}

export interface CreateAccountInput {
  brokerCode: string;
  name: string;
  baseCurrency?: string;
  accountUid?: string | null;
  /** reference to the API key in the secret store, never the key itself */
  secretRef?: string | null;
  /**
   * paper accounts: the starting cash. Cash belongs to portfolios, so it waits on the account
   * until the account's first portfolio is created, which receives it as its opening deposit.
   */
  openingBalance?: Decimal | null;
  /** live accounts: trade on the exchange's testnet (refused for paper brokers) */
  testnet?: boolean;
}

export interface CreatePortfolioInput {
  accountId: number;
  name: string;
  description?: string | null;
  makeDefault?: boolean;
}

/** the credential's key id only: whether a key is stored, never the sealed record */
const accountInclude = { broker: true, credential: { select: { keyId: true } } } as const;
const portfolioInclude = { account: { include: { broker: true } } } as const;
/** live (not archived) portfolios */
const LIVE = { archivedAt: null } as const;

export class PortfolioService {
  private notifier: RetirementNotifier | null = null;

  constructor(
    private readonly ctx: DomainContext,
    private readonly notifications: NotificationService | null = null,
  ) {}

  /**
   * The words of the "portfolio archived/deleted, these were paused" notification: the bot
   * installs its notifier at start; without one (scripts) things are paused silently.
   */
  useNotifier(notifier: RetirementNotifier): void {
    this.notifier = notifier;
  }

  // ───────────── accounts ─────────────

  /** The brokers an account can be opened with. */
  async brokers(): Promise<Array<{ code: string; name: string; isPaper: boolean }>> {
    const rows = await this.ctx.db.broker.findMany({ orderBy: { id: "asc" } });
    return rows.map((b) => ({ code: b.code, name: b.name, isPaper: b.isPaper }));
  }

  async accountNameTaken(actor: Actor, name: string): Promise<boolean> {
    assertApproved(actor);
    const rows = await this.ctx.db.account.findMany({
      where: { userId: actor.id },
      select: { name: true },
    });
    return rows.some((r) => r.name.toLowerCase() === name.trim().toLowerCase());
  }

  async listAccounts(actor: Actor): Promise<AccountView[]> {
    assertApproved(actor);
    const rows = await this.ctx.db.account.findMany({
      where: { userId: actor.id, isActive: true },
      include: accountInclude,
      orderBy: { id: "asc" },
    });
    return rows.map(toAccountView);
  }

  async getAccount(actor: Actor, accountId: number): Promise<AccountView> {
    assertApproved(actor);
    const row = await this.ctx.db.account.findFirst({
      where: { id: accountId, userId: actor.id, isActive: true },
      include: accountInclude,
    });
    if (!row) throw new NotFoundError("account", accountId);
    return toAccountView(row);
  }

  /**
   * Creates an account. Pass `tx` to create it inside a caller's transaction (a live account and
   * its encrypted credentials are stored together or not at all).
   */
  async createAccount(
    actor: Actor,
    input: CreateAccountInput,
    options: { tx?: Tx } = {},
  ): Promise<AccountView> {
    assertApproved(actor);
    const name = cleanName("name", input.name);
    const db: DbOrTx = options.tx ?? this.ctx.db;
    const broker = await db.broker.findUnique({
      where: { code: input.brokerCode.trim().toUpperCase() },
    });
    if (!broker) {
      throw new ValidationError("broker", "error-unknown-broker", { value: input.brokerCode });
    }
    const baseCurrency = cleanCurrency("baseCurrency", input.baseCurrency ?? "USD");
    const opening = input.openingBalance ?? null;
    if (opening && !broker.isPaper) {
      throw new ValidationError("openingBalance", "error-opening-balance-paper-only");
    }
    if (opening && opening.isNeg()) {
      throw new ValidationError("openingBalance", "error-must-not-be-negative", {
        value: opening.toFixed(),
      });
    }
    if (opening) checkBound("openingBalance", opening, "amount");
    if (input.secretRef && broker.isPaper) {
      throw new ValidationError("secretRef", "error-paper-no-secret");
    }
    if (input.testnet && broker.isPaper) {
      throw new ValidationError("testnet", "error-paper-no-testnet");
    }
    await this.assertAccountNameFree(actor.id, name, undefined, db);
    try {
      const write = async (tx: Tx) => {
        const account = await tx.account.create({
          data: {
            uid: randomUUID(),
            userId: actor.id,
            brokerId: broker.id,
            name,
            baseCurrency,
            accountUid: input.accountUid?.trim() || null,
            secretRef: input.secretRef ?? null,
            testnet: input.testnet === true,
            // cash lives in portfolios: the account's first portfolio receives it
            openingBalance: opening && opening.gt(0) ? toDb(opening) : null,
          },
          include: accountInclude,
        });
        await audit(tx, {
          actorId: actor.id,
          entityType: "ACCOUNT",
          entityId: account.id,
          action: "CREATE",
          details: {
            name,
            broker: broker.code,
            baseCurrency,
            testnet: input.testnet === true,
            openingBalance: opening ? toDb(opening) : null,
          },
        });
        return account;
      };
      const row = options.tx ? await write(options.tx) : await this.ctx.db.$transaction(write);
      return toAccountView(row);
    } catch (e) {
      if (isUniqueViolationOn(e, "name"))
        throw new ConflictError("name", "error-account-name-taken", { name });
      throw e;
    }
  }

  async renameAccount(actor: Actor, accountId: number, newName: string): Promise<AccountView> {
    await this.getAccount(actor, accountId);
    const name = cleanName("name", newName);
    await this.assertAccountNameFree(actor.id, name, accountId);
    try {
      const row = await this.ctx.db.$transaction(async (tx) => {
        const updated = await tx.account.update({
          where: { id: accountId },
          data: { name },
          include: accountInclude,
        });
        await audit(tx, {
          actorId: actor.id,
          entityType: "ACCOUNT",
          entityId: accountId,
          action: "UPDATE",
          details: { name },
        });
        return updated;
      });
      return toAccountView(row);
    } catch (e) {
      if (isUniqueViolationOn(e, "name"))
        throw new ConflictError("name", "error-account-name-taken", { name });
      throw e;
    }
  }

  /** Deletes an account with no portfolios left (delete those first: they hold the history). */
  async deleteAccount(actor: Actor, accountId: number): Promise<void> {
    await this.getAccount(actor, accountId);
    const portfolios = await this.ctx.db.portfolio.count({ where: { accountId } });
    if (portfolios > 0) throw new StateError("error-account-has-portfolios", { count: portfolios });
    await this.ctx.db.$transaction(async (tx) => {
      await tx.account.delete({ where: { id: accountId } });
      await audit(tx, {
        actorId: actor.id,
        entityType: "ACCOUNT",
        entityId: accountId,
        action: "DELETE",
      });
    });
  }

  // ───────────── portfolios ─────────────

  async listPortfolios(actor: Actor): Promise<PortfolioView[]> {
    assertApproved(actor);
    const [rows, active] = await Promise.all([
      this.ctx.db.portfolio.findMany({
        where: { userId: actor.id, ...LIVE },
        include: portfolioInclude,
        orderBy: { id: "asc" },
      }),
      this.activePortfolioId(actor),
    ]);
    return rows.map((r) => toPortfolioView(r, active));
  }

  /** Any of the user's portfolios, archived ones included (their history stays readable). */
  async getPortfolio(actor: Actor, portfolioId: number): Promise<PortfolioView> {
    assertApproved(actor);
    const row = await this.ctx.db.portfolio.findFirst({
      where: { id: portfolioId, userId: actor.id },
      include: portfolioInclude,
    });
    if (!row) throw new NotFoundError("portfolio", portfolioId);
    return toPortfolioView(row, await this.activePortfolioId(actor));
  }

  /** One of the user's portfolios that may still change: StateError when it is archived. */
  async getLivePortfolio(actor: Actor, portfolioId: number): Promise<PortfolioView> {
    const portfolio = await this.getPortfolio(actor, portfolioId);
    if (portfolio.archivedAt) {
      throw new StateError("error-portfolio-archived", { name: portfolio.name });
    }
    return portfolio;
  }

  async findPortfolioByName(actor: Actor, name: string): Promise<PortfolioView> {
    assertApproved(actor);
    const wanted = name.trim();
    const rows = await this.ctx.db.portfolio.findMany({
      where: { userId: actor.id, ...LIVE },
      include: portfolioInclude,
    });
    // names are compared case-insensitively the same way on SQLite and PostgreSQL
    const row = rows.find((r) => r.name.toLowerCase() === wanted.toLowerCase());
    if (!row) throw new NotFoundError("portfolio", wanted, "error-unknown-portfolio");
    return toPortfolioView(row, await this.activePortfolioId(actor));
  }

  /**
   * The portfolio a report or an export reads: like resolvePortfolio, and when no live portfolio
   * has the name, the most recently archived one that had it (its history stays readable).
   */
  async resolveForReading(actor: Actor, name?: string | null): Promise<PortfolioView> {
    try {
      return await this.resolvePortfolio(actor, name);
    } catch (e) {
      if (!(e instanceof NotFoundError) || e.key !== "error-unknown-portfolio") throw e;
      const wanted = name!.trim().toLowerCase();
      const archived = await this.ctx.db.portfolio.findMany({
        where: { userId: actor.id, archivedAt: { not: null } },
        include: portfolioInclude,
        orderBy: [{ archivedAt: "desc" }, { id: "desc" }],
      });
      const row = archived.find((r) => r.name.toLowerCase() === wanted);
      if (!row) throw e;
      return toPortfolioView(row, await this.activePortfolioId(actor));
    }
  }

  /**
   * The portfolio a trading command acts on: the one named, else the active one, else the
   * default. Throws a NotFoundError with a hint to create one when the user has none.
   */
  async resolvePortfolio(actor: Actor, name?: string | null): Promise<PortfolioView> {
    if (name?.trim()) return this.findPortfolioByName(actor, name);
    assertApproved(actor);
    // activePortfolioId() then getPortfolio(), in two reads (every command without a name
    // resolves its portfolio here): the chosen one if it is still live, else the default
    const user = await this.ctx.db.user.findUnique({
      where: { id: actor.id },
      select: { activePortfolioId: true },
    });
    const chosen = user?.activePortfolioId ?? null;
    const rows = await this.ctx.db.portfolio.findMany({
      where: {
        userId: actor.id,
        OR: [{ defaultForUserId: actor.id }, ...(chosen ? [{ id: chosen, ...LIVE }] : [])],
      },
      include: portfolioInclude,
    });
    const row =
      rows.find((r) => r.id === chosen) ?? rows.find((r) => r.defaultForUserId === actor.id);
    if (!row) throw new NotFoundError("portfolio", "-", "error-no-portfolio");
    return toPortfolioView(row, row.id);
  }

  /** Active portfolio id: the one chosen with the switcher if it still exists, else the default. */
  async activePortfolioId(actor: Actor): Promise<number | null> {
    const user = await this.ctx.db.user.findUnique({
      where: { id: actor.id },
      select: { activePortfolioId: true, defaultPortfolio: { select: { id: true } } },
    });
    if (user?.activePortfolioId) {
      const exists = await this.ctx.db.portfolio.count({
        where: { id: user.activePortfolioId, userId: actor.id, ...LIVE },
      });
      if (exists) return user.activePortfolioId;
    }
    return user?.defaultPortfolio?.id ?? null;
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
      await this.moveDefault(tx, actor.id, portfolioId);
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
    return this.blockersIn(this.ctx.db, portfolioId);
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
    const now = this.ctx.clock.now();
    return this.ctx.db.$transaction(async (tx) => {
      // placements and fills of the account wait for this (PostgreSQL; SQLite is serialized)
      await lockRow(tx, this.ctx.provider, "accounts", portfolio.accountId);
      const current = await tx.portfolio.findFirst({
        where: { id: portfolioId, userId: actor.id, ...LIVE },
        select: { id: true },
      });
      if (!current) throw new NotFoundError("portfolio", portfolioId);
      const blockers = await this.blockersIn(tx, portfolioId);
      if (blockers.openOrders > 0 || blockers.openPositions > 0) {
        throw new StateError("error-portfolio-not-flat", {
          name: portfolio.name,
          orders: blockers.openOrders,
          positions: blockers.openPositions,
        });
      }
      for (const [currency, amount] of await cashBalances(tx, portfolioId)) {
        if (!amount.isZero())
          throw new StateError("error-portfolio-has-cash", {
            name: portfolio.name,
            amount: amount.toFixed(),
            currency,
          });
      }
      // any order, trade or cash movement is history: it is archived, never destroyed
      const [orders, trades, cash] = await Promise.all([
        tx.order.count({ where: { portfolioId } }),
        tx.trade.count({ where: { portfolioId } }),
        tx.cashTransaction.count({ where: { portfolioId } }),
      ]);
      const outcome = orders > 0 || trades > 0 || cash > 0 ? "ARCHIVED" : "DELETED";
      const paused = await this.pauseReferences(tx, actor.id, portfolioId, now);
      if (outcome === "ARCHIVED") {
        await tx.portfolio.update({
          where: { id: portfolioId },
          data: { archivedAt: now, archiveKey: portfolioId, defaultForUserId: null },
        });
      } else {
        await tx.portfolio.delete({ where: { id: portfolioId } });
      }
      if (portfolio.isDefault) {
        const next = await tx.portfolio.findFirst({
          where: { userId: actor.id, ...LIVE },
          orderBy: { id: "asc" },
        });
        if (next) await this.moveDefault(tx, actor.id, next.id);
      }
      await tx.user.updateMany({
        where: { id: actor.id, activePortfolioId: portfolioId },
        data: { activePortfolioId: null },
      });
      await audit(tx, {
        actorId: actor.id,
        entityType: "PORTFOLIO",
        entityId: portfolioId,
        action: outcome === "ARCHIVED" ? "ARCHIVE" : "DELETE",
        details: { name: portfolio.name, orders, trades, paused: { ...paused } },
      });
      await sendRetirementNotice(
        tx,
        { notifications: this.notifications, notifier: this.notifier },
        { userId: actor.id, portfolio: { id: portfolioId, name: portfolio.name }, outcome, paused },
        `portfolio-retired:${portfolioId}`,
      );
      return { outcome, name: portfolio.name, paused };
    });
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
    return this.ctx.db.$transaction(async (tx) => {
      const schedule = await tx.schedule.findFirst({
        where: { id: scheduleId, userId, isActive: true },
        select: { id: true, name: true },
      });
      if (!schedule) return false;
      const portfolio = await tx.portfolio.findFirst({
        where: { id: portfolioId, userId },
        select: { name: true, archivedAt: true },
      });
      if (portfolio && !portfolio.archivedAt) return false;
      const { count } = await tx.schedule.updateMany({
        where: { id: scheduleId, isActive: true },
        data: { isActive: false, nextRunAt: null },
      });
      if (count !== 1) return false;
      await audit(tx, {
        actorId: null,
        entityType: "SCHEDULE",
        entityId: scheduleId,
        action: "PAUSE",
        details: { reason: portfolio ? "portfolio-archived" : "portfolio-missing", portfolioId },
      });
      await sendRetirementNotice(
        tx,
        { notifications: this.notifications, notifier: this.notifier },
        {
          userId,
          portfolio: { id: portfolioId, name: portfolio?.name ?? null },
          outcome: portfolio ? "ARCHIVED" : "MISSING",
          paused: { schedules: [schedule.name], alerts: [], policies: [] },
        },
        `portfolio-retired:${portfolioId}:schedule:${scheduleId}`,
      );
      return true;
    });
  }

  private async blockersIn(db: DbOrTx, portfolioId: number): Promise<RetirementBlockers> {
    const [openOrders, positions] = await Promise.all([
      db.order.count({ where: { portfolioId, status: { in: [...OPEN_STATUSES] } } }),
      db.position.findMany({ where: { portfolioId }, select: { quantity: true } }),
    ]);
    // quantities are decimal strings (TEXT on SQLite): compared in decimal.js, not in SQL
    const openPositions = positions.filter((p) => !fromDb(p.quantity).isZero()).length;
    return { openOrders, openPositions };
  }

  /** Pauses the user's active schedules, alerts and risk policies that refer to the portfolio. */
  private async pauseReferences(
    tx: Tx,
    userId: number,
    portfolioId: number,
    now: Date,
  ): Promise<PausedReferences> {
    const [schedules, alerts, policies] = await Promise.all([
      tx.schedule.findMany({
        where: { userId, isActive: true },
        select: { id: true, name: true, config: true },
        orderBy: { id: "asc" },
      }),
      tx.alert.findMany({
        where: { userId, portfolioId, isActive: true },
        select: { id: true, name: true },
        orderBy: { id: "asc" },
      }),
      tx.riskPolicy.findMany({
        where: { userId, scopeType: "PORTFOLIO", scopeId: portfolioId, isActive: true },
        select: { id: true, name: true },
        orderBy: { id: "asc" },
      }),
    ]);
    const pausedSchedules = schedules.filter((s) => {
      const target = scheduleTargetSchema.safeParse(s.config);
      return target.success && target.data.kind !== "SCREENER"
        ? target.data.portfolioId === portfolioId
        : false;
    });
    if (pausedSchedules.length) {
      await tx.schedule.updateMany({
        where: { id: { in: pausedSchedules.map((s) => s.id) } },
        data: { isActive: false, nextRunAt: null, updatedAt: now },
      });
    }
    if (alerts.length) {
      await tx.alert.updateMany({
        where: { id: { in: alerts.map((a) => a.id) } },
        data: { isActive: false, updatedAt: now },
      });
    }
    if (policies.length) {
      await tx.riskPolicy.updateMany({
        where: { id: { in: policies.map((p) => p.id) } },
        data: { isActive: false, updatedAt: now },
      });
    }
    return {
      schedules: pausedSchedules.map((s) => s.name),
      alerts: alerts.map((a) => a.name),
      policies: policies.map((p) => p.name),
    };
  }

  // Names are unique per user without regard to case (the database index is the exact-match
  // backstop): "Main" and "main" side by side would make /portfolio main ambiguous.
  private async assertAccountNameFree(
    userId: number,
    name: string,
    exceptId?: number,
    db: DbOrTx = this.ctx.db,
  ): Promise<void> {
    const rows = await db.account.findMany({
      where: { userId },
      select: { id: true, name: true },
    });
    if (rows.some((r) => r.id !== exceptId && r.name.toLowerCase() === name.toLowerCase())) {
      throw new ConflictError("name", "error-account-name-taken", { name });
    }
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

  private async moveDefault(tx: Tx, userId: number, portfolioId: number): Promise<void> {
    await tx.portfolio.updateMany({
      where: { defaultForUserId: userId },
      data: { defaultForUserId: null },
    });
    await tx.portfolio.update({ where: { id: portfolioId }, data: { defaultForUserId: userId } });
  }

  // ───────────── admin ─────────────

  /** Admins may look at another user's portfolios (read-only), e.g. to help them. */
  async adminListPortfolios(admin: Actor, userId: number): Promise<PortfolioView[]> {
    assertAdmin(admin);
    const rows = await this.ctx.db.portfolio.findMany({
      where: { userId },
      include: portfolioInclude,
      orderBy: { id: "asc" },
    });
    return rows.map((r) => toPortfolioView(r, null));
  }
}

type AccountRow = {
  id: number;
  uid: string;
  name: string;
  baseCurrency: string;
  accountUid: string | null;
  secretRef: string | null;
  testnet: boolean;
  createdAt: Date;
  broker: { code: string; name: string; isPaper: boolean };
  credential: { keyId: string } | null;
};

function toAccountView(row: AccountRow): AccountView {
  return {
    id: row.id,
    uid: row.uid,
    name: row.name,
    brokerCode: row.broker.code,
    brokerName: row.broker.name,
    isPaper: row.broker.isPaper,
    baseCurrency: row.baseCurrency,
    testnet: row.testnet,
    accountUid: row.accountUid,
    hasSecret: row.secretRef !== null || row.credential !== null,
    createdAt: row.createdAt,
  };
}

type PortfolioRow = {
  id: number;
  uid: string;
  name: string;
  description: string | null;
  accountId: number;
  defaultForUserId: number | null;
  archivedAt: Date | null;
  entriesPausedAt: Date | null;
  createdAt: Date;
  account: {
    name: string;
    baseCurrency: string;
    testnet: boolean;
    broker: { code: string; isPaper: boolean };
  };
};

function toPortfolioView(row: PortfolioRow, activeId: number | null): PortfolioView {
  return {
    id: row.id,
    uid: row.uid,
    name: row.name,
    description: row.description,
    accountId: row.accountId,
    accountName: row.account.name,
    brokerCode: row.account.broker.code,
    isPaper: row.account.broker.isPaper,
    testnet: row.account.testnet,
    baseCurrency: row.account.baseCurrency,
    isDefault: row.defaultForUserId !== null,
    isActive: activeId === row.id,
    archivedAt: row.archivedAt,
    entriesPausedAt: row.entriesPausedAt,
    createdAt: row.createdAt,
  };
}
