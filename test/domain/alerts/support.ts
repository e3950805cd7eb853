// Shared set-up for the alert tests: the alert service on a test world with the offline market
// on the world's ManualClock, a second ("look-ahead") copy of the same market to read prices at
// future moments, a plain-text notifier, and traders with a private chat to receive alerts.
import type { AlertNotifier } from "../../../src/domain/alerts/alert-notifier.ts";
import { AlertService } from "../../../src/domain/alerts/alert-service.ts";
import type { RiskUsageSource } from "../../../src/domain/alerts/risk-usage.ts";
import { CandleCache } from "../../../src/domain/indicators/candle-cache.ts";
import { ChatService } from "../../../src/domain/notifications/chat-service.ts";
import { NotificationService } from "../../../src/domain/notifications/notification-service.ts";
import type { Actor } from "../../../src/domain/users/actor.ts";
import { ManualClock } from "../../../src/lib/clock.ts";
import type { Decimal } from "../../../src/lib/decimal.ts";
import { OfflineMarketData } from "../../../src/market/offline/offline-market-data.ts";
import { type TestWorld, approvedUser } from "../../support/fixtures.ts";

export const SEED = "alerts-test";

export interface AlertWorld {
  market: OfflineMarketData;
  candles: CandleCache;
  notifications: NotificationService;
  chats: ChatService;
  alerts: AlertService;
  /** prices at any moment, without moving the world's clock */
  priceAt(symbol: string, at: Date): Promise<Decimal>;
}

export function alertWorld(world: TestWorld, risk?: RiskUsageSource): AlertWorld {
  const ctx = world.services.ctx;
  const market = new OfflineMarketData({ seed: SEED, clock: world.clock });
  const candles = new CandleCache(market, world.clock);
  const notifications = new NotificationService(ctx);
  const aheadClock = new ManualClock(0);
  const ahead = new OfflineMarketData({ seed: SEED, clock: aheadClock });
  return {
    market,
    candles,
    notifications,
    chats: new ChatService(ctx),
    alerts: new AlertService(ctx, {
      instruments: world.services.instruments,
      portfolios: world.services.portfolios,
      positions: world.services.positions,
      notifications,
      market,
      candles,
      risk: risk ?? null,
    }),
    async priceAt(symbol, at) {
      aheadClock.set(at);
      return (await ahead.quote(symbol)).last;
    },
  };
}

/** Renders fired alerts as plain text carrying their values, so tests can read them back. */
export const plainNotifier: AlertNotifier = {
  render: ({ alert, evaluation }) => ({
    title: `Alert: ${alert.name}`,
    message: JSON.stringify(evaluation.values),
    format: "text",
  }),
};

/** An approved user with a private chat, so their notifications have somewhere to go. */
export async function trader(world: TestWorld, chats: ChatService, name: string): Promise<Actor> {
  const actor = await approvedUser(world, name);
  const user = await world.services.users.getById(actor.id);
  await chats.registerPrivateChat(actor.id, user.telegramUserId);
  return actor;
}
