// Cash of paper portfolios: balances per portfolio and currency from the ledger (live balances
// come from the broker, cash-balances.ts), the ledger's history, and deposits, withdrawals and
// transfers between two portfolios of one account (cash-movements.ts), all audited. Cash belongs
// to portfolios; an account's cash is the sum of its portfolios'. Withdrawals and transfers may
// take only free cash: the balance less what the portfolio's open buy orders reserve.
import { type Decimal, fromDbOrNull } from "../../lib/decimal.ts";
import type { DomainContext } from "../context.ts";
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
  type CurrencyHoldings,
  type PortfolioBalances,
  accountTotals,
  paperAvailability,
  portfolioBalances,
  portfolioHoldings,
} from "./cash-balances.ts";
import { type CashEntry, toCashEntry } from "./cash-ledger.ts";
import { CashMovements, type TransferInput, type TransferResult } from "./cash-movements.ts";

export type { CashLine, CurrencyHoldings, PortfolioBalances } from "./cash-balances.ts";

interface CashServiceDeps extends BalanceSources {
  portfolios: PortfolioService;
}

export class CashService {
  /** cash and equity of paper and live accounts alike (risk and reports read it too) */
  readonly funds: FundsService;
  private readonly movements: CashMovements;
  private readonly ledgerFunds: LedgerFunds;

  constructor(
    private readonly ctx: DomainContext,
    private readonly deps: CashServiceDeps,
  ) {
    const valuer = new QuoteValuer(deps.market);
    this.ledgerFunds = new LedgerFunds(ctx, {
      valuer,
      lines: async (portfolio) => (await this.portfolioBalances(portfolio)).lines,
    });
    this.funds = new FundsService(
      this.ledgerFunds,
      new ExchangeFunds({ gateways: deps.gateways, valuer }),
    );
    this.movements = new CashMovements(ctx, deps);
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
      // a paper account's funds from the lines just read, not read again
      const { funds, fundsError } = account.isPaper
        ? {
            funds: await this.ledgerFunds.fundsOf(
              account,
              rows.flatMap((r) => r.lines),
            ),
            fundsError: null,
          }
        : await this.readFunds(account, own);
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

  /** One portfolio's ledger cash and positions per currency (no reserves: what equity sums). */
  async portfolioHoldings(portfolio: PortfolioView): Promise<CurrencyHoldings[]> {
    return portfolioHoldings(this.ctx, this.deps, portfolio);
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
    return this.movements.move(actor, portfolioId, amount, currency, "DEPOSIT");
  }

  async withdraw(
    actor: Actor,
    portfolioId: number,
    amount: Decimal,
    currency?: string,
  ): Promise<CashEntry> {
    return this.movements.move(actor, portfolioId, amount, currency, "WITHDRAWAL");
  }

  /**
   * Moves cash between two portfolios of the same user on the same paper account: two ledger
   * rows (TRANSFER out, TRANSFER in) and an audit row in one transaction. Only free cash moves.
   */
  async transfer(actor: Actor, input: TransferInput): Promise<TransferResult> {
    return this.movements.transfer(actor, input);
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
}
