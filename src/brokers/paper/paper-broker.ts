// The paper broker: a simulated exchange for one account, on the application's own database.
//
// It keeps its own order book and fill tape (PaperOrder, PaperFill), exactly as a venue does, and
// the domain learns of fills only through fetchFillsSince — it never writes trades itself.
// Prices come from the market data source (the offline generator by default), so with a fixed
// clock and seed every run fills identically. Matching rules: order-matcher.ts; liquidity:
// liquidity.ts; fees and slippage: paper-options.ts.
//
// Concurrency: every step that writes fills or changes an order runs in one transaction holding
// the account's row lock (PostgreSQL; SQLite runs one transaction at a time). That serializes the
// matcher, placements and cancels of one account across processes, keeps the per-minute
// liquidity count exact, and makes PaperFill ids commit in increasing order per account — which
// is what lets the fill cursor be simply the last PaperFill id seen.
import type { Db, Provider } from "../../db/client.ts";
import { isUniqueViolationOn } from "../../db/errors.ts";
import type { PaperOrder } from "../../db/generated/sqlite/client.ts";
import { lockRow } from "../../db/locks.ts";
import type { Clock } from "../../lib/clock.ts";
import { type Decimal, fromDb, fromDbOrNull, toDb, toDbOrNull } from "../../lib/decimal.ts";
import { normalizeSymbol } from "../../market/symbols.ts";
import { type MarketData, MarketUnavailableError, type Quote } from "../../market/types.ts";
import { BrokerOrderNotFoundError } from "../gateway-errors.ts";
import { bpsToRate } from "../pricing.ts";
import type {
  AssetBalance,
  BrokerCapabilities,
  BrokerGateway,
  CostModel,
  FillPage,
  GatewayOrder,
  MatchSummary,
  OrderRef,
  PlaceOrderRequest,
} from "../types.ts";
import { minuteAllowance, tradedThisMinute } from "./liquidity.ts";
import { type MatchPhase, feeFor, matchStep, trailingLevel } from "./order-matcher.ts";
import { paperBalances } from "./paper-balances.ts";
import { INSUFFICIENT_BALANCE, sellableQuantity } from "./paper-holdings.ts";
import {
  fillInclude,
  orderWhere,
  paperOrderId,
  paperTradeId,
  toGatewayFill,
  toGatewayOrder,
} from "./paper-book.ts";
import {
  type PaperBrokerOptions,
  type PaperBrokerSettings,
  resolvePaperOptions,
} from "./paper-options.ts";
import { type VenueInstrument, rejectionReason, toVenueInstrument } from "./venue-rules.ts";

export const PAPER_BROKER_CODE = "PAPER";

export const PAPER_CAPABILITIES: BrokerCapabilities = Object.freeze({
  orderTypes: ["MARKET", "LIMIT", "STOP", "STOP_LIMIT", "TRAILING"] as const,
  timeInForce: ["GTC", "IOC", "FOK", "DAY"] as const,
  // a spot venue: a sell beyond the account's holding is rejected (paper-holdings.ts); the domain
  // guards paper cash before placing buys and holdings before placing sells
  shortSelling: false,
  partialFills: true,
});

const OPEN = ["NEW", "PARTIALLY_FILLED"] as const;
const DEFAULT_FILL_PAGE = 500;

export interface PaperBrokerDeps {
  db: Db;
  provider: Provider;
  clock: Clock;
  market: MarketData;
  accountId: number;
  options?: PaperBrokerSettings;
}

/** The quote and minute allowance of one symbol, shared by all its orders in one matcher run. */
interface SymbolMarket {
  quote: Quote;
  allowance: Decimal;
}

interface StepResult {
  filled: boolean;
  statusChanged: boolean;
}

export class PaperBroker implements BrokerGateway {
  readonly brokerCode = PAPER_BROKER_CODE;
  readonly capabilities = PAPER_CAPABILITIES;
  readonly accountId: number;
  readonly options: PaperBrokerOptions;
  private readonly db: Db;
  private readonly provider: Provider;
  private readonly clock: Clock;
  private readonly market: MarketData;
  private instrumentList: Promise<Map<string, VenueInstrument>> | null = null;

