// A live account added from Telegram, end to end through the Telegram twin AND the exchange twin
// (Binance's wire protocol on 127.0.0.1, spoken to by the real ccxt client), on SQLite and
// PostgreSQL: /newaccount → Binance → testnet → name → currency → API key and secret (each
// message deleted at once, and the bot says so) → the key checked with the exchange → the account
// and its encrypted key stored together. Refusals (wrong key, a key that may withdraw, the
// exchange down) write nothing. /portfolio and /balance name the account as testnet and show
// the exchange's balances. Afterwards neither the database nor the captured logs hold a secret.
import { randomBytes } from "node:crypto";
import { Writable } from "node:stream";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Provider } from "../../src/db/client.ts";
import type { Harness } from "../support/app-harness.ts";
import { PROVIDERS } from "../support/db.ts";
import {
  type Trader,
  approvedTrader,
  buttonsOf,
  press,
  say,
  textOf,
} from "../support/e2e-trader.ts";
import { Decimal } from "../../src/lib/decimal.ts";
import { formatMoney, formatNumber } from "../../src/bot/format/numbers.ts";
import type { ExchangeTwin } from "../support/exchange-twin/index.ts";
import { type LiveApp, startLiveApp } from "../support/live-app.ts";
import { findInDatabase } from "../support/secret-scan.ts";
import type { SimulatedUser, TwinMessage } from "../support/telegram-twin/index.ts";

const fresh = () => randomBytes(32).toString("hex");

function capturedLogs() {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return { stream, text: () => chunks.join("") };
}

