// What a trader meets through the bot (the real app on the Telegram twin, both databases):
// a spot account refuses to sell more than is held — offering the free quantity as a button,
// counting what open sells commit, and again at Confirm when another sell got there first; and
// deleting a portfolio with open positions and orders is refused with buttons to cancel and to
// close at market, after which it is archived, its schedule and alert paused and the owner told
// once; a schedule tick on an archived portfolio pauses the schedule instead of failing.
import { cashBalance } from "../../src/domain/cash/cash-ledger.ts";
import type { InlineKeyboardMarkup } from "grammy/types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Provider } from "../../src/db/client.ts";
import type { Actor } from "../../src/domain/users/actor.ts";
import { toActor } from "../../src/domain/users/actor.ts";
import { ManualClock } from "../../src/lib/clock.ts";
import { Decimal } from "../../src/lib/decimal.ts";
import { ADMIN_ID, type Harness, startHarness } from "../support/app-harness.ts";
import { PROVIDERS } from "../support/db.ts";
import type { SimulatedUser, TwinMessage } from "../support/telegram-twin/index.ts";

const ALICE = 6201;
const START = new Date("2026-03-10T09:00:30Z");
const SYMBOL = "ETHUSDT";

let h: Harness;
let clock: ManualClock;
let alice: SimulatedUser;
let actor: Actor;
let mainId: number;
/** a limit price far above the market: sells there rest */
let high: string;

const prisma = () => h.db.db.prisma;
const text = (m: { text?: string; caption?: string }) => m.text ?? m.caption ?? "";
const buttons = (m: TwinMessage) =>
  ((m.reply_markup as InlineKeyboardMarkup | undefined)?.inline_keyboard ?? []).flat();

async function say(
  user: SimulatedUser,
  message: string,
  match: (t: string, m: TwinMessage) => boolean = (t) => t.length > 0,
): Promise<TwinMessage> {
  const since = h.twin.mark();
  user.send(message);
  return h.twin.waitForMessage(user.chatId, (m) => match(text(m), m), {
    since,
    timeoutMs: 10_000,
  });
}

async function press(
  user: SimulatedUser,
  message: TwinMessage,
  button: string,
  match: (t: string, m: TwinMessage) => boolean,
): Promise<TwinMessage> {
  const since = h.twin.mark();
  user.press(message, button);
  return h.twin.waitForMessage(user.chatId, (m) => match(text(m), m), {
    since,
    timeoutMs: 10_000,
  });
}

async function setUp(provider: Provider) {
  clock = new ManualClock(START);
  h = await startHarness({ provider, clock });
  const { users, portfolios, trading, instruments, chats, market } = {
    ...h.app.services,
    market: h.app.market,
  };
  const admin = toActor(
    await users.registerFromTelegram({ telegramUserId: String(ADMIN_ID), firstName: "Ada" }),
  );
  const row = await users.registerFromTelegram({
    telegramUserId: String(ALICE),
    firstName: "Alice",
    languageCode: "en",
  });
  actor = toActor(await users.approve(admin, row.id));
  await chats.registerPrivateChat(actor.id, String(ALICE));
  alice = h.twin.user({ id: ALICE, first_name: "Alice", language_code: "en" });
  const account = await portfolios.createAccount(actor, {
    brokerCode: "PAPER",
    name: "Alice paper",
    baseCurrency: "USDT",
    openingBalance: new Decimal("100000"),
  });
  const main = await portfolios.createPortfolio(actor, { accountId: account.id, name: "Main" });
  mainId = main.id;
  const bought = await trading.place(actor, {
    portfolioId: main.id,
    symbol: SYMBOL,
    side: "BUY",
    type: "MARKET",
    quantity: new Decimal("1"),
  });
  expect(bought.order.status).toBe("FILLED");
  const tick = (await instruments.resolve(SYMBOL)).rules.tickSize;
  const quote = await market.quote(SYMBOL);
  high = quote.ask.mul(2).div(tick).ceil().mul(tick).toFixed();
}

