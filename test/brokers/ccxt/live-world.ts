// A TradeDesk trading a Binance spot account for real, against the local exchange twin: the
// real domain services with the ccxt live gateway registered for BINANCE, the secret store
// holding the account's key, market data read from the same twin through ccxt, the
// synchronizer with the bracket bookkeeping, and the order-sync job. `restart()` builds
// everything anew on the same database (the bot killed and started again: no in-memory state
// survives).
import { randomBytes } from "node:crypto";
import { afterAll, afterEach, beforeAll, expect } from "vitest";
import { liveGatewayFactories } from "../../../src/brokers/ccxt/live-gateways.ts";
import type { Database, Provider } from "../../../src/db/client.ts";
import { type Services, createServices } from "../../../src/domain/services.ts";
import { AccountSynchronizer } from "../../../src/domain/trading/account-sync.ts";
import { BracketService } from "../../../src/domain/trading/brackets.ts";
import { TradingService } from "../../../src/domain/trading/trading-service.ts";
import type { Actor } from "../../../src/domain/users/actor.ts";
import { OrderSync } from "../../../src/jobs/order-sync.ts";
import { ManualClock, systemClock } from "../../../src/lib/clock.ts";
import { MasterKey } from "../../../src/lib/secrets/index.ts";
import { CcxtMarketData } from "../../../src/market/ccxt/ccxt-market-data.ts";
import { LazyExchange } from "../../../src/market/ccxt/client.ts";
import { type TestDatabase, createTestDatabase } from "../../support/db.ts";
import { ExchangeTwin } from "../../support/exchange-twin/index.ts";
import { SettablePrices, approvedUser } from "../../support/fixtures.ts";

export const API_KEY = "k".repeat(64);
export const SECRET = "s".repeat(64);

export interface LiveStack {
  services: Services;
  sync: AccountSynchronizer;
  trading: TradingService;
  orderSync: OrderSync;
}

export interface LiveWorld extends LiveStack {
  twin: ExchangeTwin;
  trader: Actor;
  accountId: number;
  portfolioId: number;
  /** a new TradeDesk on the same database and exchange, as after a crash and restart */
  restart(): LiveStack;
}

const masterKey = MasterKey.fromBytes(randomBytes(32));

function stack(database: Database, twin: ExchangeTwin): LiveStack {
  const clock = systemClock;
  // ccxt's limiter would space the twin's answers by up to a second each: the twin needs none
  const client = new LazyExchange({ id: "binance", apiUrl: twin.url, rateLimitMs: 1 });
  const market = new CcxtMarketData({
    id: "binance",
    exchange: () => client.get(),
    quoteTtlMs: 0,
  });
  const services = createServices(database, {
    clock,
    masterKey,
    market,
    prices: {
      lastPrice: async (symbol: string) => (await market.quote(symbol)).last,
      priceAt: async (symbol: string) => (await market.quote(symbol)).last,
    },
    users: { adminTelegramIds: ["1"], maxUsers: 1000, supportedLanguages: ["en", "ru"] },
    liveGateways: liveGatewayFactories(
      {
        exchanges: ["binance"],
        apiUrl: () => twin.url,
        sandboxUrl: () => twin.url,
        rateLimitMs: 1,
        // Retry-After of the twin's faults is 1 s: two of them fit, a storm does not
        pacing: { maxWaitMs: 2_500, baseDelayMs: 200 },
      },
      { db: database.prisma, clock },
    ),
  });
  // the trading path with no submit grace, so a test's sync run submits at once
  const sync = new AccountSynchronizer({
    ctx: services.ctx,
    orders: services.orders,
    trades: services.trades,
    gateways: services.gateways,
    options: { submitGraceMs: 0 },
  });
  const trading = new TradingService({
    ctx: services.ctx,
    orders: services.orders,
    portfolios: services.portfolios,
    instruments: services.instruments,
    market,
    gateways: services.gateways,
    sync,
  });
  // bracket exits follow each sync and placement, as createServices wires them
  const brackets = new BracketService({
    ctx: services.ctx,
    trading,
    orders: services.orders,
    sync,
    gateways: services.gateways,
    instruments: services.instruments,
  });
  sync.onSynced((accountId) => brackets.reconcile(accountId));
  const orderSync = new OrderSync({
    sync,
    canSync: (code, isPaper) => services.gateways.supports(code, isPaper),
    // idle live accounts every run (production: every minute), so a test needs no waiting
    idleLiveEveryMs: 0,
  });
  return { services, sync, trading, orderSync };
}

export async function createLiveWorld(
  database: Database,
  opts: { twin?: ExchangeTwin; usdt?: string } = {},
): Promise<LiveWorld> {
  const twin = opts.twin ?? (await ExchangeTwin.start());
  twin.registerKey({ apiKey: API_KEY, secret: SECRET });
  if (opts.usdt !== "0") twin.addBalance("main", "USDT", opts.usdt ?? "100000");
  const first = stack(database, twin);
  const trader = await approvedUser(
    { services: first.services, prices: new SettablePrices(), clock: new ManualClock(Date.now()) },
    "Live",
  );
  const account = await first.services.portfolios.createAccount(trader, {
    brokerCode: "BINANCE",
    name: `Binance ${randomBytes(3).toString("hex")}`,
    baseCurrency: "USDT",
  });
  await first.services.credentials.store(trader, account.id, { apiKey: API_KEY, secret: SECRET });
  const portfolio = await first.services.portfolios.createPortfolio(trader, {
    accountId: account.id,
    name: `Live ${randomBytes(3).toString("hex")}`,
  });
  return {
    ...first,
    twin,
    trader,
    accountId: account.id,
    portfolioId: portfolio.id,
    restart: () => stack(database, twin),
  };
}

/**
 * A suite's database for the live worlds its tests create, one per provider: created before the
 * suite, dropped after it. After each test the world's exchange twin must have had no internal
 * error, is stopped, and its account is deactivated (every test has its own twin: the sync job
 * must leave earlier tests' accounts be). `current` names the test's world (none: nothing to do).
 */
export function liveWorldDatabase(
  provider: Provider,
  current: () => LiveWorld | undefined,
): () => TestDatabase {
  let tdb: TestDatabase;
  beforeAll(async () => {
    tdb = await createTestDatabase(provider);
  });
  afterAll(() => tdb.drop());
  afterEach(async () => {
    const w = current();
    if (!w) return;
    expect(w.twin.internalErrors).toEqual([]);
    await w.twin.stop();
    await tdb.db.prisma.account.update({ where: { id: w.accountId }, data: { isActive: false } });
  });
  return () => tdb;
}