describe.each(PROVIDERS)("a live account from Telegram, on %s", (provider: Provider) => {
  let live: LiveApp;
  let h: Harness;
  let exchange: ExchangeTwin;
  let trader: Trader;
  let user: SimulatedUser;
  const logs = capturedLogs();
  const typed: string[] = [];
  const good = { apiKey: fresh(), secret: fresh() };
  const withdrawing = { apiKey: fresh(), secret: fresh() };
  typed.push(good.apiKey, good.secret, withdrawing.apiKey, withdrawing.secret);

  beforeAll(async () => {
    live = await startLiveApp({
      provider,
      logger: pino({ level: "debug" }, logs.stream),
      prepare: (twin) => {
        twin.registerKey({ ...good, account: "alice" });
        twin.registerKey({ ...withdrawing, account: "alice", canWithdraw: true });
        twin.addBalance("alice", "USDT", "2500.5");
        twin.addBalance("alice", "BTC", "0.125");
      },
    });
    ({ h, exchange } = live);
    trader = await approvedTrader(h, { telegramId: 7601, firstName: "Alice" });
    user = trader.user;
  }, 120_000);

  afterAll(async () => {
    await live?.stop();
  });

  const accountCount = () => h.app.database.prisma.account.count();
  const credentialCount = () => h.app.database.prisma.accountCredential.count();

  /** A user message that must be gone from the chat, deleted by the bot. */
  function expectDeleted(secret: string) {
    const message = h.twin
      .chatLog(user.chatId)
      .find((m) => m.sender === "user" && m.text === secret);
    expect(message, "the secret message").toBeDefined();
    expect(message!.deleted).toBe(true);
  }

  /** /newaccount up to the API key question, for Binance on the testnet or not. */
  async function startLive(name: string, testnet: boolean): Promise<void> {
    const brokers = await say(h, user, "/newaccount", (t) => /Which broker/.test(t));
    expect(buttonsOf(brokers).map((b) => b.text)).toContain("Binance");
    const q = await press(h, user, brokers, "Binance", (t) => /testnet/.test(t));
    await press(h, user, q, testnet ? "🧪 Testnet (test money)" : "💰 Real money", (t) =>
      /A name for the account/.test(t),
    );
    const currency = await say(h, user, name, (t) => /base currency/.test(t));
    await press(h, user, currency, "USDT", (t) =>
      /Send the API key of your Binance account/.test(t),
    );
  }

  async function sendPair(pair: { apiKey: string; secret: string }, last: RegExp) {
    const k = await say(h, user, pair.apiKey, (t) => /Now send the API secret/.test(t));
    expect(k).toBeDefined();
    expectDeleted(pair.apiKey);
    const since = h.twin.mark();
    user.send(pair.secret);
    const end = await h.twin.waitForMessage(user.chatId, (m) => last.test(textOf(m)), {
      since,
      timeoutMs: 30_000,
    });
    expectDeleted(pair.secret);
    const said = h.twin
      .messages(user.chatId)
      .filter((m) => m.revision > since && m.message_id <= end.message_id)
      .map(textOf);
    expect(said[0]).toBe("I deleted your message with the API secret.");
    return end;
  }

  it("refuses a key the exchange does not know, and writes nothing", async () => {
    const before = [await accountCount(), await credentialCount()];
    const wrong = { apiKey: fresh(), secret: fresh() };
    typed.push(wrong.apiKey, wrong.secret);
    await startLive("Binance main", false);
    const end = await sendPair(wrong, /Nothing was saved/);
    expect(textOf(end)).toBe(
      "Binance refused this key pair (wrong key or secret). Nothing was saved. Try again with /newaccount.",
    );
    expect([await accountCount(), await credentialCount()]).toEqual(before);
  }, 60_000);

  it("refuses a key that may withdraw funds", async () => {
    const before = [await accountCount(), await credentialCount()];
    await startLive("Binance main", false);
    const end = await sendPair(withdrawing, /Nothing was saved/);
    expect(textOf(end)).toMatch(/^This key may withdraw funds\./);
    expect([await accountCount(), await credentialCount()]).toEqual(before);
  }, 60_000);

  it("says when the exchange cannot be reached, and writes nothing", async () => {
    const before = [await accountCount(), await credentialCount()];
    await startLive("Binance main", false);
    await exchange.down("maintenance");
    try {
      const end = await sendPair(good, /Nothing was saved/);
      expect(textOf(end)).toMatch(/^I could not reach Binance to check the key/);
    } finally {
      await exchange.up();
    }
    expect([await accountCount(), await credentialCount()]).toEqual(before);
  }, 60_000);

  it("/cancel leaves the flow while a key is expected, and so does another command", async () => {
    await startLive("Never", true);
    const canceled = await say(h, user, "/cancel", (t) => t.length > 0);
    expect(textOf(canceled)).toMatch(/cancel/i);
    await startLive("Never", true);
    const portfolio = await say(h, user, "/portfolio", (t) => /Portfolios/.test(t));
    expect(textOf(portfolio)).not.toMatch(/Never/);
    expect(await h.app.database.prisma.account.count({ where: { name: "Never" } })).toBe(0);
  }, 60_000);

  it("adds a testnet account with a working key, stored encrypted with the account", async () => {
    await startLive("Binance test", true);
    const end = await sendPair(good, /is added|Nothing was saved/);
    expect(textOf(end)).toMatch(/^Account Binance test \(Binance testnet\) is added\./);
    const account = await h.app.database.prisma.account.findFirstOrThrow({
      where: { name: "Binance test" },
      include: { credential: true },
    });
    expect(account.testnet).toBe(true);
    expect(account.credential).not.toBeNull();
    const loaded = await h.app.services.credentials.load(account.id);
    expect(loaded).toEqual(good);
    // a portfolio on it, through the button the bot offers
    const portfolioQ = await press(h, user, end, "Create a portfolio on it", (t) =>
      /name/i.test(t),
    );
    expect(portfolioQ).toBeDefined();
    await say(h, user, "Live", (t) => /Live/.test(t));
    const list = await say(h, user, "/portfolio", (t) => /Portfolios/.test(t));
    expect(textOf(list)).toMatch(/Live — Binance test · BINANCE \(testnet\) · USDT/);
  }, 60_000);

  it("/balance shows the exchange's balances of the live account", async () => {
    const balance = await say(h, user, "/balance", (t) => /Cash/.test(t));
    const text = textOf(balance);
    expect(text).toMatch(/Binance test · Binance \(testnet\)/);
    expect(text).toContain("At the exchange (as it reports them)");
    // free and locked as the exchange reports them, each valued in the account currency
    const btcPrice = (await h.app.market.quote("BTCUSDT")).last;
    const btcValue = btcPrice.mul("0.125");
    const money = (d: Decimal) => formatMoney(d, "USDT", "en");
    expect(text).toContain(`BTC: free 0.125 · locked 0 ≈ ${money(btcValue)}`);
    expect(text).toContain(`USDT: free 2,500.5 · locked 0 ≈ ${money(new Decimal("2500.5"))}`);
    expect(text).toContain(`Total equity: ${money(btcValue.plus("2500.5"))}`);
    // the paper account shows its equity too
    expect(text).toContain(`Total equity: ${money(new Decimal(100_000))}`);
  }, 60_000);

  /** Confirms an order card and waits for the same message to become the result. */
  async function confirm(card: TwinMessage, result: RegExp): Promise<number> {
    const done = await press(
      h,
      user,
      card,
      "✅ Confirm",
      (t, m) => m.message_id === card.message_id && result.test(t),
    );
    return Number(/Order #(\d+)/.exec(textOf(done))![1]);
  }

  const orderOf = (id: number) => h.app.database.prisma.order.findUniqueOrThrow({ where: { id } });

  it("buys at market on the exchange, and the fill is notified", async () => {
    const since = h.twin.mark();
    const card = await say(h, user, "/buy BTCUSDT 0.01", (t) => /Confirm order/.test(t));
    expect(textOf(card)).toContain("Portfolio: Live (testnet)");
    const id = await confirm(card, /Order #\d+ (filled|is working)/);
    // the exchange filled it; the order-sync job books the fill and the outbox notifies it
    await vi.waitFor(async () => expect((await orderOf(id)).status).toBe("FILLED"), {
      timeout: 30_000,
      interval: 250,
    });
    await h.twin.waitForMessage(user.chatId, (m) => /Filled: BTCUSDT/.test(textOf(m)), {
      since,
      timeoutMs: 30_000,
    });
    const venue = exchange.orders("alice");
    expect(venue).toHaveLength(1);
    expect(venue[0]).toMatchObject({ side: "BUY", type: "MARKET", status: "FILLED" });
  }, 60_000);

  it("a limit buy rests, then fills when the exchange's price comes down to it", async () => {
    const last = new Decimal(exchange.price("BTCUSDT").last);
    const limit = last.mul("0.99").toDecimalPlaces(2);
    const card = await say(h, user, `/buy BTCUSDT 0.01 limit ${limit.toFixed()}`, (t) =>
      /Confirm order/.test(t),
    );
    const id = await confirm(card, /is working/);
    expect((await orderOf(id)).status).toBe("NEW");
    const since = h.twin.mark();
    exchange.setPrice("BTCUSDT", limit.minus(1).toFixed(2));
    await vi.waitFor(async () => expect((await orderOf(id)).status).toBe("FILLED"), {
      timeout: 30_000,
      interval: 250,
    });
    const note = await h.twin.waitForMessage(
      user.chatId,
      (m) => /Filled: BTCUSDT/.test(textOf(m)) && textOf(m).includes(`#${id}`),
      { since, timeoutMs: 30_000 },
    );
    expect(textOf(note)).toContain("0.01");
  }, 60_000);

  it("/positions and /balance read what the exchange holds", async () => {
    const positions = await say(h, user, "/positions", (t) => /Positions/.test(t));
    expect(textOf(positions)).toContain("BTCUSDT");
    const held = exchange.balances("alice");
    const balance = textOf(await say(h, user, "/balance", (t) => /Cash/.test(t)));
    const btc = new Decimal(held.BTC!.free);
    const usdt = new Decimal(held.USDT!.free);
    expect(btc.gt("0.125")).toBe(true);
    expect(usdt.lt("2500.5")).toBe(true);
    const en = (d: Decimal) => formatNumber(d, "en", { maxDecimals: 8 });
    expect(balance).toContain(`BTC: free ${en(btc)} · locked 0`);
    expect(balance).toContain(`USDT: free ${en(usdt)} · locked 0`);
  }, 60_000);

  it("cancels a resting order on the exchange", async () => {
    const last = new Decimal(exchange.price("BTCUSDT").last);
    const limit = last.mul("0.8").toDecimalPlaces(2);
    const card = await say(h, user, `/buy BTCUSDT 0.001 limit ${limit.toFixed()}`, (t) =>
      /Confirm order/.test(t),
    );
    const id = await confirm(card, /is working/);
    const venueId = (await orderOf(id)).brokerOrderId;
    // while it rests, the exchange locks its USDT and /balance says so
    const locked = new Decimal(exchange.balances("alice").USDT!.locked);
    expect(locked.gt(0)).toBe(true);
    expect(textOf(await say(h, user, "/balance", (t) => /Cash/.test(t)))).toContain(
      `locked ${formatNumber(locked, "en", { maxDecimals: 8 })}`,
    );
    const answer = await say(h, user, `/cancel ${id}`, (t) => t.includes(`#${id}`));
    expect(textOf(answer)).toBe(`Order #${id} canceled.`);
    expect((await orderOf(id)).status).toBe("CANCELED");
    const atVenue = exchange.orders("alice").find((o) => String(o.orderId) === venueId);
    expect(atVenue?.status).toBe("CANCELED");
  }, 60_000);

  it("leaves no secret in the database or the logs", async () => {
    expect(await findInDatabase(h.db, typed)).toEqual([]);
    const log = logs.text();
    expect(log.length).toBeGreaterThan(0);
    for (const s of typed) expect(log.includes(s), "a secret in the logs").toBe(false);
  });
});
