// The services on the order path, built together because they lean on one another: an order is
// normalized (instruments, portfolios), checked (risk, with the cash and PnL it reads), sent to a
// gateway, and its fills come back through the synchronizer into trades and positions; bracket
// exits follow every sync. createServices (services.ts) builds these first and the features on
// top of them (reports, alerts, schedules, strategies, operations) from what this returns.
import { NoLiveProbe } from "../brokers/credential-probe.ts";
import { GatewayRegistry, type LiveGatewayFactory } from "../brokers/gateway-registry.ts";
import type { PaperBrokerSettings } from "../brokers/paper/paper-options.ts";
import type { CredentialProbe } from "../brokers/types.ts";
import type { MasterKey } from "../lib/secrets/master-key.ts";
import type { MarketData } from "../market/types.ts";
import { CashService } from "./cash/cash-service.ts";
import type { DomainContext } from "./context.ts";
import { CredentialService } from "./credentials/credential-service.ts";
import { InstrumentService } from "./instruments/instrument-service.ts";
import { NotificationService } from "./notifications/notification-service.ts";
import { OrderService } from "./orders/order-service.ts";
import type { PriceReference } from "./orders/order-types.ts";
import { type MarkSource, PnlService } from "./pnl/pnl-service.ts";
import { PortfolioService } from "./portfolios/portfolio-service.ts";
import { PositionService } from "./positions/position-service.ts";
import { RiskPolicyService } from "./risk/risk-policy-service.ts";
import { type RiskDecision, RiskService } from "./risk/risk-service.ts";
import { AccountSynchronizer, type SyncLogger } from "./trading/account-sync.ts";
import { BracketService } from "./trading/brackets.ts";
import type { PreTradeCheck } from "./trading/pre-trade-check.ts";
import { TradingService } from "./trading/trading-service.ts";
import { TradeService } from "./trades/trade-service.ts";

export interface CoreServiceDeps {
  market: MarketData;
  prices: PriceReference & MarkSource;
  paperBroker?: PaperBrokerSettings;
  liveGateways?: Readonly<Record<string, LiveGatewayFactory>>;
  logger?: SyncLogger;
  /** pre-trade evaluation; the RiskService (the user's risk policies) when not given */
  preTrade?: PreTradeCheck<RiskDecision>;
  /** the secret store's master key (SECRETS_MASTER_KEY / SECRETS_KEY_FILE); none: live keys refused */
  masterKey?: MasterKey | null;
  /** checks exchange API keys before they are stored (the live gateway layer); none: NoLiveProbe */
  credentialProbe?: CredentialProbe;
}

interface CoreServices {
  instruments: InstrumentService;
  notifications: NotificationService;
  portfolios: PortfolioService;
  positions: PositionService;
  orders: OrderService;
  trades: TradeService;
  credentials: CredentialService;
  gateways: GatewayRegistry;
  pnl: PnlService;
  riskPolicies: RiskPolicyService;
  cash: CashService;
  risk: RiskService;
  sync: AccountSynchronizer;
  trading: TradingService<RiskDecision>;
}

export function createCoreServices(ctx: DomainContext, deps: CoreServiceDeps): CoreServices {
  const instruments = new InstrumentService(ctx);
  const notifications = new NotificationService(ctx);
  const portfolios = new PortfolioService(ctx, notifications);
  const positions = new PositionService(ctx, portfolios, instruments);
  const orders = new OrderService(ctx, instruments, portfolios, deps.prices);
  // fees charged in a third asset (BNB) are valued at the fill's time from the same prices
  const trades = new TradeService(ctx, instruments, positions, deps.prices);
  const credentials = new CredentialService(ctx, {
    masterKey: deps.masterKey ?? null,
    probe: deps.credentialProbe ?? new NoLiveProbe(),
  });
  const gateways = new GatewayRegistry({
    db: ctx.db,
    provider: ctx.provider,
    clock: ctx.clock,
    market: deps.market,
    ...(deps.paperBroker ? { paper: deps.paperBroker } : {}),
    ...(deps.liveGateways ? { live: deps.liveGateways } : {}),
    // live adapters read their account's key from the secret store, and only from there
    credentials: (accountId) => credentials.load(accountId),
  });
  const pnl = new PnlService(ctx, portfolios, positions, instruments, deps.prices);
  const riskPolicies = new RiskPolicyService(ctx, portfolios);
  const cash = new CashService(ctx, { portfolios, pnl, gateways, market: deps.market });
  const risk = new RiskService(ctx, {
    // the same cash source /balance reads: the ledger for paper, the exchange for live accounts
    funds: cash.funds,
    portfolios,
    instruments,
    pnl,
    notifications,
    policies: riskPolicies,
  });
  const sync = new AccountSynchronizer({
    ctx,
    orders,
    trades,
    gateways,
    ...(deps.logger ? { logger: deps.logger } : {}),
  });
  const trading = new TradingService({
    ctx,
    orders,
    portfolios,
    instruments,
    market: deps.market,
    gateways,
    sync,
    preTrade: deps.preTrade ?? risk,
    ...(deps.logger ? { logger: deps.logger } : {}),
  });
  // bracket exits follow every sync of an account (and every placement)
  const brackets = new BracketService({
    ctx,
    trading,
    orders,
    sync,
    gateways,
    instruments,
    ...(deps.logger ? { logger: deps.logger } : {}),
  });
  sync.onSynced((accountId) => brackets.reconcile(accountId));
  return {
    instruments,
    notifications,
    portfolios,
    positions,
    orders,
    trades,
    credentials,
    gateways,
    pnl,
    riskPolicies,
    cash,
    risk,
    sync,
    trading,
  };
}
