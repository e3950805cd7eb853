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
import type { Exchange, MarketInterface as Market, Order, Trade } from "ccxt";
import { Decimal } from "../../lib/decimal.ts";
import type { Clock } from "../../lib/clock.ts";
import { GatewayError } from "../../lib/errors.ts";
import { normalizeSymbol } from "../../market/symbols.ts";
import { type ExchangeClientOptions, createExchange } from "../../market/ccxt/client.ts";
import { BrokerKeyRejectedError, BrokerOrderNotFoundError } from "../gateway-errors.ts";
import type { CredentialLoader, GatewayAccount } from "../gateway-registry.ts";
import type {
  AssetBalance,
  BrokerCapabilities,
  BrokerGateway,
  CostModel,
  FillPage,
  GatewayFill,
  GatewayOrder,
  OcoPairResult,
  OrderRef,
  PlaceOcoRequest,
  PlaceOrderRequest,
} from "../types.ts";
import { ocoLegRequests } from "../oco.ts";
import { legsOfResponse, ocoParams, sendOcoList } from "./oco-pair.ts";
import type { AccountSymbols } from "./account-symbols.ts";
import { capabilitiesFor } from "./capabilities.ts";
import {
  type FillCursor,
  SCAN_WINDOW_MS,
  compareIds,
  formatCursor,
  nextId,
  parseCursor,
} from "./fill-cursor.ts";
import { createArgs, rejected, toGatewayFill, toGatewayOrder } from "./order-mapping.ts";
import { type PacingOptions, VenuePacing } from "./venue-pacing.ts";
import { classify } from "./venue-errors.ts";

export interface CcxtGatewayOptions {
  /** our broker code ("BINANCE") */
  brokerCode: string;
  /** ccxt's exchange id ("binance") */
  exchangeId: string;
  account: GatewayAccount;
  credentials: CredentialLoader;
  symbols: AccountSymbols;
  clock: Clock;
  /** replaces the exchange's API host (EXCHANGE_API_URL[_<ID>]) */
  apiUrl?: string;
  /** replaces the testnet's API host for testnet accounts (EXCHANGE_SANDBOX_URL[_<ID>]) */
  sandboxApiUrl?: string;
  /** ccxt's limiter spacing; the exchange's own when not given */
  rateLimitMs?: number;
  timeoutMs?: number;
  pacing?: Partial<PacingOptions>;
  /** how long the account's held assets (which symbols to look for fills on) are reused */
  holdingsTtlMs?: number;
  /** how far behind "now" a scan of a symbol without trades stops, for clock skew with the venue */
  scanSafetyMs?: number;
}

/** Binance's myTrades page limit. */
const MAX_TRADES_PAGE = 1000;

export class CcxtGateway implements BrokerGateway {
  readonly brokerCode: string;
  readonly capabilities: BrokerCapabilities;
  private client: Promise<Exchange> | null = null;
  private readonly pacing: VenuePacing;
  /** brokerOrderId → clientOrderId of every order seen (myTrades does not carry client ids) */
  private readonly clientIds = new Map<string, string>();
  /** clientOrderIds sent by this process: looked up before they are sent again */
  private readonly sent = new Set<string>();
  /** symbols of open orders seen at the venue (ours or placed by hand) */
  private readonly seenSymbols = new Set<string>();
  private holdings: { at: number; symbols: string[] } | null = null;

  constructor(private readonly opts: CcxtGatewayOptions) {
    this.brokerCode = opts.brokerCode;
    this.capabilities = capabilitiesFor(opts.exchangeId);
    this.pacing = new VenuePacing(opts.brokerCode, opts.pacing);
  }

  // ---- the contract ----------------------------------------------------------------------------

