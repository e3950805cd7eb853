// The shapes of fill ingestion: a fill as a broker reports it, the event its ingestion produces,
// a stored trade as listed, and the hooks TradeService takes (in-transaction listeners, fee prices).
import type { Tx } from "../../db/client.ts";
import type { OrderSide, OrderStatus } from "../../db/generated/sqlite/enums.ts";
import type { Prisma } from "../../db/generated/sqlite/client.ts";
import type { Decimal } from "../../lib/decimal.ts";
import type { InstrumentView } from "../instruments/instrument-service.ts";
import type { PositionState } from "../positions/position-math.ts";

export interface FillReport {
  portfolioId: number;
  /** instrumentId or symbol */
  instrumentId?: number;
  symbol?: string;
  side: OrderSide;
  quantity: Decimal;
  price: Decimal;
  fee?: Decimal;
  feeCurrency?: string | null;
  /**
   * a fee charged in neither the base asset nor the quote currency (BNB), valued in the quote
   * currency at the fill's time; when not given, ingestion prices it itself if it can
   * (fill-fee.ts)
   */
  feeValue?: Decimal | null;
  execTime: Date;
  brokerTradeId: string;
  /** the order this fill belongs to, by any of its ids */
  orderId?: number | null;
  brokerOrderId?: string | null;
  clientOrderId?: string | null;
  strategyId?: number | null;
  meta?: Prisma.InputJsonValue;
}

export interface FillEvent {
  userId: number;
  portfolioId: number;
  portfolioName: string;
  tradeId: number;
  orderId: number | null;
  instrument: InstrumentView;
  side: OrderSide;
  quantity: Decimal;
  price: Decimal;
  fee: Decimal;
  feeCurrency: string;
  execTime: Date;
  orderStatus: OrderStatus | null;
  orderFilled: Decimal | null;
  orderQuantity: Decimal | null;
  realized: Decimal;
  position: PositionState;
}

export interface TradeView {
  id: number;
  portfolioId: number;
  instrumentId: number;
  strategyId: number | null;
  orderId: number | null;
  side: OrderSide;
  quantity: Decimal;
  price: Decimal;
  fee: Decimal;
  feeCurrency: string | null;
  execTime: Date;
  brokerTradeId: string;
}

export interface IngestResult {
  duplicate: boolean;
  tradeId: number;
  event: FillEvent | null;
}

/** Work that must commit with the fill (e.g. enqueueing the fill notification). */
export type FillListener = (tx: Tx, event: FillEvent) => Promise<void>;

/** Prices at a moment (MarkSource.priceAt): values fees charged in a third asset (BNB). */
export interface FeePriceSource {
  /** the price of `symbol` at `at`; null when unknown */
  priceAt(symbol: string, at: Date): Promise<Decimal | null>;
}
