// The live broker gateway on ccxt: one exchange account (Binance spot, or any ccxt exchange with
// the unified API) behind the BrokerGateway contract, so a live order takes the same domain path
// a paper order takes.
//
// Safety:
// - A lost response is not a lost order. When createOrder times out, the connection drops, or the
//   venue answers 5xx / "unknown status" after it may have accepted the order, the order is looked
//   up by our clientOrderId before anything else, and found, it is the answer. A clientOrderId
//   this gateway has already sent is looked up before it is sent again, and Binance's "duplicate
//   order" answer resolves to the existing order too: a retry never creates a second order.
// - A venue refusal (filters, balance, unknown symbol) is a REJECTED order with a short reason
//   code; a refused key is BrokerKeyRejectedError on reads and an "invalid-key" rejection on
//   placement (nothing was placed); 429/418 are waited out within bounds (VenuePacing).
// - Money comes from the exchange's strings (order-mapping.ts), never from ccxt's floats.
// - Credentials are read through the CredentialLoader when the client is first built, kept only
//   inside the ccxt client, and never logged or put into an error.
//
// The connection (client, pacing, markets, client ids seen) is a VenueSession shared with the
// fill scan (fill-scan.ts); answers are read in order-mapping.ts and balance-mapping.ts.
import type { Exchange, MarketInterface as Market } from "ccxt";
import { Decimal } from "../../lib/decimal.ts";
import { GatewayError } from "../../lib/errors.ts";
import { BrokerOrderNotFoundError } from "../gateway-errors.ts";
import type {
  AssetBalance,
  BrokerCapabilities,
  BrokerGateway,
  CostModel,
  FillPage,
  GatewayOrder,
  OcoPairResult,
  OrderRef,
  PlaceOcoRequest,
  PlaceOrderRequest,
} from "../types.ts";
import { ocoLegRequests } from "../oco.ts";
import { toBalances, toCostModel } from "./balance-mapping.ts";
import { capabilitiesFor } from "./capabilities.ts";
import { FillScan, type FillScanOptions } from "./fill-scan.ts";
import { legsOfResponse, ocoParams, sendOcoList } from "./oco-pair.ts";
import { createArgs, rejected } from "./order-mapping.ts";
import { classify } from "./venue-errors.ts";
import { VenueSession, type VenueSessionOptions, domainSymbol } from "./venue-session.ts";

interface CcxtGatewayOptions extends VenueSessionOptions, FillScanOptions {}

export class CcxtGateway implements BrokerGateway {
  readonly brokerCode: string;
  readonly capabilities: BrokerCapabilities;
  private readonly session: VenueSession;
  private readonly fills: FillScan;
  /** clientOrderIds sent by this process: looked up before they are sent again */
  private readonly sent = new Set<string>();

  constructor(private readonly opts: CcxtGatewayOptions) {
    this.brokerCode = opts.brokerCode;
    this.capabilities = capabilitiesFor(opts.exchangeId);
    this.session = new VenueSession(opts);
    this.fills = new FillScan(this.session, this, opts);
  }

  async placeOrder(req: PlaceOrderRequest): Promise<GatewayOrder> {
    const { session } = this;
    const ex = await session.exchange();
    const market = session.marketOf(ex, req.symbol);
    if (!market) return rejected(req, "unknown-symbol", this.opts.clock.now());
    if (this.sent.has(req.clientOrderId)) {
      const existing = await session.lookup(ex, market, req.clientOrderId);
      if (existing) return existing;
    }
    const stop = req.type === "STOP" || req.type === "STOP_LIMIT";
    const args = createArgs(req, stop ? await this.lastPrice(ex, market) : null);
    if (!args.ok) return rejected(req, args.reason, this.opts.clock.now());
    this.sent.add(req.clientOrderId);
    try {
      const order = await session.send(ex, () =>
        ex.createOrder(market.symbol, args.type, args.side, args.amount, args.price, args.params),
      );
      return session.report(ex, order, req.symbol);
    } catch (e) {
      return afterFailedPlacement(
        e,
        (reason) => rejected(req, reason, this.opts.clock.now()),
        () => session.lookup(ex, market, req.clientOrderId),
      );
    }
  }

  /**
   * Both exits as one Binance order list. A lost answer is recovered like a single order's: the
   * legs are looked up by their clientOrderIds before the pair is sent again, so a retry never
   * places a second pair.
   */
  async placeOcoPair(req: PlaceOcoRequest): Promise<OcoPairResult> {
    const { session } = this;
    const ex = await session.exchange();
    const legs = ocoLegRequests(req);
    const refuse = (reason: string): OcoPairResult => ({
      takeProfit: rejected(legs.takeProfit, reason, this.opts.clock.now()),
      stopLoss: rejected(legs.stopLoss, reason, this.opts.clock.now()),
    });
    const market = session.marketOf(ex, req.symbol);
    if (!market) return refuse("unknown-symbol");
    if (this.sent.has(req.listClientOrderId)) {
      const existing = await this.lookupPair(ex, market, req);
      if (existing) return existing;
    }
    this.sent.add(req.listClientOrderId);
    try {
      const raw = await session.send(ex, () => sendOcoList(ex, ocoParams(market, req)));
      const symbol = domainSymbol(market);
      const reported = legsOfResponse(ex, market, raw).map((o) => session.report(ex, o, symbol));
      const tp = reported.find((o) => o.clientOrderId === req.takeProfit.clientOrderId);
      const sl = reported.find((o) => o.clientOrderId === req.stopLoss.clientOrderId);
      if (tp && sl) return { takeProfit: tp, stopLoss: sl };
      // an answer without its order reports: the venue holds the pair, read it
      const existing = await this.lookupPair(ex, market, req);
      if (existing) return existing;
      throw new Error(`order list ${req.listClientOrderId} accepted but its legs not found`);
    } catch (e) {
      return afterFailedPlacement(e, refuse, () => this.lookupPair(ex, market, req));
    }
  }

