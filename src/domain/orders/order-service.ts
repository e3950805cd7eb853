// Orders: validation and normalization, storage, and status changes along the legal transition
// table, always within the acting user's own portfolios; the reads come from OrderQueries
// (order-queries.ts).
import { randomUUID } from "node:crypto";
import { type DbOrTx, type Tx, inTransaction } from "../../db/client.ts";
import { isUniqueViolationOn } from "../../db/errors.ts";
import type { OrderStatus } from "../../db/generated/sqlite/enums.ts";
import type { Prisma } from "../../db/generated/sqlite/client.ts";
import { type Decimal, toDb, toDbOrNull } from "../../lib/decimal.ts";
import { audit } from "../audit/audit-logger.ts";
import type { DomainContext } from "../context.ts";
import { ConflictError, NotFoundError, StateError, ValidationError } from "../errors.ts";
import type { InstrumentService, InstrumentView } from "../instruments/instrument-service.ts";
import type { PortfolioService, PortfolioView } from "../portfolios/portfolio-service.ts";
import { type Actor, type AnyActor, actorId, assertApproved, isSystem } from "../users/actor.ts";
import { normalizeOrder } from "./order-normalizer.ts";
import { orderInclude, toOrderView } from "./order-mapper.ts";
import { OrderQueries } from "./order-queries.ts";
import { assertTransition, isOpen } from "./order-status.ts";
import type {
  NormalizedOrder,
  OrderLinks,
  OrderRequest,
  OrderView,
  PriceReference,
} from "./order-types.ts";

/** A normalized order with the instrument and last price it was normalized against. */
export interface PreparedOrder {
  order: NormalizedOrder;
  instrument: InstrumentView;
  marketPrice: Decimal;
  /** the order's portfolio, checked the actor's and not archived */
  portfolio: PortfolioView;
}

/**
 * What the caller of prepareWithBasis checked in the same unit of work, so it is not read again:
 * the portfolio just read live (PortfolioReads.refreshLive), the strategy it read with its owner.
 */
export interface CheckedBasis {
  /** the actor's portfolio, read live by the caller just now */
  livePortfolio?: PortfolioView;
  /** the id of a strategy the caller read as the actor's own */
  ownedStrategyId?: number;
}

interface TransitionInput {
  status: OrderStatus;
  brokerOrderId?: string | null;
  reason?: string | null;
  meta?: Prisma.InputJsonValue;
}

export class OrderService extends OrderQueries {
  constructor(
    ctx: DomainContext,
    private readonly instruments: InstrumentService,
    portfolios: PortfolioService,
    private readonly prices: PriceReference,
  ) {
    super(ctx, portfolios, instruments);
  }

  /** Checks ownership and validates the request against the instrument and the market. */
  async prepare(actor: Actor, req: OrderRequest): Promise<NormalizedOrder> {
    return (await this.prepareWithBasis(actor, req)).order;
  }

  /**
   * prepare(), with what the order was normalized against: the trading service re-normalizes a
   * quantity the risk check reduced from the same instrument and price, without reading them again.
   */
  async prepareWithBasis(
    actor: Actor,
    req: OrderRequest,
    checked: CheckedBasis = {},
  ): Promise<PreparedOrder> {
    assertApproved(actor);
    // an archived portfolio takes no new orders
    const portfolio =
      checked.livePortfolio?.id === req.portfolioId
        ? checked.livePortfolio
        : await this.portfolios.getLivePortfolio(actor, req.portfolioId);
    if (
      req.strategyId !== null &&
      req.strategyId !== undefined &&
      req.strategyId !== checked.ownedStrategyId
    ) {
      const owned = await this.ctx.db.strategy.count({
        where: { id: req.strategyId, userId: actor.id },
      });
      if (!owned) throw new NotFoundError("strategy", req.strategyId);
    }
    const instrument = await this.instruments.resolve(req.symbol);
    const marketPrice = await this.prices.lastPrice(instrument.symbol);
    const order = normalizeOrder(req, {
      instrument,
      marketPrice,
      now: this.ctx.clock.now(),
      timeZone: actor.timeZone,
    });
    return { order, instrument, marketPrice, portfolio };
  }

