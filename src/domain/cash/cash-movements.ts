// Moving paper cash: deposits, withdrawals and transfers between two portfolios of one account,
// each a ledger row (two for a transfer) and an audit row in one transaction. Withdrawals and
// transfers may take only free cash: the balance less what the portfolio's open buy orders
// reserve (paperCashAvailability, the same figure buys are held to), checked under the account's
// lock. CashService (cash-service.ts) hands these calls here.
import type { BrokerGateway } from "../../brokers/types.ts";
import type { Tx } from "../../db/client.ts";
import { lockRow } from "../../db/locks.ts";
import type { Decimal } from "../../lib/decimal.ts";
import { audit } from "../audit/audit-logger.ts";
import { MAX_BALANCE, checkBound } from "../bounds.ts";
import type { DomainContext } from "../context.ts";
import { ValidationError } from "../errors.ts";
import { cleanCurrency } from "../names.ts";
import type { PortfolioService, PortfolioView } from "../portfolios/portfolio-service.ts";
import type { Actor } from "../users/actor.ts";
import { type BalanceSources, paperAvailability } from "./cash-balances.ts";
import { type CashEntry, appendCash, cashBalances } from "./cash-ledger.ts";

/** Decimal places a deposit or withdrawal may have. */
const CASH_DECIMALS = 8;

export interface TransferInput {
  fromPortfolioId: number;
  toPortfolioId: number;
  amount: Decimal;
  currency?: string | undefined;
}

export interface TransferResult {
  from: CashEntry;
  to: CashEntry;
  fromPortfolio: PortfolioView;
  toPortfolio: PortfolioView;
}

const money = (d: Decimal) => d.toDecimalPlaces(8).toFixed();

export class CashMovements {
  constructor(
    private readonly ctx: DomainContext,
    private readonly deps: BalanceSources & { portfolios: PortfolioService },
  ) {}

  /**
   * Moves cash between two portfolios of the same user on the same paper account: two ledger
   * rows (TRANSFER out, TRANSFER in) and an audit row in one transaction. Only free cash moves.
   */
  async transfer(actor: Actor, input: TransferInput): Promise<TransferResult> {
    const from = await this.deps.portfolios.getPortfolio(actor, input.fromPortfolioId);
    const to = await this.deps.portfolios.getPortfolio(actor, input.toPortfolioId);
    if (from.id === to.id)
      throw new ValidationError("portfolio", "error-transfer-same-portfolio", { name: from.name });
    if (from.accountId !== to.accountId) {
      throw new ValidationError("portfolio", "error-transfer-other-account", {
        from: from.name,
        fromAccount: from.accountName,
        to: to.name,
        toAccount: to.accountName,
      });
    }
    if (!from.isPaper) throw new ValidationError("amount", "error-cash-paper-only");
    checkAmount(input.amount);
    const currency = cleanCurrency("currency", input.currency ?? from.baseCurrency);
    const at = this.ctx.clock.now();
    const amount = input.amount;
    // before the transaction: on SQLite a query outside it would wait for it to end
    const gateway = await this.deps.gateways.forAccount(from.accountId);
    return this.ctx.db.$transaction(async (tx) => {
      await this.assertFree(tx, gateway, from, currency, amount);
      const out = await appendCash(tx, this.ctx.provider, {
        accountId: from.accountId,
        portfolioId: from.id,
        type: "TRANSFER",
        currency,
        amount: amount.neg(),
        forbidNegative: true,
        note: `transfer to ${to.name}`,
        at,
      });
      const into = await appendCash(tx, this.ctx.provider, {
        accountId: to.accountId,
        portfolioId: to.id,
        type: "TRANSFER",
        currency,
        amount,
        note: `transfer from ${from.name}`,
        at,
      });
      await audit(tx, {
        actorId: actor.id,
        entityType: "CASH",
        entityId: out.id,
        action: "CREATE",
        details: {
          type: "TRANSFER",
          accountId: from.accountId,
          fromPortfolioId: from.id,
          toPortfolioId: to.id,
          currency,
          amount: amount.toFixed(),
          entries: [out.id, into.id],
        },
      });
      return { from: out, to: into, fromPortfolio: from, toPortfolio: to };
    });
  }

  /**
   * The currencies cash may move in on an account: its base currency, any it already holds, and
   * the quote currencies of the instruments it can trade (sorted, base first).
   */
  private async currencies(portfolioId: number, baseCurrency: string): Promise<string[]> {
    const [held, quoted] = await Promise.all([
      cashBalances(this.ctx.db, portfolioId),
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

  /** A deposit into, or a withdrawal from, one paper portfolio. */
  async move(
    actor: Actor,
    portfolioId: number,
    amount: Decimal,
    currency: string | undefined,
    type: "DEPOSIT" | "WITHDRAWAL",
  ): Promise<CashEntry> {
    const portfolio = await this.deps.portfolios.getPortfolio(actor, portfolioId);
    if (!portfolio.isPaper) throw new ValidationError("amount", "error-cash-paper-only");
    checkAmount(amount);
    const code = cleanCurrency("currency", currency ?? portfolio.baseCurrency);
    const allowed = await this.currencies(portfolio.id, portfolio.baseCurrency);
    if (!allowed.includes(code)) {
      throw new ValidationError("currency", "error-currency-unknown", {
        value: code,
        allowed: allowed.join(", "),
      });
    }
    // before the transaction: on SQLite a query outside it would wait for it to end
    const gateway = await this.deps.gateways.forAccount(portfolio.accountId);
    return this.ctx.db.$transaction(async (tx) => {
      if (type === "WITHDRAWAL") await this.assertFree(tx, gateway, portfolio, code, amount);
      const entry = await appendCash(tx, this.ctx.provider, {
        accountId: portfolio.accountId,
        portfolioId: portfolio.id,
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
        details: {
          accountId: portfolio.accountId,
          portfolioId: portfolio.id,
          type,
          currency: code,
          amount: amount.toFixed(),
        },
      });
      return entry;
    });
  }

  /**
   * Refuses to take more than the portfolio's free cash. Runs inside the movement's transaction
   * after taking the account's lock, so a fill or another movement of the account cannot change
   * the balance between this check and the ledger row.
   */
  private async assertFree(
    tx: Tx,
    gateway: BrokerGateway,
    portfolio: PortfolioView,
    currency: string,
    amount: Decimal,
  ): Promise<void> {
    await lockRow(tx, this.ctx.provider, "accounts", portfolio.accountId);
    const cash = await paperAvailability(this.deps, tx, portfolio, currency, gateway);
    if (amount.lte(cash.available)) return;
    throw new ValidationError("amount", "error-cash-not-free", {
      portfolio: portfolio.name,
      currency,
      requested: money(amount),
      free: money(cash.available),
      balance: money(cash.balance),
      reserved: money(cash.reserved),
      orders: cash.reservingOrders,
    });
  }
}

function checkAmount(amount: Decimal): void {
  if (!amount.isFinite() || !amount.gt(0))
    throw new ValidationError("amount", "error-must-be-positive", { value: amount.toFixed() });
  checkBound("amount", amount, "amount");
  if (amount.decimalPlaces() > CASH_DECIMALS)
    throw new ValidationError("amount", "error-too-many-decimals", { max: CASH_DECIMALS });
}
