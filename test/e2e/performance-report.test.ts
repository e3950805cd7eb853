// Performance net of deposits and withdrawals, end to end through the Telegram twin (issue 11,
// item 3: "Value USD: 100,000.00 → 18,350.04 (−81.65 %)" read a withdrawal as a loss). The real
// app on SQLite and PostgreSQL, on a manual clock: Alice deposits 100,000 USDT, buys 0.1 BTC,
// withdraws 81,650 while she holds it, and reads /pnl today and /report. The value, the flows,
// the time-weighted return and the profit are recomputed here from the fill in the database and
// the offline market's prices (the same seeded generator, read at the same moments). Boris reads
// his in Russian.
import type { InlineKeyboardMarkup } from "grammy/types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { marketPrices } from "../../src/app.ts";
import type { Provider } from "../../src/db/client.ts";
import { toActor } from "../../src/domain/users/actor.ts";
import { ManualClock } from "../../src/lib/clock.ts";
import { Decimal } from "../../src/lib/decimal.ts";
import { OfflineMarketData } from "../../src/market/offline/offline-market-data.ts";
import { ADMIN_ID, type Harness, startHarness } from "../support/app-harness.ts";
import { PROVIDERS } from "../support/db.ts";
import type { SimulatedUser, TwinMessage } from "../support/telegram-twin/index.ts";

const ALICE = 7101;
const BORIS = 7102;
const SYMBOL = "BTCUSDT";
const START = new Date("2026-03-10T09:00:00Z");
const MINUTE = 60_000;

let h: Harness;
let clock: ManualClock;
let alice: SimulatedUser;
let boris: SimulatedUser;
let probeAt = START;
let probe: OfflineMarketData;

const text = (m: { text?: string; caption?: string }) => m.text ?? m.caption ?? "";

/** Grouped en-US rendering at 2 decimals, half-even, with a true minus sign. */
function en(value: Decimal, signed = false): string {
  const d = value.toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN);
  const [int = "0", frac = ""] = d.abs().toFixed(2).split(".");
  const sign = d.isNeg() && !d.isZero() ? "−" : signed && d.gt(0) ? "+" : "";
  return `${sign}${int.replace(/\B(?=(\d{3})+(?!\d))/g, ",")}.${frac}`;
}

async function say(
  user: SimulatedUser,
  message: string,
  match: (t: string) => boolean,
): Promise<TwinMessage> {
  const since = h.twin.mark();
  user.send(message);
  return h.twin.waitForMessage(user.chatId, (m) => match(text(m)), { since, timeoutMs: 10_000 });
}

async function buy(user: SimulatedUser, quantity: string): Promise<void> {
  const card = await say(user, `/buy ${SYMBOL} ${quantity}`, (t) => /Confirm order/.test(t));
  const confirm = ((card.reply_markup as InlineKeyboardMarkup | undefined)?.inline_keyboard ?? [])
    .flat()
    .find((b) => b.text === "✅ Confirm");
  expect(confirm, JSON.stringify(card.reply_markup)).toBeDefined();
  const since = h.twin.mark();
  user.press(card, confirm!.text);
  await h.twin.waitForMessage(
    user.chatId,
    (m) => m.message_id === card.message_id && /Order #\d+ filled/.test(text(m)),
    { since, timeoutMs: 10_000 },
  );
}

/** The lines of a message that start with `label`. */
const linesFrom = (m: TwinMessage, label: string) =>
  text(m)
    .split("\n")
    .filter((l) => l.startsWith(label));

async function setUp(provider: Provider) {
  clock = new ManualClock(START);
  probeAt = START;
  h = await startHarness({ provider, clock });
  probe = new OfflineMarketData({ seed: h.config.MARKET_DATA_SEED, clock: () => probeAt });
  const { users, portfolios } = h.app.services;
  const admin = toActor(
    await users.registerFromTelegram({ telegramUserId: String(ADMIN_ID), firstName: "Ada" }),
  );
  for (const [id, name, languageCode] of [
    [ALICE, "Alice", "en"],
    [BORIS, "Boris", "ru"],
  ] as const) {
    const row = await users.registerFromTelegram({
      telegramUserId: String(id),
      firstName: name,
      languageCode,
    });
    const actor = toActor(
      await users.updateSettings(toActor(await users.approve(admin, row.id)), {
        timeZone: "UTC",
      }),
    );
    // an empty paper account: every dollar in it comes through /deposit
    const account = await portfolios.createAccount(actor, {
      brokerCode: "PAPER",
      name: `${name} paper`,
      baseCurrency: "USDT",
      openingBalance: new Decimal(0),
    });
    await portfolios.createPortfolio(actor, { accountId: account.id, name: "Main" });
  }
  alice = h.twin.user({ id: ALICE, first_name: "Alice", language_code: "en" });
  boris = h.twin.user({ id: BORIS, first_name: "Boris", language_code: "ru" });
}

