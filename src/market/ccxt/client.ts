// Builds a ccxt exchange client by ccxt id. ccxt is large, so it is loaded only when a live source
// or account is actually used; the offline default never loads it. Market data (src/market/ccxt)
// and live brokers (src/brokers/ccxt) share this, and every use of ccxt's runtime goes through
// loadCcxt(), so one copy of it (one set of error classes) is ever loaded.
import { createRequire } from "node:module";
import type * as CcxtModule from "ccxt";
import type { Exchange } from "ccxt";

export interface ExchangeClientOptions {
  /** ccxt exchange id: "binance", "kraken", ... */
  id: string;
  apiKey?: string;
  secret?: string;
  /** the passphrase some exchanges add to the key pair (OKX, KuCoin) */
  password?: string;
  /** the exchange's testnet (ccxt setSandboxMode) */
  sandbox?: boolean;
  /**
   * scheme and host (optionally a port) that replace those of every API URL of the exchange:
   * a proxy, a regional mirror or a local exchange twin ("http://127.0.0.1:8099")
   */
  apiUrl?: string;
  /** milliseconds between requests for ccxt's limiter (default: the exchange's own) */
  rateLimitMs?: number;
  /** request timeout in milliseconds (ccxt's default is 10 000) */
  timeoutMs?: number;
}

export class UnknownExchangeError extends Error {
  constructor(readonly id: string) {
    super(`ccxt has no exchange "${id}"`);
    this.name = "UnknownExchangeError";
  }
}

/** The rate limiter's window: costs older than this no longer count. */
export const ROLLING_WINDOW_MS = 60_000;

type ExchangeCtor = new (config: Record<string, unknown>) => Exchange;

/**
 * Options that keep a client on the spot market: without them Binance's loadMarkets also reads
 * futures and (with keys) margin endpoints and the currencies list — seven requests, not one.
 */
const SPOT_ONLY_OPTIONS = {
  defaultType: "spot",
  fetchMarkets: { types: ["spot"] },
  fetchMargins: false,
  fetchCurrencies: false,
  // fetchOpenOrders() without a symbol is one request for every open order of the account
  warnOnFetchOpenOrdersWithoutSymbol: false,
};

/** The scheme and host of `url` replaced by those of `base` (path and query kept). */
export function replaceOrigin(url: string, base: string): string {
  const target = new URL(base);
  const m = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(url);
  if (!m) return url;
  const origin = `${target.protocol}//${target.host}`;
  // a base with a path prefix (a proxy under /binance) keeps it in front of the original path
  const prefix = target.pathname.replace(/\/+$/, "");
  return origin + prefix + url.slice(m[0].length);
}

/** Every URL string in `urls` (nested objects and arrays included) moved to `base`. */
export function replaceApiHosts<T>(urls: T, base: string): T {
  if (typeof urls === "string") return replaceOrigin(urls, base) as T;
  if (Array.isArray(urls)) return urls.map((u: unknown) => replaceApiHosts(u, base)) as T;
  if (urls !== null && typeof urls === "object") {
    return Object.fromEntries(
      Object.entries(urls).map(([k, v]) => [k, replaceApiHosts(v, base)]),
    ) as T;
  }
  return urls;
}

/**
 * ccxt's CommonJS build: the ES module's classes, but `exchanges` lists the ids, and each id
 * names its client class.
 */
export type CcxtCjs = Omit<typeof CcxtModule, "exchanges"> & { exchanges: string[] } & Record<
    string,
    unknown
  >;

let ccxtModule: CcxtCjs | null = null;

/**
 * ccxt, loaded on first use through its CommonJS build (the package's own "require" export, one
 * bundled entry). Through its ES modules the same package costs more than twice the memory
 * under the TypeScript loader the bot runs with (npm start: node --import tsx), which hooks each
 * of its hundreds of modules: about 170 MB of RSS against 75 MB (measured on this machine, B7).
 */
export function loadCcxt(): CcxtCjs {
  ccxtModule ??= createRequire(import.meta.url)("ccxt") as CcxtCjs;
  return ccxtModule;
}

/** Ids of every exchange ccxt supports (loads ccxt). */
export async function ccxtExchangeIds(): Promise<string[]> {
  return [...loadCcxt().exchanges];
}

/** A new ccxt client for `opts.id`; throws UnknownExchangeError for an id ccxt does not know. */
export async function createExchange(opts: ExchangeClientOptions): Promise<Exchange> {
  const ccxt = loadCcxt();
  if (!ccxt.exchanges.includes(opts.id)) throw new UnknownExchangeError(opts.id);
  const Ctor = ccxt[opts.id] as ExchangeCtor;
  const config: Record<string, unknown> = {
    enableRateLimit: true,
    // ccxt's default limiter (a leaky bucket) never credits the time it sat idle: a request that
    // overdraws it (Binance's all-symbols ticker batch) makes the next request wait the whole
    // debt even a minute later — every alert run waited 0.8 s for its reachability probe. A
    // rolling window (ccxt's other algorithm) forgets costs as they age, which is also how
    // exchanges meter (Binance: request weight per minute).
    rateLimiterAlgorithm: "rollingWindow",
    rollingWindowSize: ROLLING_WINDOW_MS,
    options: { ...SPOT_ONLY_OPTIONS },
  };
  if (opts.apiKey !== undefined) config.apiKey = opts.apiKey;
  if (opts.secret !== undefined) config.secret = opts.secret;
  if (opts.password !== undefined) config.password = opts.password;
  if (opts.rateLimitMs !== undefined) config.rateLimit = opts.rateLimitMs;
  if (opts.timeoutMs !== undefined) config.timeout = opts.timeoutMs;
  const exchange = new Ctor(config);
  if (opts.sandbox) exchange.setSandboxMode(true);
  if (opts.apiUrl) {
    const urls = exchange.urls as { api: unknown };
    urls.api = replaceApiHosts(urls.api, opts.apiUrl);
  }
  return exchange;
}

/** The API base URL configured for exchange `id`: EXCHANGE_API_URL_<ID>, else EXCHANGE_API_URL. */
export function apiUrlFor(
  id: string,
  config: { EXCHANGE_API_URL?: string | undefined; EXCHANGE_API_URLS: Record<string, string> },
): string | undefined {
  return config.EXCHANGE_API_URLS[id] ?? config.EXCHANGE_API_URL;
}

/** One client built on first use and shared afterwards; a failed build is retried next time. */
export class LazyExchange {
  private pending: Promise<Exchange> | undefined;

  constructor(private readonly opts: ExchangeClientOptions) {}

  get id(): string {
    return this.opts.id;
  }

  get(): Promise<Exchange> {
    if (!this.pending) {
      this.pending = createExchange(this.opts).catch((e: unknown) => {
        this.pending = undefined;
        throw e;
      });
    }
    return this.pending;
  }
}
