// Cash on accounts: balances per currency from the ledger (paper accounts; live balances come
// from the broker), and deposits and withdrawals on paper accounts, audited.
import type { Decimal } from "../../lib/decimal.ts";
import { audit } from "../audit/audit-logger.ts";
import { MAX_BALANCE, checkBound } from "../bounds.ts";
import type { DomainContext } from "../context.ts";
import { ValidationError } from "../errors.ts";
import { cleanCurrency } from "../names.ts";
import type { AccountView, PortfolioService } from "../portfolios/portfolio-service.ts";
import { type Actor, assertApproved } from "../users/actor.ts";
import { type CashEntry, appendCash, cashBalances, toCashEntry } from "./cash-ledger.ts";

/** Decimal places a deposit or withdrawal may have. */
const CASH_DECIMALS = 8;

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

  /**
   * The currencies cash may move in on an account: its base currency, any it already holds, and
   * the quote currencies of the instruments it can trade (sorted, base first).
   */
  private async currencies(accountId: number, baseCurrency: string): Promise<string[]> {
    const [held, quoted] = await Promise.all([
      cashBalances(this.ctx.db, accountId),
      this.ctx.db.instrument.findMany({
        where: { isActive: true },
        distinct: ["currency"],
        select: { currency: true },
      }),
    ]);
    const others = new Set([...held.keys(), ...quoted.map((i) => i.currency)]);
    others.delete(baseCurrency);
    return [baseCurrency, ...[...others].sort()];
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
    checkBound("amount", amount, "amount");
    if (amount.decimalPlaces() > CASH_DECIMALS)
      throw new ValidationError("amount", "error-too-many-decimals", { max: CASH_DECIMALS });
    const code = cleanCurrency("currency", currency ?? account.baseCurrency);
    const allowed = await this.currencies(accountId, account.baseCurrency);
    if (!allowed.includes(code)) {
      throw new ValidationError("currency", "error-currency-unknown", {
        value: code,
        allowed: allowed.join(", "),
      });
    }
    return this.ctx.db.$transaction(async (tx) => {
      const entry = await appendCash(tx, this.ctx.provider, {
        accountId,
        type,
        currency: code,
        amount: type === "DEPOSIT" ? amount : amount.neg(),
        forbidNegative: type === "WITHDRAWAL",
        ...(type === "DEPOSIT" ? { maxBalance: MAX_BALANCE } : {}),
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
