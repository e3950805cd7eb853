// End to end through the Telegram twin: orders that meet the user's risk policies. The real app
// (config, SQLite, grammY with long polling, jobs and the outbox drainer) on a frozen clock, so the
// synthetic market holds still and the card, the breach log and the placed order see one price.
// For an order that is BLOCKED, one that is REDUCED (the largest size that fits is offered as a
// button and taken) and one that WARNS (confirmed with a button) it checks what the user reads,
// the risk_breaches rows (outcome and the observed numbers, recomputed here from the equity and
// the execution estimate), the orders that exist, and the RISK_BREACH notification queued in
// notification_outbox and delivered to the user's chat by the drainer. And a policy with an
// impossible limit typed into /newpolicy is explained, and nothing is saved.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { InlineKeyboardMarkup } from "grammy/types";
import { type Harness, ADMIN_ID, ask, startHarness } from "../support/app-harness.ts";
import type { TwinMessage } from "../support/telegram-twin/index.ts";
import { Decimal, bracketByStep } from "../../src/lib/decimal.ts";
import { ManualClock } from "../../src/lib/clock.ts";
import { type Actor, toActor } from "../../src/domain/users/actor.ts";

const EQUITY = new Decimal("100000");
const SYMBOL = "BTCUSDT";
const REQUESTED = new Decimal("0.5");

let h: Harness;
let admin: Actor;
let nextId = 7001;

beforeAll(async () => {
  h = await startHarness({ clock: new ManualClock("2026-03-10T12:00:00Z") });
  const { users } = h.app.services;
  admin = toActor(
    await users.registerFromTelegram({ telegramUserId: String(ADMIN_ID), firstName: "Ada" }),
  );
});
afterAll(async () => {
  await h?.stop();
});

const text = (m: { text?: string; caption?: string }) => m.text ?? m.caption ?? "";
const buttonsOf = (m: TwinMessage) =>
  ((m.reply_markup as InlineKeyboardMarkup | undefined)?.inline_keyboard ?? [])
    .flat()
    .map((b) => b.text);
/** "38,332.79": two decimals (banker's rounding, as the bot shows), thousands grouped. */
const two = (d: Decimal) => d.toFixed(2).replace(/\B(?=(\d{3})+(?!\d))/g, ",");

/** An approved English-speaking trader with a 100,000 USDT paper portfolio and one policy. */
async function trader(name: string, config: Record<string, unknown>) {
  const { users, portfolios, riskPolicies, chats, trading, instruments } = h.app.services;
  const id = nextId++;
  const row = await users.registerFromTelegram({
    telegramUserId: String(id),
    firstName: name,
    languageCode: "en",
  });
  const actor = toActor(await users.approve(admin, row.id));
  await chats.registerPrivateChat(actor.id, id);
  const account = await portfolios.createAccount(actor, {
    brokerCode: "PAPER",
    name: `${name}'s paper`,
    baseCurrency: "USDT",
    openingBalance: EQUITY,
  });
  const portfolio = await portfolios.createPortfolio(actor, {
    accountId: account.id,
    name: "Main",
  });
  const policy = await riskPolicies.create(actor, { scope: "USER", name: "Caps", config });
  const user = h.twin.user({ id, first_name: name, language_code: "en" });
  // what the order will be valued at: the same estimate the card and the check use
  const preview = await trading.preview(actor, {
    portfolioId: portfolio.id,
    symbol: SYMBOL,
    side: "BUY",
    type: "MARKET",
    quantity: REQUESTED,
  });
  const { rules } = await instruments.get(preview.order.instrumentId);
  return { actor, portfolio, policy, user, price: preview.estimate.price, lot: rules.lotSize };
}

type Trader = Awaited<ReturnType<typeof trader>>;

function breachesOf(t: Trader) {
  return h.db.db.prisma.riskBreach.findMany({
    where: { policy: { userId: t.actor.id } },
    orderBy: { id: "asc" },
  });
}

function ordersOf(t: Trader) {
  return h.db.db.prisma.order.findMany({
    where: { portfolioId: t.portfolio.id },
    orderBy: { id: "asc" },
  });
}

