// The trading loop end to end through the Telegram twin, on a manual clock so the offline market
// holds still between steps and every price can be predicted here: the real app (config, SQLite,
// grammY with long polling, the order-sync job and the outbox drainer), a trader who sets up a
// paper account and two portfolios by conversation, switches with the /portfolio menu, buys by
// quick syntax and by the step-by-step conversation, reads /positions, sells part and reads the
// realized PnL, rests a limit that fills when the offline price reaches it (the clock moved to the
// minute the path crosses, found here from the same seeded generator), cancels open orders by the
// list's Cancel button and by /cancel ID, and reads /pnl today (that day and the next, and the
// week). Every number is
// recomputed here with decimal.js from the quotes and the trades in the database — execution
// prices from the quote, slippage and tick; fees from the configured basis points; average cost,
// realized and unrealized PnL from the fills. Bad input (an unknown symbol, negative quantities,
// someone else's order, a filled order) gets a clear answer and changes nothing.
import type { InlineKeyboardMarkup } from "grammy/types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/lib/clock.ts";
import { Decimal } from "../../src/lib/decimal.ts";
import { OfflineMarketData } from "../../src/market/offline/offline-market-data.ts";
import { toActor } from "../../src/domain/users/actor.ts";
import { ADMIN_ID, type Harness, startHarness } from "../support/app-harness.ts";
import { PROVIDERS } from "../support/db.ts";
import type { Provider } from "../../src/db/client.ts";
import type { SimulatedUser, TwinMessage } from "../support/telegram-twin/index.ts";

const ALICE = 6101;
const MALLORY = 6102;
const SYMBOL = "BTCUSDT";
/** Not the defaults (10 and 2): proves the configured values reach the paper venue. */
const FEE_BPS = "20";
const SLIPPAGE_BPS = "5";
const FEE_RATE = new Decimal(FEE_BPS).div(10_000);
const SLIPPAGE = new Decimal(SLIPPAGE_BPS).div(10_000);
/** A Tuesday morning; Alice lives in Berlin (UTC+1 in March), so her day starts at 23:00 UTC. */
const START = new Date("2026-03-10T09:00:00Z");
const ZONE = "Europe/Berlin";
const BERLIN_MIDNIGHT_MAR_11 = new Date("2026-03-10T23:00:00Z");
const MINUTE = 60_000;

let h: Harness;
let clock: ManualClock;
let alice: SimulatedUser;
let mallory: SimulatedUser;
/** the same seeded generator as the app's, read at any moment we like */
let probe: OfflineMarketData;
let probeAt = START;
let tick: Decimal;

const prisma = () => h.db.db.prisma;
const text = (m: { text?: string; caption?: string }) => m.text ?? m.caption ?? "";

// ---- numbers, computed here and rendered the way an en-US reader sees them ----

/** Grouped en-US rendering at `places` decimals, half-even, with a true minus sign. */
function en(value: Decimal, places: number, signed = false): string {
  const d = value.toDecimalPlaces(places, Decimal.ROUND_HALF_EVEN);
  const [int = "0", frac = ""] = d.abs().toFixed(places).split(".");
  const sign = d.isNeg() && !d.isZero() ? "−" : signed && d.gt(0) ? "+" : "";
  return `${sign}${int.replace(/\B(?=(\d{3})+(?!\d))/g, ",")}${frac ? `.${frac}` : ""}`;
}

/**
 * Money as the product shows it: cents, or below 1 up to three significant decimals (at most 8,
 * trailing zeros past the cents dropped).
 */
function money(value: Decimal, signed = false): string {
  const abs = value.abs();
  const max = abs.isZero() || abs.gte(1) ? 2 : Math.min(8, Math.max(2, -abs.e + 3));
  const places = Math.max(2, value.toDecimalPlaces(max, Decimal.ROUND_HALF_EVEN).decimalPlaces());
  return `${en(value, places, signed)} USDT`;
}

const price2 = (d: Decimal) => en(d, 2);

async function quoteAt(at: Date) {
  probeAt = at;
  return probe.quote(SYMBOL);
}

/** What a market order pays or gets: the far side of the quote, slipped, on the tick against us. */
function takerPrice(side: "BUY" | "SELL", quote: { bid: Decimal; ask: Decimal }): Decimal {
  if (side === "BUY") return quote.ask.mul(SLIPPAGE.plus(1)).div(tick).ceil().mul(tick);
  return Decimal.max(
    quote.bid.mul(new Decimal(1).minus(SLIPPAGE)).div(tick).floor().mul(tick),
    tick,
  );
}

/** The venue's fee: notional × rate, rounded up to 8 decimals. */
const feeOf = (quantity: Decimal, price: Decimal) =>
  quantity.mul(price).mul(FEE_RATE).toDecimalPlaces(8, Decimal.ROUND_UP);

interface Fill {
  id: number;
  orderId: number | null;
  side: string;
  quantity: Decimal;
  price: Decimal;
  fee: Decimal;
  execTime: Date;
}

