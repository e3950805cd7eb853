// Cash of paper portfolios: balances per portfolio and currency from the ledger (live balances
// come from the broker), deposits and withdrawals, and transfers between two portfolios of one
// account, all audited. Cash belongs to portfolios; an account's cash is the sum of its
// portfolios'. Withdrawals and transfers may take only free cash: the balance less what the
// portfolio's open buy orders reserve (paperCashAvailability, the same figure buys are held to).
import type { BrokerGateway } from "../../brokers/types.ts";
import type { Tx } from "../../db/client.ts";
import { lockRow } from "../../db/locks.ts";
import { type Decimal, fromDbOrNull } from "../../lib/decimal.ts";
import { audit } from "../audit/audit-logger.ts";
import { MAX_BALANCE, checkBound } from "../bounds.ts";
import type { DomainContext } from "../context.ts";
import { ValidationError } from "../errors.ts";
import { fundsErrorOf } from "../funds/funds-error.ts";
import { ExchangeFunds, FundsService, LedgerFunds } from "../funds/funds-service.ts";
import { QuoteValuer } from "../funds/quote-valuer.ts";
import { cleanCurrency } from "../names.ts";
import type {
  AccountView,
  PortfolioService,
  PortfolioView,
} from "../portfolios/portfolio-service.ts";
import type { CashAvailability } from "../trading/paper-cash.ts";
import { type Actor, assertApproved } from "../users/actor.ts";
import {
  type AccountBalances,
  type BalanceSources,
  type PortfolioBalances,
  accountTotals,
  paperAvailability,
  portfolioBalances,
} from "./cash-balances.ts";
import { type CashEntry, appendCash, cashBalances, toCashEntry } from "./cash-ledger.ts";

export type { AccountBalances, CashLine, PortfolioBalances } from "./cash-balances.ts";

/** Decimal places a deposit or withdrawal may have. */
const CASH_DECIMALS = 8;

export interface CashServiceDeps extends BalanceSources {
  portfolios: PortfolioService;
}

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

export class CashService {
  /** cash and equity of paper and live accounts alike (risk and reports read it too) */
  readonly funds: FundsService;

  constructor(
    private readonly ctx: DomainContext,
    private readonly deps: CashServiceDeps,
  ) {
    const valuer = new QuoteValuer(deps.market);
    this.funds = new FundsService(
      new LedgerFunds(ctx, {
        valuer,
        lines: async (portfolio) => (await this.portfolioBalances(portfolio)).lines,
      }),
      new ExchangeFunds({ gateways: deps.gateways, valuer }),
    );
  }

  /** Every account of the user with each portfolio's cash, reserves, free cash and positions. */
  async balances(actor: Actor): Promise<AccountBalances[]> {
    assertApproved(actor);
    const [accounts, portfolios] = await Promise.all([
      this.deps.portfolios.listAccounts(actor),
      this.deps.portfolios.listPortfolios(actor),
    ]);
    const pending = await this.ctx.db.account.findMany({
      where: { userId: actor.id, openingBalance: { not: null } },
      select: { id: true, openingBalance: true },
    });
    const out: AccountBalances[] = [];
    for (const account of accounts) {
      const own = portfolios.filter((p) => p.accountId === account.id);
      const rows: PortfolioBalances[] = [];
      for (const portfolio of own) rows.push(await this.portfolioBalances(portfolio));
      const opening = fromDbOrNull(pending.find((p) => p.id === account.id)?.openingBalance);
      const { funds, fundsError } = await this.readFunds(account, own);
      out.push({
        account,
        funds,
        fundsError,
        portfolios: rows,
        totals: accountTotals(rows),
        openingBalance: opening && opening.gt(0) ? opening : null,
      });
    }
    return out;
  }

  /** An account's funds; a live account whose exchange cannot be read now says why instead. */
  private async readFunds(
    account: AccountView,
    portfolios: PortfolioView[],
  ): Promise<Pick<AccountBalances, "funds" | "fundsError">> {
    try {
      return { funds: await this.funds.accountFunds(account, portfolios), fundsError: null };
    } catch (e) {
      if (account.isPaper) throw e;
      // timeouts, outages, rate limits: /balance still answers for the other accounts
      return { funds: null, fundsError: fundsErrorOf(e) };
    }
  }

  /** One portfolio's cash per currency (paper: with reserves and free cash) and positions. */
  async portfolioBalances(portfolio: PortfolioView): Promise<PortfolioBalances> {
    return portfolioBalances(this.ctx, this.deps, portfolio);
  }

  /** A paper portfolio's free cash in a currency (its base currency when not given). */
  async freeCash(actor: Actor, portfolioId: number, currency?: string): Promise<CashAvailability> {
    const portfolio = await this.deps.portfolios.getPortfolio(actor, portfolioId);
    const code = cleanCurrency("currency", currency ?? portfolio.baseCurrency);
    return paperAvailability(this.deps, this.ctx.db, portfolio, code);
  }

  async deposit(
    actor: Actor,
    portfolioId: number,
    amount: Decimal,
    currency?: string,
  ): Promise<CashEntry> {
    return this.move(actor, portfolioId, amount, currency, "DEPOSIT");
  }

  async withdraw(
    actor: Actor,
    portfolioId: number,
    amount: Decimal,
    currency?: string,
  ): Promise<CashEntry> {
    return this.move(actor, portfolioId, amount, currency, "WITHDRAWAL");
  }

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

  /** Recent ledger entries of a portfolio, newest first. */
  async history(actor: Actor, portfolioId: number, take = 20): Promise<CashEntry[]> {
    await this.deps.portfolios.getPortfolio(actor, portfolioId);
    const rows = await this.ctx.db.cashTransaction.findMany({
      where: { portfolioId },
      orderBy: { id: "desc" },
      take,
    });
    return rows.map(toCashEntry);
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

  private async move(
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
