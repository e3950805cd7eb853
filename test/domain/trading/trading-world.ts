// A complete trading stack on a test database: the real domain services, the real gateway
// registry and paper broker, the synchronizer, the trading service and the order-sync job, on a
// manual clock and a market the test controls.
import { GatewayRegistry } from "../../../src/brokers/gateway-registry.ts";
import type { PaperBrokerSettings } from "../../../src/brokers/paper/paper-options.ts";
import type { Database } from "../../../src/db/client.ts";
import { type Services, createServices } from "../../../src/domain/services.ts";
import {
  AccountSynchronizer,
  type GatewaySource,
} from "../../../src/domain/trading/account-sync.ts";
import type { PreTradeCheck } from "../../../src/domain/trading/pre-trade-check.ts";
import { BracketService } from "../../../src/domain/trading/brackets.ts";
import { TradingService } from "../../../src/domain/trading/trading-service.ts";
import { OrderSync } from "../../../src/jobs/order-sync.ts";
import { ManualClock } from "../../../src/lib/clock.ts";
import { ScriptedMarket } from "../../brokers/support/scripted-market.ts";
import { SettablePrices, type TestWorld } from "../../support/fixtures.ts";

export interface TradingWorld extends TestWorld {
  market: ScriptedMarket;
  gateways: GatewayRegistry;
  sync: AccountSynchronizer;
  trading: TradingService;
  brackets: BracketService;
  orderSync: OrderSync;
}

export interface TradingWorldOptions {
  start?: string;
  paper?: PaperBrokerSettings;
  preTrade?: PreTradeCheck;
  /** wraps the real registry (e.g. to simulate a broker outage) */
  gatewaySource?: (registry: GatewayRegistry) => GatewaySource;
}

export function createTradingWorld(
  database: Database,
  opts: TradingWorldOptions = {},
): TradingWorld {
  const clock = new ManualClock(opts.start ?? "2026-03-10T12:00:30Z");
  const market = new ScriptedMarket(clock);
  market.price("BTCUSDT", "50000");
  market.price("ETHUSDT", "3000");
  market.price("AAPL", "200");
  // a variable, not a literal: createServices may take more deps (the market) than it declares
  // today, and this world must build either way
  const deps = {
    // the domain prices from the same market the paper venue fills at
    prices: {
      lastPrice: async (symbol: string) => (await market.quote(symbol)).last,
      priceAt: async (symbol: string) => (await market.quote(symbol)).last,
    },
    market,
    clock,
    users: { adminTelegramIds: ["1"], maxUsers: 1000, supportedLanguages: ["en", "ru"] },
  };
  const services: Services = createServices(database, deps);
  const gateways = new GatewayRegistry({
    db: database.prisma,
    provider: database.provider,
    clock,
    market,
    paper: opts.paper,
  });
  const source = opts.gatewaySource ? opts.gatewaySource(gateways) : gateways;
  const sync = new AccountSynchronizer({
    ctx: services.ctx,
    orders: services.orders,
    trades: services.trades,
    gateways: source,
  });
  const trading = new TradingService({
    ctx: services.ctx,
    orders: services.orders,
    portfolios: services.portfolios,
    instruments: services.instruments,
    market,
    gateways: source,
    sync,
    preTrade: opts.preTrade,
  });
  // bracket exits follow each sync, as createServices wires them
  const brackets = new BracketService({
    ctx: services.ctx,
    trading,
    orders: services.orders,
    sync,
    gateways: source,
    instruments: services.instruments,
  });
  sync.onSynced((accountId) => brackets.reconcile(accountId));
  const orderSync = new OrderSync({
    sync,
    canSync: (code, isPaper) => gateways.supports(code, isPaper),
  });
  // the shared fixtures (approvedUser, paperPortfolio) read only `services`; their price table is
  // not used here: the domain prices from the scripted market
  return {
    services,
    clock,
    prices: new SettablePrices(),
    market,
    gateways,
    sync,
    trading,
    brackets,
    orderSync,
  };
}