async function fillsOf(portfolioId: number): Promise<Fill[]> {
  const rows = await prisma().trade.findMany({ where: { portfolioId }, orderBy: { id: "asc" } });
  return rows.map((r) => ({
    id: r.id,
    orderId: r.orderId,
    side: r.side,
    quantity: new Decimal(String(r.quantity)),
    price: new Decimal(String(r.price)),
    fee: new Decimal(String(r.fee)),
    execTime: r.execTime,
  }));
}

/** Average cost, realized PnL and fees of a long-only sequence of fills, replayed here. */
function replay(fills: Fill[]) {
  let qty = new Decimal(0);
  let cost = new Decimal(0);
  let realized = new Decimal(0);
  let fees = new Decimal(0);
  for (const f of fills) {
    fees = fees.plus(f.fee);
    if (f.side === "BUY") {
      cost = cost.plus(f.quantity.mul(f.price));
      qty = qty.plus(f.quantity);
    } else {
      const avg = cost.div(qty);
      realized = realized.plus(f.price.minus(avg).mul(f.quantity));
      cost = cost.minus(avg.mul(f.quantity));
      qty = qty.minus(f.quantity);
    }
  }
  return { qty, cost, avg: qty.isZero() ? new Decimal(0) : cost.div(qty), realized, fees };
}

/** Exact up to the 18 decimals the database keeps for an average. */
function expectClose(actual: unknown, expected: Decimal, tolerance = "1e-15") {
  const diff = new Decimal(String(actual)).minus(expected).abs();
  expect(diff.lte(tolerance), `${String(actual)} vs ${expected.toFixed()}`).toBe(true);
}

// ---- talking to the bot ----

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

const buttons = (m: TwinMessage) =>
  ((m.reply_markup as InlineKeyboardMarkup | undefined)?.inline_keyboard ?? []).flat();

