// The whole app configured for live trading (LIVE_TRADING=binance, market data and orders from
// the exchange twin through EXCHANGE_API_URL, a secrets master key): the key is checked against
// the exchange by the app's own credential probe and stored, orders go to the exchange, and the
// app's own order-sync job books what fills there, including an order placed by hand on the site.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { CredentialsRejectedError } from "../../src/domain/credentials/credential-errors.ts";
import { type Actor, toActor } from "../../src/domain/users/actor.ts";
import { Decimal } from "../../src/lib/decimal.ts";
import { ADMIN_ID, type Harness } from "../support/app-harness.ts";
import { PROVIDERS } from "../support/db.ts";
import type { ExchangeTwin } from "../support/exchange-twin/index.ts";
import { type LiveApp, startLiveApp } from "../support/live-app.ts";

const KEY = randomBytes(32).toString("hex");
const SECRET = randomBytes(32).toString("hex");

describe.each(PROVIDERS)("the app trading live on the exchange twin, on %s", (provider) => {
  let live: LiveApp;
  let exchange: ExchangeTwin;
  let h: Harness;
  let trader: Actor;

  beforeAll(async () => {
    live = await startLiveApp({
      provider,
      prepare: (twin) => {
        twin.registerKey({ apiKey: KEY, secret: SECRET });
        twin.registerKey({ apiKey: "w".repeat(64), secret: SECRET, canWithdraw: true });
        twin.addBalance("main", "USDT", "50000");
      },
    });
    ({ h, exchange } = live);
    const { users } = h.app.services;
    const admin = toActor(
      await users.registerFromTelegram({ telegramUserId: String(ADMIN_ID), firstName: "Ada" }),
    );
    const user = await users.registerFromTelegram({ telegramUserId: "8801", firstName: "Lena" });
    trader = toActor(await users.approve(admin, user.id));
  }, 120_000);
  afterAll(async () => {
    await live?.stop();
  });

  it("checks and stores the key, trades, and books fills and hand-placed orders by its own job", async () => {
    const { services } = h.app;
    expect(services.gateways.supports("BINANCE", false)).toBe(true);
    const account = await services.portfolios.createAccount(trader, {
      brokerCode: "BINANCE",
      name: "Binance",
      baseCurrency: "USDT",
    });
    // a key that may withdraw is refused by the app's probe, a working one is stored
    await expect(
      services.credentials.rotate(trader, account.id, { apiKey: "w".repeat(64), secret: SECRET }),
    ).rejects.toBeInstanceOf(CredentialsRejectedError);
    await services.credentials.rotate(trader, account.id, { apiKey: KEY, secret: SECRET });
    const portfolio = await services.portfolios.createPortfolio(trader, {
      accountId: account.id,
      name: "Spot",
    });

    const bought = await services.trading.place(trader, {
      portfolioId: portfolio.id,
      symbol: "BTCUSDT",
      side: "BUY",
      type: "MARKET",
      quantity: new Decimal("0.01"),
    });
    expect(bought.order.status).toBe("FILLED");
    const last = new Decimal(exchange.price("BTCUSDT").last);
    const limit = last.minus(500).toDecimalPlaces(2);
    const resting = await services.trading.place(trader, {
      portfolioId: portfolio.id,
      symbol: "BTCUSDT",
      side: "BUY",
      type: "LIMIT",
      quantity: new Decimal("0.01"),
      price: limit,
    });
    expect(resting.order.status).toBe("NEW");
    // placed by hand on the exchange's site: the app's order-sync job (every two seconds while
    // the account has open orders) records it
    const ethLimit = new Decimal(exchange.price("ETHUSDT").last).minus(50).toDecimalPlaces(2);
    exchange.placeExternalOrder("main", {
      symbol: "ETHUSDT",
      side: "BUY",
      type: "LIMIT",
      timeInForce: "GTC",
      quantity: "0.2",
      price: ethLimit.toFixed(),
    });
    const db = h.db.db.prisma;
    await vi.waitFor(
      async () => expect(await db.order.count({ where: { portfolioId: portfolio.id } })).toBe(3),
      { timeout: 30_000, interval: 500 },
    );
    exchange.setPrice("BTCUSDT", limit.minus(1).toFixed(2));
    exchange.setPrice("ETHUSDT", ethLimit.minus(1).toFixed(2));

    // the job books both fills
    await vi.waitFor(
      async () => {
        const orders = await db.order.findMany({
          where: { portfolioId: portfolio.id },
          orderBy: { id: "asc" },
          select: { status: true, meta: true },
        });
        expect(orders.map((o) => o.status)).toEqual(["FILLED", "FILLED", "FILLED"]);
        expect((orders[2]!.meta as { external?: boolean }).external).toBe(true);
      },
      { timeout: 60_000, interval: 500 },
    );
    expect(await db.trade.count({ where: { portfolioId: portfolio.id } })).toBe(3);
    expect(exchange.orders()).toHaveLength(3);
  }, 120_000);
});
