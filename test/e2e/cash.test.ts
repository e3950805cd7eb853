// Cash per portfolio through the Telegram twin (the real app on SQLite): /deposit and /withdraw
// act on the active portfolio unless one is named (in any argument order, names with spaces),
// /transfer moves cash between two portfolios of one account and refuses across accounts,
// /withdraw refuses cash reserved by open buy orders with the numbers, /balance shows each
// portfolio's cash, reserved, free and positions and the account total, and no figure the bot
// shows is negative (issue 11 items 1 and 2).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cashBalance } from "../../src/domain/cash/cash-ledger.ts";
import { toActor } from "../../src/domain/users/actor.ts";
import { Decimal } from "../../src/lib/decimal.ts";
import { ADMIN_ID, type Harness, ask, startHarness } from "../support/app-harness.ts";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

const text = (m: { text?: string; caption?: string }) => m.text ?? m.caption ?? "";
/** a minus sign right before a digit: a negative amount on screen */
const NEGATIVE = /[-−]\s?\d/;

async function trader() {
  const { users, portfolios } = h.app.services;
  const admin = toActor(
    await users.registerFromTelegram({ telegramUserId: String(ADMIN_ID), firstName: "Ada" }),
  );
  const id = 7300;
  const registered = await users.registerFromTelegram({
    telegramUserId: String(id),
    firstName: "Cash",
    languageCode: "en",
  });
  await users.submitApplication(registered.id, { language: "en", timeZone: "UTC" });
  const actor = toActor(await users.approve(admin, registered.id));
  const account = await portfolios.createAccount(actor, {
    brokerCode: "PAPER",
    name: "Broker",
    baseCurrency: "USD",
    openingBalance: new Decimal("100000"),
  });
  const main = await portfolios.createPortfolio(actor, { accountId: account.id, name: "Main" });
  const longTerm = await portfolios.createPortfolio(actor, {
    accountId: account.id,
    name: "Long term",
  });
  const other = await portfolios.createAccount(actor, {
    brokerCode: "PAPER",
    name: "Other",
    baseCurrency: "USD",
    openingBalance: new Decimal("500"),
  });
  const elsewhere = await portfolios.createPortfolio(actor, {
    accountId: other.id,
    name: "Elsewhere",
  });
  const user = h.twin.user({ id, first_name: "Cash", language_code: "en" });
  return { actor, main, longTerm, elsewhere, user };
}

describe("cash per portfolio in the bot", () => {
  it("deposits, transfers, refuses reserved cash, and shows every portfolio's cash", async () => {
    const { actor, main, longTerm, elsewhere, user } = await trader();
    const cash = (id: number) => cashBalance(h.app.database.prisma, id, "USD");

    // the active portfolio (Main, the default) unless one is named; any order, spaces in names
    const dep = await ask(h, user, "/deposit 250", (t) => /Deposited/.test(t));
    expect(text(dep)).toContain("to Main (Broker)");
    const named = await ask(h, user, "/deposit long term USD 1000", (t) => /Deposited/.test(t));
    expect(text(named)).toContain("to Long term (Broker)");
    expect((await cash(main.id)).toFixed()).toBe("100250");
    expect((await cash(longTerm.id)).toFixed()).toBe("1000");

    const moved = await ask(h, user, "/transfer 5000 USD Main Long term", (t) => /Moved/.test(t));
    expect(text(moved)).toContain("from Main to Long term");
    expect((await cash(main.id)).toFixed()).toBe("95250");
    expect((await cash(longTerm.id)).toFixed()).toBe("6000");
    const across = await ask(h, user, "/transfer 10 Main to Elsewhere", (t) => /account/.test(t));
    expect(text(across)).toContain("cash moves only between portfolios of the same account");
    expect((await cash(elsewhere.id)).toFixed()).toBe("500");

    // three open buy limits far below the market reserve cash in Main
    const { trading } = h.app.services;
    for (const [quantity, price] of [
      ["100", "20"],
      ["50", "25"],
      ["20", "30"],
    ] as const) {
      const placed = await trading.place(actor, {
        portfolioId: main.id,
        symbol: "KO",
        side: "BUY",
        type: "LIMIT",
        quantity: new Decimal(quantity),
        price: new Decimal(price),
      });
      expect(placed.order.status).toBe("NEW");
    }
    const free = await h.app.services.cash.freeCash(actor, main.id);
    expect(free.reservingOrders).toBe(3);
    const reserved = free.reserved.toFixed(); // (2000 + 1250 + 600) × (1 + fee)
    const withdrawAll = await ask(h, user, "/withdraw 95249.51", (t) => /free/.test(t));
    expect(text(withdrawAll)).toContain("reserved by 3 open buy orders");
    expect(text(withdrawAll)).not.toMatch(NEGATIVE);
    expect((await cash(main.id)).toFixed()).toBe("95250");

    // all the free cash may go; then a buy is told there is none free, not a negative amount
    const freeText = free.available.toFixed();
    const out = await ask(h, user, `/withdraw ${freeText} Main`, (t) => /Withdrew/.test(t));
    expect(text(out)).toContain("from Main (Broker)");
    expect((await cash(main.id)).toFixed()).toBe(reserved);
    const buy = await ask(h, user, "/buy KO 1 limit 80", (t) => /free cash|cash/.test(t));
    expect(text(buy)).toMatch(/Not enough free cash in Main: 0\.00 USD free/);
    expect(text(buy)).not.toMatch(NEGATIVE);

    const balance = await ask(h, user, "/balance", (t) => /Cash/.test(t));
    const shown = text(balance);
    expect(shown).toContain("Main");
    expect(shown).toContain("Long term");
    expect(shown).toContain("reserved");
    expect(shown).toContain("free 0.00 USD");
    expect(shown).toContain("Account total");
    expect(shown).toContain("Elsewhere");
    expect(shown).not.toMatch(NEGATIVE);
  });
});
