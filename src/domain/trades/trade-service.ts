// Trades: listing a portfolio's trades, and fill ingestion, the one way trades enter the system
// (brokers, paper fills, replays). Idempotent on (portfolio, broker trade id) and atomic: the
// trade, the order's filled quantity and status, the position, the paper cash ledger, the audit
// row and whatever in-transaction listeners add (fill notifications) are written in one
// transaction (fill-ingest.ts). A duplicate changes nothing.
import { isUniqueViolationOn } from "../../db/errors.ts";
import { type Decimal, ZERO, fromDb, roundForStorage } from "../../lib/decimal.ts";
import type { DomainContext } from "../context.ts";
import { NotFoundError } from "../errors.ts";
import type { InstrumentService, InstrumentView } from "../instruments/instrument-service.ts";
import { feeKind } from "../positions/fill-fee.ts";
import type { PositionService } from "../positions/position-service.ts";
import { type Actor, type AnyActor, assertApproved } from "../users/actor.ts";
import { validateFee, validateFill } from "./fill-checks.ts";
import { ingestFillInTx } from "./fill-ingest.ts";
import { findTrade } from "./fill-lookups.ts";
import type {
  FeePriceSource,
  FillListener,
  FillReport,
  IngestResult,
  TradeView,
} from "./fill-types.ts";

export type { FillEvent, FillReport } from "./fill-types.ts";

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
        ingestFillInTx(
          { ctx: this.ctx, positions: this.positions, listeners: this.listeners },
          tx,
          actor,
          { ...fill, feeValue },
          instrument,
        ),
      );
    } catch (e) {
      // a concurrent ingest of the same fill won the race (PostgreSQL): report the duplicate
      if (isUniqueViolationOn(e, "brokerTradeId")) {
        const existing = await findTrade(this.ctx.db, fill.portfolioId, fill.brokerTradeId);
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
}
