// The app on live market data (MARKET_DATA=binance, EXCHANGE_API_URL pointing at the local
// exchange twin), through the Telegram twin, on SQLite and PostgreSQL: the instruments table
// takes the exchange's listing and rules at start, /price shows the exchange's price, a paper
// buy fills at the exchange's ask, and an outage shows as an aged quote that heals by itself.
import type { InlineKeyboardMarkup } from "grammy/types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toActor } from "../../src/domain/users/actor.ts";
import { ShiftedClock } from "../../src/lib/clock.ts";
import { Decimal } from "../../src/lib/decimal.ts";
import type { Provider } from "../../src/db/client.ts";
import { ADMIN_ID, type Harness, startHarness } from "../support/app-harness.ts";
import { PROVIDERS } from "../support/db.ts";
import { ExchangeTwin, catalogSymbols } from "../support/exchange-twin/index.ts";
import type { SimulatedUser, TwinMessage } from "../support/telegram-twin/index.ts";

const ALICE = 6301;
let h: Harness;
let exchange: ExchangeTwin;
let clock: ShiftedClock;
let alice: SimulatedUser;

/** the /price answer, not a fill notification that may arrive meanwhile */
const PRICE_REPLY = /^BTCUSDT [\d,.]+ USDT · /;
const text = (m: { text?: string; caption?: string }) => m.text ?? m.caption ?? "";

async function say(user: SimulatedUser, message: string, match: RegExp): Promise<TwinMessage> {
  const since = h.twin.mark();
  user.send(message);
  return h.twin.waitForMessage(user.chatId, (m) => match.test(text(m)), {
    since,
    timeoutMs: 15_000,
  });
}

async function setUp(provider: Provider) {
  exchange = await ExchangeTwin.start({
    symbols: [
      // XRP's minimum notional differs from the catalog's; NEWUSDT is not in the catalog
      ...catalogSymbols().map((s) => (s.symbol === "XRPUSDT" ? { ...s, minNotional: "1" } : s)),
      {
        symbol: "NEWUSDT",
        baseAsset: "NEW",
        quoteAsset: "USDT",
        tickSize: "0.0001",
        stepSize: "0.1",
        minQty: "1",
        minNotional: "5",
        price: "1.2345",
      },
    ],
  });
  exchange.setPrice("BTCUSDT", "91234.56");
  clock = new ShiftedClock();
  h = await startHarness({
    provider,
    clock,
    env: { MARKET_DATA: "binance", EXCHANGE_API_URL: exchange.url, PAPER_SLIPPAGE_BPS: "0" },
  });
  const { users, portfolios } = h.app.services;
  const admin = toActor(
    await users.registerFromTelegram({ telegramUserId: String(ADMIN_ID), firstName: "Ada" }),
  );
  const row = await users.registerFromTelegram({
    telegramUserId: String(ALICE),
    firstName: "Alice",
    languageCode: "en",
  });
  const actor = toActor(await users.approve(admin, row.id));
  const account = await portfolios.createAccount(actor, {
    brokerCode: "PAPER",
    name: "Alice paper",
    baseCurrency: "USDT",
    openingBalance: new Decimal("10000"),
  });
  await portfolios.createPortfolio(actor, { accountId: account.id, name: "Main" });
  alice = h.twin.user({ id: ALICE, first_name: "Alice", language_code: "en" });
}

