// The exchange twin: a local fake of Binance's spot REST API on 127.0.0.1 that the real ccxt
// client talks to unmodified (only the hosts in `exchange.urls.api` replaced), and a control
// API for tests, the sandbox and benchmarks: prices, balances, keys, faults, outages, orders
// placed by hand on the "website", and request counters.
//
//   const twin = await ExchangeTwin.start();
//   twin.registerKey({ apiKey: "k".repeat(64), secret: "s".repeat(64) });
//   twin.addBalance("main", "USDT", "10000");
//   // point ccxt at twin.url, trade, then:
//   twin.setPrice("BTCUSDT", "90000.00"); // resting orders that cross fill
import http from "node:http";
import { type AddressInfo, type Socket } from "node:net";
import { Decimal } from "../../../src/lib/decimal.ts";
import { INSTRUMENT_CATALOG } from "../../../src/market/catalog.ts";
import { BinanceError, errors } from "./errors.ts";
import { type FaultSpec, FaultPlan } from "./faults.ts";
import { type SymbolSpec } from "./filters.ts";
import { SymbolMarket } from "./market.ts";
import { type NewOrderParams, type Order, OrderBook, orderJson, tradeJson } from "./orders.ts";
import { ROUTES } from "./routes.ts";
import { type ApiKey, authenticate } from "./signing.ts";

export interface ExchangeTwinOptions {
  /** the symbols listed (default: every crypto pair of the built-in catalog) */
  symbols?: SymbolSpec[];
}

export interface RequestRecord {
  method: string;
  path: string;
  status: number;
  time: number;
}

/** Every USDT crypto pair of the built-in catalog, with its real Binance trading rules. */
export function catalogSymbols(): SymbolSpec[] {
  return INSTRUMENT_CATALOG.filter((i) => i.assetType === "CRYPTO" && i.currency === "USDT").map(
    (i) => ({
      symbol: i.symbol,
      baseAsset: i.baseAsset,
      quoteAsset: i.currency,
      tickSize: i.tickSize,
      stepSize: i.lotSize,
      minQty: i.minQty,
      minNotional: i.minNotional,
      price: i.referencePrice,
    }),
  );
}

/**
 * `count` more USDT pairs beyond the catalog's, for a wider market than the catalog lists (B7's
 * hundred symbols): TWX001USDT, TWX002USDT... with Binance-shaped rules and prices spread from
 * about 0.05 to 500.
 */
export function extraSymbols(count: number, prefix = "TWX"): SymbolSpec[] {
  return Array.from({ length: count }, (_, i) => {
    const base = `${prefix}${String(i + 1).padStart(3, "0")}`;
    const price = new Decimal("0.05").times(new Decimal(10).pow(i % 5)).toFixed(4);
    return {
      symbol: `${base}USDT`,
      baseAsset: base,
      quoteAsset: "USDT",
      tickSize: "0.0001",
      stepSize: "0.01",
      minQty: "0.01",
      minNotional: "5",
      price,
    };
  });
}

export class ExchangeTwin {
  /** added to the real clock: lets a test make the client's timestamps look stale */
  clockOffsetMs = 0;
  readonly requests: RequestRecord[] = [];
  /** exceptions inside the twin itself (a bug in the twin, never a venue error) */
  readonly internalErrors: Error[] = [];
  private readonly markets = new Map<string, SymbolMarket>();
  private readonly keys = new Map<string, ApiKey>();
  private readonly book: OrderBook;
  private readonly faults = new FaultPlan();
  private readonly sockets = new Set<Socket>();
  private readonly server: http.Server;
  private port = 0;
  private state: "up" | "down" | "maintenance" = "up";

  private constructor(opts: ExchangeTwinOptions) {
    const start = Date.now();
    for (const spec of opts.symbols ?? catalogSymbols()) {
      this.markets.set(spec.symbol, new SymbolMarket(spec, start));
    }
    this.book = new OrderBook(this.markets, () => this.now());
    this.server = http.createServer((req, res) => void this.handle(req, res));
    this.server.keepAliveTimeout = 5_000;
    this.server.on("connection", (socket) => {
      this.sockets.add(socket);
      socket.on("close", () => this.sockets.delete(socket));
    });
  }

  static async start(opts: ExchangeTwinOptions = {}): Promise<ExchangeTwin> {
    const twin = new ExchangeTwin(opts);
    await twin.listen(0);
    return twin;
  }

