// No dead ends in step-by-step conversations (issue 11, items 8 and 9), through the Telegram twin
// on both databases:
// - a command typed mid-conversation leaves it, says so, and runs ("/price ETHUSDT" mid-order
//   used to answer "“/price ETHUSDT” is not a positive number"; "/cancel 4" was read as a symbol);
// - "/cancel" alone ends the conversation; a mistyped command ("/prcie") is still an answer;
// - /newaccount → a broker that is not available here explains and offers the buttons again
//   (the press had removed them, and every later message, /newaccount included, was eaten).
import type { InlineKeyboardMarkup } from "grammy/types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Provider } from "../../src/db/client.ts";
import { type Actor, toActor } from "../../src/domain/users/actor.ts";
import { Decimal } from "../../src/lib/decimal.ts";
import { ADMIN_ID, type Harness, startHarness } from "../support/app-harness.ts";
import { PROVIDERS } from "../support/db.ts";
import type { SimulatedUser, TwinMessage } from "../support/telegram-twin/index.ts";

const ALICE = 7401;
let h: Harness;
let alice: SimulatedUser;
let actor: Actor;

const text = (m: { text?: string; caption?: string }) => m.text ?? m.caption ?? "";
const labels = (m: TwinMessage) =>
  ((m.reply_markup as InlineKeyboardMarkup | undefined)?.inline_keyboard ?? [])
    .flat()
    .map((b) => b.text);

/** Sends `message` and returns every bot message that arrives until `last` matches. */
async function say(message: string, last: RegExp): Promise<TwinMessage[]> {
  const since = h.twin.mark();
  alice.send(message);
  const end = await h.twin.waitForMessage(ALICE, (m) => last.test(text(m)), {
    since,
    timeoutMs: 10_000,
  });
  return h.twin.messages(ALICE).filter((m) => m.revision > since && m.message_id <= end.message_id);
}

async function setUp(provider: Provider) {
  h = await startHarness({ provider });
  const { users, portfolios } = h.app.services;
  const admin = toActor(
    await users.registerFromTelegram({ telegramUserId: String(ADMIN_ID), firstName: "Ada" }),
  );
  const row = await users.registerFromTelegram({
    telegramUserId: String(ALICE),
    firstName: "Alice",
    languageCode: "en",
  });
  actor = toActor(await users.approve(admin, row.id));
  const account = await portfolios.createAccount(actor, {
    brokerCode: "PAPER",
    name: "Alice paper",
    baseCurrency: "USDT",
    openingBalance: new Decimal("10000"),
  });
  await portfolios.createPortfolio(actor, { accountId: account.id, name: "Main" });
  alice = h.twin.user({ id: ALICE, first_name: "Alice", language_code: "en" });
}

describe.each(PROVIDERS)("commands inside conversations, on %s", (provider) => {
  beforeAll(() => setUp(provider));
  afterAll(async () => {
    await h?.stop();
  });

  it("a command mid-order leaves the order entry, says so, and runs", async () => {
    await say("/buy", /Which symbol/);
    await say("BTCUSDT", /How much BTCUSDT/);
    const replies = await say("/price ETHUSDT", /^ETHUSDT /);
    expect(replies.map(text)[0]).toBe(
      "I stopped the order you were entering (nothing from it was saved) to run /price.",
    );
    expect(replies.map(text).join("\n")).not.toMatch(/not a positive number/);
    // the conversation is gone: a number now is just text, not a quantity
    const after = await say("0.5", /./);
    expect(after.map(text).join("\n")).not.toMatch(/Confirm order/);
  });

  it("/cancel alone ends the conversation; /cancel with an id leaves it and cancels the order", async () => {
    await say("/buy", /Which symbol/);
    const canceled = await say("/cancel", /Canceled/);
    expect(canceled.map(text)).toEqual([
      "Canceled the order you were entering. Nothing was changed.",
    ]);

    await say("/sell", /Which symbol/);
    const replies = await say("/cancel 999999", /999999|not found|no order/i);
    expect(replies.map(text)[0]).toBe(
      "I stopped the order you were entering (nothing from it was saved) to run /cancel.",
    );
    expect(replies.map(text).join("\n")).not.toMatch(/I don't know/);
  });

  it("a mistyped command is still an answer and loses nothing", async () => {
    await say("/buy", /Which symbol/);
    const replies = await say("/prcie", /symbol/i);
    expect(replies.map(text).join("\n")).not.toMatch(/I stopped/);
    // still in the order entry: a symbol moves it on
    await say("ETHUSDT", /How much ETHUSDT/);
    await say("/cancel", /Canceled/);
  });

  it("/newaccount: a broker not available here explains and offers the buttons again", async () => {
    const [question] = await say("/newaccount", /Which broker/);
    const binance = labels(question!).find((l) => /Binance/i.test(l))!;
    expect(binance).toMatch(/not available here/);
    let since = h.twin.mark();
    alice.press(question!, binance);
    const refusal = await h.twin.waitForMessage(
      ALICE,
      (m) => /not available in this/.test(text(m)),
      {
        since,
        timeoutMs: 10_000,
      },
    );
    const paper = labels(refusal).find((l) => /paper/i.test(l))!;
    expect(paper).toBeDefined();
    since = h.twin.mark();
    alice.press(refusal, paper);
    await h.twin.waitForMessage(ALICE, (m) => /A name for the account/.test(text(m)), {
      since,
      timeoutMs: 10_000,
    });
    // and a command still gets out
    const out = await say("/newaccount", /Which broker/);
    expect(out.map(text)[0]).toBe(
      "I stopped adding an account (nothing from it was saved) to run /newaccount.",
    );
    await say("/cancel", /Canceled/);
  });

  it("/price answers every symbol it is given, and explains an unknown one without hiding the rest", async () => {
    const [reply] = await say("/price BTCUSDT, ethusdt ZZZZ AAPL", /AAPL/);
    const lines = text(reply!).split("\n");
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^BTCUSDT [\d,]+\.\d+ USDT · /);
    expect(lines[1]).toMatch(/^ETHUSDT [\d,]+\.\d+ USDT · /);
    expect(lines[2]).toMatch(/ZZZZ/);
    expect(lines[3]).toMatch(/^AAPL [\d,]+\.\d+ USD · /);
  });

  it("in Russian too", async () => {
    await h.app.services.users.updateSettings(actor, { language: "ru" });
    await say("/buy", /инструмент/i);
    const replies = await say("/price BTCUSDT", /^BTCUSDT /);
    expect(replies.map(text)[0]).toBe(
      "Я прервал ввод ордера (из этого ничего не сохранено), чтобы выполнить /price.",
    );
    await say("/buy", /инструмент/i);
    expect((await say("/cancel", /Отменено/)).map(text)).toEqual([
      "Отменено: ввод ордера. Ничего не изменено.",
    ]);
    await h.app.services.users.updateSettings(actor, { language: "en" });
  });
});