  async placeOrder(req: PlaceOrderRequest): Promise<GatewayOrder> {
    const ex = await this.exchange();
    const market = this.marketOf(ex, req.symbol);
    if (!market) return rejected(req, "unknown-symbol", this.opts.clock.now());
    if (this.sent.has(req.clientOrderId)) {
      const existing = await this.lookup(ex, market, req.clientOrderId);
      if (existing) return existing;
    }
    const stop = req.type === "STOP" || req.type === "STOP_LIMIT";
    const args = createArgs(req, stop ? await this.lastPrice(ex, market) : null);
    if (!args.ok) return rejected(req, args.reason, this.opts.clock.now());
    this.sent.add(req.clientOrderId);
    try {
      const order = await this.pacing.run(ex, () =>
        ex.createOrder(market.symbol, args.type, args.side, args.amount, args.price, args.params),
      );
      return this.report(ex, order, req.symbol);
    } catch (e) {
      if (e instanceof GatewayError) throw e;
      const failure = classify(e);
      switch (failure.kind) {
        case "refused":
          return rejected(req, failure.reason, this.opts.clock.now());
        case "invalid-key":
          return rejected(req, "invalid-key", this.opts.clock.now());
        case "duplicate":
        case "unknown-outcome": {
          // the venue may hold the order: it is the answer if it does
          const existing = await this.lookup(ex, market, req.clientOrderId).catch(() => null);
          if (existing) return existing;
          throw e;
        }
        default:
          throw e;
      }
    }
  }

  /**
   * Both exits as one Binance order list. A lost answer is recovered like a single order's: the
   * legs are looked up by their clientOrderIds before the pair is sent again, so a retry never
   * places a second pair.
   */
  async placeOcoPair(req: PlaceOcoRequest): Promise<OcoPairResult> {
    const ex = await this.exchange();
    const legs = ocoLegRequests(req);
    const refuse = (reason: string): OcoPairResult => ({
      takeProfit: rejected(legs.takeProfit, reason, this.opts.clock.now()),
      stopLoss: rejected(legs.stopLoss, reason, this.opts.clock.now()),
    });
    const market = this.marketOf(ex, req.symbol);
    if (!market) return refuse("unknown-symbol");
    if (this.sent.has(req.listClientOrderId)) {
      const existing = await this.lookupPair(ex, market, req);
      if (existing) return existing;
    }
    this.sent.add(req.listClientOrderId);
    try {
      const raw = await this.pacing.run(ex, () => sendOcoList(ex, ocoParams(market, req)));
      const symbol = this.domainSymbol(market);
      const reported = legsOfResponse(ex, market, raw).map((o) => this.report(ex, o, symbol));
      const tp = reported.find((o) => o.clientOrderId === req.takeProfit.clientOrderId);
      const sl = reported.find((o) => o.clientOrderId === req.stopLoss.clientOrderId);
      if (tp && sl) return { takeProfit: tp, stopLoss: sl };
      // an answer without its order reports: the venue holds the pair, read it
      const existing = await this.lookupPair(ex, market, req);
      if (existing) return existing;
      throw new Error(`order list ${req.listClientOrderId} accepted but its legs not found`);
    } catch (e) {
      if (e instanceof GatewayError) throw e;
      const failure = classify(e);
      switch (failure.kind) {
        case "refused":
          return refuse(failure.reason);
        case "invalid-key":
          return refuse("invalid-key");
        case "duplicate":
        case "unknown-outcome": {
          const existing = await this.lookupPair(ex, market, req).catch(() => null);
          if (existing) return existing;
          throw e;
        }
        default:
          throw e;
      }
    }
  }

  async cancelOrder(ref: OrderRef): Promise<GatewayOrder> {
    const ex = await this.exchange();
    const market = await this.marketOfRef(ex, ref);
    if (!market) throw new BrokerOrderNotFoundError(describeRef(ref));
    try {
      const params = ref.brokerOrderId ? {} : { clientOrderId: ref.clientOrderId };
      const order = await this.read(ex, () =>
        ex.cancelOrder(
          ref.brokerOrderId ?? (undefined as unknown as string),
          market.symbol,
          params,
        ),
      );
      return this.report(ex, order, this.domainSymbol(market));
    } catch (e) {
      if (classify(e).kind !== "not-found") throw e;
      // Binance answers "unknown order" for one that is already filled or canceled
      const current = await this.fetchOrder(ref);
      if (!current) throw new BrokerOrderNotFoundError(describeRef(ref));
      return current;
    }
  }

