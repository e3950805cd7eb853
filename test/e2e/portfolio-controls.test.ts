// The commands that take risk off a portfolio, through the bot on both databases: /pause refuses
// new entries (the card says why) while a sell of what is held still goes through; /resume lets
// entries in again; /cancelall cancels every open order after one confirmation; /close SYMBOL
// cancels the symbol's open orders and sells the position at market; /close all flattens the
// portfolio; bad input gets a clear answer and changes nothing.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Provider } from "../../src/db/client.ts";
import { ManualClock } from "../../src/lib/clock.ts";
import { Decimal } from "../../src/lib/decimal.ts";
import { type Harness, startHarness } from "../support/app-harness.ts";
import { PROVIDERS } from "../support/db.ts";
import { type Trader, approvedTrader, buttonsOf, press, say } from "../support/e2e-trader.ts";

const START = new Date("2026-03-10T09:00:30Z");

let h: Harness;
let alice: Trader;
let high: string;
let low: string;

const prisma = () => h.db.db.prisma;

async function setUp(provider: Provider) {
  h = await startHarness({ provider, clock: new ManualClock(START) });
  alice = await approvedTrader(h, { telegramId: 6301, firstName: "Alice" });
  const { trading, instruments } = h.app.services;
  for (const [symbol, quantity] of [
    ["ETHUSDT", "2"],
    ["BTCUSDT", "0.1"],
  ] as const) {
    const bought = await trading.place(alice.actor, {
      portfolioId: alice.portfolioId,
      symbol,
      side: "BUY",
      type: "MARKET",
      quantity: new Decimal(quantity),
    });
    expect(bought.order.status).toBe("FILLED");
  }
  const tick = (await instruments.resolve("ETHUSDT")).rules.tickSize;
  const quote = await h.app.market.quote("ETHUSDT");
  high = quote.ask.mul(2).div(tick).ceil().mul(tick).toFixed();
  low = quote.bid.div(2).div(tick).floor().mul(tick).toFixed();
}

const openOrders = () =>
  prisma().order.count({
    where: { portfolioId: alice.portfolioId, status: { in: ["NEW", "PARTIALLY_FILLED"] } },
  });

async function position(symbol: string): Promise<string> {
  const row = await prisma().position.findFirst({
    where: { portfolioId: alice.portfolioId, instrument: { symbol } },
  });
  return row ? new Decimal(row.quantity.toString()).toFixed() : "0";
}

