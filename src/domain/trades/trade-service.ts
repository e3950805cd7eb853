// Fill ingestion: the one way trades enter the system (brokers, paper fills, replays).
//
// Idempotent on (portfolio, broker trade id) and atomic: the trade, the order's filled quantity
// and status, the position, the paper cash ledger, the audit row and whatever in-transaction
// listeners add (fill notifications) are written in one transaction. A duplicate changes nothing.
//
// The per-fill writes (trade, order, cash rows, audit) and the opening read are plain SQL through
// the Prisma client's raw API, in the same interactive transaction: in Prisma 7.10 an ORM write
// costs two to four times the CPU of the same statement sent raw, and fill ingestion is the
// hottest write path (benchmark B1, scripts/bench/b1-ingest.ts). The SQL is portable between
// SQLite and PostgreSQL as written: double-quoted identifiers, untyped parameters that
// PostgreSQL casts to the column's type (enums, NUMERIC, jsonb), Dates formatted by each adapter
// as the ORM formats them, and money as the canonical strings toDb() makes.
import { randomUUID } from "node:crypto";
import type { DbOrTx, Tx } from "../../db/client.ts";
import { isUniqueViolationOn } from "../../db/errors.ts";
import type { OrderSide, OrderStatus } from "../../db/generated/sqlite/enums.ts";
import { Prisma } from "../../db/generated/sqlite/client.ts";
import {
  type Decimal,
  type DecimalLike,
  STORAGE_SCALE,
  ZERO,
  fromDb,
  fromDbOrNull,
  roundForStorage,
  toDb,
} from "../../lib/decimal.ts";
import { audit } from "../audit/audit-logger.ts";
import { type CashMovement, appendCashBatch } from "../cash/cash-ledger.ts";
import { invalidateCheckpoints } from "../pnl/checkpoints.ts";
import type { DomainContext } from "../context.ts";
import { NotFoundError, ValidationError } from "../errors.ts";
import type { InstrumentService, InstrumentView } from "../instruments/instrument-service.ts";
import { isOpen } from "../orders/order-status.ts";
import type { PositionService } from "../positions/position-service.ts";
import type { PositionState } from "../positions/position-math.ts";
import { FEE_VALUE_KEY, feeKind, positionFill } from "../positions/fill-fee.ts";
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

/** A row of TradeService.lockPortfolio's query, as either driver returns it. */
interface LockedPortfolioRow {
  id: number | bigint;
  userId: number | bigint;
  name: string;
  accountId: number | bigint;
  isPaper: boolean | number | bigint;
  existingTradeId: number | bigint | null;
}

interface LockedPortfolio {
  id: number;
  userId: number;
  name: string;
  accountId: number;
  isPaper: boolean;
  existingTradeId: number | null;
}

/** A row of TradeService.findOrder's query: decimals are TEXT on SQLite, NUMERIC on PostgreSQL. */
interface FillOrderRow {
  id: number | bigint;
  // written only by the domain, as these types
  side: OrderSide;
  instrumentId: number | bigint;
  strategyId: number | bigint | null;
  status: OrderStatus;
  quantity: DecimalLike;
  filledQuantity: DecimalLike;
  avgFillPrice: DecimalLike | null;
}

/** What a fill needs of its order. */
interface FillOrder {
  id: number;
  side: OrderSide;
  instrumentId: number;
  strategyId: number | null;
  status: OrderStatus;
  quantity: Decimal;
  filledQuantity: Decimal;
  avgFillPrice: Decimal | null;
}

/** Work that must commit with the fill (e.g. enqueueing the fill notification). */
export type FillListener = (tx: Tx, event: FillEvent) => Promise<void>;

/** Prices at a moment (MarkSource.priceAt): values fees charged in a third asset (BNB). */
export interface FeePriceSource {
  /** the price of `symbol` at `at`; null when unknown */
  priceAt(symbol: string, at: Date): Promise<Decimal | null>;
}

export class TradeService {
  private readonly listeners: FillListener[] = [];

  constructor(
    private readonly ctx: DomainContext,
    private readonly instruments: InstrumentService,
    private readonly positions: PositionService,
    /** values third-asset fees at the fill's time; none: such fees stay out of position fees */
    private readonly feePrices: FeePriceSource | null = null,
  ) {}

  onFill(listener: FillListener): void {
    this.listeners.push(listener);
  }