describe.each(PROVIDERS)("live market data from the exchange twin on %s", (provider) => {
  beforeAll(() => setUp(provider));
  afterAll(async () => {
    await h?.stop();
    await exchange?.stop();
  });

  it("fills the instruments table from the exchange's listing at start", async () => {
    const prisma = h.db.db.prisma;
    const added = await prisma.instrument.findFirstOrThrow({
      where: { symbol: "NEWUSDT", exchange: "BINANCE" },
    });
    const exact = (v: unknown) => new Decimal(String(v)).toFixed();
    expect(added.isActive).toBe(true);
    expect([added.tickSize, added.lotSize, added.minQty, added.minNotional].map(exact)).toEqual([
      "0.0001",
      "0.1",
      "1",
      "5",
    ]);
    const xrp = await prisma.instrument.findFirstOrThrow({ where: { symbol: "XRPUSDT" } });
    expect(exact(xrp.minNotional)).toBe("1");
    expect(xrp.name).toBe("XRP / TetherUS"); // the catalog's name stays
    expect(exchange.requestCount("/api/v3/exchangeInfo")).toBe(1);
    // shares are not on the exchange and are left alone
    expect(
      await prisma.instrument.count({ where: { exchange: "NASDAQ", isActive: true } }),
    ).toBeGreaterThan(0);
  });

  it("shows the exchange's price and fills a paper buy at its ask", async () => {
    const price = await say(alice, "/price BTCUSDT", PRICE_REPLY);
    expect(text(price)).toContain("BTCUSDT 91,234.56 USDT");
    expect(text(price)).not.toMatch(/synthetic|unreachable/);

    const card = await say(alice, "/buy BTCUSDT 0.01", /Confirm order/);
    const since = h.twin.mark();
    alice.press(card, "✅ Confirm");
    const done = await h.twin.waitForMessage(
      alice.chatId,
      (m) => m.message_id === card.message_id && /Order #\d+ filled/.test(text(m)),
      { since, timeoutMs: 15_000 },
    );
    expect(text(done)).toContain("0.01 at 91,234.57 USDT");
    const trade = await h.db.db.prisma.trade.findFirstOrThrow({ orderBy: { id: "desc" } });
    expect(new Decimal(String(trade.price)).toFixed()).toBe("91234.57");
    expect(
      ((card.reply_markup as InlineKeyboardMarkup | undefined)?.inline_keyboard ?? []).length,
    ).toBeGreaterThan(0);
  });

  it("says how old the price is while the exchange is down, and recovers by itself", async () => {
    await exchange.down();
    clock.advance(10_000);
    const stale = await say(alice, "/price BTCUSDT", PRICE_REPLY);
    expect(text(stale)).toMatch(
      /BTCUSDT 91,234\.56 USDT · as of (\d{4}-\d\d-\d\d )?\d\d:\d\d, exchange unreachable/,
    );
    const unknownYet = await say(alice, "/price ETHUSDT", /^ETHUSDT: /);
    expect(text(unknownYet)).toContain("The exchange is not answering right now");

    // an order confirmed during the outage is kept and sent once the prices are back, never
    // filled at the stale price
    const card = await say(alice, "/buy BTCUSDT 0.01", /Confirm order/);
    expect(text(card)).toMatch(/as of (\d{4}-\d\d-\d\d )?\d\d:\d\d, exchange unreachable/);
    const since = h.twin.mark();
    alice.press(card, "✅ Confirm");
    const saved = await h.twin.waitForMessage(
      alice.chatId,
      (m) =>
        m.message_id === card.message_id &&
        /saved but the broker could not be reached/.test(text(m)),
      { since, timeoutMs: 15_000 },
    );
    const orderId = Number(/Order #(\d+)/.exec(text(saved))![1]);
    const prisma = h.db.db.prisma;
    expect((await prisma.order.findUniqueOrThrow({ where: { id: orderId } })).status).toBe("NEW");

    exchange.setPrice("BTCUSDT", "92000.00");
    await exchange.up();
    clock.advance(6_000);
    const fresh = await say(alice, "/price BTCUSDT", PRICE_REPLY);
    expect(text(fresh)).toContain("BTCUSDT 92,000.00 USDT");
    expect(text(fresh)).not.toContain("unreachable");
    // the order-sync job sends the saved order and it fills at the exchange's new ask
    await expect
      .poll(async () => (await prisma.order.findUniqueOrThrow({ where: { id: orderId } })).status, {
        timeout: 20_000,
        interval: 250,
      })
      .toBe("FILLED");
    const trade = await prisma.trade.findFirstOrThrow({ where: { orderId } });
    expect(new Decimal(String(trade.price)).toFixed()).toBe("92000.01");
  });
});
