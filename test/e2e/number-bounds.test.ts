// Numbers a trader types, end to end through the Telegram twin (issue 11, items 6 and 13): the real
// app on a fresh database, an English and a Russian trader with paper accounts. Huge numbers —
// a deposit, a step-by-step sell (refused at the quantity step), a quick sell, an alert level, a
// risk amount — are refused with the limit in the reader's grouping; "1,000.50" is a thousand and
// a half, "1,000" is refused as ambiguous, an unknown currency is refused with the valid ones
// listed; and database row counts do not move for any refusal. A Confirm that meets an
// unexpected failure answers in the card instead of doing nothing.
import type { InlineKeyboardMarkup } from "grammy/types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Provider } from "../../src/db/client.ts";
import { toActor } from "../../src/domain/users/actor.ts";
import { Decimal } from "../../src/lib/decimal.ts";
import { ADMIN_ID, type Harness, startHarness } from "../support/app-harness.ts";
import { PROVIDERS } from "../support/db.ts";
import type { SimulatedUser, TwinMessage } from "../support/telegram-twin/index.ts";

const ALICE = 7101;
const BORIS = 7102;
const HUGE_DEPOSIT = "99999999999999999999999999999999";
const HUGE_ETH = "99999999999999999999999";
/** Russian digit groups, as Intl (and so Fluent) writes them: a no-break space. */
const NB = "\u00a0";

let h: Harness;
let alice: SimulatedUser;
let boris: SimulatedUser;

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

/** Presses the button whose callback data is `data` and waits for the answer `match` takes. */
async function pressData(
  user: SimulatedUser,
  message: TwinMessage,
  data: string,
  match: (t: string, m: TwinMessage) => boolean,
): Promise<TwinMessage> {
  const b = buttons(message).find((x) => "callback_data" in x && x.callback_data === data);
  if (!b) throw new Error(`no button ${data} in ${JSON.stringify(buttons(message))}`);
  const since = h.twin.mark();
  user.press(message, b.text);
  return h.twin.waitForMessage(user.chatId, (m) => match(text(m), m), {
    since,
    timeoutMs: 10_000,
  });
}

/** Counts of every table a refused number could have touched. */
async function counts() {
  const db = prisma();
  const [cash, orders, paperOrders, trades, alerts, policies, accounts, audit] = await Promise.all([
    db.cashTransaction.count(),
    db.order.count(),
    db.paperOrder.count(),
    db.trade.count(),
    db.alert.count(),
    db.riskPolicy.count(),
    db.account.count(),
    db.auditLog.count(),
  ]);
  return { cash, orders, paperOrders, trades, alerts, policies, accounts, audit };
}

async function setUp(provider: Provider) {
  h = await startHarness({ provider });
  const { users, portfolios } = h.app.services;
  const admin = toActor(
    await users.registerFromTelegram({ telegramUserId: String(ADMIN_ID), firstName: "Ada" }),
  );
  for (const [id, name, language] of [
    [ALICE, "Alice", "en"],
    [BORIS, "Boris", "ru"],
  ] as const) {
    const row = await users.registerFromTelegram({
      telegramUserId: String(id),
      firstName: name,
      languageCode: language,
    });
    const actor = toActor(await users.approve(admin, row.id));
    const account = await portfolios.createAccount(actor, {
      brokerCode: "PAPER",
      name: `${name} paper`,
      baseCurrency: "USDT",
      openingBalance: new Decimal("10000"),
    });
    await portfolios.createPortfolio(actor, { accountId: account.id, name: "Main" });
  }
  alice = h.twin.user({ id: ALICE, first_name: "Alice", language_code: "en" });
  boris = h.twin.user({ id: BORIS, first_name: "Boris", language_code: "ru" });
}