  /**
   * Stores a normalized order as NEW (not yet at the broker) and audits the placement.
   * `beforeInsert` runs first in the same transaction (a check that must see what is committed
   * and hold while the order is written, e.g. the spot short guard under the account lock).
   */
  async create(
    actor: Actor,
    order: NormalizedOrder,
    db: DbOrTx = this.ctx.db,
    beforeInsert?: (tx: Tx) => Promise<void>,
    /** links stored with the order (an amend's replacement names the order it replaces) */
    links: OrderLinks = {},
    /**
     * the order's portfolio as the caller read it live in the same call, just before (stage():
     * refreshLive on the strategy path), so it is not read again here
     */
    livePortfolio?: Pick<PortfolioView, "id">,
  ): Promise<OrderView> {
    assertApproved(actor);
    if (livePortfolio?.id !== order.portfolioId)
      await this.portfolios.getLivePortfolio(actor, order.portfolioId);
    const now = this.ctx.clock.now();
    try {
      const run = async (tx: Tx) => {
        if (beforeInsert) await beforeInsert(tx);
        const row = await tx.order.create({
          data: {
            uid: randomUUID(),
            portfolioId: order.portfolioId,
            instrumentId: order.instrumentId,
            strategyId: order.strategyId,
            side: order.side,
            type: order.type,
            status: "NEW",
            timeInForce: order.timeInForce,
            quantity: toDb(order.quantity),
            price: toDbOrNull(order.price),
            stopPrice: toDbOrNull(order.stopPrice),
            trailAmount: toDbOrNull(order.trailAmount),
            trailPercent: toDbOrNull(order.trailPercent),
            clientOrderId: order.clientOrderId,
            expiresAt: order.expiresAt,
            placedAt: now,
            meta: { referencePrice: toDb(order.referencePrice), ...links },
          },
        });
        await audit(tx, {
          actorId: actor.id,
          entityType: "ORDER",
          entityId: row.id,
          action: "PLACE",
          details: {
            symbol: order.symbol,
            side: order.side,
            type: order.type,
            quantity: toDb(order.quantity),
            price: toDbOrNull(order.price),
            stopPrice: toDbOrNull(order.stopPrice),
            trailAmount: toDbOrNull(order.trailAmount),
            trailPercent: toDbOrNull(order.trailPercent),
            timeInForce: order.timeInForce,
            clientOrderId: order.clientOrderId,
            ...links,
          },
        });
        return row;
      };
      const row = await inTransaction(db, run);
      // the instrument as the normalized order carries it (order-normalizer.ts took both from
      // it): an include read the order and its instrument back, two statements per order
      return toOrderView({
        ...row,
        instrument: { symbol: order.symbol, currency: order.currency },
      });
    } catch (e) {
      if (isUniqueViolationOn(e, "clientOrderId"))
        throw new ConflictError("clientOrderId", "error-duplicate-client-order-id");
      throw e;
    }
  }

  async place(actor: Actor, req: OrderRequest): Promise<OrderView> {
    return this.create(actor, await this.prepare(actor, req));
  }

  /**
   * One audit entry for an amend (cancel-replace) that names both orders, and the original's
   * link to its replacement, in one transaction. `replacementId` is null when nothing replaced
   * it (it filled before the cancel, or the replacement was refused).
   */
  async recordAmend(
    actor: Actor,
    originalId: number,
    replacementId: number | null,
    details: Record<string, string | number | null>,
  ): Promise<void> {
    assertApproved(actor);
    await this.ctx.db.$transaction(async (tx) => {
      const original = await tx.order.findFirst({
        where: { id: originalId, portfolio: { userId: actor.id } },
        select: { meta: true },
      });
      if (!original) throw new NotFoundError("order", originalId, "error-unknown-order");
      if (replacementId !== null) {
        await tx.order.update({
          where: { id: originalId },
          data: { meta: { ...(original.meta as object), replacedByOrderId: replacementId } },
        });
      }
      await audit(tx, {
        actorId: actor.id,
        entityType: "ORDER",
        entityId: originalId,
        action: "AMEND",
        details: { ...details, originalOrderId: originalId, replacementOrderId: replacementId },
      });
    });
  }

  /** The user's own open order, or the reason it cannot be canceled. */
  async requireCancelable(actor: Actor, orderId: number): Promise<OrderView> {
    const order = await this.get(actor, orderId);
    if (!isOpen(order.status))
      throw new StateError("error-order-not-open", { id: order.id, status: order.status });
    return order;
  }

  /** Cancels an order that never reached a broker, or records a broker-confirmed cancel. */
  async cancel(actor: Actor, orderId: number, reason?: string): Promise<OrderView> {
    await this.requireCancelable(actor, orderId);
    return this.transition(actor, orderId, { status: "CANCELED", reason: reason ?? null });
  }

  /**
   * Moves an order along the transition table (broker acknowledgements, rejections, expiry,
   * cancels). Fill-driven statuses go through TradeService.ingestFill instead.
   */
  async transition(actor: AnyActor, orderId: number, input: TransitionInput): Promise<OrderView> {
    const row = await this.ctx.db.$transaction(async (tx) => {
      const current = await tx.order.findFirst({
        where: { id: orderId, ...(isSystem(actor) ? {} : { portfolio: { userId: actor.id } }) },
      });
      if (!current) throw new NotFoundError("order", orderId, "error-unknown-order");
      const sameStatus = current.status === input.status;
      if (!sameStatus) assertTransition(current.status, input.status);
      if (
        input.brokerOrderId !== undefined &&
        current.brokerOrderId &&
        input.brokerOrderId !== current.brokerOrderId
      ) {
        throw new ValidationError("brokerOrderId", "error-broker-order-id-mismatch");
      }
      const meta =
        input.meta === undefined
          ? undefined
          : { ...(current.meta as object), ...(input.meta as object) };
      const updated = await tx.order.update({
        where: { id: orderId },
        data: {
          status: input.status,
          ...(input.brokerOrderId ? { brokerOrderId: input.brokerOrderId } : {}),
          ...(input.reason !== undefined && input.reason !== null
            ? { rejectReason: input.reason }
            : {}),
          ...(meta ? { meta } : {}),
        },
        include: orderInclude,
      });
      if (!sameStatus) {
        const action =
          input.status === "CANCELED"
            ? "CANCEL"
            : input.status === "REJECTED"
              ? "REJECT"
              : input.status === "EXPIRED"
                ? "EXPIRE"
                : "UPDATE";
        await audit(tx, {
          actorId: actorId(actor),
          entityType: "ORDER",
          entityId: orderId,
          action,
          details: {
            from: current.status,
            to: input.status,
            reason: input.reason ?? null,
            brokerOrderId: input.brokerOrderId ?? null,
          },
        });
      }
      return updated;
    });
    return toOrderView(row);
  }
}
