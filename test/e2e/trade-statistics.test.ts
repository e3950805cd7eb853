// /profit, /daily, /weekly, /monthly, /performance, /stats and /export end to end through the
// Telegram twin: the real app on SQLite and PostgreSQL, on a manual clock. Alice (Berlin,
// English) deposits 100,000 USDT and makes two round trips in BTC — buy 0.1, sell half an hour
// later and the rest an hour after that (a partial close), then buy 0.2 and sell it an hour
// later — so both positions are flat and every figure follows from the fills in the database:
// each round trip's net PnL is (exit − entry) × quantity less its three or two fees, the day's
// profit is their sum (the value is all cash again) and its return that over the 100,000. Boris
// reads his in Russian. Bad input (an unknown word, a count out of range, an export without a
// kind) gets a clear answer.
import type { InlineKeyboardMarkup } from "grammy/types";
import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Provider } from "../../src/db/client.ts";
import { toActor } from "../../src/domain/users/actor.ts";
import { ManualClock } from "../../src/lib/clock.ts";
import { Decimal } from "../../src/lib/decimal.ts";
import { ADMIN_ID, type Harness, startHarness } from "../support/app-harness.ts";
import { PROVIDERS } from "../support/db.ts";
import type { SimulatedUser, TwinMessage } from "../support/telegram-twin/index.ts";

const ALICE = 7201;
const BORIS = 7202;
const SYMBOL = "BTCUSDT";
/** a Tuesday; 10:00 in Berlin */
const START = new Date("2026-03-10T09:00:00Z");
const ZONE = "Europe/Berlin";
const MINUTE = 60_000;

let h: Harness;
let clock: ManualClock;
let alice: SimulatedUser;
let boris: SimulatedUser;

const text = (m: { text?: string; caption?: string }) => m.text ?? m.caption ?? "";
const prisma = () => h.db.db.prisma;

/** Grouped rendering at 2 decimals (or more below 1, as money is shown), half-even, true minus. */
function amount(value: Decimal, signed: boolean, group: string, point: string): string {
  const abs = value.abs();
  const max = abs.isZero() || abs.gte(1) ? 2 : Math.min(8, Math.max(2, -abs.e + 3));
  const rounded = value.toDecimalPlaces(max, Decimal.ROUND_HALF_EVEN);
  const places = Math.max(2, rounded.decimalPlaces());
  const [int = "0", frac = ""] = rounded.abs().toFixed(places).split(".");
  const sign = rounded.isNeg() && !rounded.isZero() ? "−" : signed && rounded.gt(0) ? "+" : "";
  return `${sign}${int.replace(/\B(?=(\d{3})+(?!\d))/g, group)}${point}${frac}`;
}
const en = (v: Decimal, signed = true) => amount(v, signed, ",", ".");
const ru = (v: Decimal, signed = true) => amount(v, signed, "\u00a0", ",");
const pct2 = (v: Decimal, point = ".") =>
  `${v.isNeg() && !v.toDecimalPlaces(2).isZero() ? "−" : v.gt(0) && !v.toDecimalPlaces(2).isZero() ? "+" : ""}${v.abs().toFixed(2).replace(".", point)} %`;

async function say(
  user: SimulatedUser,
  message: string,
  match: (m: TwinMessage) => boolean = () => true,
): Promise<TwinMessage> {
  const since = h.twin.mark();
  user.send(message);
  return h.twin.waitForMessage(user.chatId, match, { since, timeoutMs: 20_000 });
}
const saying = (re: RegExp) => (m: TwinMessage) => re.test(text(m));

async function trade(user: SimulatedUser, side: "buy" | "sell", quantity: string): Promise<void> {
  const card = await say(user, `/${side} ${SYMBOL} ${quantity}`, (m) =>
    Boolean((m.reply_markup as InlineKeyboardMarkup | undefined)?.inline_keyboard),
  );
  const confirm = ((card.reply_markup as InlineKeyboardMarkup | undefined)?.inline_keyboard ?? [])
    .flat()
    .find((b) => b.text.startsWith("✅"));
  expect(confirm, text(card)).toBeDefined();
  const since = h.twin.mark();
  user.press(card, confirm!.text);
  await h.twin.waitForMessage(
    user.chatId,
    (m) => m.message_id === card.message_id && /#\d+ (filled|исполнен)/.test(text(m)),
    { since, timeoutMs: 20_000 },
  );
}

