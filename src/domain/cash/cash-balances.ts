// Reading cash: each portfolio's balance per currency with (paper) what its open buys reserve
// and what is free, the value of its positions, and the per-currency totals of an account.
import type { DbOrTx } from "../../db/client.ts";
import { type Decimal, ZERO } from "../../lib/decimal.ts";
import type { MarketData } from "../../market/types.ts";
import type { DomainContext } from "../context.ts";
import type { FundsError } from "../funds/funds-error.ts";
import type { AccountFunds } from "../funds/funds-source.ts";
import type { PnlService } from "../pnl/pnl-service.ts";
import type { AccountView, PortfolioView } from "../portfolios/portfolio-rows.ts";
import type { BrokerGateway } from "../../brokers/types.ts";
import type { GatewaySource } from "../trading/sync-types.ts";
import { type CashAvailability, paperCashAvailability } from "../trading/paper-cash.ts";
import { cashBalances } from "./cash-ledger.ts";

/** Where balances come from besides the ledger. */
export interface BalanceSources {
  pnl: PnlService;
  /** fees and slippage per account, to value open orders' reserves */
  gateways: GatewaySource;
  market: Pick<MarketData, "quote">;
}

/** One currency of a portfolio: cash, what open buys reserve, what is free, positions' value. */
export interface CashLine {
  currency: string;
  cash: Decimal;
  reserved: Decimal;
  free: Decimal;
  /** market value of the positions quoted in this currency (cost when unpriced) */
  positions: Decimal;
}

export interface PortfolioBalances {
  portfolio: PortfolioView;
  lines: CashLine[];
}

export interface AccountBalances {
  account: AccountView;
  /**
   * holdings, cash and equity in the account currency, from the ledger (paper) or the exchange
   * (live); null when the exchange could not be read just now (`fundsError` says why)
   */
  funds: AccountFunds | null;
  fundsError: FundsError | null;
  portfolios: PortfolioBalances[];
  /** per currency, the sum over the account's portfolios (total = cash + positions) */
  totals: Array<CashLine & { total: Decimal }>;
  /** a paper account's starting cash waiting for its first portfolio (null when none) */
  openingBalance: Decimal | null;
}

/** One currency of a portfolio: its cash in the ledger and its positions' value. */
export interface CurrencyHoldings {
  currency: string;
  cash: Decimal;
  /** market value of the positions quoted in this currency (cost when unpriced) */
  positions: Decimal;
}

/**
 * One portfolio's ledger cash and positions per currency, in currency order: what equity sums.
 * Two reads (the ledger's balances, the valuation), without the reserves of open orders that
 * portfolioBalances adds for free cash.
 */
export async function portfolioHoldings(
  ctx: DomainContext,
  sources: BalanceSources,
  portfolio: PortfolioView,
): Promise<CurrencyHoldings[]> {
  const [cash, valuation] = await Promise.all([
    cashBalances(ctx.db, portfolio.id),
    // the positions' values only: their strategies' names are not read
    sources.pnl.valuationOf(portfolio, undefined, { strategyNames: false }),
  ]);
  const positions = new Map<string, Decimal>();
  for (const p of valuation.positions) {
    const value = p.marketValue ?? p.quantity.mul(p.avgPrice);
    positions.set(p.currency, (positions.get(p.currency) ?? ZERO).plus(value));
  }
  return [...new Set([...cash.keys(), ...positions.keys()])].sort().map((currency) => ({
    currency,
    cash: cash.get(currency) ?? ZERO,
    positions: positions.get(currency) ?? ZERO,
  }));
}

/** One portfolio's cash per currency (paper: with reserves and free cash) and positions. */
export async function portfolioBalances(
  ctx: DomainContext,
  sources: BalanceSources,
  portfolio: PortfolioView,
): Promise<PortfolioBalances> {
  const lines: CashLine[] = [];
  for (const { currency, cash, positions } of await portfolioHoldings(ctx, sources, portfolio)) {
    // the free cash from the balance just read, not a second read of the same ledger row
    const availability = portfolio.isPaper
      ? await paperAvailability(sources, ctx.db, portfolio, currency, undefined, cash)
      : null;
    lines.push({
      currency,
      cash,
      reserved: availability?.reserved ?? ZERO,
      free: availability?.available ?? cash,
      positions,
    });
  }
  return { portfolio, lines };
}

/** Per currency, the sum over an account's portfolios (total = cash + positions). */
export function accountTotals(rows: PortfolioBalances[]): AccountBalances["totals"] {
  const totals = new Map<string, CashLine & { total: Decimal }>();
  for (const line of rows.flatMap((r) => r.lines)) {
    const t = totals.get(line.currency) ?? {
      currency: line.currency,
      cash: ZERO,
      reserved: ZERO,
      free: ZERO,
      positions: ZERO,
      total: ZERO,
    };
    t.cash = t.cash.plus(line.cash);
    t.reserved = t.reserved.plus(line.reserved);
    t.free = t.free.plus(line.free);
    t.positions = t.positions.plus(line.positions);
    t.total = t.cash.plus(t.positions);
    totals.set(line.currency, t);
  }
  return [...totals.values()];
}

/** A paper portfolio's cash in a currency: balance, reserved by open buys, available. */
export async function paperAvailability(
  sources: Pick<BalanceSources, "gateways" | "market">,
  db: DbOrTx,
  portfolio: PortfolioView,
  currency: string,
  known?: BrokerGateway,
  /** the portfolio's ledger balance in `currency` as the caller just read it */
  balance?: Decimal,
): Promise<CashAvailability> {
  const gateway = known ?? (await sources.gateways.forAccount(portfolio.accountId));
  return paperCashAvailability({
    db,
    portfolioId: portfolio.id,
    currency,
    ...(balance ? { balance } : {}),
    cost: (symbol) => gateway.costModel(symbol),
    quote: (symbol) => sources.market.quote(symbol),
  });
}
