// The real domain services on a test database with a manual clock, the offline market, and a
// strategy registry of small test-only kinds: one that buys a fixed quantity on every closed
// candle, one that buys a quote-currency amount on every closed candle, one that only watches, and
// one that always throws.
import { z } from "zod";
import type { Database } from "../../../src/db/client.ts";
import type { StrategyNotifier } from "../../../src/domain/strategies/instance-types.ts";
import { type Actor, toActor } from "../../../src/domain/users/actor.ts";
import { type Services, createServices } from "../../../src/domain/services.ts";
import { type ManualClock } from "../../../src/lib/clock.ts";
import { Decimal } from "../../../src/lib/decimal.ts";
import { OfflineMarketData } from "../../../src/market/offline/offline-market-data.ts";
import type { AnyStrategyDefinition } from "../../../src/strategies/registry.ts";

const everyCandleParams = z.object({
  timeframe: z.enum(["1m", "5m", "1h"]).default("1h"),
  quantity: z.string().default("0.001"),
});

/** Buys `quantity` on every closed candle; its state counts the candles it saw. */
export const EVERY_CANDLE: AnyStrategyDefinition = {
  kind: "dca",
  params: everyCandleParams,
  timeframe: (p: z.infer<typeof everyCandleParams>) => p.timeframe,
  lookback: () => 3,
  initialState: () => ({ seen: 0, fills: 0 }),
  onCandle: (input) => ({
    intents: [
      {
        id: "buy",
        action: "buy",
        size: { kind: "quantity", value: new Decimal(input.params.quantity) },
        orderType: "MARKET",
        reason: "dca",
      },
    ],
    state: { ...input.state, seen: input.state.seen + 1 },
  }),
  onFill: (_p, state: { seen: number; fills: number }) => ({ ...state, fills: state.fills + 1 }),
};

const quoteParams = z.object({
  timeframe: z.enum(["1m", "5m", "1h"]).default("1h"),
  amount: z.string().default("1000"),
  /** buy on the first candle only, then stay idle (a candle without orders) */
  once: z.boolean().default(false),
});

/**
 * Buys `amount` of the quote currency at market on every closed candle (quantityForCash sizes
 * it), or on the first one only (`once`).
 */
export const QUOTE_BUYER: AnyStrategyDefinition = {
  kind: "dca",
  params: quoteParams,
  timeframe: (p: z.infer<typeof quoteParams>) => p.timeframe,
  lookback: () => 3,
  initialState: () => ({ fills: 0, filled: "0" }),
  onCandle: (input) => ({
    intents:
      input.params.once && input.state.fills > 0
        ? []
        : [
            {
              id: "buy",
              action: "buy",
              size: { kind: "quote", value: new Decimal(input.params.amount) },
              orderType: "MARKET",
              reason: "dca",
            },
          ],
    state: input.state,
  }),
  onFill: (_p, state: { fills: number; filled: string }, fill) => ({
    fills: state.fills + 1,
    filled: new Decimal(state.filled).plus(fill.quantity).toFixed(),
  }),
};

/**
 * Never orders; its state counts the candles it saw and keeps the last close (a candle whose
 * state changes and that places nothing, as most of a real strategy's are).
 */
export const WATCHER: AnyStrategyDefinition = {
  kind: "rules",
  params: z.object({ timeframe: z.literal("1h").default("1h") }),
  timeframe: () => "1h",
  lookback: () => 2,
  initialState: () => ({ seen: 0, close: null }),
  onCandle: (input) => ({
    intents: [],
    state: { seen: input.state.seen + 1, close: input.candles.at(-1)!.close.toFixed() },
  }),
};

export const THROWER: AnyStrategyDefinition = {
  kind: "rules",
  params: z.object({ timeframe: z.literal("1h").default("1h") }),
  timeframe: () => "1h",
  lookback: () => 1,
  initialState: () => ({}),
  onCandle: () => {
    throw new Error("indicator exploded");
  },
};

export const TEST_KINDS: Record<string, AnyStrategyDefinition> = {
  "test-every": EVERY_CANDLE,
  "test-quote": QUOTE_BUYER,
  "test-throw": THROWER,
  "test-watch": WATCHER,
};

export const testRegistry = (kind: string) => TEST_KINDS[kind];

/** Words nothing: the notice's kind as title, its facts as JSON (enough to assert on). */
export const plainNotifier: StrategyNotifier = {
  render: (notice) => ({
    title: `${notice.kind} ${notice.instance.strategyName}`,
    message: JSON.stringify(notice).slice(0, 2000),
    format: "text",
  }),
};

export function strategyServices(database: Database, clock: ManualClock): Services {
  const market = new OfflineMarketData({ clock });
  const services = createServices(database, {
    market,
    clock,
    prices: {
      lastPrice: async (symbol: string) => (await market.quote(symbol)).last,
      priceAt: async (symbol: string) => (await market.quote(symbol)).last,
    },
    users: { adminTelegramIds: ["1"], maxUsers: 1000, supportedLanguages: ["en", "ru"] },
    strategyRegistry: testRegistry,
  });
  services.strategyRuntime.useNotifier(plainNotifier);
  return services;
}

/** An approved user with a private chat and a paper portfolio holding 100,000 USDT. */
export async function paperTrader(
  services: Services,
  admin: Actor,
  telegramId: string,
  name: string,
): Promise<{ actor: Actor; portfolioId: number }> {
  const { users, portfolios, chats } = services;
  const row = await users.registerFromTelegram({ telegramUserId: telegramId, firstName: name });
  const actor = toActor(await users.approve(admin, row.id));
  await chats.registerPrivateChat(actor.id, telegramId);
  const account = await portfolios.createAccount(actor, {
    brokerCode: "PAPER",
    name: `${name} paper`,
    baseCurrency: "USDT",
    openingBalance: new Decimal("100000"),
  });
  const portfolio = await portfolios.createPortfolio(actor, {
    accountId: account.id,
    name: "Main",
  });
  return { actor, portfolioId: portfolio.id };
}