/**
 * The RISK_BREACH notification of this trader: delivered to their chat (title in bold, then the
 * message) and its outbox row marked SENT by the drainer.
 */
async function deliveredNotice(t: Trader, title: string, since: number) {
  const message = await h.twin.waitForMessage(t.user.chatId, (m) => text(m).startsWith(title), {
    since,
    timeoutMs: 10_000,
  });
  expect(message.entities?.[0]).toMatchObject({ type: "bold", offset: 0, length: title.length });
  const rows = await vi.waitFor(
    async () => {
      const found = await h.db.db.prisma.notificationOutbox.findMany({
        where: { userId: t.actor.id, type: "RISK_BREACH" },
      });
      expect(found.map((r) => r.status)).toEqual(["SENT"]);
      return found;
    },
    { timeout: 5_000, interval: 25 },
  );
  const chat = await h.db.db.prisma.telegramChat.findFirstOrThrow({
    where: { userId: t.actor.id },
  });
  expect(rows[0]).toMatchObject({ type: "RISK_BREACH", title, chatId: chat.id, format: "html" });
  return { message, row: rows[0]! };
}

/** The observed exposure of `quantity` at `price` in % of equity, as the breach log keeps it. */
const exposurePct = (quantity: Decimal, price: Decimal) =>
  quantity.mul(price).div(EQUITY).mul(100).toDecimalPlaces(8);
const floorToLot = (q: Decimal, lot: Decimal) => bracketByStep(q, lot).down;

