// Fill ingestion: the one way trades enter the system (brokers, paper fills, replays).
//
// Idempotent on (portfolio, broker trade id) and atomic: the trade, the order's filled quantity
// and status, the position, the paper cash ledger, the audit row and whatever in-transaction
// listeners add (fill notifications) are written in one transaction. A duplicate changes nothing.
import { randomUUID } from "node:crypto";
import type { DbOrTx, Tx } from "../../db/client.ts";
import { isUniqueViolationOn } from "../../db/errors.ts";
import type { OrderSide, OrderStatus } from "../../db/generated/sqlite/enums.ts";
import type { Prisma } from "../../db/generated/sqlite/client.ts";
import { lockRow } from "../../db/locks.ts";
import {
  type Decimal,
  STORAGE_SCALE,
  ZERO,
  fromDb,
  fromDbOrNull,
  roundForStorage,
  toDb,
} from "../../lib/decimal.ts";
import { audit } from "../audit/audit-logger.ts";
import { appendCash } from "../cash/cash-ledger.ts";
import type { DomainContext } from "../context.ts";
import { NotFoundError, ValidationError } from "../errors.ts";
import type { InstrumentService, InstrumentView } from "../instruments/instrument-service.ts";
import { isOpen } from "../orders/order-status.ts";
import type { PositionService } from "../positions/position-service.ts";
import type { PositionState } from "../positions/position-math.ts";
import { type Actor, type AnyActor, actorId, assertApproved, isSystem } from "../users/actor.ts";

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

export class TradeService {
  private readonly listeners: FillListener[] = [];

  constructor(
    private readonly ctx: DomainContext,
    private readonly instruments: InstrumentService,
    private readonly positions: PositionService,
  ) {}

  onFill(listener: FillListener): void {
    this.listeners.push(listener);
  }

  /** The user's trades in a portfolio within [from, to), newest first. */
  async list(
    actor: Actor,
    portfolioId: number,
    range: { from: Date; to: Date; take?: number; strategyIds?: number[] },
  ): Promise<{ items: TradeView[]; total: number }> {
    assertApproved(actor);
    const owned = await this.ctx.db.portfolio.count({
      where: { id: portfolioId, userId: actor.id },
    });
    if (!owned) throw new NotFoundError("portfolio", portfolioId);
    const where = {
      portfolioId,
      execTime: { gte: range.from, lt: range.to },
      ...(range.strategyIds ? { strategyId: { in: range.strategyIds } } : {}),
    };
    const [total, rows] = await Promise.all([
      this.ctx.db.trade.count({ where }),
      this.ctx.db.trade.findMany({
        where,
        orderBy: [{ execTime: "desc" }, { id: "desc" }],
        take: range.take ?? 50,
      }),
    ]);
    return {
      total,
      items: rows.map((t) => ({
        id: t.id,
        portfolioId: t.portfolioId,
        instrumentId: t.instrumentId,
        strategyId: t.strategyId,
        orderId: t.orderId,
        side: t.side,
        quantity: fromDb(t.quantity),
        price: fromDb(t.price),
        fee: fromDb(t.fee),
        feeCurrency: t.feeCurrency,
        execTime: t.execTime,
        brokerTradeId: t.brokerTradeId,
      })),
    };
  }

  async ingestFill(actor: AnyActor, fill: FillReport): Promise<IngestResult> {
    validateFill(fill);
    const instrument = fill.instrumentId
      ? await this.instruments.get(fill.instrumentId)
      : await this.instruments.resolve(fill.symbol ?? "");
    try {
      return await this.ctx.db.$transaction((tx) => this.ingestInTx(tx, actor, fill, instrument));
    } catch (e) {
      // a concurrent ingest of the same fill won the race (PostgreSQL): report the duplicate
      if (isUniqueViolationOn(e, "brokerTradeId")) {
        const existing = await this.findTrade(this.ctx.db, fill.portfolioId, fill.brokerTradeId);
        if (existing) return { duplicate: true, tradeId: existing.id, event: null };
      }
      throw e;
    }
  }

