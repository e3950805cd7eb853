// The paper broker: a simulated exchange for one account, on the application's own database.
//
// It keeps its own order book and fill tape (PaperOrder, PaperFill), exactly as a venue does, and
// the domain learns of fills only through fetchFillsSince — it never writes trades itself.
// Prices come from the market data source (the offline generator by default), so with a fixed
// clock and seed every run fills identically. Matching on the book: paper-matching.ts, its rules:
// order-matcher.ts; liquidity: liquidity.ts; fees and slippage: paper-options.ts.
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
import { type Decimal, toDb, toDbOrNull } from "../../lib/decimal.ts";
import { normalizeSymbol } from "../../market/symbols.ts";
import type { MarketData } from "../../market/types.ts";
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
import { trailingLevel } from "./order-matcher.ts";
import { paperBalances } from "./paper-balances.ts";
import { INSUFFICIENT_BALANCE, sellableQuantity } from "./paper-holdings.ts";
import {
  OPEN_STATUSES,
  fillInclude,
  isOpenStatus,
  orderWhere,
  paperOrderId,
  toGatewayFill,
  toGatewayOrder,
} from "./paper-book.ts";
import { PaperMatching } from "./paper-matching.ts";
import {
  type PaperBrokerOptions,
  type PaperBrokerSettings,
  resolvePaperOptions,
} from "./paper-options.ts";
import { type VenueInstrument, rejectionReason, toVenueInstrument } from "./venue-rules.ts";

const PAPER_BROKER_CODE = "PAPER";

const PAPER_CAPABILITIES: BrokerCapabilities = Object.freeze({
  orderTypes: ["MARKET", "LIMIT", "STOP", "STOP_LIMIT", "TRAILING"] as const,
  timeInForce: ["GTC", "IOC", "FOK", "DAY"] as const,
  // a spot venue: a sell beyond the account's holding is rejected (paper-holdings.ts); the domain
  // guards paper cash before placing buys and holdings before placing sells
  shortSelling: false,
  partialFills: true,
});

const DEFAULT_FILL_PAGE = 500;

interface PaperBrokerDeps {
  db: Db;
  provider: Provider;
  clock: Clock;
  market: MarketData;
  accountId: number;
  options?: PaperBrokerSettings;
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
  private readonly matching: PaperMatching;
  private instrumentList: Promise<Map<string, VenueInstrument>> | null = null;

  constructor(deps: PaperBrokerDeps) {
    this.db = deps.db;
    this.provider = deps.provider;
    this.clock = deps.clock;
    this.market = deps.market;
    this.accountId = deps.accountId;
    this.options = resolvePaperOptions(deps.options);
    this.matching = new PaperMatching({
      ...deps,
      options: this.options,
      instrument: (symbol) => this.instrument(symbol),
    });
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
      bestPrice = (await this.matching.freshQuote(instrument.symbol)).last;
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
    if (row.status === "NEW") await this.matching.step(row, "placement");
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
      where: { accountId: this.accountId, status: { in: [...OPEN_STATUSES] } },
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

  /** Matches the account's open orders against the current quotes (paper-matching.ts). */
  match(): Promise<MatchSummary> {
    return this.matching.matchOpenOrders();
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
