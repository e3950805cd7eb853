// The exchange check under a live portfolio's /positions: what the account's fills say it holds
// against what the exchange reports, per asset (holdings-check.ts compares). The exchange's
// balances are the account's, so the fills counted are those of all the account's portfolios.
// Paper accounts have nothing to check against (null).
import { type Decimal, ZERO, fromDb } from "../../lib/decimal.ts";
import type { DomainContext } from "../context.ts";
import type { PortfolioService } from "../portfolios/portfolio-service.ts";
import type { GatewaySource } from "../trading/account-sync.ts";
import { type Actor, assertApproved } from "../users/actor.ts";
import { type FundsError, fundsErrorOf } from "./funds-error.ts";
import { type FillHolding, type HoldingComparison, compareHoldings } from "./holdings-check.ts";

export interface HoldingsCheck {
  accountId: number;
  accountName: string;
  /** the exchange's name, as the account shows it ("Binance") */
  brokerName: string;
  /** how many portfolios of the account the fills are summed over */
  portfolios: number;
  /** null when the exchange could not be read (`error` says why) */
  lines: HoldingComparison[] | null;
  error: FundsError | null;
  /** every line agrees or differs by dust only (false when the exchange could not be read) */
  agrees: boolean;
}

export class HoldingsCheckService {
  constructor(
    private readonly ctx: DomainContext,
    private readonly deps: { portfolios: PortfolioService; gateways: GatewaySource },
  ) {}

  /** The check for the live account a portfolio is on; null for a paper portfolio. */
  async forPortfolio(actor: Actor, portfolioId: number): Promise<HoldingsCheck | null> {
    assertApproved(actor);
    const portfolio = await this.deps.portfolios.getPortfolio(actor, portfolioId);
    if (portfolio.isPaper) return null;
    const [account, fills, portfolios] = await Promise.all([
      this.deps.portfolios.getAccount(actor, portfolio.accountId),
      this.fillHoldings(portfolio.accountId),
      this.ctx.db.portfolio.count({ where: { accountId: portfolio.accountId } }),
    ]);
    const base = {
      accountId: portfolio.accountId,
      accountName: account.name,
      brokerName: account.brokerName,
      portfolios,
    };
    let balances;
    try {
      balances = await (await this.deps.gateways.forAccount(portfolio.accountId)).balances();
    } catch (e) {
      return { ...base, lines: null, error: fundsErrorOf(e), agrees: false };
    }
    const lines = compareHoldings(fills, balances, portfolio.baseCurrency);
    return { ...base, lines, error: null, agrees: lines.every((l) => l.status !== "differs") };
  }

  /** Per position of the account's portfolios: its base asset, quantity and lot size. */
  private async fillHoldings(accountId: number): Promise<FillHolding[]> {
    const rows = await this.ctx.db.position.findMany({
      where: { portfolio: { accountId } },
      select: {
        quantity: true,
        instrument: { select: { symbol: true, baseAsset: true, currency: true, lotSize: true } },
      },
    });
    return rows.map((r) => ({
      asset: r.instrument.baseAsset ?? baseOfSymbol(r.instrument.symbol, r.instrument.currency),
      quantity: fromDb(r.quantity),
      step: lotOrNull(fromDb(r.instrument.lotSize)),
    }));
  }
}

/** BTCUSDT quoted in USDT: BTC (instruments synced before base assets were stored). */
function baseOfSymbol(symbol: string, currency: string): string {
  return symbol.endsWith(currency) && symbol.length > currency.length
    ? symbol.slice(0, -currency.length)
    : symbol;
}

const lotOrNull = (lot: Decimal): Decimal | null => (lot.gt(ZERO) ? lot : null);
