// Cash on accounts: balances per currency from the ledger (paper accounts; live balances come
// from the broker), and deposits and withdrawals on paper accounts, audited.
import type { Decimal } from "../../lib/decimal.ts";
import { audit } from "../audit/audit-logger.ts";
import type { DomainContext } from "../context.ts";
import { ValidationError } from "../errors.ts";
import { cleanCurrency } from "../names.ts";
import type { AccountView, PortfolioService } from "../portfolios/portfolio-service.ts";
import { type Actor, assertApproved } from "../users/actor.ts";
import { type CashEntry, appendCash, cashBalances, toCashEntry } from "./cash-ledger.ts";

export interface AccountBalances {
  account: AccountView;
  balances: Array<{ currency: string; amount: Decimal }>;
}

export class CashService {
  constructor(
    private readonly ctx: DomainContext,
    private readonly portfolios: PortfolioService,
  ) {}

  async balances(actor: Actor): Promise<AccountBalances[]> {
    assertApproved(actor);
    const accounts = await this.portfolios.listAccounts(actor);
    const out: AccountBalances[] = [];
    for (const account of accounts) {
      const map = await cashBalances(this.ctx.db, account.id);
      out.push({ account, balances: [...map].map(([currency, amount]) => ({ currency, amount })) });
    }
    return out;
  }

  async deposit(
    actor: Actor,
    accountId: number,
    amount: Decimal,
    currency?: string,
  ): Promise<CashEntry> {
    return this.move(actor, accountId, amount, currency, "DEPOSIT");
  }

  async withdraw(
    actor: Actor,
    accountId: number,
    amount: Decimal,
    currency?: string,
  ): Promise<CashEntry> {
    return this.move(actor, accountId, amount, currency, "WITHDRAWAL");
  }

  /** Recent ledger entries of an account, newest first. */
  async history(actor: Actor, accountId: number, take = 20): Promise<CashEntry[]> {
    await this.portfolios.getAccount(actor, accountId);
    const rows = await this.ctx.db.cashTransaction.findMany({
      where: { accountId },
      orderBy: { id: "desc" },
      take,
    });
    return rows.map(toCashEntry);
  }

  private async move(
    actor: Actor,
    accountId: number,
    amount: Decimal,
    currency: string | undefined,
    type: "DEPOSIT" | "WITHDRAWAL",
  ): Promise<CashEntry> {
    const account = await this.portfolios.getAccount(actor, accountId);
    if (!account.isPaper) throw new ValidationError("amount", "error-cash-paper-only");
    if (!amount.gt(0))
      throw new ValidationError("amount", "error-must-be-positive", { value: amount.toFixed() });
    if (amount.decimalPlaces() > 8)
      throw new ValidationError("amount", "error-too-many-decimals", { max: 8 });
    const code = cleanCurrency("currency", currency ?? account.baseCurrency);
    return this.ctx.db.$transaction(async (tx) => {
      const entry = await appendCash(tx, this.ctx.provider, {
        accountId,
        type,
        currency: code,
        amount: type === "DEPOSIT" ? amount : amount.neg(),
        forbidNegative: type === "WITHDRAWAL",
        note: type === "DEPOSIT" ? "deposit" : "withdrawal",
        at: this.ctx.clock.now(),
      });
      await audit(tx, {
        actorId: actor.id,
        entityType: "CASH",
        entityId: entry.id,
        action: "CREATE",
        details: { accountId, type, currency: code, amount: amount.toFixed() },
      });
      return entry;
    });
  }
}