  async cancelOrder(ref: OrderRef): Promise<GatewayOrder> {
    const { session } = this;
    const ex = await session.exchange();
    const market = await session.marketOfRef(ex, ref);
    if (!market) throw new BrokerOrderNotFoundError(describeRef(ref));
    try {
      const params = ref.brokerOrderId ? {} : { clientOrderId: ref.clientOrderId };
      const order = await session.read(ex, () =>
        ex.cancelOrder(
          ref.brokerOrderId ?? (undefined as unknown as string),
          market.symbol,
          params,
        ),
      );
      return session.report(ex, order, domainSymbol(market));
    } catch (e) {
      if (classify(e).kind !== "not-found") throw e;
      // Binance answers "unknown order" for one that is already filled or canceled
      const current = await this.fetchOrder(ref);
      if (!current) throw new BrokerOrderNotFoundError(describeRef(ref));
      return current;
    }
  }

  async fetchOrder(ref: OrderRef): Promise<GatewayOrder | null> {
    const { session } = this;
    const ex = await session.exchange();
    const market = await session.marketOfRef(ex, ref);
    if (!market) return null;
    if (!ref.brokerOrderId && ref.clientOrderId)
      return session.lookup(ex, market, ref.clientOrderId);
    if (!ref.brokerOrderId) return null;
    try {
      const order = await session.read(ex, () =>
        ex.fetchOrder(ref.brokerOrderId as string, market.symbol),
      );
      return session.report(ex, order, domainSymbol(market));
    } catch (e) {
      if (classify(e).kind === "not-found") return null;
      throw e;
    }
  }

  async fetchOpenOrders(): Promise<GatewayOrder[]> {
    const { session } = this;
    const ex = await session.exchange();
    const orders = await session.read(ex, () => ex.fetchOpenOrders());
    const out: GatewayOrder[] = [];
    for (const o of orders) {
      const market = o.symbol ? ex.markets?.[o.symbol] : undefined;
      if (!market) continue;
      const symbol = domainSymbol(market);
      this.fills.sawOpenOrder(symbol);
      out.push(session.report(ex, o, symbol));
    }
    return out;
  }

  fetchFillsSince(cursorText: string | null, limit = 500): Promise<FillPage> {
    return this.fills.fillsSince(cursorText, limit);
  }

  async balances(): Promise<Map<string, AssetBalance>> {
    const ex = await this.session.exchange();
    return toBalances(ex, await this.session.read(ex, () => ex.fetchBalance()));
  }

  async costModel(symbol: string): Promise<CostModel> {
    const ex = await this.session.exchange();
    return toCostModel(ex, this.session.marketOf(ex, symbol));
  }

  /** Both legs of a pair by their clientOrderIds; null when the venue has neither. */
  private async lookupPair(
    ex: Exchange,
    market: Market,
    req: PlaceOcoRequest,
  ): Promise<OcoPairResult | null> {
    const tp = await this.session.lookup(ex, market, req.takeProfit.clientOrderId);
    const sl = await this.session.lookup(ex, market, req.stopLoss.clientOrderId);
    if (tp && sl) return { takeProfit: tp, stopLoss: sl };
    // the venue places a list whole or not at all: one leg alone is not ours to complete
    if (tp || sl) throw new Error(`order list ${req.listClientOrderId} found with one leg only`);
    return null;
  }

  private async lastPrice(ex: Exchange, market: Market): Promise<Decimal | null> {
    try {
      const ticker = await this.session.read(ex, () => ex.fetchTicker(market.symbol));
      const last = (ticker.info as { lastPrice?: unknown }).lastPrice;
      if (typeof last === "string") return new Decimal(last);
      return typeof ticker.last === "number" ? new Decimal(ex.numberToString(ticker.last)) : null;
    } catch {
      // unknown: the domain placed the trigger on the loss side; send it as a stop-loss
      return null;
    }
  }
}

/**
 * What a failed placement comes to: a refusal (a refused key included) is a rejection with its
 * reason; after a duplicate or an unknown outcome the venue may hold the order, and it is the
 * answer if it does; anything else, or nothing found, is the error itself.
 */
async function afterFailedPlacement<T>(
  e: unknown,
  refuse: (reason: string) => T,
  find: () => Promise<T | null>,
): Promise<T> {
  if (e instanceof GatewayError) throw e;
  const failure = classify(e);
  switch (failure.kind) {
    case "refused":
      return refuse(failure.reason);
    case "invalid-key":
      return refuse("invalid-key");
    case "duplicate":
    case "unknown-outcome": {
      const existing = await find().catch(() => null);
      if (existing) return existing;
      throw e;
    }
    default:
      throw e;
  }
}

function describeRef(ref: OrderRef): string {
  return ref.brokerOrderId ?? ref.clientOrderId ?? "?";
}
