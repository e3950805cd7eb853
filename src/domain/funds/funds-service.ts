// The two FundsSource implementations and the one the domain uses, which picks between them by
// the account: the ledger for paper accounts, the exchange for live ones.
import { type Decimal, ZERO, sumDec } from "../../lib/decimal.ts";
import { cashBalance } from "../cash/cash-ledger.ts";
import type { CashLine } from "../cash/cash-balances.ts";
import type { DomainContext } from "../context.ts";
import type { AccountView, PortfolioView } from "../portfolios/portfolio-service.ts";
import type { GatewaySource } from "../trading/account-sync.ts";
import type { AccountFunds, CashIn, FundsHolding, FundsSource } from "./funds-source.ts";
import type { QuoteValuer } from "./quote-valuer.ts";

/** A portfolio's cash lines per currency (CashService.portfolioBalances). */
export type PortfolioLines = (portfolio: PortfolioView) => Promise<CashLine[]>;

/** Paper accounts: cash from the ledger (less what open buys reserve), positions at market. */
export class LedgerFunds implements FundsSource {
  constructor(
    private readonly ctx: DomainContext,
    private readonly deps: { valuer: QuoteValuer; lines: PortfolioLines },
  ) {}

  async accountFunds(
    account: AccountView,
    portfolios: readonly PortfolioView[],
  ): Promise<AccountFunds> {
    const lines: CashLine[] = [];
    for (const portfolio of portfolios) lines.push(...(await this.deps.lines(portfolio)));
    return this.fundsOf(account, lines);
  }

  /**
   * The account's funds from its portfolios' cash lines, read already (/balance shows the lines
   * and the funds: reading them twice doubled its statements).
   */
  async fundsOf(account: AccountView, lines: readonly CashLine[]): Promise<AccountFunds> {
    const cash = new Map<string, { free: Decimal; locked: Decimal }>();
    const positions = new Map<string, Decimal>();
    for (const line of lines) {
      const seen = cash.get(line.currency) ?? { free: ZERO, locked: ZERO };
      cash.set(line.currency, {
        // free + locked is the ledger balance; what open buys reserve is the locked part
        free: seen.free.plus(line.cash.minus(line.reserved)),
        locked: seen.locked.plus(line.reserved),
      });
      positions.set(line.currency, (positions.get(line.currency) ?? ZERO).plus(line.positions));
    }
    const unpriced: string[] = [];
    const holdings: FundsHolding[] = [];
    for (const [asset, b] of [...cash.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      const value = await this.deps.valuer.value(
        b.free.plus(b.locked),
        asset,
        account.baseCurrency,
      );
      if (value === null) unpriced.push(asset);
      holdings.push({ asset, free: b.free, locked: b.locked, value });
    }
    let positionsValue = ZERO;
    for (const [currency, value] of positions) {
      const inBase = await this.deps.valuer.value(value, currency, account.baseCurrency);
      if (inBase === null) unpriced.push(currency);
      else positionsValue = positionsValue.plus(inBase);
    }
    const own = cash.get(account.baseCurrency);
    return {
      accountId: account.id,
      currency: account.baseCurrency,
      source: "ledger",
      holdings,
      cash: own ? own.free.plus(own.locked) : ZERO,
      positionsValue,
      equity: sumDec(holdings.map((h) => h.value ?? ZERO)).plus(positionsValue),
      unpriced: [...new Set(unpriced)],
    };
  }

  portfolioCash(portfolio: PortfolioView): Promise<Decimal> {
    return cashBalance(this.ctx.db, portfolio.id, portfolio.baseCurrency);
  }

  async portfolioCashIn(portfolio: PortfolioView, currency: string): Promise<CashIn> {
    const line = (await this.deps.lines(portfolio)).find((l) => l.currency === currency);
    return line ? { free: line.free, total: line.cash } : { free: ZERO, total: ZERO };
  }
}

/** Live accounts: the exchange's balances (free and locked per asset), valued at market. */
export class ExchangeFunds implements FundsSource {
  constructor(private readonly deps: { gateways: GatewaySource; valuer: QuoteValuer }) {}

  async accountFunds(account: AccountView): Promise<AccountFunds> {
    const balances = await (await this.deps.gateways.forAccount(account.id)).balances();
    const holdings: FundsHolding[] = [];
    const unpriced: string[] = [];
    for (const [asset, b] of [...balances.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      const total = b.free.plus(b.locked);
      if (total.isZero()) continue;
      const value = await this.deps.valuer.value(total, asset, account.baseCurrency);
      if (value === null) unpriced.push(asset);
      holdings.push({ asset, free: b.free, locked: b.locked, value });
    }
    const own = balances.get(account.baseCurrency);
    return {
      accountId: account.id,
      currency: account.baseCurrency,
      source: "exchange",
      holdings,
      cash: own ? own.free.plus(own.locked) : ZERO,
      positionsValue: ZERO,
      equity: sumDec(holdings.map((h) => h.value ?? ZERO)),
      unpriced,
    };
  }

  async portfolioCash(portfolio: PortfolioView): Promise<Decimal> {
    const balances = await (await this.deps.gateways.forAccount(portfolio.accountId)).balances();
    const own = balances.get(portfolio.baseCurrency);
    return own ? own.free.plus(own.locked) : ZERO;
  }

  async portfolioCashIn(portfolio: PortfolioView, currency: string): Promise<CashIn> {
    const balances = await (await this.deps.gateways.forAccount(portfolio.accountId)).balances();
    const own = balances.get(currency);
    return own ? { free: own.free, total: own.free.plus(own.locked) } : { free: ZERO, total: ZERO };
  }
}

/** The FundsSource the domain reads: the ledger for paper accounts, the exchange for live ones. */
export class FundsService implements FundsSource {
  constructor(
    private readonly ledger: FundsSource,
    private readonly exchange: FundsSource,
  ) {}

  accountFunds(account: AccountView, portfolios: readonly PortfolioView[]): Promise<AccountFunds> {
    return (account.isPaper ? this.ledger : this.exchange).accountFunds(account, portfolios);
  }

  portfolioCash(portfolio: PortfolioView): Promise<Decimal> {
    return (portfolio.isPaper ? this.ledger : this.exchange).portfolioCash(portfolio);
  }

  portfolioCashIn(portfolio: PortfolioView, currency: string): Promise<CashIn> {
    return (portfolio.isPaper ? this.ledger : this.exchange).portfolioCashIn(portfolio, currency);
  }
}
