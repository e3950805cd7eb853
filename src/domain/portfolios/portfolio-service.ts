// Broker accounts and portfolios: creation, renaming, deletion, the default and the active
// portfolio. Every call takes the acting user and only ever sees that user's rows; another
// user's id looks exactly like a missing one.
import { randomUUID } from "node:crypto";
import type { Tx } from "../../db/client.ts";
import { isUniqueViolationOn } from "../../db/errors.ts";
import { lockRow } from "../../db/locks.ts";
import { type Decimal, fromDbOrNull, toDb } from "../../lib/decimal.ts";
import { audit } from "../audit/audit-logger.ts";
import { appendCash, cashBalances } from "../cash/cash-ledger.ts";
import type { DomainContext } from "../context.ts";
import { ConflictError, NotFoundError, StateError, ValidationError } from "../errors.ts";
import { cleanCurrency, cleanName } from "../names.ts";
import { OPEN_STATUSES } from "../orders/order-status.ts";
import { type Actor, assertAdmin, assertApproved } from "../users/actor.ts";

export interface AccountView {
  id: number;
  uid: string;
  name: string;
  brokerCode: string;
  brokerName: string;
  isPaper: boolean;
  baseCurrency: string;
  accountUid: string | null;
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
  baseCurrency: string;
  isDefault: boolean;
  isActive: boolean;
  createdAt: Date;
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
}

export interface CreatePortfolioInput {
  accountId: number;
  name: string;
  description?: string | null;
  makeDefault?: boolean;
}

const accountInclude = { broker: true } as const;
const portfolioInclude = { account: { include: { broker: true } } } as const;

export class PortfolioService {
  constructor(private readonly ctx: DomainContext) {}

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

  async createAccount(actor: Actor, input: CreateAccountInput): Promise<AccountView> {
    assertApproved(actor);
    const name = cleanName("name", input.name);
    const broker = await this.ctx.db.broker.findUnique({
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
    if (input.secretRef && broker.isPaper) {
      throw new ValidationError("secretRef", "error-paper-no-secret");
    }
    await this.assertAccountNameFree(actor.id, name);
    try {
      const row = await this.ctx.db.$transaction(async (tx) => {
        const account = await tx.account.create({
          data: {
            uid: randomUUID(),
            userId: actor.id,
            brokerId: broker.id,
            name,
            baseCurrency,
            accountUid: input.accountUid?.trim() || null,
            secretRef: input.secretRef ?? null,
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
            openingBalance: opening ? toDb(opening) : null,
          },
        });
        return account;
      });
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
        where: { userId: actor.id },
        include: portfolioInclude,
        orderBy: { id: "asc" },
      }),
      this.activePortfolioId(actor),
    ]);
    return rows.map((r) => toPortfolioView(r, active));
  }

  async getPortfolio(actor: Actor, portfolioId: number): Promise<PortfolioView> {
    assertApproved(actor);
    const row = await this.ctx.db.portfolio.findFirst({
      where: { id: portfolioId, userId: actor.id },
      include: portfolioInclude,
    });
    if (!row) throw new NotFoundError("portfolio", portfolioId);
    return toPortfolioView(row, await this.activePortfolioId(actor));
  }

  async findPortfolioByName(actor: Actor, name: string): Promise<PortfolioView> {
    assertApproved(actor);
    const wanted = name.trim();
    const rows = await this.ctx.db.portfolio.findMany({
      where: { userId: actor.id },
      include: portfolioInclude,
    });
    // names are compared case-insensitively the same way on SQLite and PostgreSQL
    const row = rows.find((r) => r.name.toLowerCase() === wanted.toLowerCase());
    if (!row) throw new NotFoundError("portfolio", wanted, "error-unknown-portfolio");
    return toPortfolioView(row, await this.activePortfolioId(actor));
  }

  /**
   * The portfolio a trading command acts on: the one named, else the active one, else the
   * default. Throws a NotFoundError with a hint to create one when the user has none.
   */
  async resolvePortfolio(actor: Actor, name?: string | null): Promise<PortfolioView> {
    if (name?.trim()) return this.findPortfolioByName(actor, name);
    const id = await this.activePortfolioId(actor);
    if (id === null) throw new NotFoundError("portfolio", "-", "error-no-portfolio");
    return this.getPortfolio(actor, id);
  }

  /** Active portfolio id: the one chosen with the switcher if it still exists, else the default. */
  async activePortfolioId(actor: Actor): Promise<number | null> {
    const user = await this.ctx.db.user.findUnique({
      where: { id: actor.id },
      select: { activePortfolioId: true, defaultPortfolio: { select: { id: true } } },
    });
    if (user?.activePortfolioId) {
      const exists = await this.ctx.db.portfolio.count({
        where: { id: user.activePortfolioId, userId: actor.id },
      });
      if (exists) return user.activePortfolioId;
    }
    return user?.defaultPortfolio?.id ?? null;
  }

  async setActivePortfolio(actor: Actor, portfolioId: number): Promise<PortfolioView> {
    await this.getPortfolio(actor, portfolioId);
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
    const before = await this.getPortfolio(actor, portfolioId);
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
    await this.getPortfolio(actor, portfolioId);
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
   * Deletes a portfolio with its orders, trades and positions. Refused while it has open orders
   * (cancel them first: the broker still holds them) or holds cash (transfer it to another
   * portfolio or withdraw it first: deleting would make money vanish from the account). The
   * default moves to the oldest remaining.
   */
  async deletePortfolio(actor: Actor, portfolioId: number): Promise<void> {
    const portfolio = await this.getPortfolio(actor, portfolioId);
    await this.ctx.db.$transaction(async (tx) => {
      const open = await tx.order.count({
        where: { portfolioId, status: { in: [...OPEN_STATUSES] } },
      });
      if (open > 0)
        throw new StateError("error-portfolio-has-open-orders", {
          count: open,
          name: portfolio.name,
        });
      for (const [currency, amount] of await cashBalances(tx, portfolioId)) {
        if (!amount.isZero())
          throw new StateError("error-portfolio-has-cash", {
            name: portfolio.name,
            amount: amount.toFixed(),
            currency,
          });
      }
      await tx.portfolio.delete({ where: { id: portfolioId } });
      if (portfolio.isDefault) {
        const next = await tx.portfolio.findFirst({
          where: { userId: actor.id },
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
        action: "DELETE",
        details: { name: portfolio.name },
      });
    });
  }

  // Names are unique per user without regard to case (the database index is the exact-match
  // backstop): "Main" and "main" side by side would make /portfolio main ambiguous.
  private async assertAccountNameFree(
    userId: number,
    name: string,
    exceptId?: number,
  ): Promise<void> {
    const rows = await this.ctx.db.account.findMany({
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
      where: { userId },
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
  createdAt: Date;
  broker: { code: string; name: string; isPaper: boolean };
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
    accountUid: row.accountUid,
    hasSecret: row.secretRef !== null,
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
  createdAt: Date;
  account: { name: string; baseCurrency: string; broker: { code: string; isPaper: boolean } };
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
    baseCurrency: row.account.baseCurrency,
    isDefault: row.defaultForUserId !== null,
    isActive: activeId === row.id,
    createdAt: row.createdAt,
  };
}
