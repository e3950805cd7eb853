// The risk stack on a test database: the real domain services, paper broker, synchronizer and
// trading service with the real RiskService as its pre-trade check, the risk watch, and a market
// whose prices the test sets — with their history, so "the price at the start of the user's day"
// is a real past price. The paper venue charges no fee or slippage and quotes bid = ask = last,
// so every expected number can be worked out by hand.
import type { Database } from "../../../src/db/client.ts";
import type { ChatService } from "../../../src/domain/notifications/chat-service.ts";
import type {
  RiskMessage,
  RiskNotice,
  RiskNotifier,
} from "../../../src/domain/risk/risk-notifier.ts";
import { RiskPolicyService } from "../../../src/domain/risk/risk-policy-service.ts";
import { RiskService } from "../../../src/domain/risk/risk-service.ts";
import { type Services, createServices } from "../../../src/domain/services.ts";
import { TradingService } from "../../../src/domain/trading/trading-service.ts";
import { type Actor, SYSTEM, toActor } from "../../../src/domain/users/actor.ts";
import { RiskWatchService } from "../../../src/domain/risk/risk-watch-service.ts";
import { RiskWatchJob } from "../../../src/jobs/risk-watch.ts";
import { ManualClock } from "../../../src/lib/clock.ts";
import { Decimal } from "../../../src/lib/decimal.ts";
import { ScriptedMarket } from "../../brokers/support/scripted-market.ts";
import {
  SettablePrices,
  type TestWorld,
  approvedUser,
  paperPortfolio,
} from "../../support/fixtures.ts";

/** Prices with their history: set() at the clock's time, priceAt() reads the past. */
export class PriceTape {
  private readonly history = new Map<string, Array<{ at: number; price: Decimal }>>();

  constructor(
    private readonly market: ScriptedMarket,
    private readonly clock: ManualClock,
  ) {}

  set(symbol: string, price: string, at: Date = this.clock.now()): void {
    this.market.quoteAt(symbol, price, price, price);
    const list = this.history.get(symbol) ?? [];
    list.push({ at: at.getTime(), price: new Decimal(price) });
    list.sort((a, b) => a.at - b.at);
    this.history.set(symbol, list);
  }

  async lastPrice(symbol: string): Promise<Decimal> {
    return (await this.market.quote(symbol)).last;
  }

  async priceAt(symbol: string, at: Date): Promise<Decimal | null> {
    const list = this.history.get(symbol) ?? [];
    let found: Decimal | null = null;
    for (const p of list) if (p.at <= at.getTime()) found = p.price;
    return found;
  }
}

/**
 * A stand-in for the bot's wording: records each notice and words it as plain text; the domain
 * queues it through the real NotificationService (routing, severity and dedupe are the real ones).
 */
export class RecordingNotifier implements RiskNotifier {
  readonly notices: RiskNotice[] = [];

  render(notice: RiskNotice): RiskMessage {
    this.notices.push(notice);
    return {
      title: `risk ${notice.action}`,
      message: notice.breaches.map((b) => `${b.rule} ${b.observed} > ${b.limit}`).join("\n"),
      format: "text",
    };
  }
}

export interface RiskWorld extends TestWorld {
  market: ScriptedMarket;
  tape: PriceTape;
  trading: TradingService;
  policies: RiskPolicyService;
  risk: RiskService;
  watch: RiskWatchJob;
  chats: ChatService;
  notifier: RecordingNotifier;
}

export function createRiskWorld(database: Database, start = "2026-03-10T12:00:00Z"): RiskWorld {
  const clock = new ManualClock(start);
  const market = new ScriptedMarket(clock);
  const tape = new PriceTape(market, clock);
  tape.set("BTCUSDT", "50000", new Date(0));
  tape.set("ETHUSDT", "2000", new Date(0));
  tape.set("AAPL", "200", new Date(0));
  const services: Services = createServices(database, {
    market,
    prices: tape,
    clock,
    paperBroker: { takerFeeBps: "0", makerFeeBps: "0", slippageBps: "0" },
    users: { adminTelegramIds: ["1"], maxUsers: 1000, supportedLanguages: ["en", "ru"] },
  });
  const policies = new RiskPolicyService(services.ctx, services.portfolios);
  const risk = new RiskService(services.ctx, {
    portfolios: services.portfolios,
    instruments: services.instruments,
    pnl: services.pnl,
    notifications: services.notifications,
    policies,
  });
  const notifier = new RecordingNotifier();
  risk.useNotifier(notifier);
  // the services' own trading service has no pre-trade check; this one has the real RiskService
  const trading = new TradingService({
    ctx: services.ctx,
    orders: services.orders,
    portfolios: services.portfolios,
    instruments: services.instruments,
    market,
    gateways: services.gateways,
    sync: services.sync,
    preTrade: risk,
  });
  // the services' own watch closes through their trading service; this one through `trading`
  const watch = new RiskWatchJob({
    watch: new RiskWatchService({
      ctx: services.ctx,
      portfolios: services.portfolios,
      positions: services.positions,
      instruments: services.instruments,
      policies,
      snapshots: risk.snapshots,
      trading,
      notifications: services.notifications,
    }),
    notifier,
    clock,
  });
  return {
    services,
    clock,
    prices: new SettablePrices(),
    market,
    tape,
    trading,
    policies,
    risk,
    watch,
    chats: services.chats,
    notifier,
  };
}

let fillSeq = 0;

/** A fill ingested as the broker would report it (no fee), moving the position and paper cash. */
export async function fill(
  world: RiskWorld,
  portfolioId: number,
  symbol: string,
  side: "BUY" | "SELL",
  quantity: string,
  price: string,
  execTime: string,
  strategyId: number | null = null,
): Promise<void> {
  await world.services.trades.ingestFill(SYSTEM, {
    portfolioId,
    symbol,
    side,
    quantity: new Decimal(quantity),
    price: new Decimal(price),
    fee: new Decimal(0),
    execTime: new Date(execTime),
    brokerTradeId: `risk-test-${++fillSeq}`,
    strategyId,
  });
}

/** An approved user with a private chat, a time zone, and a paper portfolio in USDT. */
export async function riskTrader(
  world: RiskWorld,
  opts: { cash?: string; timeZone?: string; name?: string } = {},
) {
  let actor: Actor = await approvedUser(world, opts.name ?? "Trader");
  const user = await world.services.users.getById(actor.id);
  if (opts.timeZone)
    actor = toActor(await world.services.users.updateSettings(actor, { timeZone: opts.timeZone }));
  await world.chats.registerPrivateChat(actor.id, user.telegramUserId);
  const portfolio = await paperPortfolio(world, actor, { cash: opts.cash ?? "10000" });
  return { actor, portfolio, telegramUserId: user.telegramUserId };
}
