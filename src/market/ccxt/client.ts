// Builds a ccxt exchange client by ccxt id. ccxt is large, so it is loaded only when a live source
// or account is actually used; the offline default never loads it. Market data (src/market/ccxt)
// and live brokers (src/brokers/ccxt) share this, and every use of ccxt's runtime goes through it
// (createExchange, loadCcxtErrors), so one copy of ccxt's base (one set of error classes) is ever
// loaded.
import { readdir } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
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

/** ccxt's error classes (ExchangeError, NetworkError, InvalidOrder, ...). */
export type CcxtErrors = typeof CcxtModule.errors;

/**
 * ccxt's ES modules, one file per exchange (js/src/<id>.js). The package's "exports" names only
 * its entry, which loads every exchange ccxt has (over a hundred): about 70 MB of RSS in plain
 * Node, where one exchange with ccxt's base costs about 33 MB (measured on this machine, B7). So a
 * client loads only its own exchange's module, by file; the entry is never loaded.
 */
function ccxtSourceDir(): string {
  // the "require" export (dist/ccxt.cjs) is resolved only to find the package's folder
  const entry = createRequire(import.meta.url).resolve("ccxt");
  return path.join(path.dirname(entry), "..", "js", "src");
}

async function importCcxtFile<T>(file: string): Promise<T> {
  return (await import(pathToFileURL(path.join(ccxtSourceDir(), file)).href)) as T;
}

let exchangeIds: Promise<string[]> | null = null;

/**
 * Ids of every exchange ccxt supports: the files of its exchange modules (js/src/<id>.js; the
 * folders beside them are its base, abstract APIs and dependencies). A test checks this list
 * equals ccxt's own `exchanges`.
 */
export function ccxtExchangeIds(): Promise<string[]> {
  exchangeIds ??= readdir(ccxtSourceDir(), { withFileTypes: true }).then((entries) =>
    entries
      .filter((e) => e.isFile() && e.name.endsWith(".js"))
      .map((e) => e.name.slice(0, -".js".length))
      .sort(),
  );
  return exchangeIds;
}

/**
 * ccxt's error classes, from the same module the exchange modules import (ES modules are loaded
 * once per file), so `instanceof` holds for every error a client throws.
 */
export function loadCcxtErrors(): Promise<CcxtErrors> {
  return importCcxtFile<{ default: CcxtErrors }>("base/errors.js").then((m) => m.default);
}

/** The client class of exchange `id`; throws UnknownExchangeError for an id ccxt does not know. */
async function loadExchangeClass(id: string): Promise<ExchangeCtor> {
  // the id becomes a file name: only ids from ccxt's own list ever reach import()
  if (!(await ccxtExchangeIds()).includes(id)) throw new UnknownExchangeError(id);
  return (await importCcxtFile<{ default: ExchangeCtor }>(`${id}.js`)).default;
}

/** A new ccxt client for `opts.id`; throws UnknownExchangeError for an id ccxt does not know. */
export async function createExchange(opts: ExchangeClientOptions): Promise<Exchange> {
  const Ctor = await loadExchangeClass(opts.id);
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