  private async findTrade(db: DbOrTx, portfolioId: number, brokerTradeId: string) {
    return db.trade.findUnique({
      where: { portfolioId_brokerTradeId: { portfolioId, brokerTradeId } },
      select: { id: true },
    });
  }

  private async ingestInTx(
    tx: Tx,
    actor: AnyActor,
    fill: FillReport,
    instrument: InstrumentView,
  ): Promise<IngestResult> {
    // one fill at a time per portfolio: position and ledger updates are read-modify-write
    await lockRow(tx, this.ctx.provider, "portfolios", fill.portfolioId);
    const portfolio = await tx.portfolio.findFirst({
      where: { id: fill.portfolioId, ...(isSystem(actor) ? {} : { userId: actor.id }) },
      include: { account: { include: { broker: true } } },
    });
    if (!portfolio) throw new NotFoundError("portfolio", fill.portfolioId);

    const existing = await this.findTrade(tx, fill.portfolioId, fill.brokerTradeId);
    if (existing) return { duplicate: true, tradeId: existing.id, event: null };

    const order = await this.findOrder(tx, fill);
    if (order) {
      if (order.side !== fill.side) throw new ValidationError("side", "error-fill-side-mismatch");
      if (order.instrumentId !== instrument.id)
        throw new ValidationError("symbol", "error-fill-instrument-mismatch");
      const filled = fromDb(order.filledQuantity).plus(fill.quantity);
      if (filled.gt(fromDb(order.quantity))) {
        throw new ValidationError("quantity", "error-overfill", {
          order: order.id,
          filled: filled.toFixed(),
          quantity: fromDb(order.quantity).toFixed(),
        });
      }
    }
    const strategyId = fill.strategyId ?? order?.strategyId ?? null;
    const fee = fill.fee ?? ZERO;
    const feeCurrency = fill.feeCurrency?.trim().toUpperCase() || instrument.currency;

    const trade = await tx.trade.create({
      data: {
        uid: randomUUID(),
        portfolioId: fill.portfolioId,
        instrumentId: instrument.id,
        strategyId,
        orderId: order?.id ?? null,
        side: fill.side,
        quantity: toDb(fill.quantity),
        price: toDb(fill.price),
        fee: toDb(fee),
        feeCurrency,
        execTime: fill.execTime,
        brokerTradeId: fill.brokerTradeId,
        meta: fill.meta ?? {},
      },
    });

    let orderStatus: OrderStatus | null = null;
    let orderFilled: Decimal | null = null;
    if (order) {
      const prevFilled = fromDb(order.filledQuantity);
      orderFilled = prevFilled.plus(fill.quantity);
      const prevAvg = fromDbOrNull(order.avgFillPrice) ?? ZERO;
      const avg = roundForStorage(
        prevAvg.mul(prevFilled).plus(fill.price.mul(fill.quantity)).div(orderFilled),
      );
      const complete = orderFilled.eq(fromDb(order.quantity));
      // a late fill on an order already canceled or expired is still a fact: record it, keep the status
      orderStatus = isOpen(order.status)
        ? complete
          ? "FILLED"
          : "PARTIALLY_FILLED"
        : order.status;
      await tx.order.update({
        where: { id: order.id },
        data: { filledQuantity: toDb(orderFilled), avgFillPrice: toDb(avg), status: orderStatus },
      });
    }

    // fees in the quote currency count against the position; others (e.g. BNB) stay on the trade
    const positionFee = feeCurrency === instrument.currency ? fee : ZERO;
    const effect = await this.positions.applyFill(
      tx,
      { portfolioId: fill.portfolioId, instrumentId: instrument.id, strategyId },
      { side: fill.side, quantity: fill.quantity, price: fill.price, fee: positionFee },
      fill.execTime,
    );

    if (portfolio.account.broker.isPaper) {
      const notional = fill.quantity.mul(fill.price);
      await appendCash(tx, this.ctx.provider, {
        accountId: portfolio.accountId,
        type: "TRADE",
        currency: instrument.currency,
        amount: fill.side === "BUY" ? notional.neg() : notional,
        tradeId: trade.id,
        at: fill.execTime,
        note: `${fill.side} ${fill.quantity.toFixed()} ${instrument.symbol} @ ${fill.price.toFixed()}`,
      });
      if (fee.gt(0)) {
        await appendCash(tx, this.ctx.provider, {
          accountId: portfolio.accountId,
          type: "FEE",
          currency: feeCurrency,
          amount: fee.neg(),
          tradeId: trade.id,
          at: fill.execTime,
        });
      }
    }

    await audit(tx, {
      actorId: actorId(actor),
      entityType: "TRADE",
      entityId: trade.id,
      action: "FILL",
      details: {
        portfolioId: fill.portfolioId,
        symbol: instrument.symbol,
        side: fill.side,
        quantity: toDb(fill.quantity),
        price: toDb(fill.price),
        fee: toDb(fee),
        feeCurrency,
        brokerTradeId: fill.brokerTradeId,
        orderId: order?.id ?? null,
        orderStatus,
        realized: toDb(effect.realized),
      },
    });

    const event: FillEvent = {
      userId: portfolio.userId,
      portfolioId: portfolio.id,
      portfolioName: portfolio.name,
      tradeId: trade.id,
      orderId: order?.id ?? null,
      instrument,
      side: fill.side,
      quantity: fill.quantity,
      price: fill.price,
      fee,
      feeCurrency,
      execTime: fill.execTime,
      orderStatus,
      orderFilled,
      orderQuantity: order ? fromDb(order.quantity) : null,
      realized: effect.realized,
      position: effect.next,
    };
    for (const listener of this.listeners) await listener(tx, event);
    return { duplicate: false, tradeId: trade.id, event };
  }

