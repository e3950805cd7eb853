// Menus that change something and redraw in place must not then report an error: each /settings
// change (language, time zone, default portfolio) and the portfolio menu's delete confirmation
// used to apply, then send a second edit that Telegram refused as "message is not modified",
// which the user saw as "Sorry, something went wrong … Nothing was changed." Through the Telegram
// twin on both databases: every change is applied, the same message is redrawn with the right
// menu, no apology is sent and no Bot API call fails.
import type { InlineKeyboardMarkup } from "grammy/types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Provider } from "../../src/db/client.ts";
import { type Actor, toActor } from "../../src/domain/users/actor.ts";
import { Decimal } from "../../src/lib/decimal.ts";
import { ADMIN_ID, type Harness, startHarness } from "../support/app-harness.ts";
import { PROVIDERS } from "../support/db.ts";
import type { SimulatedUser, TwinMessage } from "../support/telegram-twin/index.ts";

const ALICE = 7301;
let h: Harness;
let alice: SimulatedUser;
let actor: Actor;

const text = (m: { text?: string; caption?: string }) => m.text ?? m.caption ?? "";
const labels = (m: TwinMessage) =>
  ((m.reply_markup as InlineKeyboardMarkup | undefined)?.inline_keyboard ?? [])
    .flat()
    .map((b) => b.text);

async function say(message: string, match: RegExp): Promise<TwinMessage> {
  const since = h.twin.mark();
  alice.send(message);
  return h.twin.waitForMessage(ALICE, (m) => match.test(text(m)), { since, timeoutMs: 10_000 });
}

/** Presses a button and waits for the same message to be redrawn so that `done` holds. */
async function press(
  message: TwinMessage,
  button: string,
  done: (m: TwinMessage) => boolean,
): Promise<TwinMessage> {
  const since = h.twin.mark();
  alice.press(message, button);
  return h.twin.waitForMessage(ALICE, (m) => m.message_id === message.message_id && done(m), {
    since,
    timeoutMs: 10_000,
  });
}

/** Nothing went wrong: no failed call, no apology in the chat. */
async function expectNoErrors(): Promise<void> {
  await h.twin.waitForIdle({ quietMs: 150 });
  const failed = h.twin.calls.filter((c) => c.response && !c.response.ok);
  expect(failed.map((c) => `${c.method}: ${c.response?.description}`)).toEqual([]);
  const apologies = h.twin.messages(ALICE).filter((m) => /Sorry|Извините/.test(text(m)));
  expect(apologies.map(text)).toEqual([]);
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
    openingBalance: new Decimal("1000"),
  });
  await portfolios.createPortfolio(actor, { accountId: account.id, name: "Main" });
  await portfolios.createPortfolio(actor, { accountId: account.id, name: "Scratch" });
  alice = h.twin.user({ id: ALICE, first_name: "Alice", language_code: "en" });
}

describe.each(PROVIDERS)("menus redraw in place without a false error, on %s", (provider) => {
  beforeAll(() => setUp(provider));
  afterAll(async () => {
    await h?.stop();
  });

  it("/settings: time zone, default portfolio and language each apply and redraw once", async () => {
    let menu = await say("/settings", /Settings/);
    menu = await press(menu, "🕒 Time zone", (m) => labels(m).includes("Europe/Berlin"));
    menu = await press(menu, "Europe/Berlin", (m) => /Time zone: Europe\/Berlin/.test(text(m)));
    expect(labels(menu)).toContain("🌐 Language");
    await expectNoErrors();

    menu = await press(menu, "📁 Default portfolio", (m) => labels(m).includes("Scratch"));
    menu = await press(menu, "Scratch", (m) => /Default portfolio: Scratch/.test(text(m)));
    expect(labels(menu)).toContain("🕒 Time zone");
    await expectNoErrors();

    menu = await press(menu, "🌐 Language", (m) => labels(m).includes("Русский"));
    menu = await press(menu, "Русский", (m) => /Настройки/.test(text(m)));
    expect(labels(menu)).toContain("🌐 Язык");
    await expectNoErrors();

    const user = await h.app.services.users.getById(actor.id);
    expect([user.language, user.timeZone]).toEqual(["ru", "Europe/Berlin"]);
    const list = await h.app.services.portfolios.listPortfolios(actor);
    expect(list.find((p) => p.isDefault)?.name).toBe("Scratch");
  });

  it("/portfolio with no portfolio offers only to create one", async () => {
    const { users } = h.app.services;
    const admin = toActor((await users.findByTelegramId(String(ADMIN_ID)))!);
    const row = await users.registerFromTelegram({
      telegramUserId: "7302",
      firstName: "Newt",
      languageCode: "en",
    });
    await users.approve(admin, row.id);
    const newt = h.twin.user({ id: 7302, first_name: "Newt", language_code: "en" });
    const since = h.twin.mark();
    newt.send("/portfolio");
    const menu = await h.twin.waitForMessage(7302, (m) => labels(m).length > 0, {
      since,
      timeoutMs: 10_000,
    });
    expect(labels(menu)).toEqual(["➕ Create a portfolio"]);
  });

  it("/portfolio: deleting the active empty portfolio redraws the list without an error", async () => {
    await h.app.services.users.updateSettings(actor, { language: "en" });
    let menu = await say("/portfolio", /Portfolios/);
    // the portfolio created last is the active one; switch away and back so both redraws run
    menu = await press(menu, "Main", (m) => /Active: Main/.test(text(m)));
    menu = await press(menu, "Scratch", (m) => /Active: Scratch/.test(text(m)));
    menu = await press(menu, "🗑 Delete", (m) => labels(m).some((l) => /Yes, delete/.test(l)));
    const confirm = labels(menu).find((l) => /Yes, delete/.test(l))!;
    menu = await press(menu, confirm, (m) => !/Scratch/.test(text(m)));
    expect(labels(menu)).toContain("✅ Main");
    await expectNoErrors();
    const names = (await h.app.services.portfolios.listPortfolios(actor)).map((p) => p.name);
    expect(names).toEqual(["Main"]);
  });
});