  async fetchOrder(ref: OrderRef): Promise<GatewayOrder | null> {
    const ex = await this.exchange();
    const market = await this.marketOfRef(ex, ref);
    if (!market) return null;
    if (!ref.brokerOrderId && ref.clientOrderId) return this.lookup(ex, market, ref.clientOrderId);
    if (!ref.brokerOrderId) return null;
    try {
      const order = await this.read(ex, () =>
        ex.fetchOrder(ref.brokerOrderId as string, market.symbol),
      );
      return this.report(ex, order, this.domainSymbol(market));
    } catch (e) {
      if (classify(e).kind === "not-found") return null;
      throw e;
    }
  }

  async fetchOpenOrders(): Promise<GatewayOrder[]> {
    const ex = await this.exchange();
    const orders = await this.read(ex, () => ex.fetchOpenOrders());
    const out: GatewayOrder[] = [];
    for (const o of orders) {
      const market = o.symbol ? ex.markets?.[o.symbol] : undefined;
      if (!market) continue;
      const symbol = this.domainSymbol(market);
      this.seenSymbols.add(symbol);
      out.push(this.report(ex, o, symbol));
    }
    return out;
  }

  async fetchFillsSince(cursorText: string | null, limit = 500): Promise<FillPage> {
    const ex = await this.exchange();
    const cursor = parseCursor(cursorText);
    await this.addSymbolsOfInterest(ex, cursor);
    const now = this.opts.clock.now().getTime();
    const safety = this.opts.scanSafetyMs ?? 60_000;
    const fills: GatewayFill[] = [];
    let hasMore = false;
    for (const symbol of [...cursor.keys()].sort()) {
      const market = this.marketOf(ex, symbol);
      if (!market) continue;
      const room = Math.min(limit - fills.length, MAX_TRADES_PAGE);
      if (room <= 0) {
        hasMore = true;
        break;
      }
      const pos = cursor.get(symbol)!;
      let trades;
      let scannedTo: number | null = null;
      let scannedFrom = 0;
      if ("id" in pos) {
        trades = await this.read(ex, () =>
          ex.fetchMyTrades(market.symbol, undefined, room, { fromId: nextId(pos.id) }),
        );
      } else {
        const end = Math.min(pos.t + SCAN_WINDOW_MS, now);
        scannedTo = end;
        scannedFrom = pos.t;
        trades = await this.read(ex, () =>
          ex.fetchMyTrades(market.symbol, pos.t, room, { endTime: end }),
        );
      }
      const ordered = trades
        .map((t) => ({ t, id: String((t.info as { id?: unknown }).id ?? t.id) }))
        .sort((a, b) => compareIds(a.id, b.id))
        .slice(0, room);
      if (ordered.length) {
        for (const { t } of ordered) fills.push(await this.fill(ex, t, market));
        cursor.set(symbol, { id: ordered.at(-1)!.id });
        if (ordered.length >= room) hasMore = true;
      } else if (scannedTo !== null) {
        // nothing in the window: move on, but never past the last minute (the venue's clock
        // may be behind ours, and a trade stamped just now must still be found)
        const next = Math.min(scannedTo + 1, now - safety);
        if (next > scannedFrom) cursor.set(symbol, { t: next });
        if (scannedTo < now) hasMore = true;
      }
    }
    fills.sort(
      (a, b) =>
        a.execTime.getTime() - b.execTime.getTime() || compareIds(a.brokerTradeId, b.brokerTradeId),
    );
    const next = formatCursor(cursor);
    return { fills, cursor: next === cursorText ? cursorText : next, hasMore };
  }

  async balances(): Promise<Map<string, AssetBalance>> {
    const ex = await this.exchange();
    const balance = await this.read(ex, () => ex.fetchBalance());
    const out = new Map<string, AssetBalance>();
    const raw = (balance.info as { balances?: unknown }).balances;
    if (Array.isArray(raw)) {
      for (const b of raw as Array<{ asset?: unknown; free?: unknown; locked?: unknown }>) {
        if (typeof b.asset !== "string") continue;
        const free = new Decimal(String(b.free ?? "0"));
        const locked = new Decimal(String(b.locked ?? "0"));
        if (free.isZero() && locked.isZero()) continue;
        out.set(b.asset, { free, locked });
      }
      return out;
    }
    // not Binance-shaped: ccxt's unified free/used, back to their exact decimal text
    const totals = balance as unknown as Record<string, { free?: number; used?: number }>;
    for (const [asset, b] of Object.entries(totals)) {
      if (!b || typeof b !== "object" || typeof b.free !== "number") continue;
      const free = new Decimal(ex.numberToString(b.free));
      const locked = new Decimal(ex.numberToString(b.used ?? 0));
      if (free.isZero() && locked.isZero()) continue;
      out.set(asset, { free, locked });
    }
    return out;
  }