  private async findOrder(tx: Tx, fill: FillReport) {
    const scope = { portfolioId: fill.portfolioId };
    const where = fill.orderId
      ? { id: fill.orderId, ...scope }
      : fill.brokerOrderId
        ? { brokerOrderId: fill.brokerOrderId, ...scope }
        : fill.clientOrderId
          ? { clientOrderId: fill.clientOrderId, ...scope }
          : null;
    if (!where) return null;
    const order = await tx.order.findFirst({ where });
    if (!order) {
      const ref = fill.orderId ?? fill.brokerOrderId ?? fill.clientOrderId ?? "-";
      throw new NotFoundError("order", ref, "error-unknown-order");
    }
    return order;
  }
}

function validateFill(fill: FillReport): void {
  if (!fill.brokerTradeId?.trim())
    throw new ValidationError("brokerTradeId", "error-field-required", { type: "fill" });
  if (fill.brokerTradeId.length > 128)
    throw new ValidationError("brokerTradeId", "error-too-long", { max: 128 });
  if (fill.side !== "BUY" && fill.side !== "SELL")
    throw new ValidationError("side", "error-invalid-side", { value: String(fill.side) });
  const check = (field: string, v: Decimal, allowZero: boolean) => {
    if (!v.isFinite() || (allowZero ? v.isNeg() : !v.gt(0))) {
      throw new ValidationError(
        field,
        allowZero ? "error-must-not-be-negative" : "error-must-be-positive",
        { value: v.toFixed() },
      );
    }
    if (v.decimalPlaces() > STORAGE_SCALE)
      throw new ValidationError(field, "error-too-many-decimals", { max: STORAGE_SCALE });
  };
  check("quantity", fill.quantity, false);
  check("price", fill.price, false);
  if (fill.fee) check("fee", fill.fee, true);
  if (!(fill.execTime instanceof Date) || Number.isNaN(fill.execTime.getTime())) {
    throw new ValidationError("execTime", "error-invalid-time");
  }
}
