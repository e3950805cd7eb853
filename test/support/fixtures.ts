// Factories for the people and things most tests need: approved users, paper accounts and
// portfolios, created through the real services.
import { Decimal } from "../../src/lib/decimal.ts";
import { ManualClock } from "../../src/lib/clock.ts";
import { OfflineMarketData } from "../../src/market/offline/offline-market-data.ts";
import type { Database } from "../../src/db/client.ts";
import type { PriceReference } from "../../src/domain/orders/order-types.ts";
import type { MarkSource } from "../../src/domain/pnl/pnl-service.ts";
import { createServices, type Services } from "../../src/domain/services.ts";
import type { Actor } from "../../src/domain/users/actor.ts";
import { toActor } from "../../src/domain/users/actor.ts";

/** Market prices the test sets by hand (the domain only needs a last price here). */
export class SettablePrices implements PriceReference, MarkSource {
  private readonly prices = new Map<string, Decimal>([
    ["BTCUSDT", new Decimal("43000")],
    ["ETHUSDT", new Decimal("3000")],
    ["AAPL", new Decimal("190")],
  ]);
  set(symbol: string, price: string): void {
    this.prices.set(symbol, new Decimal(price));
  }
  async lastPrice(symbol: string): Promise<Decimal> {
    return this.prices.get(symbol) ?? new Decimal("100");
  }
  async priceAt(symbol: string): Promise<Decimal | null> {
    return this.lastPrice(symbol);
  }
}

export interface TestWorld {
  services: Services;
  prices: SettablePrices;
  clock: ManualClock;
}

export function createWorld(
  database: Database,
  opts: { maxUsers?: number; admins?: string[] } = {},
): TestWorld {
  const prices = new SettablePrices();
  const clock = new ManualClock("2026-03-10T12:00:00Z");
  const services = createServices(database, {
    prices,
    clock,
    market: new OfflineMarketData({ clock }),
    users: {
      adminTelegramIds: opts.admins ?? ["1"],
      maxUsers: opts.maxUsers ?? 1000,
      supportedLanguages: ["en", "ru"],
    },
  });
  return { services, prices, clock };
}

let nextTelegramId = 1000;

export async function approvedUser(world: TestWorld, name = "Trader"): Promise<Actor> {
  const { users } = world.services;
  const admin = toActor(
    await users.registerFromTelegram({ telegramUserId: "1", firstName: "Admin" }),
  );
  const user = await users.registerFromTelegram({
    telegramUserId: String(nextTelegramId++),
    firstName: name,
  });
  return toActor(await users.approve(admin, user.id));
}

export async function paperPortfolio(
  world: TestWorld,
  actor: Actor,
  opts: { name?: string; cash?: string; currency?: string } = {},
) {
  const { portfolios } = world.services;
  const account = await portfolios.createAccount(actor, {
    brokerCode: "PAPER",
    name: `${opts.name ?? "Main"} account`,
    baseCurrency: opts.currency ?? "USDT",
    openingBalance: new Decimal(opts.cash ?? "100000"),
  });
  return portfolios.createPortfolio(actor, { accountId: account.id, name: opts.name ?? "Main" });
}