  constructor(deps: PaperBrokerDeps) {
    this.db = deps.db;
    this.provider = deps.provider;
    this.clock = deps.clock;
    this.market = deps.market;
    this.accountId = deps.accountId;
    this.options = resolvePaperOptions(deps.options);
  }

  async placeOrder(req: PlaceOrderRequest): Promise<GatewayOrder> {
    const existing = await this.findRow({ clientOrderId: req.clientOrderId });
    if (existing) return toGatewayOrder(existing);

    const instrument = await this.instrument(req.symbol);
    const reason = rejectionReason(req, instrument);
    const now = this.clock.now();
    let bestPrice: Decimal | null = null;
    let stopPrice = req.stopPrice ?? null;
    if (!reason && instrument && req.type === "TRAILING") {
      // a trailing stop starts from the last price at placement
      bestPrice = (await this.freshQuote(instrument.symbol)).last;
      stopPrice = trailingLevel(req, bestPrice, instrument.tickSize);
    }
    let row: PaperOrder;
    try {
      row = await this.db.$transaction(async (tx) => {
        // the account lock holds from the holdings check until the order is in the book
        await lockRow(tx, this.provider, "accounts", this.accountId);
        const refused =
          reason ??
          (instrument &&
          req.side === "SELL" &&
          req.quantity.gt(
            await sellableQuantity(tx, this.accountId, instrument.symbol, req.clientOrderId),
          )
            ? INSUFFICIENT_BALANCE
            : null);
        return tx.paperOrder.create({
          data: {
            accountId: this.accountId,
            brokerOrderId: paperOrderId(this.accountId, req.clientOrderId),
            clientOrderId: req.clientOrderId,
            symbol: instrument?.symbol ?? req.symbol,
            side: req.side,
            type: req.type,
            timeInForce: req.timeInForce,
            status: refused ? "REJECTED" : "NEW",
            quantity: toDb(req.quantity),
            price: toDbOrNull(req.price),
            stopPrice: toDbOrNull(stopPrice),
            trailAmount: toDbOrNull(req.trailAmount),
            trailPercent: toDbOrNull(req.trailPercent),
            bestPrice: toDbOrNull(bestPrice),
            expiresAt: req.expiresAt ?? null,
            rejectReason: refused,
            createdAt: now,
            updatedAt: now,
          },
        });
      });
    } catch (e) {
      // the same clientOrderId placed concurrently: the first one wins, as on an exchange
      if (isUniqueViolationOn(e, "clientOrderId") || isUniqueViolationOn(e, "brokerOrderId")) {
        const winner = await this.findRow({ clientOrderId: req.clientOrderId });
        if (winner) return toGatewayOrder(winner);
      }
      throw e;
    }
    if (row.status === "NEW") await this.step(row, "placement");
    return toGatewayOrder(await this.db.paperOrder.findUniqueOrThrow({ where: { id: row.id } }));
  }

  async cancelOrder(ref: OrderRef): Promise<GatewayOrder> {
    const where = orderWhere(this.accountId, ref);
    const label = ref.brokerOrderId ?? ref.clientOrderId ?? "-";
    if (!where) throw new BrokerOrderNotFoundError(label);
    const now = this.clock.now();
    const row = await this.db.$transaction(async (tx) => {
      await lockRow(tx, this.provider, "accounts", this.accountId);
      const current = await tx.paperOrder.findFirst({ where });
      if (!current || !isOpenStatus(current.status)) return current;
      return tx.paperOrder.update({
        where: { id: current.id },
        data: { status: "CANCELED", updatedAt: now },
      });
    });
    if (!row) throw new BrokerOrderNotFoundError(label);
    return toGatewayOrder(row);
  }

  async fetchOrder(ref: OrderRef): Promise<GatewayOrder | null> {
    const row = await this.findRow(ref);
    return row ? toGatewayOrder(row) : null;
  }