  /** The user's trades in a portfolio within [from, to), newest first. */
  async list(
    actor: Actor,
    portfolioId: number,
    range: { from: Date; to: Date; skip?: number; take?: number; strategyIds?: number[] },
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
        skip: Math.max(0, range.skip ?? 0),
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
    validateFee(fill, instrument);
    // priced before the transaction: it may ask the market (a network call)
    const feeValue = await this.feeValue(fill, instrument);
    try {
      return await this.ctx.db.$transaction((tx) =>
        this.ingestInTx(tx, actor, { ...fill, feeValue }, instrument),
      );
    } catch (e) {
      // a concurrent ingest of the same fill won the race (PostgreSQL): report the duplicate
      if (isUniqueViolationOn(e, "brokerTradeId")) {
        const existing = await this.findTrade(this.ctx.db, fill.portfolioId, fill.brokerTradeId);
        if (existing) return { duplicate: true, tradeId: existing.id, event: null };
      }
      throw e;
    }
  }

  /**
   * The quote value of a fee charged in a third asset (fill-fee.ts): as reported, else the fee
   * asset's price against the quote at the fill's time (direct pair, else the inverse one); null
   * when the fee is not in a third asset or no price is known.
   */
  private async feeValue(fill: FillReport, instrument: InstrumentView): Promise<Decimal | null> {
    const fee = fill.fee ?? ZERO;
    const asset = fill.feeCurrency?.trim().toUpperCase() || instrument.currency;
    if (fee.isZero() || feeKind(asset, instrument) !== "other") return null;
    if (fill.feeValue) return roundForStorage(fill.feeValue);
    if (!this.feePrices) return null;
    const at = (symbol: string) => this.feePrices!.priceAt(symbol, fill.execTime).catch(() => null);
    const direct = await at(`${asset}${instrument.currency}`);
    if (direct && direct.gt(0)) return roundForStorage(fee.mul(direct));
    const inverse = await at(`${instrument.currency}${asset}`);
    return inverse && inverse.gt(0) ? roundForStorage(fee.div(inverse)) : null;
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
    const portfolio = await this.lockPortfolio(tx, actor, fill);
    if (portfolio.existingTradeId !== null) {
      return { duplicate: true, tradeId: portfolio.existingTradeId, event: null };
    }

    const order = await this.findOrder(tx, fill);
    const mismatch = order ? orderMismatch(order, fill, instrument) : null;
    if (mismatch) {
      // On PostgreSQL the duplicate check above ran in the snapshot the locking statement took
      // before it waited for the lock: a concurrent ingest of this very fill may have committed
      // meanwhile, and filled the order. Then this is a duplicate, not an overfill.
      const existing = await this.findTrade(tx, fill.portfolioId, fill.brokerTradeId);
      if (existing) return { duplicate: true, tradeId: existing.id, event: null };
      throw mismatch;
    }
    const strategyId = fill.strategyId ?? order?.strategyId ?? null;
    const fee = fill.fee ?? ZERO;
    const feeCurrency = fill.feeCurrency?.trim().toUpperCase() || instrument.currency;
    const feeValue = fill.feeValue ?? null;
    // the recompute reads a third-asset fee's value from here (and only ever one put here)
    const { [FEE_VALUE_KEY]: _reported, ...rest } = metaObject(fill.meta);
    const meta = feeValue === null ? rest : { ...rest, [FEE_VALUE_KEY]: toDb(feeValue) };

    // ON CONFLICT DO NOTHING: a concurrent ingest of the same fill that committed after
    // lockPortfolio's snapshot (PostgreSQL) makes this insert a no-op, not an aborted transaction
    const inserted = await tx.$queryRaw<{ id: number | bigint }[]>`
      INSERT INTO trades (uid, "portfolioId", "instrumentId", "strategyId", "orderId", side,
        quantity, price, fee, "feeCurrency", "execTime", "brokerTradeId", meta)
      VALUES (${randomUUID()}, ${fill.portfolioId}, ${instrument.id}, ${strategyId},
        ${order?.id ?? null}, ${fill.side}, ${toDb(fill.quantity)}, ${toDb(fill.price)},
        ${toDb(fee)}, ${feeCurrency}, ${fill.execTime}, ${fill.brokerTradeId},
        ${JSON.stringify(meta)})
      ON CONFLICT ("portfolioId", "brokerTradeId") DO NOTHING
      RETURNING id`;
    if (!inserted[0]) {
      const existing = await this.findTrade(tx, fill.portfolioId, fill.brokerTradeId);
      if (!existing) throw new Error(`trade ${fill.brokerTradeId} neither inserted nor found`);
      return { duplicate: true, tradeId: existing.id, event: null };
    }
    const trade = { id: Number(inserted[0].id) };
    // a fill dated into a checkpointed day (a late one) makes the checkpoints from then stale
    await invalidateCheckpoints(tx, fill.portfolioId, fill.execTime);

    let orderStatus: OrderStatus | null = null;
    let orderFilled: Decimal | null = null;
    if (order) {
      const prevFilled = order.filledQuantity;
      orderFilled = prevFilled.plus(fill.quantity);
      const prevAvg = order.avgFillPrice ?? ZERO;
      const avg = roundForStorage(
        prevAvg.mul(prevFilled).plus(fill.price.mul(fill.quantity)).div(orderFilled),
      );
      const complete = orderFilled.eq(order.quantity);
      // a late fill on an order already canceled or expired is still a fact: record it, keep the status
      orderStatus = isOpen(order.status)
        ? complete
          ? "FILLED"
          : "PARTIALLY_FILLED"
        : order.status;
      await tx.$executeRaw`
        UPDATE orders SET "filledQuantity" = ${toDb(orderFilled)}, "avgFillPrice" = ${toDb(avg)},
          status = ${orderStatus}, "updatedAt" = ${new Date()}
        WHERE id = ${order.id}`;
    }

    // the fee as charged stays on the trade; the position sees it by its asset (fill-fee.ts)
    const effect = await this.positions.applyFill(
      tx,
      { portfolioId: fill.portfolioId, instrumentId: instrument.id, strategyId },
      positionFill(
        {
          side: fill.side,
          quantity: fill.quantity,
          price: fill.price,
          fee,
          feeCurrency,
          feeValue,
        },
        instrument,
      ),
      fill.execTime,
    );

    if (portfolio.isPaper) {
      const notional = fill.quantity.mul(fill.price);
      const moves: Omit<CashMovement, "accountId" | "portfolioId">[] = [
        {
          type: "TRADE",
          currency: instrument.currency,
          amount: fill.side === "BUY" ? notional.neg() : notional,
          tradeId: trade.id,
          at: fill.execTime,
          note: `${fill.side} ${fill.quantity.toFixed()} ${instrument.symbol} @ ${fill.price.toFixed()}`,
        },
      ];
      if (fee.gt(0)) {
        moves.push({
          type: "FEE",
          currency: feeCurrency,
          amount: fee.neg(),
          tradeId: trade.id,
          at: fill.execTime,
        });
      }
      // the fill's portfolio pays and receives; lockPortfolio already holds the account's row lock
      await appendCashBatch(
        tx,
        this.ctx.provider,
        { accountId: portfolio.accountId, portfolioId: portfolio.id },
        moves,
        { accountLocked: true },
      );
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
        ...(feeValue === null ? {} : { feeValue: toDb(feeValue) }),
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
      orderQuantity: order?.quantity ?? null,
      realized: effect.realized,
      position: effect.next,
    };
    for (const listener of this.listeners) await listener(tx, event);
    return { duplicate: false, tradeId: trade.id, event };
  }

