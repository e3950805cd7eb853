// Where an account's cash and equity come from, behind one interface: the ledger for paper
// accounts (cash lives in portfolios, positions are valued at market) and the exchange for live
// ones (gateway.balances(): free and locked per asset, as the exchange reports them). Pre-trade
// risk, /balance and reports read this, so paper and live accounts answer the same questions the
// same way. Everything is valued in the account's currency at market quotes; Decimal only.
import type { Decimal } from "../../lib/decimal.ts";
import type { AccountView, PortfolioView } from "../portfolios/portfolio-service.ts";

/** One asset (or currency) the account holds. */
export interface FundsHolding {
  asset: string;
  /** usable now */
  free: Decimal;
  /** held by open orders (exchange: "locked"; ledger: what open buys reserve) */
  locked: Decimal;
  /** free + locked valued in the account currency; null when no quote converts it */
  value: Decimal | null;
}

export interface AccountFunds {
  accountId: number;
  /** the account's currency, in which `value`, `cash` and `equity` are given */
  currency: string;
  source: "ledger" | "exchange";
  /** ledger: cash per currency; exchange: every asset with a non-zero balance */
  holdings: FundsHolding[];
  /** free + locked of the account currency itself */
  cash: Decimal;
  /**
   * everything valued in the account currency: holdings, plus (ledger) the positions' market
   * value; what could not be valued is left out and named in `unpriced`
   */
  equity: Decimal;
  /** positions' market value in the account currency (ledger; 0 on the exchange, where held
   * assets are holdings) */
  positionsValue: Decimal;
  unpriced: string[];
}

export interface FundsSource {
  /** the account's holdings, cash and equity (`portfolios`: the account's, for the ledger) */
  accountFunds(account: AccountView, portfolios: readonly PortfolioView[]): Promise<AccountFunds>;
  /**
   * the cash a portfolio trades with, in its account currency: its own ledger cash (paper), or
   * the account's balance of that currency at the exchange (live: cash lives at the broker)
   */
  portfolioCash(portfolio: PortfolioView): Promise<Decimal>;
  /**
   * a portfolio's cash in one currency: all of it, and what is free (paper: the ledger less what
   * its open buys reserve; live: the exchange's free and locked balance of the account)
   */
  portfolioCashIn(portfolio: PortfolioView, currency: string): Promise<CashIn>;
}

export interface CashIn {
  free: Decimal;
  total: Decimal;
}