  async costModel(symbol: string): Promise<CostModel> {
    const ex = await this.exchange();
    const market = this.marketOf(ex, symbol);
    const fees = (ex.fees as { trading?: { maker?: number; taker?: number } }).trading ?? {};
    const rate = (v: number | undefined) =>
      new Decimal(ex.numberToString(typeof v === "number" && Number.isFinite(v) ? v : 0.001));
    return {
      makerFeeRate: rate(market?.maker ?? fees.maker),
      takerFeeRate: rate(market?.taker ?? fees.taker),
      slippageRate: new Decimal(0),
    };
  }

  // ---- the client ------------------------------------------------------------------------------

  private exchange(): Promise<Exchange> {
    if (!this.client) {
      this.client = this.build().catch((e: unknown) => {
        this.client = null;
        throw e;
      });
    }
    return this.client;
  }

  private async build(): Promise<Exchange> {
    const { account, exchangeId } = this.opts;
    const credentials = await this.opts.credentials();
    const options: ExchangeClientOptions = {
      id: exchangeId,
      apiKey: credentials.apiKey,
      secret: credentials.secret,
      sandbox: account.testnet === true,
    };
    if (credentials.password) options.password = credentials.password;
    const url = account.testnet ? this.opts.sandboxApiUrl : this.opts.apiUrl;
    if (url) options.apiUrl = url;
    if (this.opts.rateLimitMs !== undefined) options.rateLimitMs = this.opts.rateLimitMs;
    if (this.opts.timeoutMs !== undefined) options.timeoutMs = this.opts.timeoutMs;
    const ex = await createExchange(options);
    await this.pacing.run(ex, () => ex.loadMarkets());
    return ex;
  }

  /** A read: rate limits waited out, a refused key as its typed error. */
  private async read<T>(ex: Exchange, request: () => Promise<T>): Promise<T> {
    try {
      return await this.pacing.run(ex, request);
    } catch (e) {
      if (!(e instanceof GatewayError) && classify(e).kind === "invalid-key")
        throw new BrokerKeyRejectedError(this.brokerCode);
      throw e;
    }
  }

  // ---- markets and symbols ---------------------------------------------------------------------

  /** The spot market of a domain symbol ("BTCUSDT"). */
  private marketOf(ex: Exchange, symbol: string): Market | null {
    const wanted = normalizeSymbol(symbol);
    const byId = (ex.markets_by_id?.[wanted] as Market[] | undefined)?.find((m) => m.spot);
    if (byId) return byId;
    for (const m of Object.values(ex.markets ?? {}) as Market[]) {
      if (m && m.spot && normalizeSymbol(`${m.base}${m.quote}`) === wanted) return m;
    }
    return null;
  }

  private domainSymbol(market: Market): string {
    return normalizeSymbol(`${market.base}${market.quote}`);
  }

  private async marketOfRef(ex: Exchange, ref: OrderRef): Promise<Market | null> {
    const symbol = ref.symbol ?? (await this.opts.symbols.symbolOf(ref));
    return symbol ? this.marketOf(ex, symbol) : null;
  }

  /**
   * Adds every symbol fills may arrive on to the cursor: those of the account's orders here (from
   * their first order), those of open orders seen at the venue and of assets the account holds
   * (from the account's creation), each scanned from that time on.
   */
  private async addSymbolsOfInterest(ex: Exchange, cursor: FillCursor): Promise<void> {
    const accountSince =
      this.opts.account.createdAt?.getTime() ??
      this.opts.clock.now().getTime() - 24 * 60 * 60 * 1000;
    // the exchange stamps a trade a moment after our order was stored: look a minute earlier
    const skew = this.opts.scanSafetyMs ?? 60_000;
    for (const [symbol, since] of await this.opts.symbols.tradedSince()) {
      if (!cursor.has(symbol)) cursor.set(symbol, { t: since - skew });
    }
    for (const symbol of [...this.seenSymbols, ...(await this.heldSymbols(ex))]) {
      if (!cursor.has(symbol)) cursor.set(symbol, { t: accountSince - skew });
    }
  }

