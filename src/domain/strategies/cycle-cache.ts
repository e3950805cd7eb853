// What one cycle of the strategy runtime reads once and shares between its instances. A user's
// instances mostly run on the same portfolio, and each symbol of each instance asked for the same
// portfolio view and the same balances again (a dozen queries each time: B9's cycle made over
// six thousand statements for 60 instances). Here they are read once per cycle and portfolio:
// - the portfolio view (owner checked, not archived), per owner and portfolio;
// - the portfolio's balance lines (cash, reserves, positions at market), until this runtime
//   places an order in the portfolio, which drops them, so the next evaluation reads them anew
//   and sees what the order did, as before.
// Figures are a snapshot taken during the cycle, as they were: the cycle already read them at
// some moment between two instances, never at the candle's close itself.
import type { PortfolioBalances } from "../cash/cash-service.ts";
import type { PortfolioView } from "../portfolios/portfolio-service.ts";

export class CycleCache {
  private readonly portfolios = new Map<string, Promise<PortfolioView>>();
  private readonly balances = new Map<number, Promise<PortfolioBalances>>();

  portfolio(
    ownerId: number,
    portfolioId: number,
    load: () => Promise<PortfolioView>,
  ): Promise<PortfolioView> {
    const key = `${ownerId}:${portfolioId}`;
    let view = this.portfolios.get(key);
    if (!view) {
      view = load();
      this.portfolios.set(key, view);
    }
    return view;
  }

  balancesOf(
    portfolioId: number,
    load: () => Promise<PortfolioBalances>,
  ): Promise<PortfolioBalances> {
    let balances = this.balances.get(portfolioId);
    if (!balances) {
      balances = load();
      this.balances.set(portfolioId, balances);
      // a failed read is not kept: the next evaluation tries again, as it did before
      balances.catch(() => {
        if (this.balances.get(portfolioId) === balances) this.balances.delete(portfolioId);
      });
    }
    return balances;
  }

  /** An order went to the portfolio: its balances are read anew next time. */
  changed(portfolioId: number): void {
    this.balances.delete(portfolioId);
  }
}