/** Confirms a card and waits for the same message to turn into the result. */
async function confirm(user: SimulatedUser, card: TwinMessage, result: RegExp) {
  const done = await press(
    user,
    card,
    "✅ Confirm",
    (t, m) => m.message_id === card.message_id && result.test(t),
  );
  return { message: done, orderId: Number(/Order #(\d+)/.exec(text(done))![1]) };
}

/** Counts of everything an order command could change. */
async function counts() {
  const db = prisma();
  const [orders, trades, positions, paperOrders, paperFills, audit, canceled] = await Promise.all([
    db.order.count(),
    db.trade.count(),
    db.position.count(),
    db.paperOrder.count(),
    db.paperFill.count(),
    db.auditLog.count(),
    db.order.count({ where: { status: "CANCELED" } }),
  ]);
  return { orders, trades, positions, paperOrders, paperFills, audit, canceled };
}

async function portfolio(name: string, userTelegramId = ALICE) {
  return prisma().portfolio.findFirstOrThrow({
    where: { name, user: { telegramUserId: String(userTelegramId) } },
  });
}

/** The value after a label in a two-column /positions block ("Average cost   43,012.35"). */
function row(message: TwinMessage, label: string): string {
  const line = text(message)
    .split("\n")
    .find((l) => l.startsWith(label));
  if (!line) throw new Error(`no "${label}" row in:\n${text(message)}`);
  return line.slice(label.length).trim();
}

/** The app on a fresh database, Alice and Mallory approved, Mallory with one resting order. */
async function setUp(provider: Provider) {
  clock = new ManualClock(START);
  probeAt = START;
  h = await startHarness({
    provider,
    clock,
    env: { PAPER_FEE_BPS: FEE_BPS, PAPER_SLIPPAGE_BPS: SLIPPAGE_BPS },
  });
  probe = new OfflineMarketData({ seed: h.config.MARKET_DATA_SEED, clock: () => probeAt });
  const { users, portfolios, trading, instruments } = h.app.services;
  const admin = toActor(
    await users.registerFromTelegram({ telegramUserId: String(ADMIN_ID), firstName: "Ada" }),
  );
  const approved = async (id: number, name: string) => {
    const row = await users.registerFromTelegram({
      telegramUserId: String(id),
      firstName: name,
      languageCode: "en",
    });
    const actor = toActor(await users.approve(admin, row.id));
    return toActor(await users.updateSettings(actor, { timeZone: ZONE }));
  };
  await approved(ALICE, "Alice");
  const malloryActor = await approved(MALLORY, "Mallory");
  alice = h.twin.user({ id: ALICE, first_name: "Alice", language_code: "en" });
  mallory = h.twin.user({ id: MALLORY, first_name: "Mallory", language_code: "en" });

  // Mallory trades too: a paper portfolio with one resting buy far below the market
  const account = await portfolios.createAccount(malloryActor, {
    brokerCode: "PAPER",
    name: "Mallory paper",
    baseCurrency: "USDT",
    openingBalance: new Decimal("10000"),
  });
  const mine = await portfolios.createPortfolio(malloryActor, {
    accountId: account.id,
    name: "Main",
  });
  tick = (await instruments.resolve(SYMBOL)).rules.tickSize;
  const quote = await quoteAt(START);
  await trading.place(malloryActor, {
    portfolioId: mine.id,
    symbol: SYMBOL,
    side: "BUY",
    type: "LIMIT",
    quantity: new Decimal("0.01"),
    price: quote.bid.mul("0.6").div(tick).floor().mul(tick),
    stopPrice: null,
    trailAmount: null,
    trailPercent: null,
    timeInForce: "GTC",
    strategyId: null,
  });
}

describe.each(PROVIDERS)(
  "the trading loop through the bot on %s, every number recomputed",
  (provider) => {
    beforeAll(() => setUp(provider));
    afterAll(async () => {
      await h?.stop();
    });

    it("sets up a paper account and two portfolios by conversation and switches with /portfolio", async () => {
      const brokers = await say(alice, "/newaccount", (t) => /Which broker/.test(t));
      const paperButton = buttons(brokers).find((b) => /paper/i.test(b.text));
      expect(paperButton, JSON.stringify(buttons(brokers))).toBeDefined();
      await press(alice, brokers, paperButton!.text, (t) => /A name for the account/.test(t));
      const currency = await say(alice, "Alice paper", (t) => /base currency/.test(t));
      await press(alice, currency, "USDT", (t) => /Starting cash in USDT/.test(t));
      const created = await say(alice, "25000", (t) => /Account Alice paper created/.test(t));
      expect(text(created)).toContain(
        "Starting cash: 25,000.00 USDT (it goes to the first portfolio you create on the account).",
      );

      await say(alice, "/newportfolio", (t) => /Name for the new portfolio on Alice paper/.test(t));
      const main = await say(alice, "Main", (t) => /Portfolio Main created/.test(t));
      expect(text(main)).toBe("Portfolio Main created; it is your default and active portfolio.");
      await say(alice, "/newportfolio", (t) => /Name for the new portfolio/.test(t));
      // a name already taken is explained and asked again
      expect(text(await say(alice, "main"))).toBe("You already have a portfolio called “main”.");
      const swing = await say(alice, "Swing", (t) => /Portfolio Swing created/.test(t));
      expect(text(swing)).toBe("Portfolio Swing created and active.");

      const menu = await say(alice, "/portfolio", (t) => /Portfolios/.test(t));
      expect(text(menu)).toMatch(/Active: Swing$/);
      expect(buttons(menu).map((b) => b.text)).toEqual(
        expect.arrayContaining(["Main", "✅ Swing"]),
      );
      const switched = await press(
        alice,
        menu,
        "Main",
        (t, m) => m.message_id === menu.message_id && /Active: Main$/.test(t),
      );
      expect(buttons(switched).map((b) => b.text)).toEqual(
        expect.arrayContaining(["✅ Main", "Swing"]),
      );
      const user = await prisma().user.findUniqueOrThrow({
        where: { telegramUserId: String(ALICE) },
      });
      expect(user.activePortfolioId).toBe((await portfolio("Main")).id);
      // both portfolios on the one paper account, Main the default
      const [mainRow, swingRow] = [await portfolio("Main"), await portfolio("Swing")];
      expect(mainRow.accountId).toBe(swingRow.accountId);
      expect([mainRow.defaultForUserId, swingRow.defaultForUserId]).toEqual([user.id, null]);
      expect(await prisma().portfolio.count({ where: { userId: user.id } })).toBe(2);
    });

    it("buys by quick syntax at the price the quote, slippage and tick give, with the configured fee", async () => {
      clock.advance(MINUTE);
      const quote = await quoteAt(clock.now());
      const qty = new Decimal("0.01");
      const expected = takerPrice("BUY", quote);
      const card = await say(alice, `/buy ${SYMBOL} 0.01`, (t) => /Confirm order/.test(t));
      const cardText = text(card);
      expect(cardText).toContain("BUY 0.01 BTCUSDT · Market · GTC");
      expect(cardText).toContain("Portfolio: Main (paper)");
      expect(cardText).toContain(`Bid / ask: ${price2(quote.bid)} / ${price2(quote.ask)}`);
      expect(cardText).toContain(`Estimated price: ${price2(expected)} USDT`);
      expect(cardText).toContain(`Value: ${money(qty.mul(expected))}`);
      expect(cardText).toContain(`Fee (estimated): ${money(qty.mul(expected).mul(FEE_RATE))}`);
      expect(cardText).toContain(`Total to pay: ${money(qty.mul(expected).mul(FEE_RATE.plus(1)))}`);
      expect(cardText).toContain("Cash available: 25,000.00 USDT");

      const since = h.twin.mark();
      const { message, orderId } = await confirm(alice, card, /Order #\d+ filled/);
      expect(text(message)).toBe(
        `✅ Order #${orderId} filled: BUY 0.01 BTCUSDT · Market · GTC — 0.01 at ${price2(expected)} USDT.`,
      );
      const main = await portfolio("Main");
      const [fill] = await fillsOf(main.id);
      expect(fill).toMatchObject({ orderId, side: "BUY" });
      expect(fill!.quantity.toFixed()).toBe("0.01");
      expect(fill!.price.toFixed()).toBe(expected.toFixed());
      expect(fill!.fee.toFixed()).toBe(feeOf(qty, expected).toFixed());
      expect(fill!.execTime.toISOString()).toBe(clock.now().toISOString());
      const order = await prisma().order.findUniqueOrThrow({ where: { id: orderId } });
      expect(order).toMatchObject({ portfolioId: main.id, status: "FILLED", type: "MARKET" });
      expectClose(order.filledQuantity, qty, "0");
      expectClose(order.avgFillPrice, expected, "0");

      // the fill notification, through the outbox, in Alice's time zone
      const note = await h.twin.waitForMessage(
        alice.chatId,
        (m) => /Filled: BTCUSDT/.test(text(m)),
        {
          since,
          timeoutMs: 10_000,
        },
      );
      expect(text(note)).toContain(`BUY 0.01 BTCUSDT @ ${price2(expected)} USDT`);
      expect(text(note)).toContain(`Fee: ${money(fill!.fee)}`);
      expect(text(note)).toContain(`Order #${orderId}: 0.01 of 0.01 filled`);
      expect(text(note)).toContain(`Position in Main: +0.01 @ ${price2(expected)}`);
      expect(text(note)).toContain("2026-03-10 10:01:00");
    });

    it("buys step by step: an unknown symbol offers close matches, a negative quantity is asked again", async () => {
      clock.advance(MINUTE);
      const quote = await quoteAt(clock.now());
      const expected = takerPrice("BUY", quote);
      const before = await counts();

      await say(alice, "/buy", (t) => /Which symbol\?/.test(t));
      const unknown = await say(alice, "btcusd", (t) => /I don't know/.test(t));
      expect(text(unknown)).toBe(
        "I don't know “BTCUSD”. Try one of these, or type another symbol.",
      );
      expect(buttons(unknown).map((b) => b.text)).toContain(SYMBOL);
      await press(alice, unknown, SYMBOL, (t) => /How much BTCUSDT\?/.test(t));
      expect(text(await say(alice, "-0.02"))).toBe(
        "“-0.02” is not a positive number. Try again, or /cancel.",
      );
      expect(text(await say(alice, "0"))).toBe(
        "“0” is not a positive number. Try again, or /cancel.",
      );
      const type = await say(alice, "0.02", (t) => /Which order type\?/.test(t));
      const tif = await press(alice, type, "Market", (t) => /Time in force\?/.test(t));
      const card = await press(alice, tif, "GTC", (t) => /Confirm order/.test(t));
      expect(text(card)).toContain("BUY 0.02 BTCUSDT · Market · GTC");
      expect(text(card)).toContain(`Estimated price: ${price2(expected)} USDT`);
      // nothing was placed while the conversation explained the bad answers
      expect(await counts()).toEqual(before);

      const { orderId } = await confirm(alice, card, /Order #\d+ filled/);
      const fills = (await fillsOf((await portfolio("Main")).id)).filter(
        (f) => f.orderId === orderId,
      );
      expect(fills).toHaveLength(1);
      expect(fills[0]!.quantity.toFixed()).toBe("0.02");
      expect(fills[0]!.price.toFixed()).toBe(expected.toFixed());
      expect(fills[0]!.fee.toFixed()).toBe(feeOf(new Decimal("0.02"), expected).toFixed());
    });

    it("/positions and /balance show what the fills in the database add up to", async () => {
      clock.advance(MINUTE);
      const main = await portfolio("Main");
      const fills = await fillsOf(main.id);
      const exp = replay(fills);
      expect(exp.qty.toFixed()).toBe("0.03");
      const position = await prisma().position.findFirstOrThrow({
        where: { portfolioId: main.id },
      });
      expectClose(position.quantity, exp.qty, "0");
      expectClose(position.avgPrice, exp.avg);
      expectClose(position.realizedPnl, new Decimal(0), "0");
      expectClose(position.fees, exp.fees, "0");

      const last = (await quoteAt(clock.now())).last;
      const unrealized = exp.qty.mul(last.minus(exp.avg));
      const shown = await say(alice, "/positions", (t) => /Positions — Main/.test(t));
      expect(text(shown)).toMatch(/BTCUSDT 🟢 LONG/);
      expect(row(shown, "Quantity")).toBe("+0.03");
      expect(row(shown, "Average cost")).toBe(price2(exp.avg));
      expect(row(shown, "Last price")).toBe(price2(last));
      expect(row(shown, "Market value")).toBe(money(exp.qty.mul(last)));
      expect(row(shown, "Unrealized")).toBe(
        `${money(unrealized, true)} (${en(unrealized.div(exp.cost).mul(100), 2, true)} %)`,
      );
      expect(row(shown, "Realized")).toBe(money(new Decimal(0), true));
      expect(row(shown, "Fees")).toBe(money(exp.fees));
      expect(row(shown, "Net (unrealized + realized − fees)")).toBe(
        money(unrealized.minus(exp.fees), true),
      );

      // cash: the opening balance less what the buys cost, fees included
      const spent = fills.reduce(
        (s, f) => s.plus(f.quantity.mul(f.price)).plus(f.fee),
        new Decimal(0),
      );
      const balance = await say(alice, "/balance", (t) => /Cash/.test(t));
      expect(text(balance)).toContain(money(new Decimal(25_000).minus(spent)));
    });

    it("sells part and shows the realized PnL computed from the fills", async () => {
      clock.advance(MINUTE);
      const quote = await quoteAt(clock.now());
      const qty = new Decimal("0.012");
      const expected = takerPrice("SELL", quote);
      const main = await portfolio("Main");
      const before = replay(await fillsOf(main.id));

      const card = await say(alice, `/sell ${SYMBOL} 0.012`, (t) => /Confirm order/.test(t));
      expect(text(card)).toContain(`Estimated price: ${price2(expected)} USDT`);
      expect(text(card)).toContain(
        `Total to receive: ${money(qty.mul(expected).mul(new Decimal(1).minus(FEE_RATE)))}`,
      );
      const since = h.twin.mark();
      const { orderId } = await confirm(alice, card, /Order #\d+ filled/);
      const fills = await fillsOf(main.id);
      const sell = fills.at(-1)!;
      expect(sell).toMatchObject({ orderId, side: "SELL" });
      expect(sell.price.toFixed()).toBe(expected.toFixed());
      expect(sell.fee.toFixed()).toBe(feeOf(qty, expected).toFixed());

      const exp = replay(fills);
      const realized = expected.minus(before.avg).mul(qty);
      expect(exp.realized.minus(realized).abs().lte("1e-18")).toBe(true);
      expect(exp.qty.toFixed()).toBe("0.018");
      const position = await prisma().position.findFirstOrThrow({
        where: { portfolioId: main.id },
      });
      expectClose(position.quantity, exp.qty, "0");
      expectClose(position.realizedPnl, realized);
      // reducing a position leaves its average cost where it was
      expectClose(position.avgPrice, before.avg);
      expectClose(position.fees, exp.fees, "0");

      const note = await h.twin.waitForMessage(
        alice.chatId,
        (m) => /Filled: BTCUSDT/.test(text(m)) && text(m).includes(`Order #${orderId}:`),
        { since, timeoutMs: 10_000 },
      );
      expect(text(note)).toContain(`Realized PnL: ${money(realized, true)}`);
      expect(text(note)).toContain(`Position in Main: +0.018 @ ${price2(before.avg)}`);

      const shown = await say(alice, "/positions", (t) => /Positions — Main/.test(t));
      expect(row(shown, "Quantity")).toBe("+0.018");
      expect(row(shown, "Realized")).toBe(money(realized, true));
      expect(row(shown, "Fees")).toBe(money(exp.fees));
    });

    it("rests a limit buy below the market and fills it at its limit when the offline price gets there", async () => {
      clock.advance(MINUTE);
      const placedAt = clock.now();
      const askNow = (await quoteAt(placedAt)).ask;
      // the first later minute (the same day in Berlin) whose ask is at least 0.2 % lower: the
      // limit goes exactly there, so it rests now and is crossed then
      const threshold = askNow.mul("0.998");
      let crossAt: Date | null = null;
      let limit = new Decimal(0);
      for (
        let t = placedAt.getTime() + MINUTE;
        t < BERLIN_MIDNIGHT_MAR_11.getTime() - 10 * MINUTE;
        t += MINUTE
      ) {
        const q = await quoteAt(new Date(t));
        if (q.ask.lte(threshold)) {
          crossAt = new Date(t);
          limit = q.ask;
          break;
        }
      }
      expect(crossAt, "the seeded path dips 0.2 % below the ask later that day").not.toBeNull();
      const qty = new Decimal("0.01");

      const card = await say(alice, `/buy ${SYMBOL} 0.01 limit ${limit.toFixed()}`, (t) =>
        /Confirm order/.test(t),
      );
      expect(text(card)).toContain(`BUY 0.01 BTCUSDT · Limit ${price2(limit)} · GTC`);
      expect(text(card)).toContain(`Price if filled: ${price2(limit)} USDT`);
      expect(text(card)).toContain(`Fee (estimated): ${money(qty.mul(limit).mul(FEE_RATE))}`);
      const { message, orderId } = await confirm(alice, card, /Order #\d+ is working/);
      expect(text(message)).toBe(
        `🕓 Order #${orderId} is working: BUY 0.01 BTCUSDT · Limit ${price2(limit)} · GTC. I will tell you when it fills.`,
      );
      const main = await portfolio("Main");
      const tradesBefore = await prisma().trade.count({ where: { portfolioId: main.id } });

      // a minute before the crossing a sync pass (as the job runs it) leaves it resting
      clock.set(crossAt!.getTime() - MINUTE);
      expect((await quoteAt(clock.now())).ask.gt(limit)).toBe(true);
      await h.app.services.sync.syncAccount(main.accountId);
      expect((await prisma().order.findUniqueOrThrow({ where: { id: orderId } })).status).toBe(
        "NEW",
      );
      expect(await prisma().trade.count({ where: { portfolioId: main.id } })).toBe(tradesBefore);

      // at the crossing minute the order-sync job (every 2 s) fills it and Alice is told
      const since = h.twin.mark();
      clock.set(crossAt!);
      const note = await h.twin.waitForMessage(
        alice.chatId,
        (m) => text(m).includes(`Order #${orderId}: 0.01 of 0.01 filled`),
        { since, timeoutMs: 10_000 },
      );
      const fills = (await fillsOf(main.id)).filter((f) => f.orderId === orderId);
      expect(fills).toHaveLength(1);
      // a resting limit fills as a maker at its own price, never worse
      expect(fills[0]!.price.toFixed()).toBe(limit.toFixed());
      expect(fills[0]!.fee.toFixed()).toBe(feeOf(qty, limit).toFixed());
      expect(fills[0]!.execTime.toISOString()).toBe(crossAt!.toISOString());
      const order = await prisma().order.findUniqueOrThrow({ where: { id: orderId } });
      expect(order.status).toBe("FILLED");
      expectClose(order.avgFillPrice, limit, "0");
      expect(text(note)).toContain(`BUY 0.01 BTCUSDT @ ${price2(limit)} USDT`);
      expect(text(note)).toContain(`Fee: ${money(fills[0]!.fee)}`);

      const exp = replay(await fillsOf(main.id));
      expect(exp.qty.toFixed()).toBe("0.028");
      const position = await prisma().position.findFirstOrThrow({
        where: { portfolioId: main.id },
      });
      expectClose(position.quantity, exp.qty, "0");
      expectClose(position.avgPrice, exp.avg);
      expectClose(position.realizedPnl, exp.realized);
      expect(text(note)).toContain(`Position in Main: +0.028 @ ${price2(exp.avg)}`);
    });

    it("cancels open orders with the list's Cancel button and with /cancel ID", async () => {
      clock.advance(MINUTE);
      const quote = await quoteAt(clock.now());
      const main = await portfolio("Main");
      const balanceBefore = text(await say(alice, "/balance", (t) => /Cash/.test(t)));
      const low = quote.bid.mul("0.7").div(tick).floor().mul(tick);
      const high = quote.ask.mul("1.3").div(tick).ceil().mul(tick);
      const buyCard = await say(alice, `/buy ${SYMBOL} 0.01 limit ${low.toFixed()}`, (t) =>
        /Confirm order/.test(t),
      );
      const { orderId: buyId } = await confirm(alice, buyCard, /is working/);
      const sellCard = await say(alice, `/sell ${SYMBOL} 0.005 limit ${high.toFixed()}`, (t) =>
        /Confirm order/.test(t),
      );
      const { orderId: sellId } = await confirm(alice, sellCard, /is working/);
      const positionBefore = await prisma().position.findFirstOrThrow({
        where: { portfolioId: main.id },
      });

      const list = await say(alice, "/orders open", (t) => /Orders in Main — open/.test(t));
      expect(text(list)).toContain("2 found · page 1/1");
      expect(text(list)).toContain(
        `#${buyId} open · BUY 0.01 BTCUSDT · Limit ${price2(low)} · GTC`,
      );
      expect(text(list)).toContain(
        `#${sellId} open · SELL 0.005 BTCUSDT · Limit ${price2(high)} · GTC`,
      );
      const malloryOrder = await prisma().order.findFirstOrThrow({
        where: { portfolio: { user: { telegramUserId: String(MALLORY) } } },
      });
      expect(text(list)).not.toContain(`#${malloryOrder.id} `);
      expect(buttons(list).map((b) => b.text)).toEqual(
        expect.arrayContaining([`✖️ Cancel #${buyId}`, `✖️ Cancel #${sellId}`]),
      );

      // the button asks first; "No" keeps the order and shows the list again
      const asked = await press(
        alice,
        list,
        `✖️ Cancel #${buyId}`,
        (t, m) => m.message_id === list.message_id && t.endsWith(`Cancel order #${buyId}?`),
      );
      const kept = await press(
        alice,
        asked,
        "« No, keep it",
        (t, m) => m.message_id === list.message_id && !t.includes("Cancel order #"),
      );
      expect((await prisma().order.findUniqueOrThrow({ where: { id: buyId } })).status).toBe("NEW");
      const again = await press(
        alice,
        kept,
        `✖️ Cancel #${buyId}`,
        (t, m) => m.message_id === list.message_id && t.endsWith(`Cancel order #${buyId}?`),
      );
      // confirmed: answered with the outcome, which also stays in the chat, and the list is
      // redrawn in place without the order
      const redrawn = await press(
        alice,
        again,
        `✖️ Yes, cancel #${buyId}`,
        (t, m) => m.message_id === list.message_id && t.includes("1 found"),
      );
      expect(h.twin.callbackAnswers.at(-1)?.text).toBe(`Order #${buyId} canceled.`);
      await h.twin.waitForMessage(
        alice.chatId,
        (m) => m.message_id > list.message_id && text(m) === `Order #${buyId} canceled.`,
      );
      expect(text(redrawn)).not.toContain(`#${buyId} `);
      expect(text(redrawn)).toContain(`#${sellId} open`);

      // the command
      expect(text(await say(alice, `/cancel ${sellId}`))).toBe(`Order #${sellId} canceled.`);

      for (const id of [buyId, sellId]) {
        const order = await prisma().order.findUniqueOrThrow({ where: { id } });
        expect(order.status).toBe("CANCELED");
        expect(
          (
            await prisma().paperOrder.findFirstOrThrow({
              where: { clientOrderId: order.clientOrderId },
            })
          ).status,
        ).toBe("CANCELED");
        expect(await prisma().trade.count({ where: { orderId: id } })).toBe(0);
        expect(
          await prisma().auditLog.count({
            where: { entityType: "ORDER", entityId: id, action: "CANCEL", actorId: main.userId },
          }),
        ).toBe(1);
      }
      // the position is untouched and the cash the buy had reserved is free again
      const positionAfter = await prisma().position.findFirstOrThrow({
        where: { portfolioId: main.id },
      });
      expect(positionAfter.quantity.toString()).toBe(positionBefore.quantity.toString());
      expect(positionAfter.avgPrice.toString()).toBe(positionBefore.avgPrice.toString());
      expect(text(await say(alice, "/balance", (t) => /Cash/.test(t)))).toBe(balanceBefore);
      const canceledList = await say(alice, "/orders canceled", (t) =>
        /Orders in Main — canceled/.test(t),
      );
      expect(text(canceledList)).toContain(`#${buyId} canceled`);
      expect(text(canceledList)).toContain(`#${sellId} canceled`);
    });

    it("explains bad input and changes nothing", async () => {
      clock.advance(MINUTE);
      const before = await counts();
      const main = await portfolio("Main");
      const malloryOrder = await prisma().order.findFirstOrThrow({
        where: { portfolio: { user: { telegramUserId: String(MALLORY) } } },
      });
      const filled = await prisma().order.findFirstOrThrow({
        where: { portfolioId: main.id, status: "FILLED" },
      });
      const canceled = await prisma().order.findFirstOrThrow({
        where: { portfolioId: main.id, status: "CANCELED" },
      });

      // an unknown symbol: close matches suggested, one button each; taking one shows its card,
      // and discarding the card places nothing
      const unknown = await say(alice, "/buy BTCUSD 0.01");
      expect(text(unknown)).toMatch(/^I don't know the symbol “BTCUSD”\. Did you mean .*BTCUSDT/);
      const fixed = await press(
        alice,
        unknown,
        `Use ${SYMBOL}`,
        (t, m) => m.message_id === unknown.message_id && /Confirm order/.test(t),
      );
      expect(text(fixed)).toContain("BUY 0.01 BTCUSDT · Market · GTC");
      const discarded = await press(
        alice,
        fixed,
        "✖️ Cancel",
        (t, m) => m.message_id === fixed.message_id && !/Confirm order/.test(t),
      );
      expect(text(discarded)).toBe("Order discarded. Nothing was placed.");
      // negative and zero quantities, and words that are not numbers
      expect(text(await say(alice, `/buy ${SYMBOL} -0.01`))).toBe(
        "Quantity must be greater than zero (got -0.01).",
      );
      expect(text(await say(alice, `/sell ${SYMBOL} 0`))).toBe(
        "Quantity must be greater than zero (got 0).",
      );
      expect(text(await say(alice, `/buy ${SYMBOL} abc`))).toMatch(/^“abc” is not a quantity\./);
      // a buy stop below the market, and more than the paper cash can pay
      const { bid } = await h.app.market.quote(SYMBOL);
      const under = new Decimal(String(bid)).mul("0.9").toDecimalPlaces(2, Decimal.ROUND_DOWN);
      expect(text(await say(alice, `/buy ${SYMBOL} 0.01 stop ${under.toFixed(2)}`))).toMatch(
        /^A buy stop must be above the market: stop /,
      );
      expect(text(await say(alice, `/buy ${SYMBOL} 100`))).toMatch(
        /^Not enough cash: .* needed\.$/,
      );

      // someone else's order looks exactly like a missing one, by command and by a forged button
      expect(text(await say(alice, `/cancel ${malloryOrder.id}`))).toBe(
        `There is no order ${malloryOrder.id} in your portfolios.`,
      );
      expect(text(await say(alice, "/cancel 999999"))).toBe(
        "There is no order 999999 in your portfolios.",
      );
      const list = await say(alice, "/orders all", (t) => /Orders in Main — all/.test(t));
      const forged = alice.pressButton(list, `ord:cx:${malloryOrder.id}:all:1`, { forge: true });
      const answer = await h.twin.waitForCallbackAnswer(forged.id);
      expect(answer).toMatchObject({
        text: `There is no order ${malloryOrder.id} in your portfolios.`,
        show_alert: true,
      });
      // Mallory cannot cancel Alice's orders either
      expect(text(await say(mallory, `/cancel ${canceled.id}`))).toBe(
        `There is no order ${canceled.id} in your portfolios.`,
      );
      // a filled and a canceled order can no longer be canceled
      expect(text(await say(alice, `/cancel ${filled.id}`))).toBe(
        `Order #${filled.id} is already filled: nothing is left to cancel.`,
      );
      expect(text(await say(alice, `/cancel ${canceled.id}`))).toBe(
        `Order #${canceled.id} is already canceled.`,
      );
      expect(text(await say(alice, "/cancel abc"))).toBe(
        "Which order? For example: /cancel 42 (numbers are in /orders).",
      );

      await h.twin.waitForIdle();
      expect(await counts()).toEqual(before);
      const stillOpen = await prisma().order.findUniqueOrThrow({ where: { id: malloryOrder.id } });
      expect(stillOpen.status).toBe("NEW");
      expect(
        (
          await prisma().paperOrder.findFirstOrThrow({
            where: { clientOrderId: stillOpen.clientOrderId },
          })
        ).status,
      ).toBe("NEW");
      expect((await prisma().order.findUniqueOrThrow({ where: { id: filled.id } })).status).toBe(
        "FILLED",
      );
    });

    it("/pnl today adds up the day's fills and marks, and tomorrow starts from the midnight mark", async () => {
      clock.advance(MINUTE);
      const main = await portfolio("Main");
      const fills = await fillsOf(main.id);
      const exp = replay(fills);
      const last = (await quoteAt(clock.now())).last;
      // every fill happened today, from a flat start: the unrealized change is all of it
      const unrealized = exp.qty.mul(last.minus(exp.avg));
      const net = exp.realized.plus(unrealized).minus(exp.fees);
      const cents = (d: Decimal) => en(d, 2, true);

      const report = await say(alice, "/pnl today", (t) => /PnL — Main — today/.test(t));
      expect(text(report)).toContain("since 2026-03-10 00:00");
      const line = text(report)
        .split("\n")
        .find((l) => l.startsWith(SYMBOL));
      expect(line?.split(/\s+/)).toEqual([
        SYMBOL,
        cents(exp.realized),
        cents(unrealized),
        cents(exp.fees.neg()),
        cents(net),
      ]);
      expect(text(report)).toContain(
        `Net PnL USDT: ${money(net, true)} (realized ${cents(exp.realized)}, unrealized change ${cents(unrealized)}, fees ${cents(exp.fees.neg())})`,
      );
      // the other portfolio saw nothing
      const swing = await say(alice, "/pnl today Swing", (t) => /PnL — Swing — today/.test(t));
      expect(text(swing)).toContain("No trades or positions in this period.");
      expect(
        await prisma().trade.count({ where: { portfolioId: (await portfolio("Swing")).id } }),
      ).toBe(0);
    });

    it("the next day, /pnl today starts from the midnight mark and nets to the change in cash plus value", async () => {
      const main = await portfolio("Main");
      const held = replay(await fillsOf(main.id));
      const cents = (d: Decimal) => en(d, 2, true);
      const pnlLine = (m: TwinMessage) =>
        text(m)
          .split("\n")
          .find((l) => l.startsWith(SYMBOL))
          ?.split(/\s+/);

      // the next morning in Berlin: no fills yet today, only the move since midnight (Berlin time)
      clock.set("2026-03-11T07:30:00Z");
      const midnight = (await quoteAt(BERLIN_MIDNIGHT_MAR_11)).last;
      let last = (await quoteAt(clock.now())).last;
      const drift = held.qty.mul(last.minus(midnight));
      const morning = await say(alice, "/pnl today", (t) => /PnL — Main — today/.test(t));
      expect(text(morning)).toContain("since 2026-03-11 00:00");
      expect(pnlLine(morning)).toEqual([SYMBOL, "0.00", cents(drift), "0.00", cents(drift)]);

      // a sell today realizes against the average carried over from yesterday
      clock.advance(MINUTE);
      const qty = new Decimal("0.008");
      const sellPrice = takerPrice("SELL", await quoteAt(clock.now()));
      const card = await say(alice, `/sell ${SYMBOL} 0.008`, (t) => /Confirm order/.test(t));
      await confirm(alice, card, /Order #\d+ filled/);
      const fills = await fillsOf(main.id);
      const sell = fills.at(-1)!;
      expect(sell.side).toBe("SELL");
      expect(sell.price.toFixed()).toBe(sellPrice.toFixed());
      expect(sell.fee.toFixed()).toBe(feeOf(qty, sellPrice).toFixed());
      const after = replay(fills);
      expect(after.qty.toFixed()).toBe("0.02");
      const position = await prisma().position.findFirstOrThrow({
        where: { portfolioId: main.id },
      });
      expectClose(position.realizedPnl, after.realized);
      expectClose(position.fees, after.fees, "0");

      clock.advance(MINUTE);
      last = (await quoteAt(clock.now())).last;
      // what a trader means by the day's PnL: the change in cash plus the marked position since
      // midnight — computed without any average cost
      const cashIn = qty.mul(sellPrice).minus(sell.fee);
      const net = cashIn.plus(after.qty.mul(last)).minus(held.qty.mul(midnight));
      const realized = sellPrice.minus(held.avg).mul(qty);
      const unrealizedChange = net.minus(realized).plus(sell.fee);
      const report = await say(alice, "/pnl today", (t) => /PnL — Main — today/.test(t));
      expect(pnlLine(report)).toEqual([
        SYMBOL,
        cents(realized),
        cents(unrealizedChange),
        cents(sell.fee.neg()),
        cents(net),
      ]);
      expect(text(report)).toContain(`Net PnL USDT: ${money(net, true)} (`);

      // the week (from Monday) holds every fill from a flat start
      const week = await say(alice, "/pnl week", (t) => /PnL — Main — this week/.test(t));
      const weekNet = after.realized.plus(after.qty.mul(last.minus(after.avg))).minus(after.fees);
      expect(text(week)).toContain("since 2026-03-09 00:00");
      expect(pnlLine(week)).toEqual([
        SYMBOL,
        cents(after.realized),
        cents(after.qty.mul(last.minus(after.avg))),
        cents(after.fees.neg()),
        cents(weekNet),
      ]);
    });
  },
);
