// Getting a portfolio flat so it can be deleted (archived): cancel its open orders, close its
// open positions at market. Nothing here bypasses the normal paths: each cancel goes through
// TradingService.cancel (broker, fills ingested, audited as the user's cancel) and each close is a
// market order through TradingService.place (normalization, short guard, pre-trade risk), exactly
// as a manual order — so a close the risk policies block, or a lot the instrument cannot trade,
// is reported as refused with its reason rather than forced through.
import type { OrderSide, OrderStatus } from "../../db/generated/sqlite/enums.ts";
import { type Decimal, fromDb } from "../../lib/decimal.ts";
import type { DomainContext } from "../context.ts";
import { type ErrorParams, isDomainError } from "../errors.ts";
import { OPEN_STATUSES } from "../orders/order-status.ts";
import type { TradingService } from "../trading/trading-service.ts";
import type { Actor } from "../users/actor.ts";
import type { MarketData } from "../../market/types.ts";
import type { PortfolioService, PortfolioView } from "./portfolio-service.ts";

export interface CloseoutRefusal {
  /** i18n key and parameters of why */
  key: string;
  params: ErrorParams;
}

export interface CanceledOrder {
  orderId: number;
  symbol: string;
  side: OrderSide;
  /** the status after the cancel (FILLED when it filled before the cancel arrived) */
  status: OrderStatus;
  canceled: boolean;
}

export interface CancelOutcome {
  canceled: CanceledOrder[];
  refused: Array<{ orderId: number; symbol: string; side: OrderSide } & CloseoutRefusal>;
}

export interface ClosingOrder {
  symbol: string;
  side: OrderSide;
  quantity: Decimal;
  strategyName: string | null;
  orderId: number;
  status: OrderStatus;
  filledQuantity: Decimal;
}

export interface CloseOutcome {
  placed: ClosingOrder[];
  refused: Array<
    {
      symbol: string;
      side: OrderSide;
      quantity: Decimal;
      strategyName: string | null;
    } & CloseoutRefusal
  >;
}

/** What /close would do, for its confirmation card. */
export interface ClosePlan {
  portfolio: PortfolioView;
  /** open orders of the chosen symbol(s): canceled first, so nothing sells the same holding */
  openOrders: Array<{ orderId: number; symbol: string; side: OrderSide }>;
  positions: Array<{
    symbol: string;
    side: OrderSide;
    quantity: Decimal;
    strategyName: string | null;
    /** quantity × last price, in the instrument's currency; null when no quote is at hand */
    value: Decimal | null;
    currency: string;
  }>;
}

/** Which of the portfolio's symbols an action covers: one (by its exact symbol) or all. */
export interface CloseoutScope {
  symbol?: string | null;
}

export interface PortfolioCloseoutDeps {
  ctx: DomainContext;
  portfolios: PortfolioService;
  trading: Pick<TradingService, "cancel" | "place">;
  market?: Pick<MarketData, "quote">;
}

export class PortfolioCloseout {
  constructor(private readonly deps: PortfolioCloseoutDeps) {}

  /**
   * What closing (all, or one symbol of) the portfolio involves: its open orders and its open
   * positions with their value at the last price. Nothing is changed.
   */
  async plan(actor: Actor, portfolioId: number, scope: CloseoutScope = {}): Promise<ClosePlan> {
    const portfolio = await this.deps.portfolios.getLivePortfolio(actor, portfolioId);
    const [open, rows] = await Promise.all([
      this.openOrders(portfolioId, scope),
      this.openPositions(portfolioId, scope),
    ]);
    const positions: ClosePlan["positions"] = [];
    for (const row of rows) {
      const held = fromDb(row.quantity);
      const last = await this.lastPrice(row.instrument.symbol);
      positions.push({
        symbol: row.instrument.symbol,
        side: held.gt(0) ? "SELL" : "BUY",
        quantity: held.abs(),
        strategyName: row.strategy?.name ?? null,
        value: last ? held.abs().mul(last) : null,
        currency: row.instrument.currency,
      });
    }
    return {
      portfolio,
      openOrders: open.map((o) => ({
        orderId: o.id,
        symbol: o.instrument.symbol,
        side: o.side,
      })),
      positions,
    };
  }