async function setUp(provider: Provider) {
  clock = new ManualClock(START);
  h = await startHarness({ provider, clock });
  const { users, portfolios } = h.app.services;
  const admin = toActor(
    await users.registerFromTelegram({ telegramUserId: String(ADMIN_ID), firstName: "Ada" }),
  );
  for (const [id, name, languageCode, zone] of [
    [ALICE, "Alice", "en", ZONE],
    [BORIS, "Boris", "ru", "UTC"],
  ] as const) {
    const row = await users.registerFromTelegram({
      telegramUserId: String(id),
      firstName: name,
      languageCode,
    });
    const actor = toActor(
      await users.updateSettings(toActor(await users.approve(admin, row.id)), { timeZone: zone }),
    );
    const account = await portfolios.createAccount(actor, {
      brokerCode: "PAPER",
      name: `${name} paper`,
      baseCurrency: "USDT",
      openingBalance: new Decimal(0),
    });
    await portfolios.createPortfolio(actor, { accountId: account.id, name: "Main" });
    if (id === ALICE)
      await portfolios.createPortfolio(actor, { accountId: account.id, name: "Swing" });
  }
  alice = h.twin.user({ id: ALICE, first_name: "Alice", language_code: "en" });
  boris = h.twin.user({ id: BORIS, first_name: "Boris", language_code: "ru" });
}

/** The fills of a user's Main portfolio, in ingestion order. */
async function fillsOf(telegramId: number) {
  const rows = await prisma().trade.findMany({
    where: { portfolio: { name: "Main", user: { telegramUserId: String(telegramId) } } },
    orderBy: { id: "asc" },
  });
  return rows.map((r) => ({
    ...r,
    qty: new Decimal(String(r.quantity)),
    px: new Decimal(String(r.price)),
    fe: new Decimal(String(r.fee)),
  }));
}

