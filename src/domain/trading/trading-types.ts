// What TradingService takes and returns: the shapes every front (bot, future web/API) sees.
import type { OrderSide } from "../../db/generated/sqlite/enums.ts";
import type { Decimal } from "../../lib/decimal.ts";
import type { MarketData } from "../../market/types.ts";
import type { DomainContext } from "../context.ts";
import type { ErrorParams } from "../errors.ts";
import type { InstrumentService, InstrumentView } from "../instruments/instrument-service.ts";
import type { OrderService } from "../orders/order-service.ts";
import type { NormalizedOrder, OrderLinks, OrderView } from "../orders/order-types.ts";
import type { PortfolioService, PortfolioView } from "../portfolios/portfolio-service.ts";
import type { AccountSynchronizer, GatewaySource, SyncLogger } from "./account-sync.ts";
import type { ResolvedBracket } from "./bracket-plan.ts";
import type { OrderEstimate } from "./order-estimate.ts";
import type { CashAvailability } from "./paper-cash.ts";
import type { PreTradeCheck, PreTradeDecision } from "./pre-trade-check.ts";

export interface OrderPreview {
  order: NormalizedOrder;
  portfolio: PortfolioView;
  estimate: OrderEstimate;
  /** paper buys: the cash the order may use (already checked to cover estimate.total) */
  cash: CashAvailability | null;
  /** the strategy (and its version) the order is tagged with, for the card to name */
  strategy: { name: string; version: number } | null;
  /** the take-profit / stop-loss to place once the order fills, with their expected PnL */
  bracket: ResolvedBracket | null;
}

/** Everything an order card shows, from one preview and one risk assessment. */
export interface OrderQuote<D extends PreTradeDecision = PreTradeDecision> {
  preview: OrderPreview;
  /** the order's instrument (its tick and lot sizes format the card) */
  instrument: InstrumentView;
  /**
   * what the pre-trade check would decide, nothing recorded — except a BLOCK, which ends at the
   * card and is recorded there (the order will never reach place())
   */
  risk: D;
}

/**
 * What the caller read and checked in the same unit of work (the strategy runtime: once per cycle
 * and instance), so the order path does not read it again.
 */
export interface KnownBasis {
  /**
   * the actor's portfolio as the caller read it, owner checked: what can change in it since
   * (archived, entries paused, name) is read again, in one statement (PortfolioReads.refreshLive)
   */
  portfolio: PortfolioView;
  /** the order's strategy as the caller read it, checked to be the actor's own */
  strategy?: { id: number; name: string; version: number };
}

export interface PreviewOptions {
  /**
   * open orders whose cash reserve and committed sell quantity are left out: the order an amend
   * is about to cancel, so its replacement is judged as if it were gone
   */
  excludeOrderIds?: readonly number[];
  /** a bracket leg's OCO group: its siblings commit nothing against it (short guard) */
  ocoGroup?: string | null;
  known?: KnownBasis;
}

export interface FillView {
  tradeId: number;
  quantity: Decimal;
  price: Decimal;
  fee: Decimal;
  feeCurrency: string | null;
  execTime: Date;
}

export interface PlaceResult<D extends PreTradeDecision = PreTradeDecision> {
  order: OrderView;
  /** the order's fills so far (a market order's are all here) */
  fills: FillView[];
  preview: OrderPreview;
  risk: D;
  /**
   * false when the broker could not be reached: the order is stored as NEW and the order-sync job
   * submits it (submitError says why it was not sent now)
   */
  submitted: boolean;
  submitError: { key: string; params: ErrorParams } | null;
}

export interface PlaceOptions {
  /** a quantity the user accepted below the requested one (a risk rule's reduction) */
  acceptedQuantity?: Decimal;
  links?: OrderLinks;
  known?: KnownBasis;
}

/** An order checked and stored as NEW, not yet sent to its broker. */
export interface StagedOrder<D extends PreTradeDecision = PreTradeDecision> {
  created: OrderView;
  preview: OrderPreview;
  risk: D;
}

export interface CancelResult {
  order: OrderView;
  fills: FillView[];
  /** false when the order filled (or ended otherwise) before the cancel reached the broker */
  canceled: boolean;
}

export interface CashQuantity {
  symbol: string;
  side: OrderSide;
  quantity: Decimal;
  /** estimated execution price (the quote with slippage) */
  price: Decimal;
  notional: Decimal;
  fee: Decimal;
  /** buys: notional + fee, never more than the amount */
  total: Decimal;
  currency: string;
}

export interface TradingServiceDeps<D extends PreTradeDecision = PreTradeDecision> {
  ctx: DomainContext;
  orders: OrderService;
  portfolios: PortfolioService;
  instruments: InstrumentService;
  market: Pick<MarketData, "quote">;
  gateways: GatewaySource;
  sync: AccountSynchronizer;
  preTrade?: PreTradeCheck<D>;
  logger?: SyncLogger;
}
