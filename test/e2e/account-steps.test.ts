// The step buttons of /newaccount and /newportfolio, through the Telegram twin on both databases:
// each question carries the callback data it always has ("acc:b:<broker>", "acc:c:<currency>",
// "acc:m:<amount>", "pf:acc:<account id>"), so buttons already in chats keep working, and a
// press on one moves the conversation on: a paper account made with the broker, currency and
// starting-cash buttons alone, then a portfolio on the account picked with its button.
import type { InlineKeyboardMarkup } from "grammy/types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Provider } from "../../src/db/client.ts";
import { type Actor, toActor } from "../../src/domain/users/actor.ts";
import { Decimal } from "../../src/lib/decimal.ts";
import { ADMIN_ID, type Harness, startHarness } from "../support/app-harness.ts";
import { PROVIDERS } from "../support/db.ts";
import type { SimulatedUser, TwinMessage } from "../support/telegram-twin/index.ts";

const ALICE = 7501;
let h: Harness;
let alice: SimulatedUser;
let actor: Actor;

const text = (m: { text?: string; caption?: string }) => m.text ?? m.caption ?? "";
const data = (m: TwinMessage) =>
  ((m.reply_markup as InlineKeyboardMarkup | undefined)?.inline_keyboard ?? [])
    .flat()
    .flatMap((b) => ("callback_data" in b ? [b.callback_data] : []));

async function next(start: () => void, match: RegExp): Promise<TwinMessage> {
  const since = h.twin.mark();
  start();
  return h.twin.waitForMessage(ALICE, (m) => match.test(text(m)), { since, timeoutMs: 10_000 });
}

async function setUp(provider: Provider) {
  h = await startHarness({ provider });
  const { users } = h.app.services;
  const admin = toActor(
    await users.registerFromTelegram({ telegramUserId: String(ADMIN_ID), firstName: "Ada" }),
  );
  const row = await users.registerFromTelegram({
    telegramUserId: String(ALICE),
    firstName: "Alice",
    languageCode: "en",
  });
  actor = toActor(await users.approve(admin, row.id));
  alice = h.twin.user({ id: ALICE, first_name: "Alice", language_code: "en" });
}

describe.each(PROVIDERS)("the account and portfolio step buttons, on %s", (provider) => {
  beforeAll(() => setUp(provider));
  afterAll(async () => {
    await h?.stop();
  });

  it("/newaccount by buttons alone: broker, currency, starting cash", async () => {
    const brokers = await next(() => alice.send("/newaccount"), /Which broker/);
    expect(data(brokers)).toContain("acc:b:PAPER");
    await next(() => alice.pressButton(brokers, "acc:b:PAPER"), /A name for the account/);
    const currency = await next(() => alice.send("Steps paper"), /base currency/);
    expect(data(currency)).toEqual(["acc:c:USDT", "acc:c:USD", "acc:c:EUR"]);
    const cash = await next(() => alice.pressButton(currency, "acc:c:EUR"), /Starting cash in EUR/);
    expect(data(cash)).toEqual(["acc:m:10000", "acc:m:100000", "acc:m:1000000"]);
    const created = await next(
      () => alice.pressButton(cash, "acc:m:100000"),
      /Account Steps paper created/,
    );
    expect(text(created)).toContain("Starting cash: 100,000.00 EUR");
    const [account] = await h.app.services.portfolios.listAccounts(actor);
    expect(account).toMatchObject({ name: "Steps paper", baseCurrency: "EUR" });
  });

  it("/newportfolio asks which account with a button each and uses the one pressed", async () => {
    const { portfolios } = h.app.services;
    const second = await portfolios.createAccount(actor, {
      brokerCode: "PAPER",
      name: "Second paper",
      baseCurrency: "USDT",
      openingBalance: new Decimal("5000"),
    });
    const ids = (await portfolios.listAccounts(actor)).map((a) => a.id);
    const question = await next(() => alice.send("/newportfolio"), /Which account/);
    expect(data(question).sort()).toEqual(ids.map((id) => `pf:acc:${id}`).sort());
    await next(
      () => alice.pressButton(question, `pf:acc:${second.id}`),
      /Name for the new portfolio on Second paper/,
    );
    await next(() => alice.send("Steps"), /Portfolio Steps created/);
    const made = (await portfolios.listPortfolios(actor)).find((p) => p.name === "Steps");
    expect(made?.accountName).toBe("Second paper");
  });
});