  /**
   * The fill's portfolio (scoped to the actor unless SYSTEM), whether its broker is paper, and the
   * id of a trade already ingested under the fill's broker trade id, in one statement instead of a
   * lock, three ORM reads (portfolio, account, broker) and a duplicate lookup. On PostgreSQL it
   * locks the portfolio and its account row: fills of one portfolio queue (position and ledger
   * updates are read-modify-write), and the cash ledger needs the account lock anyway. Later reads
   * in the transaction run after the lock, so they see what the previous holder committed. The
   * duplicate check here runs in the snapshot taken before waiting, so it may miss a concurrent
   * ingest of the same fill that committed meanwhile: ingestInTx catches that case twice more
   * (an order mismatch re-checks for the trade; the trade INSERT does nothing on conflict).
   */
  private async lockPortfolio(tx: Tx, actor: AnyActor, fill: FillReport): Promise<LockedPortfolio> {
    const owner = isSystem(actor) ? Prisma.empty : Prisma.sql`AND p."userId" = ${actor.id}`;
    const lock = this.ctx.provider === "postgres" ? Prisma.sql`FOR UPDATE OF p, a` : Prisma.empty;
    const rows = await tx.$queryRaw<LockedPortfolioRow[]>`
      SELECT p.id, p."userId", p.name, p."accountId", b."isPaper",
        (SELECT t.id FROM trades t
          WHERE t."portfolioId" = p.id AND t."brokerTradeId" = ${fill.brokerTradeId}) AS "existingTradeId"
      FROM portfolios p
        JOIN accounts a ON a.id = p."accountId"
        JOIN brokers b ON b.id = a."brokerId"
      WHERE p.id = ${fill.portfolioId} ${owner}
      ${lock}`;
    const row = rows[0];
    if (!row) throw new NotFoundError("portfolio", fill.portfolioId);
    return {
      id: Number(row.id),
      userId: Number(row.userId),
      name: row.name,
      accountId: Number(row.accountId),
      // PostgreSQL returns a boolean; SQLite, depending on how the column's type reaches the
      // adapter, a boolean or 0/1
      isPaper: row.isPaper === true || Number(row.isPaper) === 1,
      existingTradeId: row.existingTradeId === null ? null : Number(row.existingTradeId),
    };
  }