describe.each(PROVIDERS)("trade statistics through the twin on %s", (provider) => {
  beforeAll(() => setUp(provider), 60_000);
  afterAll(async () => {
    await h?.stop();
  });

  let net1: Decimal;
  let net2: Decimal;

  it("makes two round trips (one with a partial close) and reads /profit", async () => {
    clock.set(new Date(START.getTime() + MINUTE));
    await say(alice, "/deposit 100000 USDT", saying(/Deposited/));
    clock.set(new Date(START.getTime() + 2 * MINUTE));
    await trade(alice, "buy", "0.1");
    clock.set(new Date(START.getTime() + 32 * MINUTE));
    await trade(alice, "sell", "0.05");
    clock.set(new Date(START.getTime() + 92 * MINUTE));
    await trade(alice, "sell", "0.05");
    clock.set(new Date(START.getTime() + 100 * MINUTE));
    await trade(alice, "buy", "0.06");
    clock.set(new Date(START.getTime() + 160 * MINUTE));
    await trade(alice, "sell", "0.06");
    clock.set(new Date(START.getTime() + 170 * MINUTE));

    const f = await fillsOf(ALICE);
    expect(f.map((x) => [x.side, x.qty.toFixed()])).toEqual([
      ["BUY", "0.1"],
      ["SELL", "0.05"],
      ["SELL", "0.05"],
      ["BUY", "0.06"],
      ["SELL", "0.06"],
    ]);
    const [b1, s1, s2, b2, s3] = f as [
      (typeof f)[0],
      (typeof f)[0],
      (typeof f)[0],
      (typeof f)[0],
      (typeof f)[0],
    ];
    net1 = s1.px
      .minus(b1.px)
      .mul("0.05")
      .plus(s2.px.minus(b1.px).mul("0.05"))
      .minus(b1.fe)
      .minus(s1.fe)
      .minus(s2.fe);
    net2 = s3.px.minus(b2.px).mul("0.06").minus(b2.fe).minus(s3.fe);
    const total = net1.plus(net2);
    const wins = [net1, net2].filter((n) => n.gt(0)).length;
    const losses = [net1, net2].filter((n) => n.lt(0)).length;

    const profit = text(await say(alice, "/profit week", saying(/Profit — Main/)));
    const lines = profit.split("\n");
    expect(lines[0]).toBe("💰 Profit — Main — this week");
    expect(lines).toContain(`Realized (after fees): ${en(total)} USDT`);
    expect(lines).toContain("Unrealized (0 open positions): 0.00 USDT");
    // flat again: the value is cash, so the week's profit is the trades' and its return over 100,000
    expect(lines).toContain(`Profit (value change net of deposits/withdrawals): ${en(total)} USDT`);
    expect(lines).toContain(`Return (time-weighted): ${pct2(total.div(1000))}`);
    expect(lines).toContain(
      `Closed trades: 2 (won ${wins}, lost ${losses}) · win rate ${(wins * 50).toFixed(2)} %`,
    );
    // (90 + 60) / 2 minutes
    expect(lines).toContain("Average holding time: 1 h 15 min");
    expect(profit).toMatch(/\nProfit factor: (∞|\d+\.\d\d)\n/);
    expect(profit).toMatch(/\nBest: BTCUSDT [+−]?[\d,.]+ USDT\n/);
    // the fees alone take the value below its start: a fall of at least the final loss
    expect(profit).toMatch(/\nMax drawdown: −?[\d.]+ % \(−?[\d,.]+ USDT\)$/);
  });

  it("reads the portfolio's name before or after the period, and refuses an unknown word", async () => {
    for (const args of ["Swing week", "week Swing"]) {
      const reply = text(await say(alice, `/profit ${args}`, saying(/Swing|neither/)));
      expect(reply.split("\n")[0]).toBe("💰 Profit — Swing — this week");
      expect(reply).toContain("No trades in this period yet.");
    }
    expect(text(await say(alice, "/profit fortnight", saying(/neither/)))).toBe(
      "“fortnight” is neither a period (today, yesterday, week, month, year, all) nor one of your portfolios (Main, Swing).\nUsage: /profit [today|yesterday|week|month|year|all] [portfolio], e.g. /profit week Swing",
    );
  });

  it("/daily sends a bar chart with the table; counts out of range are refused", async () => {
    const since = h.twin.mark();
    alice.send("/daily");
    const photo = await h.twin.waitForMessage(alice.chatId, (m) => Boolean(m.photo), {
      since,
      timeoutMs: 30_000,
    });
    expect(photo.photo?.mimeType).toBe("image/png");
    expect(photo.photo?.width).toBe(1000);
    const caption = text(photo);
    expect(caption.split("\n")[0]).toBe("📅 Daily — Main — last 7 days");
    const rows = caption.split("\n").slice(1);
    expect(rows[0]).toMatch(/^Day\s+PnL, USDT\s+Trades\s+Return$/);
    // today (Tuesday in Berlin) first: the trades' PnL, 2 round trips, the return on 100,000
    expect(rows[1]!.split(/\s{2,}/)).toEqual([
      "Tue 10 Mar",
      en(net1.plus(net2)),
      "2",
      pct2(net1.plus(net2).div(1000)),
    ]);
    // the days before anything was deposited: nothing made, nothing to measure
    expect(rows[2]!.split(/\s{2,}/)).toEqual(["Mon 9 Mar", "0.00", "0", "—"]);
    expect(rows).toHaveLength(8);

    expect(text(await say(alice, "/daily soon", saying(/neither/)))).toBe(
      "“soon” is neither a number of periods from 1 to 60 nor one of your portfolios (Main, Swing).\nUsage: /daily [number of days, 1–60] [portfolio], e.g. /daily 14",
    );
    for (const n of ["61", "0"]) {
      expect(text(await say(alice, `/daily ${n}`, saying(/periods/)))).toBe(
        "Give a whole number of periods from 1 to 60.\nUsage: /daily [number of days, 1–60] [portfolio], e.g. /daily 14",
      );
    }
    const weekly = await say(alice, "/weekly 3 Main", (m) => Boolean(m.photo));
    expect(text(weekly).split("\n")[0]).toBe("📅 Weekly — Main — last 3 weeks");
    expect(text(weekly)).toContain("9 Mar 2026");
    const monthly = await say(alice, "/monthly", (m) => Boolean(m.photo));
    expect(text(monthly)).toContain("Mar 2026");
  });

  it("/performance and /stats per symbol and per outcome", async () => {
    const total = net1.plus(net2);
    const wins = [net1, net2].filter((n) => n.gt(0)).length;
    const perf = text(await say(alice, "/performance", saying(/Performance by symbol/)));
    const row = perf.split("\n").find((l) => l.startsWith("BTCUSDT"));
    expect(row?.split(/\s{2,}/)).toEqual([
      "BTCUSDT",
      `${en(total)} USDT`,
      "2",
      (wins * 50).toFixed(1),
    ]);

    const stats = text(await say(alice, "/stats week", saying(/Statistics — Main/)));
    expect(stats).toContain(`USDT · 2 closed trades · win rate ${(wins * 50).toFixed(2)} %`);
    const manual = stats.split("\n").find((l) => l.startsWith("Manual"));
    expect(manual?.split(/\s{2,}/)).toEqual(["Manual", "2", String(wins), en(total)]);
    expect(stats).toMatch(/\nCount\s+\d\s+\d\n/);
  });

  it("/export trades and orders as CSV documents with exact digits", async () => {
    const doc = await say(alice, "/export trades", (m) => Boolean(m.document));
    expect(doc.document?.fileName).toBe("trades-Main-2026-03.csv");
    expect(text(doc)).toBe(`Trades — Main — this month: 5 rows. Times in UTC and in ${ZONE}.`);
    const fills = await fillsOf(ALICE);
    const expected = [
      "time_utc,time_local,trade_id,symbol,side,quantity,price,fee,fee_currency,order_id,strategy",
      ...fills.map((f) =>
        [
          f.execTime.toISOString(),
          DateTime.fromJSDate(f.execTime, { zone: ZONE }).toISO(),
          f.id,
          SYMBOL,
          f.side,
          f.qty.toFixed(),
          f.px.toFixed(),
          f.fe.toFixed(),
          f.feeCurrency ?? "USDT",
          f.orderId,
          "",
        ].join(","),
      ),
    ];
    const csv = Buffer.from(doc.document!.bytes!).toString("utf8");
    expect(csv).toBe(expected.map((l) => `${l}\r\n`).join(""));
    expect(csv.split("\r\n")[1]).toContain(",2026-03-10T10:02:00.000+01:00,");

    const orders = await say(alice, "/export week orders Main", (m) => Boolean(m.document));
    expect(orders.document?.fileName).toBe("orders-Main-2026-W11.csv");
    const lines = Buffer.from(orders.document!.bytes!).toString("utf8").split("\r\n");
    expect(lines[0]).toBe(
      "order_id,placed_utc,placed_local,symbol,side,type,tif,quantity,price,stop_price,status,filled,avg_price,strategy",
    );
    expect(
      lines
        .slice(1, -1)
        .map((l) => l.split(",").slice(3, 8).concat(l.split(",")[10]!, l.split(",")[11]!)),
    ).toEqual([
      ["BTCUSDT", "BUY", "MARKET", "GTC", "0.1", "FILLED", "0.1"],
      ["BTCUSDT", "SELL", "MARKET", "GTC", "0.05", "FILLED", "0.05"],
      ["BTCUSDT", "SELL", "MARKET", "GTC", "0.05", "FILLED", "0.05"],
      ["BTCUSDT", "BUY", "MARKET", "GTC", "0.06", "FILLED", "0.06"],
      ["BTCUSDT", "SELL", "MARKET", "GTC", "0.06", "FILLED", "0.06"],
    ]);

    expect(text(await say(alice, "/export", saying(/Usage/)))).toBe(
      "Usage: /export trades|orders [today|yesterday|week|month|year|all] [portfolio], e.g. /export trades month Swing",
    );
    expect(text(await say(alice, "/export trades year Swing", saying(/Swing/)))).toBe(
      "Trades — Swing — this year: nothing to export in this period.",
    );
  });

  it("speaks Russian to a Russian reader", async () => {
    clock.set(new Date(START.getTime() + 180 * MINUTE));
    await say(boris, "/deposit 1000", saying(/1[\u00a0\u202f]000,00 USDT/));
    clock.set(new Date(START.getTime() + 181 * MINUTE));
    await trade(boris, "buy", "0.001");
    clock.set(new Date(START.getTime() + 185 * MINUTE));
    await trade(boris, "sell", "0.001");
    clock.set(new Date(START.getTime() + 190 * MINUTE));
    const [b, s] = (await fillsOf(BORIS)) as [
      Awaited<ReturnType<typeof fillsOf>>[0],
      Awaited<ReturnType<typeof fillsOf>>[0],
    ];
    const net = s.px.minus(b.px).mul("0.001").minus(b.fe).minus(s.fe);
    const won = net.gt(0) ? 1 : 0;

    const profit = text(await say(boris, "/profit", saying(/Прибыль — Main/)));
    const lines = profit.split("\n");
    expect(lines[0]).toBe("💰 Прибыль — Main — всё время");
    expect(lines).toContain(`Реализовано (после комиссий): ${ru(net)} USDT`);
    expect(lines).toContain("Нереализовано (0 открытых позиций): 0,00 USDT");
    expect(lines).toContain(
      `Закрытые сделки: 1 (прибыльных ${won}, убыточных ${1 - won}) · доля прибыльных ${won ? "100,00" : "0,00"} %`,
    );
    expect(lines).toContain("Среднее время удержания: 4 мин");

    const daily = await say(boris, "/daily 3", (m) => Boolean(m.photo));
    const caption = text(daily).split("\n");
    expect(caption[0]).toBe("📅 По дням — Main — последние 3 дн.");
    expect(caption[1]).toMatch(/^День\s+PnL, USDT\s+Сделки\s+Доходн\.$/);
    expect(caption[2]!.split(/\s{2,}/).slice(1, 3)).toEqual([ru(net), "1"]);

    const stats = text(await say(boris, "/stats", saying(/Статистика/)));
    expect(stats).toContain("1 закрытая сделка");
    expect(stats).toMatch(/\nВручную\s+1\s+/);
    const perf = text(await say(boris, "/performance", saying(/Результаты по инструментам/)));
    expect(perf).toMatch(/\nИнстр\.\s+Реализ\.\s+Сделки\s+Приб\. %\n/);

    const doc = await say(boris, "/export ордера", (m) => Boolean(m.document));
    expect(doc.document?.fileName).toBe("orders-Main-2026-03.csv");
    expect(text(doc)).toBe("Ордера — Main — этот месяц: строк 2. Время в UTC и в UTC.");
    expect(text(await say(boris, "/export сделки год", saying(/не ваш портфель/)))).toBe(
      "«год» — не trades, orders (сделки, ордера), не период (today, yesterday, week, month, year, all) и не ваш портфель (Main).\nФормат: /export trades|orders [today|yesterday|week|month|year|all] [портфель], например /export trades month Swing (trades — сделки, orders — ордера)",
    );
    expect(text(await say(boris, "/daily 100", saying(/периодов/)))).toContain(
      "Укажите целое число периодов от 1 до 60.",
    );
  });

  it("sends an admin's full command list in Russian in parts: it outgrew one message", async () => {
    const { users } = h.app.services;
    const row = await users.findByTelegramId(String(ADMIN_ID));
    await users.updateSettings(toActor(row!), { language: "ru" });
    for (const command of ["/help", "/start"]) {
      const since = h.twin.mark();
      h.admin.send(command);
      // the footer ends the list: everything before it arrived too
      await h.twin.waitForMessage(ADMIN_ID, (m) => /Нажмите на команду/.test(text(m)), {
        since,
        timeoutMs: 20_000,
      });
      const parts = h.twin
        .messages(ADMIN_ID)
        .filter((m) => m.sender === "bot" && m.revision > since);
      expect(parts.length).toBeGreaterThan(1);
      const all = parts.map(text).join("\n");
      for (const c of ["start", "buy", "profit", "export", "users", "outbox"])
        expect(all).toContain(`/${c} — `);
      expect(parts.every((m) => text(m).length <= 4096)).toBe(true);
    }
  });

  it("lists the new commands in /help", async () => {
    const help = text(await say(alice, "/help", saying(/\/profit/)));
    for (const c of ["profit", "daily", "weekly", "monthly", "performance", "stats", "export"])
      expect(help).toContain(`/${c} — `);
    expect(help).toContain("/export trades month Swing");
  });
});