  /** Base URL (scheme and host) to put in place of https://api.binance.com. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  now(): number {
    return Date.now() + this.clockOffsetMs;
  }

  async stop(): Promise<void> {
    this.dropSockets();
    if (this.server.listening) {
      await new Promise<void>((resolve) => this.server.close(() => resolve()));
    }
  }

  private listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(port, "127.0.0.1", () => {
        this.server.off("error", reject);
        this.port = (this.server.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  private dropSockets(): void {
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
  }

  // ---- control: the market -----------------------------------------------------------------

  symbols(): string[] {
    return [...this.markets.keys()];
  }

  /**
   * Moves a symbol's price (bid/ask one tick either side unless given). Stops and trailing
   * orders that trigger, and resting limits the price reaches, fill — each at most
   * `maxFillQty` (a partial fill) when given.
   */
  setPrice(
    symbol: string,
    price: string,
    opts: { bid?: string; ask?: string; maxFillQty?: string } = {},
  ): void {
    const m = this.book.market(symbol);
    m.move(
      this.now(),
      new Decimal(price),
      opts.bid === undefined ? undefined : new Decimal(opts.bid),
      opts.ask === undefined ? undefined : new Decimal(opts.ask),
    );
    this.book.onPriceMove(
      symbol,
      opts.maxFillQty === undefined ? undefined : new Decimal(opts.maxFillQty),
    );
  }

  /** A symbol's listing: its trading rules (tick size, lot step, minimums) and starting price. */
  spec(symbol: string): SymbolSpec {
    return { ...this.book.market(symbol).spec };
  }

  price(symbol: string): { last: string; bid: string; ask: string } {
    const m = this.book.market(symbol);
    return { last: m.last.toFixed(), bid: m.bid.toFixed(), ask: m.ask.toFixed() };
  }

  // ---- control: accounts and keys ----------------------------------------------------------

  registerKey(key: {
    apiKey: string;
    secret: string;
    account?: string;
    canTrade?: boolean;
    canWithdraw?: boolean;
  }): void {
    const account = key.account ?? "main";
    this.book.account(account);
    this.keys.set(key.apiKey, {
      apiKey: key.apiKey,
      secret: key.secret,
      account,
      canTrade: key.canTrade ?? true,
      canWithdraw: key.canWithdraw ?? false,
    });
  }

  revokeKey(apiKey: string): void {
    this.keys.delete(apiKey);
  }

  addBalance(account: string, asset: string, amount: string): void {
    const a = this.book.account(account);
    const b = this.book.balance(a, asset);
    b.free = b.free.plus(amount);
    a.updateTime = this.now();
  }

  balances(account = "main"): Record<string, { free: string; locked: string }> {
    const out: Record<string, { free: string; locked: string }> = {};
    for (const [asset, b] of this.book.account(account).balances) {
      out[asset] = { free: b.free.toFixed(), locked: b.locked.toFixed() };
    }
    return out;
  }

  setCommissionRate(account: string, rate: string): void {
    this.book.account(account).commissionRate = new Decimal(rate);
  }

  /** Binance's "use BNB to pay for fees" switch (see Account.payFeesInBnb). */
  payFeesInBnb(account: string, on: boolean): void {
    this.book.account(account).payFeesInBnb = on;
  }

  /**
   * Sets an asset's free balance, as a deposit or withdrawal outside the API would (what is
   * locked by open orders stays locked).
   */
  setBalance(account: string, asset: string, free: string): void {
    const a = this.book.account(account);
    this.book.balance(a, asset).free = new Decimal(free);
    a.updateTime = this.now();
  }

  // ---- control: orders placed outside the API ------------------------------------------------

  /** An order placed by hand on the exchange's website; returns it as GET /api/v3/order would. */
  placeExternalOrder(account: string, params: NewOrderParams): Record<string, unknown> {
    return orderJson(this.book.create(account, params, true));
  }

  /** Cancels an order as if by hand on the website. */
  cancelExternally(account: string, symbol: string, orderId: number): void {
    const order = this.book.find(account, symbol, String(orderId));
    if (!order) throw errors.cancelUnknown();
    this.book.cancel(order);
  }

  /** Every order of an account as the venue reports it, oldest first. */
  orders(account = "main"): Record<string, unknown>[] {
    return this.book.orders.filter((o: Order) => o.account === account).map(orderJson);
  }