  async fetchOpenOrders(): Promise<GatewayOrder[]> {
    const rows = await this.db.paperOrder.findMany({
      where: { accountId: this.accountId, status: { in: [...OPEN] } },
      orderBy: { id: "asc" },
    });
    return rows.map(toGatewayOrder);
  }

  /** The cursor is the id of the last PaperFill returned. */
  async fetchFillsSince(cursor: string | null, limit = DEFAULT_FILL_PAGE): Promise<FillPage> {
    if (cursor !== null && !/^\d+$/.test(cursor))
      throw new RangeError(`not a paper fill cursor: ${cursor}`);
    const take = Math.max(1, Math.floor(limit));
    const rows = await this.db.paperFill.findMany({
      where: { accountId: this.accountId, id: { gt: cursor === null ? 0 : Number(cursor) } },
      orderBy: { id: "asc" },
      take: take + 1,
      include: fillInclude,
    });
    const page = rows.slice(0, take);
    const last = page.at(-1);
    return {
      fills: page.map(toGatewayFill),
      cursor: last ? String(last.id) : cursor,
      hasMore: rows.length > take,
    };
  }

  async balances(): Promise<Map<string, AssetBalance>> {
    return paperBalances({
      db: this.db,
      accountId: this.accountId,
      instrument: (symbol) => this.instrument(symbol),
      ask: async (symbol) => (await this.market.quote(symbol)).ask,
      takerFeeRate: bpsToRate(this.options.takerFeeBps),
    });
  }

  async costModel(_symbol: string): Promise<CostModel> {
    return {
      makerFeeRate: bpsToRate(this.options.makerFeeBps),
      takerFeeRate: bpsToRate(this.options.takerFeeBps),
      slippageRate: bpsToRate(this.options.slippageBps),
    };
  }

  /**
   * Evaluates every open order of the account, oldest first, against the current quotes:
   * triggers stops, tracks trailing stops, fills what the market and the minute's liquidity
   * allow, expires DAY orders past their end. One failing order does not stop the others; the
   * first error is rethrown once all were tried.
   */
  async match(): Promise<MatchSummary> {
    const rows = await this.db.paperOrder.findMany({
      where: { accountId: this.accountId, status: { in: [...OPEN] } },
      orderBy: { id: "asc" },
    });
    const markets = new Map<string, Promise<SymbolMarket>>();
    const summary: MatchSummary = { evaluated: 0, fills: 0, statusChanges: 0 };
    let firstError: unknown = null;
    for (const row of rows) {
      try {
        let market = markets.get(row.symbol);
        if (!market) {
          market = this.symbolMarket(row.symbol);
          markets.set(row.symbol, market);
        }
        const result = await this.step(row, "resting", await market);
        summary.evaluated++;
        if (result?.filled) summary.fills++;
        if (result?.statusChanged) summary.statusChanges++;
      } catch (e) {
        firstError ??= e;
      }
    }
    if (firstError) throw firstError;
    return summary;
  }