describe("orders against risk policies, end to end", () => {
  it("BLOCK: the card says so and offers nothing to confirm; the breach is logged and notified; no order", async () => {
    const t = await trader("Bea", {
      maxExposurePerAssetPct: { limit: "10", action: "block" },
    });
    const since = h.twin.mark();
    const card = await ask(h, t.user, `/buy ${SYMBOL} 0.5`, (s) => /Confirm order/.test(s));
    const observed = exposurePct(REQUESTED, t.price);
    expect(text(card)).toContain(`BUY 0.5 ${SYMBOL} · Market · GTC`);
    expect(text(card)).toContain(`Estimated price: ${two(t.price)} USDT`);
    expect(text(card)).toContain("⛔ Blocked by your risk limits.");
    expect(text(card)).toContain(
      `• Exposure per asset (% of equity): ${two(observed)} % (limit 10.00 %) · block`,
    );
    expect(buttonsOf(card)).toEqual(["✏️ Edit", "✖️ Cancel"]);

    const { message } = await deliveredNotice(t, "Order blocked by a risk limit", since);
    expect(text(message)).toContain("Portfolio: Main");
    expect(text(message)).toContain(`Order: BUY 0.5 ${SYMBOL}`);
    expect(text(message)).toContain(
      `Exposure per asset (% of equity): ${two(observed)} % (limit 10.00 %)`,
    );
    expect(text(message)).not.toContain("Placed as");

    const breaches = await breachesOf(t);
    expect(breaches).toHaveLength(1);
    expect(breaches[0]).toMatchObject({
      policyId: t.policy.id,
      portfolioId: t.portfolio.id,
      rule: "maxExposurePerAssetPct",
      action: "BLOCKED",
      orderId: null,
    });
    expect(breaches[0]!.observed).toMatchObject({
      source: "pre-trade",
      outcome: "BLOCK",
      limit: "10",
      observed: observed.toFixed(),
      equity: EQUITY.toFixed(),
      price: t.price.toFixed(),
      valueAfter: REQUESTED.mul(t.price).toFixed(),
      symbol: SYMBOL,
      side: "BUY",
      quantity: "0.5",
      referencePrice: t.price.toFixed(),
      maxQuantity: null,
      currency: "USDT",
    });
    expect(await ordersOf(t)).toEqual([]);

    // Cancel discards the card; still no order
    const cancelAt = h.twin.mark();
    t.user.press(card, "✖️ Cancel");
    await h.twin.waitForMessage(
      t.user.chatId,
      (m) => m.message_id === card.message_id && /Nothing was placed/.test(text(m)),
      { since: cancelAt },
    );
    expect(await ordersOf(t)).toEqual([]);
    expect(await breachesOf(t)).toHaveLength(1);
  });

  it("REDUCE: the largest size that fits is offered as a button; taking it places that size, logged and notified", async () => {
    const t = await trader("Cal", {
      maxExposurePerAssetAbs: { limit: "10000", action: "reduce" },
    });
    const max = floorToLot(new Decimal("10000").div(t.price), t.lot);
    expect(max.gt(0) && max.lt(REQUESTED)).toBe(true);
    const since = h.twin.mark();
    const card = await ask(h, t.user, `/buy ${SYMBOL} 0.5`, (s) => /Confirm order/.test(s));
    const value = REQUESTED.mul(t.price);
    expect(text(card)).toContain(
      `✂️ Reduced from 0.5 to ${max.toFixed()} ${SYMBOL} to fit your risk limits.`,
    );
    expect(text(card)).toContain(
      `• Exposure per asset (amount): ${two(value)} USDT (limit 10,000.00 USDT) · reduce the size`,
    );
    const take = `✅ Place ${max.toFixed()} instead`;
    expect(buttonsOf(card)).toEqual([take, "✏️ Edit", "✖️ Cancel"]);
    // showing the card records nothing: the user has not decided yet
    expect(await breachesOf(t)).toEqual([]);

    const pressAt = h.twin.mark();
    t.user.press(card, take);
    const placed = await h.twin.waitForMessage(
      t.user.chatId,
      (m) => m.message_id === card.message_id && /Order #\d+/.test(text(m)),
      { since: pressAt },
    );
    const orders = await ordersOf(t);
    expect(orders).toHaveLength(1);
    const order = orders[0]!;
    expect(new Decimal(order.quantity).eq(max)).toBe(true);
    expect(order).toMatchObject({ side: "BUY", type: "MARKET" });
    expect(text(placed)).toContain(`Order #${order.id}`);
    expect(text(placed)).toContain(`BUY ${max.toFixed()} ${SYMBOL} · Market · GTC`);
    expect(buttonsOf(placed)).toEqual([]);

    const { message } = await deliveredNotice(t, "Order reduced by a risk limit", since);
    expect(text(message)).toContain(`Order: BUY 0.5 ${SYMBOL}`);
    expect(text(message)).toContain(`Placed as ${max.toFixed()} ${SYMBOL}`);
    expect(text(message)).toContain(
      `Exposure per asset (amount): ${two(value)} USDT (limit 10,000.00 USDT)`,
    );

    const breaches = await breachesOf(t);
    expect(breaches).toHaveLength(1);
    expect(breaches[0]).toMatchObject({
      policyId: t.policy.id,
      portfolioId: t.portfolio.id,
      rule: "maxExposurePerAssetAbs",
      action: "REDUCED_SIZE",
    });
    expect(breaches[0]!.observed).toMatchObject({
      source: "pre-trade",
      outcome: "REDUCE",
      limit: "10000",
      observed: value.toDecimalPlaces(8).toFixed(),
      valueAfter: value.toDecimalPlaces(8).toFixed(),
      price: t.price.toFixed(),
      quantity: "0.5",
      referencePrice: t.price.toFixed(),
      maxQuantity: max.toFixed(),
      clientOrderId: order.clientOrderId,
      currency: "USDT",
    });
  });

  it("WARN: the card asks to confirm anyway; the confirmed order is placed as asked, logged and notified", async () => {
    const t = await trader("Dov", {
      maxExposurePerAssetPct: { limit: "10", action: "warn" },
      // kept by this order: no row for it
      minCashPct: { limit: "5", action: "block" },
    });
    const since = h.twin.mark();
    const card = await ask(h, t.user, `/buy ${SYMBOL} 0.5`, (s) => /Confirm order/.test(s));
    const observed = exposurePct(REQUESTED, t.price);
    expect(text(card)).toContain("⚠️ This order breaks a risk limit. Confirm to place it anyway.");
    expect(text(card)).toContain(
      `• Exposure per asset (% of equity): ${two(observed)} % (limit 10.00 %) · warn`,
    );
    expect(text(card)).not.toContain("Minimum cash");
    expect(buttonsOf(card)).toEqual(["⚠️ Confirm anyway", "✏️ Edit", "✖️ Cancel"]);
    expect(await breachesOf(t)).toEqual([]);
    expect(await ordersOf(t)).toEqual([]);

    const pressAt = h.twin.mark();
    t.user.press(card, "⚠️ Confirm anyway");
    const placed = await h.twin.waitForMessage(
      t.user.chatId,
      (m) => m.message_id === card.message_id && /Order #\d+/.test(text(m)),
      { since: pressAt },
    );
    const orders = await ordersOf(t);
    expect(orders).toHaveLength(1);
    const order = orders[0]!;
    expect(new Decimal(order.quantity).eq(REQUESTED)).toBe(true);
    expect(text(placed)).toContain(`Order #${order.id}`);
    expect(text(placed)).toContain(`BUY 0.5 ${SYMBOL} · Market · GTC`);
    expect(text(placed)).toContain(
      `⚠️ After this order ${SYMBOL} would be ${two(observed)} % of equity; your limit is 10.00 %.`,
    );

    const { message } = await deliveredNotice(t, "Risk warning on an order", since);
    expect(text(message)).toContain(`Order: BUY 0.5 ${SYMBOL}`);
    expect(text(message)).toContain(
      `Exposure per asset (% of equity): ${two(observed)} % (limit 10.00 %)`,
    );
    expect(text(message)).not.toContain("Minimum cash");

    const breaches = await breachesOf(t);
    expect(breaches).toHaveLength(1);
    expect(breaches[0]).toMatchObject({
      policyId: t.policy.id,
      rule: "maxExposurePerAssetPct",
      action: "WARNED",
    });
    expect(breaches[0]!.observed).toMatchObject({
      outcome: "WARN",
      limit: "10",
      observed: observed.toFixed(),
      equity: EQUITY.toFixed(),
      quantity: "0.5",
      referencePrice: t.price.toFixed(),
      maxQuantity: null,
      clientOrderId: order.clientOrderId,
    });
  });

  it("an impossible limit typed into /newpolicy is explained, and nothing is saved", async () => {
    const { users } = h.app.services;
    const id = nextId++;
    const row = await users.registerFromTelegram({
      telegramUserId: String(id),
      firstName: "Eli",
      languageCode: "en",
    });
    const actor = toActor(await users.approve(admin, row.id));
    const eli = h.twin.user({ id, first_name: "Eli", language_code: "en" });

    const scope = await ask(h, eli, "/newpolicy", (s) => /Where should the policy apply/.test(s));
    let at = h.twin.mark();
    eli.press(scope, "👤 me (each of my portfolios)");
    const name = await h.twin.waitForMessage(eli.chatId, (m) => /Name the policy/.test(text(m)), {
      since: at,
    });
    at = h.twin.mark();
    eli.press(name, buttonsOf(name)[0]!);
    const first = await h.twin.waitForMessage(
      eli.chatId,
      (m) => /^Risk per trade\n/.test(text(m)),
      { since: at },
    );

    const over = await ask(h, eli, "150", (s) => /Risk per trade/.test(s));
    expect(text(over)).toBe("Risk per trade must be above 0 % and at most 100 % (got 150).");
    const negative = await ask(h, eli, "-2", (s) => /Risk per trade/.test(s));
    expect(text(negative)).toBe("Risk per trade must be above 0 % and at most 100 % (got -2).");
    const zero = await ask(h, eli, "0", (s) => /Risk per trade/.test(s));
    expect(text(zero)).toBe("Risk per trade must be above 0 % and at most 100 % (got 0).");

    at = h.twin.mark();
    eli.press(first, "Done");
    await h.twin.waitForMessage(
      eli.chatId,
      (m) => text(m) === "No rule was set, so nothing was saved.",
      { since: at },
    );
    expect(await h.db.db.prisma.riskPolicy.count({ where: { userId: actor.id } })).toBe(0);
    expect(
      await h.db.db.prisma.auditLog.count({ where: { actorId: actor.id, entityType: "POLICY" } }),
    ).toBe(0);
  });
});