  /** Markets of the assets the account holds, against its base currency (cached a while). */
  private async heldSymbols(ex: Exchange): Promise<string[]> {
    const now = Date.now();
    const ttl = this.opts.holdingsTtlMs ?? 60_000;
    if (this.holdings && now - this.holdings.at < ttl) return this.holdings.symbols;
    const quotes = [...new Set([this.opts.account.baseCurrency.toUpperCase(), "USDT"])];
    const symbols: string[] = [];
    for (const asset of (await this.balances()).keys()) {
      for (const quote of quotes) {
        if (asset === quote) continue;
        const market = this.marketOf(ex, `${asset}${quote}`);
        if (market) symbols.push(this.domainSymbol(market));
      }
    }
    this.holdings = { at: now, symbols };
    return symbols;
  }

  // ---- orders and fills ------------------------------------------------------------------------

  private report(ex: Exchange, order: Order, symbol: string): GatewayOrder {
    const mapped = toGatewayOrder(ex, order, symbol);
    if (mapped.brokerOrderId && mapped.clientOrderId)
      this.clientIds.set(mapped.brokerOrderId, mapped.clientOrderId);
    return mapped;
  }

  /** The order with our clientOrderId, or null when the venue has none. */
  private async lookup(
    ex: Exchange,
    market: Market,
    clientOrderId: string,
  ): Promise<GatewayOrder | null> {
    try {
      const order = await this.read(ex, () =>
        ex.fetchOrder(undefined as unknown as string, market.symbol, { clientOrderId }),
      );
      return this.report(ex, order, this.domainSymbol(market));
    } catch (e) {
      if (classify(e).kind === "not-found") return null;
      throw e;
    }
  }

  /** Both legs of a pair by their clientOrderIds; null when the venue has neither. */
  private async lookupPair(
    ex: Exchange,
    market: Market,
    req: PlaceOcoRequest,
  ): Promise<OcoPairResult | null> {
    const tp = await this.lookup(ex, market, req.takeProfit.clientOrderId);
    const sl = await this.lookup(ex, market, req.stopLoss.clientOrderId);
    if (tp && sl) return { takeProfit: tp, stopLoss: sl };
    // the venue places a list whole or not at all: one leg alone is not ours to complete
    if (tp || sl) throw new Error(`order list ${req.listClientOrderId} found with one leg only`);
    return null;
  }

  private async fill(ex: Exchange, t: Trade, market: Market): Promise<GatewayFill> {
    const symbol = this.domainSymbol(market);
    const orderId = String((t.info as { orderId?: unknown }).orderId ?? t.order ?? "");
    let clientOrderId = this.clientIds.get(orderId);
    if (clientOrderId === undefined && orderId) {
      // an order this process has not seen (placed before a restart, or by hand): ask once
      const order = await this.fetchOrder({ brokerOrderId: orderId, symbol }).catch(() => null);
      clientOrderId = order?.clientOrderId;
    }
    return toGatewayFill(ex, t, symbol, clientOrderId ?? "");
  }

  private async lastPrice(ex: Exchange, market: Market): Promise<Decimal | null> {
    try {
      const ticker = await this.read(ex, () => ex.fetchTicker(market.symbol));
      const last = (ticker.info as { lastPrice?: unknown }).lastPrice;
      if (typeof last === "string") return new Decimal(last);
      return typeof ticker.last === "number" ? new Decimal(ex.numberToString(ticker.last)) : null;
    } catch {
      // unknown: the domain placed the trigger on the loss side; send it as a stop-loss
      return null;
    }
  }
}

function describeRef(ref: OrderRef): string {
  return ref.brokerOrderId ?? ref.clientOrderId ?? "?";
}
