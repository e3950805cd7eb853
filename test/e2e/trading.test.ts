// The trading loop end to end through the Telegram twin, on the embedded default (SQLite, paper
// broker, offline prices moving with the clock): a paper account and two portfolios made by
// conversation, the /portfolio switcher, a buy by quick syntax and one step by step, /positions,
// a partial sell with realized PnL, a limit that fills when the price crosses, a cancel, /pnl
// today — every number checked against values computed here from the fills in the database — and
// the bad inputs that must change nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Decimal } from "../../src/lib/decimal.ts";
import type { ShiftedClock } from "../../src/lib/clock.ts";
import { toActor } from "../../src/domain/users/actor.ts";
import { type Harness, startHarness } from "../support/app-harness.ts";
import type { SimulatedUser } from "../support/telegram-twin/index.ts";
import type { TwinMessage } from "../support/telegram-twin/types.ts";

const TOM = 6001;
const MALLORY = 6002;

let h: Harness;
let tom: SimulatedUser;

const text = (m: { text?: string; caption?: string }) => m.text ?? m.caption ?? "";

/** en-US rendering of an exact value at `places` decimals, half-even (computed here, not by the bot). */
function en(value: Decimal, places: number, signed = false): string {
  const d = value.toDecimalPlaces(places, Decimal.ROUND_HALF_EVEN);
  const [int = "0", frac = ""] = d.abs().toFixed(places).split(".");
  const sign = d.isNeg() && !d.isZero() ? "−" : signed && d.gt(0) ? "+" : "";
  return `${sign}${int.replace(/\B(?=(\d{3})+(?!\d))/g, ",")}${frac ? `.${frac}` : ""}`;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Money as the product shows it: cents, or three significant decimals below 1 (up to 8). */
function money(value: Decimal, signed = false): string {
  const abs = value.abs();
  const places = abs.isZero() || abs.gte(1) ? 2 : Math.min(8, Math.max(2, -abs.e + 3));
  return `${en(value, places, signed)} USDT`;
}

/** Sends and waits for the next bot message in Tom's chat that matches. */
async function say(
  user: SimulatedUser,
  message: string,
  match: (t: string, m: TwinMessage) => boolean,
): Promise<TwinMessage> {
  const since = h.twin.mark();
  user.send(message);
  return h.twin.waitForMessage(user.chatId, (m) => match(text(m), m), {
    since,
    timeoutMs: 10_000,
  });
}

async function pressData(
  user: SimulatedUser,
  message: TwinMessage,
  data: string,
  match: (t: string, m: TwinMessage) => boolean,
): Promise<TwinMessage> {
  const since = h.twin.mark();
  user.pressButton(message, data);
  return h.twin.waitForMessage(user.chatId, (m) => match(text(m), m), {
    since,
    timeoutMs: 10_000,
  });
}

async function pressText(
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

const buttonData = (m: TwinMessage): string[] =>
  (
    (m.reply_markup as { inline_keyboard?: Array<Array<{ callback_data?: string }>> } | undefined)
      ?.inline_keyboard ?? []
  )
    .flat()
    .map((b) => b.callback_data ?? "");

const prisma = () => h.db.db.prisma;

async function portfolioNamed(name: string) {
  return prisma().portfolio.findFirstOrThrow({ where: { name } });
}

async function tradesOf(portfolioId: number) {
  const rows = await prisma().trade.findMany({ where: { portfolioId }, orderBy: { id: "asc" } });
  return rows.map((r) => ({
    side: r.side,
    quantity: new Decimal(String(r.quantity)),
    price: new Decimal(String(r.price)),
    fee: new Decimal(String(r.fee)),
  }));
}

/** Average cost and realized PnL of a long-only sequence, computed independently. */
function expectedPosition(trades: Awaited<ReturnType<typeof tradesOf>>) {
  let qty = new Decimal(0);
  let cost = new Decimal(0);
  let realized = new Decimal(0);
  let fees = new Decimal(0);
  for (const t of trades) {
    fees = fees.plus(t.fee);
    if (t.side === "BUY") {
      cost = cost.plus(t.quantity.mul(t.price));
      qty = qty.plus(t.quantity);
    } else {
      const avg = cost.div(qty);
      realized = realized.plus(t.price.minus(avg).mul(t.quantity));
      cost = cost.minus(avg.mul(t.quantity));
      qty = qty.minus(t.quantity);
    }
  }
  return { qty, avg: qty.isZero() ? new Decimal(0) : cost.div(qty), realized, fees };
}

beforeAll(async () => {
  h = await startHarness();
  const { users } = h.app.services;
  const admin = toActor(
    await users.registerFromTelegram({ telegramUserId: String(h.admin.id), firstName: "Ada" }),
  );
  for (const [id, name] of [
    [TOM, "Tom"],
    [MALLORY, "Mallory"],
  ] as const) {
    const u = await users.registerFromTelegram({ telegramUserId: String(id), firstName: name });
    await users.approve(admin, u.id);
  }
  tom = h.twin.user({ id: TOM, first_name: "Tom", language_code: "en" });
});

afterAll(async () => {
  await h?.stop();
});

describe("the trading loop through the bot", () => {
  it("creates a paper account and two portfolios by conversation, and switches with the menu", async () => {
    const brokers = await say(tom, "/newaccount", (t) => /Which broker/.test(t));
    await pressData(tom, brokers, "acc:b:PAPER", (t) => /A name for the account/.test(t));
    const currency = await say(tom, "Paper", (t) => /base currency/.test(t));
    await pressData(tom, currency, "acc:c:USDT", (t) => /Starting cash in USDT/.test(t));
    const created = await say(tom, "50000", (t) => /Account Paper created/.test(t));
    expect(text(created)).toContain("50,000.00 USDT");

    await say(tom, "/newportfolio", (t) => /Name for the new portfolio/.test(t));
    const main = await say(tom, "Main", (t) => /Portfolio Main created/.test(t));
    expect(text(main)).toMatch(/default and active/);
    await say(tom, "/newportfolio", (t) => /Name for the new portfolio/.test(t));
    await say(tom, "Swing", (t) => /Portfolio Swing created and active/.test(t));

    const menu = await say(tom, "/portfolio", (t) => /Portfolios/.test(t));
    expect(text(menu)).toMatch(/Active: Swing/);
    const switched = await pressText(
      tom,
      menu,
      "Main",
      (t, m) => m.message_id === menu.message_id && /Active: Main/.test(t),
    );
    expect(buttonData(switched).length).toBeGreaterThan(0);
    const user = await prisma().user.findUniqueOrThrow({ where: { telegramUserId: String(TOM) } });
    expect(user.activePortfolioId).toBe((await portfolioNamed("Main")).id);
  });

  it("buys by quick syntax and step by step, and /positions shows what the fills say", async () => {
    const card = await say(tom, "/buy BTCUSDT 0.01", (t) => /Confirm order/.test(t));
    expect(text(card)).toContain("Main");
    const filled = await pressText(
      tom,
      card,
      "✅ Confirm",
      (t, m) => m.message_id === card.message_id && /Order #\d+ filled/.test(t),
    );
    expect(text(filled)).toMatch(/BUY 0\.01 BTCUSDT/);

    const symbol = await say(tom, "/buy", (t) => /Which symbol\?/.test(t));
    await pressData(tom, symbol, "oe:sym:BTCUSDT", (t) => /How much BTCUSDT/.test(t));
    await say(tom, "-2", (t) => /not a positive number/.test(t));
    const type = await say(tom, "0.02", (t) => /Which order type/.test(t));
    const tif = await pressData(tom, type, "oe:type:MARKET", (t) => /Time in force/.test(t));
    const card2 = await pressData(tom, tif, "oe:tif:GTC", (t) => /Confirm order/.test(t));
    await pressText(
      tom,
      card2,
      "✅ Confirm",
      (t, m) => m.message_id === card2.message_id && /Order #\d+ filled/.test(t),
    );

    const main = await portfolioNamed("Main");
    const trades = await tradesOf(main.id);
    expect(trades.map((t) => [t.side, t.quantity.toFixed()])).toEqual([
      ["BUY", "0.01"],
      ["BUY", "0.02"],
    ]);
    const expected = expectedPosition(trades);
    const position = await prisma().position.findFirstOrThrow({ where: { portfolioId: main.id } });
    expect(new Decimal(String(position.quantity)).toFixed()).toBe("0.03");
    expect(new Decimal(String(position.avgPrice)).minus(expected.avg).abs().lt("1e-17")).toBe(true);
    // paper fee: 10 bps of each fill's value
    for (const t of trades)
      expect(t.fee.toFixed()).toBe(t.quantity.mul(t.price).mul("0.001").toFixed());

    const shown = await say(tom, "/positions", (t) => /Positions — Main/.test(t));
    expect(text(shown)).toContain("BTCUSDT");
    expect(text(shown)).toContain("LONG");
    expect(text(shown)).toContain(en(expected.avg, 2));
    expect(text(shown)).toContain(money(expected.fees));
  });

  it("sells part and shows the realized PnL computed from the fills", async () => {
    const card = await say(tom, "/sell BTCUSDT 0.01", (t) => /Confirm order/.test(t));
    await pressText(
      tom,
      card,
      "✅ Confirm",
      (t, m) => m.message_id === card.message_id && /Order #\d+ filled/.test(t),
    );
    const main = await portfolioNamed("Main");
    const expected = expectedPosition(await tradesOf(main.id));
    expect(expected.qty.toFixed()).toBe("0.02");
    const position = await prisma().position.findFirstOrThrow({ where: { portfolioId: main.id } });
    expect(
      new Decimal(String(position.realizedPnl)).minus(expected.realized).abs().lt("1e-15"),
    ).toBe(true);
    const shown = await say(tom, "/positions", (t) => /Positions — Main/.test(t));
    const realizedRow = text(shown)
      .split("\n")
      .find((l) => l.startsWith("Realized"));
    expect(realizedRow).toMatch(new RegExp(`\\s${escapeRegExp(money(expected.realized, true))}$`));
    expect(text(shown)).toMatch(/0\.02\b/);
  });

  it("fills a resting limit when the offline price crosses it, and tells the user", async () => {
    const quote = await h.app.market.quote("BTCUSDT");
    // a little below the ask: the path crosses it within some simulated minutes
    const limit = new Decimal(String(quote.ask))
      .mul("0.999")
      .toDecimalPlaces(2, Decimal.ROUND_DOWN);
    const card = await say(tom, `/buy BTCUSDT 0.01 limit ${limit.toFixed(2)}`, (t) =>
      /Confirm order/.test(t),
    );
    const working = await pressText(
      tom,
      card,
      "✅ Confirm",
      (t, m) => m.message_id === card.message_id && /Order #\d+ (is working|filled)/.test(t),
    );
    const id = Number(/Order #(\d+)/.exec(text(working))![1]);
    const clock = h.clock as ShiftedClock;
    const since = h.twin.mark();
    const isFilled = async () =>
      (await prisma().order.findUniqueOrThrow({ where: { id } })).status === "FILLED";
    // jump ahead a quarter of an hour at a time; the order-sync job (every 2 s) matches the
    // resting order against the candles in between
    for (let step = 0; step < 100 && !(await isFilled()); step++) {
      clock.advance(15 * 60_000);
      const deadline = Date.now() + 2_500;
      while (Date.now() < deadline && !(await isFilled()))
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const filledNote = await h.twin.waitForMessage(
      tom.chatId,
      (m) => new RegExp(`Order #${id}: 0\\.01 of 0\\.01 filled`).test(text(m)),
      { since, timeoutMs: 10_000 },
    );
    const order = await prisma().order.findUniqueOrThrow({ where: { id } });
    expect(order.status).toBe("FILLED");
    const fill = await prisma().trade.findFirstOrThrow({ where: { orderId: id } });
    // a buy limit never pays more than its limit
    expect(new Decimal(String(fill.price)).lte(limit)).toBe(true);
    expect(text(filledNote)).toContain(en(new Decimal(String(fill.price)), 2));
  });

  it("cancels an open order by /cancel, lists it under canceled, and refuses to cancel a filled one", async () => {
    const quote = await h.app.market.quote("BTCUSDT");
    const far = new Decimal(String(quote.bid)).mul("0.5").toDecimalPlaces(2, Decimal.ROUND_DOWN);
    const card = await say(tom, `/buy BTCUSDT 0.01 limit ${far.toFixed(2)}`, (t) =>
      /Confirm order/.test(t),
    );
    const working = await pressText(
      tom,
      card,
      "✅ Confirm",
      (t, m) => m.message_id === card.message_id && /is working/.test(t),
    );
    const id = Number(/Order #(\d+)/.exec(text(working))![1]);
    const open = await say(tom, "/orders open", (t) => /Orders in Main/.test(t));
    expect(text(open)).toContain(`#${id}`);
    expect(buttonData(open).some((d) => d.includes(String(id)))).toBe(true);

    const done = await say(tom, `/cancel ${id}`, (t) => /canceled|cancel/i.test(t));
    expect(text(done)).toContain(`Order #${id} canceled.`);
    expect((await prisma().order.findUniqueOrThrow({ where: { id } })).status).toBe("CANCELED");
    expect(text(await say(tom, "/orders canceled", (t) => /Orders in Main/.test(t)))).toContain(
      `#${id}`,
    );

    const filled = await prisma().order.findFirstOrThrow({
      where: { status: "FILLED", portfolio: { name: "Main" } },
    });
    const refused = await say(tom, `/cancel ${filled.id}`, (t) => t.length > 0);
    expect(text(refused)).toBe(`Order #${filled.id} is filled and can no longer be canceled.`);
    expect((await prisma().order.findUniqueOrThrow({ where: { id: filled.id } })).status).toBe(
      "FILLED",
    );
  });

  it("/pnl today adds up to the trades of the day", async () => {
    const main = await portfolioNamed("Main");
    const expected = expectedPosition(await tradesOf(main.id));
    const report = await say(tom, "/pnl today", (t) => /PnL — Main — today/.test(t));
    // the table row of the instrument; the totals on a line of their own (also in plain text)
    const row = text(report)
      .split("\n")
      .find((l) => l.startsWith("BTCUSDT"))!;
    const [, realized, unrealized, fees, net] = /^BTCUSDT\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)$/.exec(
      row,
    )!;
    const plain = (s: string) => s.replace("−", "-").replace("+", "").replace(/,/g, "");
    expect(plain(realized!)).toBe(plain(en(expected.realized, 2)));
    expect(plain(fees!)).toBe(plain(en(expected.fees.neg(), 2)));
    // net is realized + unrealized change − fees, to the cent (each shown rounded)
    const sum = new Decimal(plain(realized!)).plus(plain(unrealized!)).plus(plain(fees!));
    expect(sum.minus(plain(net!)).abs().lte("0.02")).toBe(true);
    expect(text(report)).toMatch(/\nTotal USDT: /);
  });

  it("explains bad input and changes nothing", async () => {
    const before = await prisma().order.count();
    const unknown = await say(tom, "/buy BTCUSD 0.01", (t) => t.length > 0);
    expect(text(unknown)).toMatch(/I don't know the symbol “BTCUSD”/);
    expect(text(unknown)).toContain("BTCUSDT");
    expect(text(await say(tom, "/buy BTCUSDT -1", (t) => t.length > 0))).toMatch(
      /not a quantity|greater than zero|positive/,
    );
    expect(text(await say(tom, "/buy BTCUSDT abc", (t) => t.length > 0))).toMatch(/not a quantity/);
    const quote = await h.app.market.quote("BTCUSDT");
    const below = new Decimal(String(quote.bid)).mul("0.9").toDecimalPlaces(2, Decimal.ROUND_DOWN);
    expect(
      text(await say(tom, `/buy BTCUSDT 0.01 stop ${below.toFixed(2)}`, (t) => t.length > 0)),
    ).toMatch(/buy stop must be above the market/);
    expect(text(await say(tom, "/buy BTCUSDT 100", (t) => t.length > 0))).toMatch(
      /cash|afford|available/i,
    );
    // someone else's order id looks like a missing one
    const mallory = h.twin.user({ id: MALLORY, first_name: "Mallory", language_code: "en" });
    const tomsOrder = await prisma().order.findFirstOrThrow({
      where: { portfolio: { name: "Main" }, status: "CANCELED" },
    });
    const denied = await say(mallory, `/cancel ${tomsOrder.id}`, (t) => t.length > 0);
    expect(text(denied)).toBe(`There is no order ${tomsOrder.id} in your portfolios.`);
    expect(await prisma().order.count()).toBe(before);
  });
});