describe.each(PROVIDERS)(
  "a spot account and deleting a portfolio, through the bot on %s",
  (provider) => {
    beforeAll(() => setUp(provider));
    afterAll(async () => {
      await h?.stop();
    });

    it("refuses to sell more than is held, offering the free quantity", async () => {
      const before = await prisma().order.count();
      const refused = await say(alice, `/sell ${SYMBOL} 5`, (t) => /spot account/.test(t));
      expect(text(refused)).toBe(
        "You hold 1 ETH in this position; a spot account cannot sell more than it holds (no short selling). Free to sell: 1 ETH.",
      );
      expect(buttons(refused).map((b) => b.text)).toEqual(["Sell 1", "✏️ Edit", "✖️ Cancel"]);
      // the offer turns into a card for what is free
      const card = await press(
        alice,
        refused,
        "Sell 1",
        (t, m) => m.message_id === refused.message_id && /Confirm order/.test(t),
      );
      expect(text(card)).toContain("SELL 1 ETHUSDT · Market · GTC");
      await press(
        alice,
        card,
        "✖️ Cancel",
        (t, m) => m.message_id === card.message_id && !/Confirm order/.test(t),
      );
      expect(await prisma().order.count()).toBe(before);
    });

    it("counts open sells: of two that together exceed the holding, the second is refused", async () => {
      const first = await say(alice, `/sell ${SYMBOL} 0.6 limit ${high}`, (t) =>
        /Confirm order/.test(t),
      );
      const placed = await press(
        alice,
        first,
        "✅ Confirm",
        (t, m) => m.message_id === first.message_id && /Order #\d+/.test(t),
      );
      expect(text(placed)).toMatch(/working|open/i);
      const second = await say(alice, `/sell ${SYMBOL} 0.6`, (t) => /spot account/.test(t));
      expect(text(second)).toBe(
        "You hold 1 ETH (0.6 committed to open sell orders); a spot account cannot sell more than it holds (no short selling). Free to sell: 0.4 ETH.",
      );
      expect(buttons(second).map((b) => b.text)).toContain("Sell 0.4");

      // a card for what was free, and another sell takes it before Confirm: refused at placement
      const card = await say(alice, `/sell ${SYMBOL} 0.4`, (t) => /Confirm order/.test(t));
      await h.app.services.trading.place(actor, {
        portfolioId: mainId,
        symbol: SYMBOL,
        side: "SELL",
        type: "LIMIT",
        price: new Decimal(high),
        quantity: new Decimal("0.3"),
      });
      const atConfirm = await press(
        alice,
        card,
        "✅ Confirm",
        (t, m) => m.message_id === card.message_id && /spot account/.test(t),
      );
      expect(text(atConfirm)).toContain("(0.9 committed to open sell orders)");
      expect(text(atConfirm)).toContain("Free to sell: 0.1 ETH.");
      const sells = await prisma().order.findMany({ where: { portfolioId: mainId, side: "SELL" } });
      expect(sells.map((o) => String(o.quantity)).sort()).toEqual(["0.3", "0.6"]);
      const venue = await prisma().paperOrder.count({
        where: { side: "SELL", status: "REJECTED" },
      });
      expect(venue).toBe(0);
    });

    it("refuses to delete with open positions and orders, cancels and closes by button, then archives and pauses", async () => {
      const { schedules, alerts } = h.app.services;
      const schedule = await schedules.create(actor, {
        name: "Evening book",
        target: { kind: "PORTFOLIO_SUMMARY", portfolioId: mainId },
        when: { preset: "evenings" },
      });
      const { alert } = await alerts.createFromText(actor, "position ETHUSDT pnl -100000", "Deep");

      const menu = await say(alice, "/portfolio", (t) => /Portfolios/.test(t));
      const confirm = await press(
        alice,
        menu,
        "🗑 Delete",
        (_t, m) =>
          m.message_id === menu.message_id && buttons(m).some((b) => /Yes, delete/.test(b.text)),
      );
      const refusal = await press(alice, confirm, "🗑 Yes, delete the active portfolio", (t) =>
        /cannot be deleted/.test(t),
      );
      expect(text(refusal)).toBe(
        "Portfolio “Main” still has 1 open position(s) and 2 open order(s), so it cannot be deleted. Cancel the orders and close the positions first; its history is kept either way.",
      );
      expect(buttons(refusal).map((b) => b.text)).toEqual([
        "✖️ Cancel 2 open order(s)",
        "📉 Close 1 position(s) at market",
      ]);
      expect(await prisma().portfolio.count({ where: { id: mainId, archivedAt: null } })).toBe(1);

      const canceled = await press(
        alice,
        refusal,
        "✖️ Cancel 2 open order(s)",
        (t, m) => m.message_id === refusal.message_id && /Canceled/.test(t),
      );
      expect(text(canceled)).toBe(
        "Canceled 2 open order(s).\n\nMain still has 1 open position(s) and 0 open order(s).",
      );
      expect(buttons(canceled).map((b) => b.text)).toEqual(["📉 Close 1 position(s) at market"]);
      const closed = await press(
        alice,
        canceled,
        "📉 Close 1 position(s) at market",
        (t, m) => m.message_id === canceled.message_id && /Closing positions/.test(t),
      );
      const closeOrder = await prisma().order.findFirstOrThrow({
        where: { portfolioId: mainId, side: "SELL", type: "MARKET" },
      });
      expect(text(closed)).toBe(
        `Closing positions at market:\n• #${closeOrder.id} SELL 1 ETHUSDT: filled\n\nMain has no open orders or positions left: you can delete it now.`,
      );
      // flat, but the portfolio still holds cash: taken out first, or it would vanish
      const holding = await press(
        alice,
        closed,
        "🗑 Delete it now",
        (t, m) => m.message_id === closed.message_id && /still holds/.test(t),
      );
      expect(buttons(holding).map((b) => b.text)).toEqual(["🗑 Delete it now"]);
      const cashLeft = await cashBalance(prisma(), mainId, "USDT");
      await say(alice, `/withdraw ${cashLeft.toFixed()} USDT`, (t) => /Withdrew/.test(t));
      const archived = await press(
        alice,
        holding,
        "🗑 Delete it now",
        (t, m) => m.message_id === closed.message_id && /archived/.test(t),
      );
      expect(text(archived)).toBe(
        "Portfolio Main archived: it is hidden and takes no new orders; its orders, trades and positions stay in your history.",
      );

      // the owner is told once, through the outbox, what was paused
      const notice = await h.twin.waitForMessage(
        alice.chatId,
        (m) => /Portfolio “Main” archived/.test(text(m)),
        { timeoutMs: 10_000 },
      );
      expect(text(notice)).toContain("Schedules: Evening book");
      expect(text(notice)).toContain("Alerts: Deep");
      expect(
        await prisma().notificationOutbox.count({
          where: { userId: actor.id, dedupeKey: { startsWith: "portfolio-retired:" } },
        }),
      ).toBe(1);
      expect((await schedules.get(actor, schedule.id)).isActive).toBe(false);
      expect((await prisma().alert.findUniqueOrThrow({ where: { id: alert.id } })).isActive).toBe(
        false,
      );
      // gone from /portfolio; trading on it is refused
      const after = await say(alice, "/portfolio", (t) => /Portfolios/.test(t));
      expect(buttons(after).map((b) => b.text)).not.toContain("Main");
      const noPortfolio = await say(alice, `/buy ${SYMBOL} 0.1`);
      expect(text(noPortfolio)).toContain("You have no portfolio to trade from yet");
    });

    it("a schedule tick on an archived portfolio pauses the schedule and tells the owner", async () => {
      const { portfolios, schedules } = h.app.services;
      const account = await portfolios.createAccount(actor, {
        brokerCode: "PAPER",
        name: "Old paper",
        baseCurrency: "USDT",
      });
      const old = await portfolios.createPortfolio(actor, { accountId: account.id, name: "Old" });
      const schedule = await schedules.create(actor, {
        name: "Old hourly",
        target: { kind: "PORTFOLIO_SUMMARY", portfolioId: old.id },
        when: { preset: "hourly" },
      });
      // archived the way data from before this fix could be: the schedule still active
      await prisma().portfolio.update({
        where: { id: old.id },
        data: { archivedAt: clock.now(), archiveKey: old.id },
      });
      clock.set(new Date(schedule.nextRunAt!.getTime() + 5_000));
      await h.app.jobs.runNow("schedule-runner");
      const notice = await h.twin.waitForMessage(
        alice.chatId,
        (m) => /Portfolio “Old” archived/.test(text(m)),
        { timeoutMs: 10_000 },
      );
      expect(text(notice)).toContain("Schedules: Old hourly");
      expect(await schedules.get(actor, schedule.id)).toMatchObject({
        isActive: false,
        nextRunAt: null,
      });
      // the next tick has nothing to do for it: no report, no failure notice
      clock.set(new Date(clock.now().getTime() + 3_600_000));
      await h.app.jobs.runNow("schedule-runner");
      expect(
        await prisma().notificationOutbox.count({
          where: { dedupeKey: { startsWith: `schedule:${schedule.id}:` } },
        }),
      ).toBe(0);
    });
  },
);