  trades(account = "main"): Record<string, unknown>[] {
    return this.book.trades.filter((t) => t.account === account).map(tradeJson);
  }

  // ---- control: faults and outages ---------------------------------------------------------

  /** The next `times` requests to `path` fail as `kind` says (see FaultSpec). */
  fault(spec: FaultSpec): void {
    this.faults.add(spec);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  /**
   * Takes the exchange down: "refuse" closes the port (connections are refused, open ones
   * reset); "maintenance" keeps it open and answers every request 503.
   */
  async down(mode: "refuse" | "maintenance" = "refuse"): Promise<void> {
    if (mode === "maintenance") {
      this.state = "maintenance";
      return;
    }
    this.state = "down";
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.dropSockets();
    await closed;
  }

  async up(): Promise<void> {
    if (this.state === "down") await this.listen(this.port);
    this.state = "up";
  }

  // ---- control: counters -------------------------------------------------------------------

  /** Requests received for `path` (and `method`), or all requests without a path. */
  requestCount(path?: string, method?: string): number {
    return this.requests.filter(
      (r) =>
        (path === undefined || r.path === path) && (method === undefined || r.method === method),
    ).length;
  }

  /** Requests by "METHOD /path". */
  requestCounts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const r of this.requests) {
      const k = `${r.method} ${r.path}`;
      out[k] = (out[k] ?? 0) + 1;
    }
    return out;
  }

  resetCounters(): void {
    this.requests.length = 0;
  }

  // ---- the wire ----------------------------------------------------------------------------

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks).toString("utf8");
    const method = (req.method ?? "GET").toUpperCase();
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const path = url.pathname;
    const rawQuery = url.search.startsWith("?") ? url.search.slice(1) : url.search;
    const record: RequestRecord = { method, path, status: 0, time: this.now() };
    this.requests.push(record);

    const send = (status: number, body: string, headers: Record<string, string> = {}): void => {
      record.status = status;
      res.writeHead(status, {
        "Content-Type": "application/json;charset=UTF-8",
        "x-mbx-used-weight-1m": String(this.requestCount()),
        ...headers,
      });
      res.end(body);
    };

    if (this.state === "maintenance") {
      send(503, "Service Unavailable", { "Content-Type": "text/plain" });
      return;
    }
    const fault = this.faults.take(method, path);
    if (fault) {
      switch (fault.kind) {
        case "drop":
          req.socket.destroy();
          return;
        case "429": {
          const e = errors.tooManyRequests(fault.retryAfterSec);
          send(e.status, e.body(), e.headers);
          return;
        }
        case "418": {
          const e = errors.banned(fault.retryAfterSec, this.now() + fault.retryAfterSec * 1000);
          send(e.status, e.body(), e.headers);
          return;
        }
        case "5xx":
          if (fault.status === 500) send(500, errors.internal(500).body());
          else send(fault.status, "Service Unavailable", { "Content-Type": "text/plain" });
          return;
        case "delay":
          await new Promise((r) => setTimeout(r, fault.delayMs));
          break;
        case "accept-then-drop":
          break;
      }
    }

    const route = ROUTES[`${method} ${path}`];
    let status = 200;
    let body: string;
    let headers: Record<string, string> = {};
    try {
      if (!route) throw errors.unknownPath();
      const params = new URLSearchParams(rawQuery);
      for (const [k, v] of new URLSearchParams(rawBody)) params.append(k, v);
      const key =
        route.security === "NONE"
          ? undefined
          : authenticate(
              {
                rawQuery,
                rawBody,
                apiKeyHeader: req.headers["x-mbx-apikey"] as string | undefined,
                params,
              },
              this.keys,
              this.now(),
              route.security === "TRADE",
            );
      const result = route.handle({
        params,
        now: this.now(),
        book: this.book,
        markets: this.markets,
        key,
      });
      body = JSON.stringify(result);
    } catch (e) {
      if (e instanceof BinanceError) {
        status = e.status;
        body = e.body();
        headers = e.headers;
      } else {
        this.internalErrors.push(e as Error);
        const err = errors.internal(500);
        status = 500;
        body = err.body();
      }
    }
    if (fault?.kind === "accept-then-drop") {
      // the request took effect; its answer never reaches the client
      record.status = status;
      req.socket.destroy();
      return;
    }
    send(status, body, headers);
  }
}