  /** The fill's order, by whichever of its ids the fill names (null when it names none). */
  private async findOrder(tx: Tx, fill: FillReport): Promise<FillOrder | null> {
    const match = fill.orderId
      ? Prisma.sql`id = ${fill.orderId}`
      : fill.brokerOrderId
        ? Prisma.sql`"brokerOrderId" = ${fill.brokerOrderId}`
        : fill.clientOrderId
          ? Prisma.sql`"clientOrderId" = ${fill.clientOrderId}`
          : null;
    if (!match) return null;
    // CAST AS TEXT: PostgreSQL enums arrive as text (the same expression is a no-op on SQLite)
    const rows = await tx.$queryRaw<FillOrderRow[]>`
      SELECT id, CAST(side AS TEXT) AS side, "instrumentId", "strategyId",
        CAST(status AS TEXT) AS status, quantity, "filledQuantity", "avgFillPrice"
      FROM orders WHERE ${match} AND "portfolioId" = ${fill.portfolioId}
      LIMIT 1`;
    const row = rows[0];
    if (!row) {
      const ref = fill.orderId ?? fill.brokerOrderId ?? fill.clientOrderId ?? "-";
      throw new NotFoundError("order", ref, "error-unknown-order");
    }
    return {
      id: Number(row.id),
      side: row.side,
      instrumentId: Number(row.instrumentId),
      strategyId: row.strategyId === null ? null : Number(row.strategyId),
      status: row.status,
      quantity: fromDb(row.quantity),
      filledQuantity: fromDb(row.filledQuantity),
      avgFillPrice: fromDbOrNull(row.avgFillPrice),
    };
  }
}

/** Why a fill cannot belong to its order (side, instrument, overfill), or null when it can. */
function orderMismatch(
  order: FillOrder,
  fill: FillReport,
  instrument: InstrumentView,
): ValidationError | null {
  if (order.side !== fill.side) return new ValidationError("side", "error-fill-side-mismatch");
  if (order.instrumentId !== instrument.id)
    return new ValidationError("symbol", "error-fill-instrument-mismatch");
  const filled = order.filledQuantity.plus(fill.quantity);
  if (filled.gt(order.quantity)) {
    return new ValidationError("quantity", "error-overfill", {
      order: order.id,
      filled: filled.toFixed(),
      quantity: order.quantity.toFixed(),
    });
  }
  return null;
}

/** A fill's meta as an object to add keys to (a non-object meta is kept under `value`). */
function metaObject(meta: Prisma.InputJsonValue | undefined): Record<string, unknown> {
  if (meta === undefined || meta === null) return {};
  if (typeof meta === "object" && meta !== null && !Array.isArray(meta)) return { ...meta };
  return { value: meta };
}

/** A buy's fee taken from the coin bought must leave something bought. */
function validateFee(fill: FillReport, instrument: InstrumentView): void {
  const fee = fill.fee ?? ZERO;
  const asset = fill.feeCurrency?.trim().toUpperCase() || instrument.currency;
  if (fill.side === "BUY" && feeKind(asset, instrument) === "base" && fee.gte(fill.quantity)) {
    throw new ValidationError("fee", "error-fee-exceeds-quantity", {
      fee: fee.toFixed(),
      quantity: fill.quantity.toFixed(),
      asset,
    });
  }
  if (fill.feeValue && (!fill.feeValue.isFinite() || fill.feeValue.isNeg())) {
    throw new ValidationError("feeValue", "error-must-not-be-negative", {
      value: fill.feeValue.toFixed(),
    });
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
