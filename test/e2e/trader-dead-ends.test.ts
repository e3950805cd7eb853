// Dead ends a trader met (issue 11, item 16), through the bot on both databases: a stock bought
// from a USDT account is answered with why (stocks settle in USD) and what to do, and /buy's
// symbol buttons offer only what the account trades; with no portfolio, /buy and /portfolio
// offer no Edit, Cancel, Make default, Rename or Delete but the way to create one; an unknown
// symbol with nothing like it says so without "try one of these"; Russian readers see the paper
// broker named in Russian.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Provider } from "../../src/db/client.ts";
import { toActor } from "../../src/domain/users/actor.ts";
import { ADMIN_ID, type Harness, startHarness } from "../support/app-harness.ts";
import { PROVIDERS } from "../support/db.ts";
import { type Trader, approvedTrader, buttonsOf, press, say } from "../support/e2e-trader.ts";
import type { SimulatedUser } from "../support/telegram-twin/index.ts";

let h: Harness;
let alice: Trader;
let newcomer: SimulatedUser;

async function setUp(provider: Provider) {
  h = await startHarness({ provider });
  alice = await approvedTrader(h, { telegramId: 6601, firstName: "Alice", currency: "USDT" });
  // approved, but without any account or portfolio
  const { users, chats } = h.app.services;
  const admin = toActor(
    await users.registerFromTelegram({ telegramUserId: String(ADMIN_ID), firstName: "Ada" }),
  );
  const row = await users.registerFromTelegram({
    telegramUserId: "6602",
    firstName: "Nina",
    languageCode: "ru",
  });
  const nina = toActor(await users.approve(admin, row.id));
  await chats.registerPrivateChat(nina.id, "6602");
  newcomer = h.twin.user({ id: 6602, first_name: "Nina", language_code: "ru" });
}

const labels = (m: Parameters<typeof buttonsOf>[0]) => buttonsOf(m).map((b) => b.text);

describe.each(PROVIDERS)("a trader's dead ends on %s", (provider) => {
  beforeAll(() => setUp(provider), 120_000);
  afterAll(async () => {
    await h?.stop();
  });

  it("explains that a stock needs USD, and offers only what a USDT account trades", async () => {
    const refused = await say(h, alice.user, "/buy AAPL 1", (t) => /AAPL/.test(t));
    expect(refused.text).toContain(
      "AAPL trades in USD, and Main holds no USD: its account is in USDT.",
    );
    expect(refused.text).toContain("/deposit 1000 USD Main");
    expect(refused.text).not.toContain("Not enough cash: 0");

    const symbols = await say(h, alice.user, "/buy", (t) => /symbol/i.test(t));
    expect(labels(symbols)).toEqual(["BTCUSDT", "ETHUSDT", "SOLUSDT"]);
    const unknown = await say(h, alice.user, "ZZZZ", (t) => /ZZZZ/.test(t));
    expect(unknown.text).toBe(
      "I don't know “ZZZZ”. Type another symbol, for example BTCUSDT, ETHUSDT.",
    );
    expect(labels(unknown)).toEqual([]);
    await say(h, alice.user, "/cancel", (t) => /Canceled/i.test(t));
  });

  it("with no portfolio, /buy and /portfolio lead to creating one instead of dead buttons", async () => {
    const quick = await say(h, newcomer, "/buy BTCUSDT 0.01", (t) => /портфел/.test(t));
    expect(quick.text).toContain("Пока нет портфеля, из которого можно торговать.");
    expect(quick.text).toContain("/newportfolio");
    expect(labels(quick)).toEqual([]);

    const stepwise = await say(h, newcomer, "/buy", (t) => /портфел/.test(t));
    expect(stepwise.text).toContain("Пока нет портфеля");
    expect(labels(stepwise)).toEqual([]);

    const menu = await say(h, newcomer, "/portfolio", (t) => /портфел/i.test(t));
    expect(labels(menu)).toHaveLength(1);
    expect(labels(menu)).toEqual(["➕ Создать портфель"]);

    const brokers = await say(h, newcomer, "/newaccount", (_t, m) => buttonsOf(m).length > 0);
    expect(labels(brokers)).toContain("Учебная торговля (симуляция)");
    expect(labels(brokers)).not.toContain("Paper trading (simulated)");
    await press(h, newcomer, brokers, "Учебная торговля (симуляция)", (t) => t.length > 0);
    await say(h, newcomer, "/cancel", (t) => /Отмен/.test(t));
  });
});