  /** Cancels every open order of the portfolio, oldest first; one refusal does not stop the rest. */
  async cancelOpenOrders(
    actor: Actor,
    portfolioId: number,
    scope: CloseoutScope = {},
  ): Promise<CancelOutcome> {
    await this.deps.portfolios.getLivePortfolio(actor, portfolioId);
    const open = await this.openOrders(portfolioId, scope);
    const outcome: CancelOutcome = { canceled: [], refused: [] };
    for (const order of open) {
      const base = { orderId: order.id, symbol: order.instrument.symbol, side: order.side };
      try {
        const result = await this.deps.trading.cancel(actor, order.id);
        outcome.canceled.push({
          ...base,
          status: result.order.status,
          canceled: result.canceled,
        });
      } catch (e) {
        if (!isDomainError(e)) throw e;
        outcome.refused.push({ ...base, key: e.key, params: e.params });
      }
    }
    return outcome;
  }

  /**
   * Closes every open position of the portfolio (each strategy bucket apart) with a market order
   * for its whole size: sells a long, buys back a short.
   */
  async closePositions(
    actor: Actor,
    portfolioId: number,
    scope: CloseoutScope = {},
  ): Promise<CloseOutcome> {
    await this.deps.portfolios.getLivePortfolio(actor, portfolioId);
    const rows = await this.openPositions(portfolioId, scope);
    const outcome: CloseOutcome = { placed: [], refused: [] };
    for (const row of rows) {
      const held = fromDb(row.quantity);
      const side: OrderSide = held.gt(0) ? "SELL" : "BUY";
      const quantity = held.abs();
      const base = {
        symbol: row.instrument.symbol,
        side,
        quantity,
        strategyName: row.strategy?.name ?? null,
      };
      try {
        const result = await this.deps.trading.place(actor, {
          portfolioId,
          symbol: row.instrument.symbol,
          side,
          type: "MARKET",
          quantity,
          timeInForce: "GTC",
          strategyId: row.strategyId,
        });
        outcome.placed.push({
          ...base,
          quantity: result.order.quantity,
          orderId: result.order.id,
          status: result.order.status,
          filledQuantity: result.order.filledQuantity,
        });
      } catch (e) {
        if (!isDomainError(e)) throw e;
        outcome.refused.push({ ...base, key: e.key, params: e.params });
      }
    }
    return outcome;
  }

  private openOrders(portfolioId: number, scope: CloseoutScope) {
    return this.deps.ctx.db.order.findMany({
      where: {
        portfolioId,
        status: { in: [...OPEN_STATUSES] },
        ...(scope.symbol ? { instrument: { symbol: scope.symbol } } : {}),
      },
      include: { instrument: { select: { symbol: true } } },
      orderBy: { id: "asc" },
    });
  }

  private async openPositions(portfolioId: number, scope: CloseoutScope) {
    const rows = await this.deps.ctx.db.position.findMany({
      where: {
        portfolioId,
        ...(scope.symbol ? { instrument: { symbol: scope.symbol } } : {}),
      },
      include: {
        instrument: { select: { symbol: true, currency: true } },
        strategy: { select: { name: true } },
      },
      orderBy: [{ instrumentId: "asc" }, { strategyKey: "asc" }],
    });
    // quantities are decimal strings (TEXT on SQLite): "not flat" is decided here, not in SQL
    return rows.filter((r) => !fromDb(r.quantity).isZero());
  }

  private async lastPrice(symbol: string): Promise<Decimal | null> {
    if (!this.deps.market) return null;
    try {
      return (await this.deps.market.quote(symbol)).last;
    } catch {
      // a value on the card is a courtesy: a missing quote must not stop a close
      return null;
    }
  }
}
