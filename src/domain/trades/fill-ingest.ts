// Fill ingestion inside its transaction (TradeService.ingestFill opens it).
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
import type { Tx } from "../../db/client.ts";
import type { OrderStatus } from "../../db/generated/sqlite/enums.ts";
import type { Prisma } from "../../db/generated/sqlite/client.ts";
import { type Decimal, ZERO, roundForStorage, toDb } from "../../lib/decimal.ts";
import { audit } from "../audit/audit-logger.ts";
import { type CashMovement, appendCashBatch } from "../cash/cash-ledger.ts";
import type { DomainContext } from "../context.ts";
import type { InstrumentView } from "../instruments/instrument-service.ts";
import { isOpen } from "../orders/order-status.ts";
import { invalidateCheckpoints } from "../pnl/checkpoints.ts";
import { FEE_VALUE_KEY, positionFill } from "../positions/fill-fee.ts";
import type { PositionService } from "../positions/position-service.ts";
import { type AnyActor, actorId } from "../users/actor.ts";
import { orderMismatch } from "./fill-checks.ts";
import { findOrder, findTrade, lockPortfolio } from "./fill-lookups.ts";
import type { FillEvent, FillListener, FillReport, IngestResult } from "./fill-types.ts";

export interface IngestDeps {
  ctx: DomainContext;
  positions: PositionService;
  listeners: readonly FillListener[];
}

/**
 * Writes one fill (its third-asset fee already valued): duplicate check under the portfolio lock,
 * trade, order progress, position, paper cash, audit, then the listeners, all in `tx`.
 */
export async function ingestFillInTx(
  deps: IngestDeps,
  tx: Tx,
  actor: AnyActor,
  fill: FillReport,
  instrument: InstrumentView,
): Promise<IngestResult> {
  const portfolio = await lockPortfolio(tx, deps.ctx.provider, actor, fill);
  if (portfolio.existingTradeId !== null) {
    return { duplicate: true, tradeId: portfolio.existingTradeId, event: null };
  }

  const order = await findOrder(tx, fill);
  const mismatch = order ? orderMismatch(order, fill, instrument) : null;
  if (mismatch) {
    // On PostgreSQL the duplicate check above ran in the snapshot the locking statement took
    // before it waited for the lock: a concurrent ingest of this very fill may have committed
    // meanwhile, and filled the order. Then this is a duplicate, not an overfill.
    const existing = await findTrade(tx, fill.portfolioId, fill.brokerTradeId);
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
    const existing = await findTrade(tx, fill.portfolioId, fill.brokerTradeId);
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
    orderStatus = isOpen(order.status) ? (complete ? "FILLED" : "PARTIALLY_FILLED") : order.status;
    await tx.$executeRaw`
      UPDATE orders SET "filledQuantity" = ${toDb(orderFilled)}, "avgFillPrice" = ${toDb(avg)},
        status = ${orderStatus}, "updatedAt" = ${new Date()}
      WHERE id = ${order.id}`;
  }

  // the fee as charged stays on the trade; the position sees it by its asset (fill-fee.ts)
  const effect = await deps.positions.applyFill(
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
    // the fill's portfolio pays and receives; lockPortfolio already holds the account's row lock,
    // and the trade's insert above deleted the checkpoints its execution time makes stale
    await appendCashBatch(
      tx,
      deps.ctx.provider,
      { accountId: portfolio.accountId, portfolioId: portfolio.id },
      moves,
      {
        accountLocked: true,
        ...(portfolio.id === fill.portfolioId ? { checkpointsClearedFrom: fill.execTime } : {}),
      },
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
  for (const listener of deps.listeners) await listener(tx, event);
  return { duplicate: false, tradeId: trade.id, event };
}

/** A fill's meta as an object to add keys to (a non-object meta is kept under `value`). */
function metaObject(meta: Prisma.InputJsonValue | undefined): Record<string, unknown> {
  if (meta === undefined || meta === null) return {};
  if (typeof meta === "object" && meta !== null && !Array.isArray(meta)) return { ...meta };
  return { value: meta };
}
