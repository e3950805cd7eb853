// One account's connection to its exchange: the ccxt client (built on first use, with the
// account's credentials), the pacing every request goes through, the venue's markets, and what
// the gateway has learnt of its orders (which client id each venue order carries). The gateway's
// order calls and its fill scan share one session, so they share its client, its pacing and that
// memory.
import type { Exchange, MarketInterface as Market, Order } from "ccxt";
import type { Clock } from "../../lib/clock.ts";
import { GatewayError } from "../../lib/errors.ts";
import { normalizeSymbol } from "../../market/symbols.ts";
import { type ExchangeClientOptions, createExchange } from "../../market/ccxt/client.ts";
import { BrokerKeyRejectedError } from "../gateway-errors.ts";
import type { CredentialLoader, GatewayAccount } from "../gateway-registry.ts";
import type { GatewayOrder, OrderRef } from "../types.ts";
import type { AccountSymbols } from "./account-symbols.ts";
import { toGatewayOrder } from "./order-mapping.ts";
import { type PacingOptions, VenuePacing } from "./venue-pacing.ts";
import { classify } from "./venue-errors.ts";

export interface VenueSessionOptions {
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
}

export class VenueSession {
  private client: Promise<Exchange> | null = null;
  private readonly pacing: VenuePacing;
  /** brokerOrderId → clientOrderId of every order seen (myTrades does not carry client ids) */
  private readonly clientIds = new Map<string, string>();

  constructor(private readonly opts: VenueSessionOptions) {
    this.pacing = new VenuePacing(opts.brokerCode, opts.pacing);
  }

  // ---- the client ------------------------------------------------------------------------------

  exchange(): Promise<Exchange> {
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

  /**
   * A placement: rate limits waited out, every other failure as ccxt threw it (the gateway reads
   * a refused key as a rejected order, not as an error).
   */
  send<T>(ex: Exchange, request: () => Promise<T>): Promise<T> {
    return this.pacing.run(ex, request);
  }

  /** A read: rate limits waited out, a refused key as its typed error. */
  async read<T>(ex: Exchange, request: () => Promise<T>): Promise<T> {
    try {
      return await this.pacing.run(ex, request);
    } catch (e) {
      if (!(e instanceof GatewayError) && classify(e).kind === "invalid-key")
        throw new BrokerKeyRejectedError(this.opts.brokerCode);
      throw e;
    }
  }

  // ---- markets ---------------------------------------------------------------------------------

  /** The spot market of a domain symbol ("BTCUSDT"). */
  marketOf(ex: Exchange, symbol: string): Market | null {
    const wanted = normalizeSymbol(symbol);
    const byId = (ex.markets_by_id?.[wanted] as Market[] | undefined)?.find((m) => m.spot);
    if (byId) return byId;
    for (const m of Object.values(ex.markets ?? {}) as Market[]) {
      if (m && m.spot && normalizeSymbol(`${m.base}${m.quote}`) === wanted) return m;
    }
    return null;
  }

  /** The market of an order: its own symbol, or the one the account's orders here know it by. */
  async marketOfRef(ex: Exchange, ref: OrderRef): Promise<Market | null> {
    const symbol = ref.symbol ?? (await this.opts.symbols.symbolOf(ref));
    return symbol ? this.marketOf(ex, symbol) : null;
  }

  // ---- orders ----------------------------------------------------------------------------------

  /** The venue's order as the domain reads it; its client id is remembered for its fills. */
  report(ex: Exchange, order: Order, symbol: string): GatewayOrder {
    const mapped = toGatewayOrder(ex, order, symbol);
    if (mapped.brokerOrderId && mapped.clientOrderId)
      this.clientIds.set(mapped.brokerOrderId, mapped.clientOrderId);
    return mapped;
  }

  /** The clientOrderId of a venue order this session has seen. */
  clientIdOf(brokerOrderId: string): string | undefined {
    return this.clientIds.get(brokerOrderId);
  }

  /** The order with our clientOrderId, or null when the venue has none. */
  async lookup(ex: Exchange, market: Market, clientOrderId: string): Promise<GatewayOrder | null> {
    try {
      const order = await this.read(ex, () =>
        ex.fetchOrder(undefined as unknown as string, market.symbol, { clientOrderId }),
      );
      return this.report(ex, order, domainSymbol(market));
    } catch (e) {
      if (classify(e).kind === "not-found") return null;
      throw e;
    }
  }
}

/** A market's symbol as the domain spells it ("BTCUSDT"). */
export function domainSymbol(market: Market): string {
  return normalizeSymbol(`${market.base}${market.quote}`);
}