describe.each(PROVIDERS)("numbers a trader types, through the bot on %s", (provider) => {
  beforeAll(() => setUp(provider));
  afterAll(async () => {
    await h?.stop();
  });

  it("/deposit of a huge amount is refused with the limit, in English and Russian", async () => {
    const before = await counts();
    expect(text(await say(alice, `/deposit ${HUGE_DEPOSIT}`))).toBe(
      "Amount is too large: at most 1,000,000,000,000,000.",
    );
    expect(text(await say(boris, `/deposit ${HUGE_DEPOSIT}`))).toBe(
      `Сумма: слишком большое значение, не более 1${NB}000${NB}000${NB}000${NB}000${NB}000.`,
    );
    expect(text(await say(alice, `/withdraw ${HUGE_DEPOSIT}`))).toBe(
      "Amount is too large: at most 1,000,000,000,000,000.",
    );
    expect(await counts()).toEqual(before);
  });

  it("/deposit 1,000.50 is a thousand and a half; 1,000 is ambiguous; 1000,50 is a decimal comma", async () => {
    const before = await counts();
    expect(text(await say(alice, "/deposit 1,000"))).toBe(
      "Amount: “1,000” can be read two ways (a thousand, or a decimal comma?). Write 1000 or 1 000 for a thousand, 1.5 or 1,5 for a fraction.",
    );
    expect(text(await say(boris, "/deposit 1,000"))).toBe(
      "Сумма: «1,000» можно прочитать двояко (тысяча или десятичная запятая?). Для тысячи напишите 1000 или 1 000, для дроби — 1.5 или 1,5.",
    );
    expect(await counts()).toEqual(before);

    expect(text(await say(alice, "/deposit 1,000.50"))).toBe(
      "Deposited 1,000.50 USDT to Main (Alice paper). Its cash: 11,000.50 USDT.",
    );
    const deposited = await say(boris, "/deposit 1000,50");
    expect(text(deposited)).toMatch(/1\s000,50 USDT/);
    expect(text(deposited)).toMatch(/11\s000,50 USDT/);
    const rows = await prisma().cashTransaction.findMany({
      where: { note: "deposit" },
      orderBy: { id: "asc" },
    });
    expect(rows.map((r) => new Decimal(String(r.amount)).toFixed())).toEqual(["1000.5", "1000.5"]);
    expect((await counts()).cash).toBe(before.cash + 2);
  });

  it("/deposit 100 XYZ is refused, listing the currencies the account can hold", async () => {
    const before = await counts();
    const quoted = await prisma().instrument.findMany({
      where: { isActive: true },
      distinct: ["currency"],
      select: { currency: true },
    });
    const allowed = [
      "USDT",
      ...quoted
        .map((i) => i.currency)
        .filter((c) => c !== "USDT")
        .sort(),
    ].join(", ");
    expect(text(await say(alice, "/deposit 100 XYZ"))).toBe(
      `XYZ is not a currency this account can hold. Use one of: ${allowed}.`,
    );
    expect(text(await say(boris, "/deposit 100 xyz"))).toBe(
      `XYZ — не валюта этого счёта. Допустимые: ${allowed}.`,
    );
    expect(await counts()).toEqual(before);
  });

  it("a step-by-step sell of 99999999999999999999999 ETH is refused at the quantity step", async () => {
    const before = await counts();
    await say(alice, "/sell", (t) => /Which symbol\?/.test(t));
    await say(alice, "ETHUSDT", (t) => /How much ETHUSDT\?/.test(t));
    expect(text(await say(alice, HUGE_ETH))).toBe(
      "Quantity is too large: at most 10,000,000,000.\nTry again, or /cancel.",
    );
    expect(text(await say(alice, "1,000"))).toBe(
      "Quantity: “1,000” can be read two ways (a thousand, or a decimal comma?). Write 1000 or 1 000 for a thousand, 1.5 or 1,5 for a fraction.\nTry again, or /cancel.",
    );
    // still at the quantity step: a good answer moves on
    await say(alice, "0,5", (t) => /Which order type\?/.test(t));
    await say(alice, "/cancel");

    await say(boris, "/sell", (t) => t.length > 0);
    await say(boris, "ETHUSDT", (t) => /ETHUSDT/.test(t));
    expect(text(await say(boris, HUGE_ETH))).toBe(
      `Количество: слишком большое значение, не более 10${NB}000${NB}000${NB}000.\nПопробуйте ещё раз или /cancel.`,
    );
    await say(boris, "/cancel");

    // the quick syntax is refused before any card could be confirmed
    const quick = await say(alice, `/sell ETHUSDT ${HUGE_ETH}`);
    expect(text(quick)).toBe("Quantity is too large: at most 10,000,000,000.");
    expect(buttons(quick).map((b) => b.text)).not.toContain("✅ Confirm");
    expect(await counts()).toEqual(before);
  });

  it("a huge alert level is refused, in English and Russian", async () => {
    const before = await counts();
    expect(text(await say(alice, `/alert BTCUSDT above ${HUGE_ETH}`))).toMatch(
      /^Level is too large: at most 1,000,000,000\.\n/,
    );
    expect(text(await say(boris, `/alert BTCUSDT above ${HUGE_ETH}`))).toMatch(
      new RegExp(`^Уровень: слишком большое значение, не более 1${NB}000${NB}000${NB}000\\.\\n`),
    );
    expect(await counts()).toEqual(before);
  });

  it("a huge risk amount is refused at its step of /newpolicy", async () => {
    const before = await counts();
    const scope = await say(alice, "/newpolicy", (t) => /Where should the policy apply\?/.test(t));
    const name = await pressData(alice, scope, "rp:sc:U:0", (t) => /Name the policy/.test(t));
    const perTrade = await pressData(alice, name, "rp:nm", (t) => /Risk per trade/.test(t));
    // each rule is a new question with its own Skip button
    const next = (after: TwinMessage) => (_: string, m: TwinMessage) =>
      m.message_id !== after.message_id &&
      buttons(m).some((b) => "callback_data" in b && b.callback_data === "rp:skip");
    const exposurePct = await pressData(alice, perTrade, "rp:skip", next(perTrade));
    const exposureAbs = await pressData(alice, exposurePct, "rp:skip", next(exposurePct));
    expect(text(exposureAbs)).toContain("as an amount in the portfolio's currency");
    expect(text(await say(alice, HUGE_DEPOSIT))).toBe(
      "Exposure per asset (amount) is too large: at most 1,000,000,000,000,000.",
    );
    await say(alice, "/cancel");
    expect(await counts()).toEqual(before);
  });

  it("Confirm never does nothing: an unexpected failure is explained in the card", async () => {
    const card = await say(alice, "/buy ETHUSDT 0.01", (t) => /Confirm order/.test(t));
    const before = await counts();
    // the orders table disappears between the card and the press: a failure no rule foresees
    const rename = (from: string, to: string) =>
      prisma().$executeRawUnsafe(`ALTER TABLE "${from}" RENAME TO "${to}"`);
    await rename("orders", "orders_away");
    let answered: TwinMessage;
    try {
      const since = h.twin.mark();
      alice.press(card, "✅ Confirm");
      answered = await h.twin.waitForMessage(
        alice.chatId,
        (m) => m.message_id === card.message_id && !/Confirm order/.test(text(m)),
        { since, timeoutMs: 10_000 },
      );
    } finally {
      await rename("orders_away", "orders");
    }
    expect(text(answered)).toMatch(
      /^Sorry, something went wrong on my side\. Nothing was changed\. \(ref .+\)$/,
    );
    expect(buttons(answered).map((b) => b.text)).toEqual(["🔄 Show the card again", "✖️ Cancel"]);
    expect(await counts()).toEqual(before);
    // the draft was kept: once the table is back, the card comes again and places the order
    let since = h.twin.mark();
    alice.press(answered, "🔄 Show the card again");
    const fresh = await h.twin.waitForMessage(
      alice.chatId,
      (m) => m.message_id === card.message_id && /Confirm order/.test(text(m)),
      { since, timeoutMs: 10_000 },
    );
    since = h.twin.mark();
    alice.press(fresh, "✅ Confirm");
    await h.twin.waitForMessage(
      alice.chatId,
      (m) => m.message_id === card.message_id && /Order #\d+ filled/.test(text(m)),
      { since, timeoutMs: 10_000 },
    );
    expect((await counts()).orders).toBe(before.orders + 1);
  });
});
