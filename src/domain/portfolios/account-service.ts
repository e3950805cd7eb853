// Broker accounts: the brokers one can open an account with, and creating, listing, renaming
// and deleting the acting user's accounts. A paper account may carry starting cash, which waits
// on the account until its first portfolio is created (see PortfolioService.createPortfolio).
// Every call takes the acting user and only ever sees that user's rows.
import { randomUUID } from "node:crypto";
import type { DbOrTx, Tx } from "../../db/client.ts";
import { isUniqueViolationOn } from "../../db/errors.ts";
import { toDb } from "../../lib/decimal.ts";
import { audit } from "../audit/audit-logger.ts";
import { checkBound } from "../bounds.ts";
import type { DomainContext } from "../context.ts";
import { ConflictError, NotFoundError, StateError, ValidationError } from "../errors.ts";
import { cleanCurrency, cleanName } from "../names.ts";
import { type Actor, assertApproved } from "../users/actor.ts";
import {
  type AccountView,
  type CreateAccountInput,
  accountInclude,
  toAccountView,
} from "./portfolio-rows.ts";

export class AccountService {
  constructor(protected readonly ctx: DomainContext) {}

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
}
