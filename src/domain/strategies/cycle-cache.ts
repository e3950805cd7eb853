// What one cycle of the strategy runtime reads once and shares between its instances. A user's
// instances mostly run on the same portfolio, and each symbol of each instance asked for the same
// portfolio view and the same balances again (a dozen queries each time: B9's cycle made over
// six thousand statements for 60 instances). Here they are read once per cycle and portfolio:
// - the portfolio view (owner checked, not archived), per owner and portfolio, all the cycle's in
//   one read (planPortfolios);
// - the portfolio's balance lines (cash, reserves, positions at market), until this runtime
//   places an order in the portfolio, which drops them, so the next evaluation reads them anew
//   and sees what the order did, as before.
// - the positions of the strategy versions the cycle runs on the portfolio (one read for all its
//   instances, where each read its own), dropped like the balances when an order goes there.
// Figures are a snapshot taken during the cycle, as they were: the cycle already read them at
// some moment between two instances, never at the candle's close itself.
import type { PortfolioBalances } from "../cash/cash-service.ts";
import type { PortfolioView } from "../portfolios/portfolio-service.ts";
import type { PositionView } from "../positions/position-service.ts";

export class CycleCache {
  private readonly portfolios = new Map<string, Promise<PortfolioView>>();
  private readonly balances = new Map<number, Promise<PortfolioBalances>>();
  private plannedViews: (() => Promise<Map<string, PortfolioView | Error>>) | null = null;
  private views: Promise<Map<string, PortfolioView | Error>> | null = null;
  /** per portfolio: the strategy versions whose positions one read covers */
  private readonly strategies = new Map<number, Set<number>>();
  private readonly positions = new Map<number, Promise<PositionView[]>>();

  /** The instances the cycle is about to evaluate: their strategies' positions are read together. */
  plan(instances: Iterable<{ portfolioId: number; strategyId: number }>): void {
    for (const { portfolioId, strategyId } of instances)
      this.strategyIdsOf(portfolioId).add(strategyId);
  }

  /**
   * The strategy version's positions in the portfolio, flat ones included, from one read of all
   * the planned versions' (`load`, given their ids) until an order goes to the portfolio.
   */
  async strategyPositions(
    portfolioId: number,
    strategyId: number,
    load: (strategyIds: number[]) => Promise<PositionView[]>,
  ): Promise<PositionView[]> {
    const ids = this.strategyIdsOf(portfolioId);
    if (!ids.has(strategyId)) {
      // a version not planned (an instance switched during the cycle): read with the others
      ids.add(strategyId);
      this.positions.delete(portfolioId);
    }
    let read = this.positions.get(portfolioId);
    if (!read) {
      const loading = load([...ids].sort((a, b) => a - b));
      read = loading;
      this.positions.set(portfolioId, loading);
      // a failed read is not kept: the next evaluation tries again, as it did before
      loading.catch(() => {
        if (this.positions.get(portfolioId) === loading) this.positions.delete(portfolioId);
      });
    }
    return (await read).filter((p) => p.strategyId === strategyId);
  }

  private strategyIdsOf(portfolioId: number): Set<number> {
    let ids = this.strategies.get(portfolioId);
    if (!ids) {
      ids = new Set();
      this.strategies.set(portfolioId, ids);
    }
    return ids;
  }

  /**
   * The views of the portfolios the cycle's instances run on, read together (per
   * `${ownerId}:${portfolioId}`: the view or the error getLivePortfolio throws) when the first is
   * asked for: a handful of statements for the cycle, where one read per portfolio took five.
   */
  planPortfolios(read: () => Promise<Map<string, PortfolioView | Error>>): void {
    this.plannedViews = read;
  }

  portfolio(
    ownerId: number,
    portfolioId: number,
    load: () => Promise<PortfolioView>,
  ): Promise<PortfolioView> {
    const key = `${ownerId}:${portfolioId}`;
    let view = this.portfolios.get(key);
    if (!view) {
      view = this.planned(key, load);
      this.portfolios.set(key, view);
    }
    return view;
  }

  private async planned(key: string, load: () => Promise<PortfolioView>): Promise<PortfolioView> {
    if (this.plannedViews) {
      if (!this.views) {
        const reading = this.plannedViews();
        this.views = reading;
        // a failed read is not kept: the next portfolio asked for tries again
        reading.catch(() => {
          if (this.views === reading) this.views = null;
        });
      }
      const found = (await this.views).get(key);
      if (found instanceof Error) throw found;
      if (found) return found;
    }
    // not planned (an instance read again during the cycle, evaluate() on its own)
    return load();
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

  /** An order went to the portfolio: its balances and positions are read anew next time. */
  changed(portfolioId: number): void {
    this.balances.delete(portfolioId);
    this.positions.delete(portfolioId);
  }
}