  /** One matching step for one order, in a transaction holding the account lock. */
  private async step(
    row: PaperOrder,
    phase: MatchPhase,
    known?: SymbolMarket,
  ): Promise<StepResult | null> {
    const instrument = await this.instrument(row.symbol);
    if (!instrument) return null;
    const { quote, allowance } = known ?? (await this.symbolMarket(row.symbol));
    const now = this.clock.now();
    const { slippageBps, takerFeeBps, makerFeeBps, feeDecimals } = this.options;
    return this.db.$transaction(async (tx) => {
      await lockRow(tx, this.provider, "accounts", this.accountId);
      const current = await tx.paperOrder.findUnique({ where: { id: row.id } });
      if (!current || !isOpenStatus(current.status)) return null;
      const used = await tradedThisMinute(tx, this.accountId, current.symbol, now);
      const order = {
        side: current.side,
        type: current.type,
        timeInForce: current.timeInForce,
        status: current.status,
        quantity: fromDb(current.quantity),
        filledQuantity: fromDb(current.filledQuantity),
        price: fromDbOrNull(current.price),
        stopPrice: fromDbOrNull(current.stopPrice),
        trailAmount: fromDbOrNull(current.trailAmount),
        trailPercent: fromDbOrNull(current.trailPercent),
        bestPrice: fromDbOrNull(current.bestPrice),
        triggered: current.triggered,
        expiresAt: current.expiresAt,
      };
      const outcome = matchStep({
        order,
        market: quote,
        now,
        phase,
        liquidity: allowance.minus(used),
        tickSize: instrument.tickSize,
        lotSize: instrument.lotSize,
        slippageRate: bpsToRate(slippageBps),
      });
      let filledQuantity = order.filledQuantity;
      if (outcome.fill) {
        const { quantity, price, liquidity } = outcome.fill;
        const sequence = (await tx.paperFill.count({ where: { paperOrderId: current.id } })) + 1;
        const rate = bpsToRate(liquidity === "MAKER" ? makerFeeBps : takerFeeBps);
        await tx.paperFill.create({
          data: {
            accountId: this.accountId,
            paperOrderId: current.id,
            brokerTradeId: paperTradeId(current.brokerOrderId, sequence),
            quantity: toDb(quantity),
            price: toDb(price),
            fee: toDb(feeFor(quantity, price, rate, feeDecimals)),
            feeCurrency: instrument.currency,
            execTime: now,
          },
        });
        filledQuantity = filledQuantity.plus(quantity);
      }
      const changed =
        outcome.fill !== null ||
        outcome.status !== current.status ||
        outcome.triggered !== current.triggered ||
        !sameDecimal(outcome.bestPrice, order.bestPrice) ||
        !sameDecimal(outcome.stopPrice, order.stopPrice);
      if (changed) {
        await tx.paperOrder.update({
          where: { id: current.id },
          data: {
            status: outcome.status,
            filledQuantity: toDb(filledQuantity),
            triggered: outcome.triggered,
            bestPrice: toDbOrNull(outcome.bestPrice),
            stopPrice: toDbOrNull(outcome.stopPrice),
            ...(outcome.reason ? { rejectReason: outcome.reason } : {}),
            updatedAt: now,
          },
        });
      }
      return { filled: outcome.fill !== null, statusChanged: outcome.status !== current.status };
    });
  }

  /**
   * A quote to fill on. A stale one (the live source lost its exchange) is refused: a paper fill
   * at a price the market may have left long ago would be fiction; the order waits instead.
   */
  private async freshQuote(symbol: string): Promise<Quote> {
    const quote = await this.market.quote(symbol);
    if (quote.stale) throw new MarketUnavailableError(this.market.name, quote.time);
    return quote;
  }

  private async symbolMarket(symbol: string): Promise<SymbolMarket> {
    const instrument = await this.instrument(symbol);
    if (!instrument) throw new RangeError(`paper venue does not list ${symbol}`);
    const [quote, allowance] = await Promise.all([
      this.freshQuote(symbol),
      minuteAllowance(
        this.market,
        symbol,
        this.clock.now(),
        this.options.participationRate,
        instrument.lotSize,
      ),
    ]);
    return { quote, allowance };
  }

  private async findRow(ref: OrderRef): Promise<PaperOrder | null> {
    const where = orderWhere(this.accountId, ref);
    return where ? this.db.paperOrder.findFirst({ where }) : null;
  }

  /** The venue's instrument list (the market data source's), loaded once. */
  private async instrument(symbol: string): Promise<VenueInstrument | undefined> {
    this.instrumentList ??= this.market
      .instruments()
      .then(
        (specs) =>
          new Map(specs.map((s) => [normalizeSymbol(s.symbol), toVenueInstrument(s)] as const)),
      );
    try {
      return (await this.instrumentList).get(normalizeSymbol(symbol));
    } catch (e) {
      this.instrumentList = null; // retry the listing next time rather than caching a failure
      throw e;
    }
  }
}

function isOpenStatus(status: PaperOrder["status"]): boolean {
  return status === "NEW" || status === "PARTIALLY_FILLED";
}

function sameDecimal(a: Decimal | null, b: Decimal | null): boolean {
  return a === null || b === null ? a === b : a.eq(b);
}