describe.each(PROVIDERS)("/pause, /resume, /cancelall and /close on %s", (provider) => {
  beforeAll(() => setUp(provider));
  afterAll(async () => {
    await h?.stop();
  });

  it("/pause refuses entries, takes exits and says so on the card; /resume lets entries in", async () => {
    const paused = await say(h, alice.user, "/pause", (t) => /paused/.test(t));
    expect(paused.text).toContain("⏸ New entries are paused on Main.");
    const again = await say(h, alice.user, "/pause Main", (t) => /already/.test(t));
    expect(again.text).toContain("Entries were already paused on Main.");

    const before = await prisma().order.count();
    const refused = await say(h, alice.user, "/buy ETHUSDT 0.1", (t) => /paused/.test(t));
    expect(refused.text).toContain("New entries are paused on Main");
    expect(await prisma().order.count()).toBe(before);

    const card = await say(h, alice.user, `/sell ETHUSDT 0.5 limit ${high}`, (t) =>
      /Confirm order/.test(t),
    );
    expect(card.text).toContain("⏸ New entries are paused on this portfolio (exits still work)");
    await press(
      h,
      alice.user,
      card,
      "✅ Confirm",
      (t) => /#\d+/.test(t) && !/Confirm order/.test(t),
    );
    // the card may say the order is on its way before it is stored (a busy machine)
    await vi.waitFor(async () => expect(await openOrders()).toBe(1), { timeout: 10_000 });

    const resumed = await say(h, alice.user, "/resume all", (t) => /allowed/.test(t));
    expect(resumed.text).toContain("▶️ Entries are allowed again on Main.");
    const buy = await say(h, alice.user, `/buy ETHUSDT 0.1 limit ${low}`, (t) =>
      /Confirm order/.test(t),
    );
    expect(buy.text).not.toContain("paused");
    await press(
      h,
      alice.user,
      buy,
      "✅ Confirm",
      (t) => /#\d+/.test(t) && !/Confirm order/.test(t),
    );
    // the card may say the order is on its way before it is stored (a busy machine)
    await vi.waitFor(async () => expect(await openOrders()).toBe(2), { timeout: 10_000 });
    const audit = await prisma().auditLog.count({
      where: {
        entityType: "PORTFOLIO",
        entityId: alice.portfolioId,
        action: { in: ["PAUSE", "RESUME"] },
      },
    });
    expect(audit).toBe(2);
  });

  it("/cancelall asks once, then cancels every open order", async () => {
    const ask = await say(h, alice.user, "/cancelall", (t) => /Cancel all/.test(t));
    expect(ask.text).toContain("Cancel all 2 open order(s) in Main?");
    expect(buttonsOf(ask).map((b) => b.text)).toEqual(["✖️ Cancel them", "Keep them"]);
    const kept = await press(h, alice.user, ask, "Keep them", (t) => /Nothing was changed/.test(t));
    expect(kept.message_id).toBe(ask.message_id);
    // the card may say the order is on its way before it is stored (a busy machine)
    await vi.waitFor(async () => expect(await openOrders()).toBe(2), { timeout: 10_000 });

    const again = await say(h, alice.user, "/cancelall Main", (t) => /Cancel all/.test(t));
    const done = await press(h, alice.user, again, "✖️ Cancel them", (t) => /Canceled/.test(t));
    expect(done.text).toContain("Canceled 2 open order(s).");
    expect(await openOrders()).toBe(0);
    const none = await say(h, alice.user, "/cancelall", (t) => /no open orders/.test(t));
    expect(none.text).toBe("Main has no open orders.");
  });

  it("/close SYMBOL cancels its open orders and sells the position at market", async () => {
    const card = await say(h, alice.user, `/sell ETHUSDT 1 limit ${high}`, (t) =>
      /Confirm order/.test(t),
    );
    await press(
      h,
      alice.user,
      card,
      "✅ Confirm",
      (t) => /#\d+/.test(t) && !/Confirm order/.test(t),
    );
    // the card may say the order is on its way before it is stored (a busy machine)
    await vi.waitFor(async () => expect(await openOrders()).toBe(1), { timeout: 10_000 });

    const plan = await say(h, alice.user, "/close ethusdt", (t) => /Close ETHUSDT/.test(t));
    expect(plan.text).toContain("Close ETHUSDT in Main at market?");
    expect(plan.text).toMatch(/• SELL 2 ETHUSDT ≈ [\d,.]+ USDT/);
    expect(plan.text).toMatch(/First 1 open order\(s\) are canceled: #\d+/);
    const closed = await press(h, alice.user, plan, "✅ Close at market", (t) =>
      /Closing positions/.test(t),
    );
    expect(closed.text).toContain("Canceled 1 open order(s).");
    expect(closed.text).toMatch(/#\d+ SELL 2 ETHUSDT: filled/i);
    expect(await position("ETHUSDT")).toBe("0");
    expect(await position("BTCUSDT")).toBe("0.1");
    expect(await openOrders()).toBe(0);
    // the card's buttons are gone: a second press cannot close twice
    const card2 = h.twin.messages(alice.user.chatId).find((m) => m.message_id === plan.message_id);
    expect(buttonsOf(card2!)).toEqual([]);
  });

  it("/close all flattens the portfolio; then there is nothing to close", async () => {
    const plan = await say(h, alice.user, "/close all Main", (t) => /Close everything/.test(t));
    expect(plan.text).toMatch(/• SELL 0\.1 BTCUSDT/);
    await press(h, alice.user, plan, "✅ Close at market", (t) => /Closing positions/.test(t));
    expect(await position("BTCUSDT")).toBe("0");
    const nothing = await say(h, alice.user, "/close all", (t) => /nothing to close/.test(t));
    expect(nothing.text).toBe("Main has no open positions or orders: nothing to close.");
  });

  it("answers bad input clearly and changes nothing", async () => {
    const before = await prisma().order.count();
    const usage = await say(h, alice.user, "/close", (t) => /what to close/.test(t));
    expect(usage.text).toContain("/close BTCUSDT");
    const unknown = await say(h, alice.user, "/close ZZZZ", (t) => /ZZZZ/.test(t));
    expect(unknown.text).toMatch(/ZZZZ/);
    const noPortfolio = await say(h, alice.user, "/close BTCUSDT Nowhere", (t) =>
      /Nowhere/.test(t),
    );
    expect(noPortfolio.text).toMatch(/Nowhere/);
    const notHeld = await say(h, alice.user, "/close SOLUSDT", (t) => /nothing to close/.test(t));
    expect(notHeld.text).toContain("You hold no SOLUSDT in Main");
    const pauseNowhere = await say(h, alice.user, "/pause Nowhere", (t) => /Nowhere/.test(t));
    expect(pauseNowhere.text).toMatch(/Nowhere/);
    expect(await prisma().order.count()).toBe(before);
  });
});