describe.each(PROVIDERS)("performance net of deposits and withdrawals on %s", (provider) => {
  beforeAll(() => setUp(provider));
  afterAll(async () => {
    await h?.stop();
  });

  it("/pnl and /report show the flows apart and the time-weighted return, not the withdrawal as a loss", async () => {
    clock.set(new Date(START.getTime() + MINUTE));
    expect(text(await say(alice, "/deposit 100000 USDT", (t) => /Deposited/.test(t)))).toContain(
      "Its cash: 100,000.00 USDT",
    );
    clock.advance(MINUTE);
    await buy(alice, "0.1");
    clock.advance(3 * MINUTE);
    const withdrawnAt = clock.now();
    expect(text(await say(alice, "/withdraw 81650 USDT", (t) => /Withdrew/.test(t)))).toContain(
      "Withdrew 81,650.00 USDT",
    );
    clock.set(new Date(START.getTime() + 30 * MINUTE));

    // what the report must say, from the fill and the market's prices at the same moments
    const [fill] = await h.db.db.prisma.trade.findMany();
    const qty = new Decimal(String(fill!.quantity));
    const cash = new Decimal(100000)
      .minus(qty.mul(String(fill!.price)))
      .minus(String(fill!.fee))
      .minus(81650);
    probeAt = clock.now();
    const atWithdrawal = (await marketPrices(probe).priceAt(SYMBOL, withdrawnAt))!;
    const last = (await probe.quote(SYMBOL)).last;
    const before = cash.plus(81650).plus(qty.mul(atWithdrawal));
    const end = cash.plus(qty.mul(last));
    // 100,000 in at the start; the value just before the withdrawal over that; then the rest
    const twr = before
      .div(100000)
      .mul(end.div(before.minus(81650)))
      .minus(1);
    const profit = end.minus(18350);
    const expected = [
      `Value: 0.00 → ${en(end)} USDT`,
      "Net deposits/withdrawals: +18,350.00 USDT (deposits +100,000.00, withdrawals −81,650.00)",
      `Return (time-weighted): ${en(twr.mul(100), true)} %`,
      `Profit: ${en(profit, true)} USDT`,
    ];
    // the trade is all the profit there is: the market's move on 0.1 BTC less the fee
    expect(profit.toFixed()).toBe(
      qty
        .mul(last.minus(String(fill!.price)))
        .minus(String(fill!.fee))
        .toFixed(),
    );

    const pnl = await say(alice, "/pnl today", (t) => /PnL — Main — today/.test(t));
    const lines = text(pnl).split("\n");
    const from = lines.findIndex((l) => l.startsWith("Value:"));
    expect(lines.slice(from, from + 4), text(pnl)).toEqual(expected);
    // nothing reads the withdrawal as a fall in value
    expect(text(pnl)).not.toMatch(/−81\.\d\d %|−8\d\.\d\d %/);

    const report = await say(alice, "/report", (t) => /Return \(time-weighted\)/.test(t));
    expect(linesFrom(report, "Performance, today")).toHaveLength(1);
    const rLines = text(report).split("\n");
    const rFrom = rLines.findIndex((l) => l.startsWith("Value:"));
    expect(rLines.slice(rFrom, rFrom + 4), text(report)).toEqual(expected);
  });

  it("speaks Russian to a Russian reader: a flat deposit and withdrawal is a 0 % return", async () => {
    clock.advance(MINUTE);
    await say(boris, "/deposit 1000", (t) => /1[\u00a0\u202f]000,00 USDT/.test(t));
    clock.advance(MINUTE);
    await say(boris, "/withdraw 400", (t) => /400,00 USDT/.test(t));
    clock.advance(MINUTE);
    const pnl = await say(boris, "/pnl today", (t) => /PnL — Main — сегодня/.test(t));
    const body = text(pnl);
    expect(body).toContain("В этом периоде нет сделок и позиций.");
    expect(body).toContain("Стоимость: 0,00 → 600,00 USDT");
    expect(body).toMatch(
      /Пополнения и выводы \(нетто\): \+600,00 USDT \(пополнения \+1[\u00a0\u202f]000,00, выводы −400,00\)/,
    );
    expect(body).toContain("Доходность (взвешенная по времени): 0,00 %");
    expect(body).toContain("Прибыль: 0,00 USDT");
  });
  it("/pnl yesterday reads the whole previous day, valued at its end, not at today's price", async () => {
    // the next day, well after midnight: Alice's whole trading day is "yesterday"
    const midnight = new Date("2026-03-11T00:00:00Z");
    clock.set(new Date(midnight.getTime() + 5 * 60 * MINUTE));
    const [fill] = await h.db.db.prisma.trade.findMany({
      where: { portfolio: { user: { telegramUserId: String(ALICE) } } },
    });
    const qty = new Decimal(String(fill!.quantity));
    const cash = new Decimal(100000)
      .minus(qty.mul(String(fill!.price)))
      .minus(String(fill!.fee))
      .minus(81650);
    probeAt = clock.now();
    const atMidnight = (await marketPrices(probe).priceAt(SYMBOL, midnight))!;
    const end = cash.plus(qty.mul(atMidnight));
    const pnl = await say(alice, "/pnl Main yesterday", (t) => /PnL — Main — yesterday/.test(t));
    expect(linesFrom(pnl, "Value:"), text(pnl)).toEqual([`Value: 0.00 → ${en(end)} USDT`]);
    expect(linesFrom(pnl, "Net deposits/withdrawals:")).toEqual([
      "Net deposits/withdrawals: +18,350.00 USDT (deposits +100,000.00, withdrawals −81,650.00)",
    ]);
    // today nothing happened: no flows, and the day starts from yesterday's closing value
    const today = await say(alice, "/pnl today", (t) => /PnL — Main — today/.test(t));
    expect(linesFrom(today, "Net deposits/withdrawals:")).toEqual([]);
  });
});
