// Amending an open order through the bot (issue 11): the /orders Amend button opens a
// conversation that asks for the new price and quantity, checking each as it is typed, then
// cancel-replaces the order and says so; /amend ID price=.. qty=.. does the same in one line; a
// replacement the cash cannot pay is refused before anything is canceled. On both databases,
// through the Telegram twin.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Provider } from "../../src/db/client.ts";
import { ManualClock } from "../../src/lib/clock.ts";
import { Decimal } from "../../src/lib/decimal.ts";
import { type Harness, startHarness } from "../support/app-harness.ts";
import { PROVIDERS } from "../support/db.ts";
import {
  type Trader,
  approvedTrader,
  buttonsOf,
  press,
  say,
  textOf,
} from "../support/e2e-trader.ts";

const START = new Date("2026-03-10T09:00:30Z");

let h: Harness;
let alice: Trader;
/** a limit price far below the market: the order rests */
let low: Decimal;

const en = (d: Decimal) => d.toFixed(2).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
const prisma = () => h.db.db.prisma;

async function setUp(provider: Provider) {
  h = await startHarness({ provider, clock: new ManualClock(START) });
  alice = await approvedTrader(h, { telegramId: 6501, firstName: "Alice" });
  const { price } = await h.app.services.trading.quantityForCash(
    alice.actor,
    alice.portfolioId,
    "BTCUSDT",
    new Decimal("1000"),
  );
  low = price.mul("0.7").toDecimalPlaces(0, Decimal.ROUND_DOWN);
}

describe.each(PROVIDERS)("amending an order from Telegram on %s", (provider) => {
  beforeAll(() => setUp(provider));
  afterAll(async () => {
    await h?.stop();
  });

  it("the /orders Amend button asks step by step, checks each answer and replaces the order", async () => {
    const placed = await h.app.services.trading.place(alice.actor, {
      portfolioId: alice.portfolioId,
      symbol: "BTCUSDT",
      side: "BUY",
      type: "LIMIT",
      quantity: new Decimal("0.01"),
      price: low,
    });
    const id = placed.order.id;
    const list = await say(h, alice.user, "/orders", (t) => /Orders in Main/.test(t));
    expect(buttonsOf(list).map((b) => b.text)).toEqual(
      expect.arrayContaining([`✖️ Cancel #${id}`, `✏️ Amend #${id}`]),
    );
    await press(h, alice.user, list, `✏️ Amend #${id}`, (t) =>
      t.startsWith(`Amending order #${id}`),
    );
    const askPrice = await h.twin.waitForMessage(alice.user.chatId, (m) =>
      textOf(m).startsWith("New limit price?"),
    );
    expect(textOf(askPrice)).toContain(en(low));
    // a typed answer that is no number is explained and asked again
    await say(h, alice.user, "cheap", (t) => t.includes("“cheap” is not a number"));
    const lower = low.minus(100);
    const askQty = await say(h, alice.user, lower.toFixed(), (t) =>
      t.startsWith("New total quantity"),
    );
    expect(textOf(askQty)).toContain("Now 0.01, filled 0");
    await say(h, alice.user, "0", (t) => t.includes("“0” is not a positive number"));
    const done = await say(h, alice.user, "0.02", (t) => t.startsWith(`Order #${id} amended`));
    const newId = Number(/replaced by #(\d+)/.exec(textOf(done))?.[1]);
    expect(textOf(done)).toContain(`BUY 0.02 BTCUSDT · Limit ${en(lower)} · GTC`);

    const original = await prisma().order.findUniqueOrThrow({ where: { id } });
    const replacement = await prisma().order.findUniqueOrThrow({ where: { id: newId } });
    expect(original.status).toBe("CANCELED");
    expect(replacement.status).toBe("NEW");
    expect(String(replacement.quantity)).toBe("0.02");
    expect(new Decimal(String(replacement.price)).eq(lower)).toBe(true);
    expect(replacement.meta).toMatchObject({ replacesOrderId: id });
    expect(await prisma().auditLog.count({ where: { entityId: id, action: "AMEND" } })).toBe(1);

    // the list links the pair
    const all = await say(h, alice.user, "/orders all", (t) => /Orders in Main — all/.test(t));
    expect(textOf(all)).toContain(`#${newId} open · BUY 0.02 BTCUSDT`);
    expect(textOf(all)).toContain(`replaces #${id}`);
    expect(textOf(all)).toContain(`replaced by #${newId}`);
  });

  it("/amend ID changes in one line; a refusal known beforehand leaves the order working", async () => {
    const open = await prisma().order.findFirstOrThrow({
      where: { portfolioId: alice.portfolioId, status: "NEW" },
    });
    const target = low.minus(200);
    const done = await say(h, alice.user, `/amend ${open.id} price=${target.toFixed()}`, (t) =>
      t.startsWith(`Order #${open.id}`),
    );
    expect(textOf(done)).toContain(`Order #${open.id} amended: replaced by #`);
    const newId = Number(/replaced by #(\d+)/.exec(textOf(done))?.[1]);
    expect((await prisma().order.findUniqueOrThrow({ where: { id: open.id } })).status).toBe(
      "CANCELED",
    );

    // 100 BTC cannot be paid from 100,000 USDT: refused before the cancel
    const refused = await say(h, alice.user, `/amend #${newId} qty 100`, (t) =>
      t.startsWith(`Order #${newId}`),
    );
    expect(textOf(refused)).toContain(
      `Order #${newId} was not changed and keeps working as it was`,
    );
    expect(textOf(refused)).toMatch(/cash/i);
    expect((await prisma().order.findUniqueOrThrow({ where: { id: newId } })).status).toBe("NEW");

    // bad input is explained with the usage
    expect(textOf(await say(h, alice.user, "/amend"))).toContain("/amend 42 price=2100 qty=0.8");
    expect(textOf(await say(h, alice.user, `/amend ${newId} colour=red`))).toContain(
      `I don't know "colour" here`,
    );
    expect(
      textOf(await say(h, alice.user, `/amend ${newId} price=${low.toFixed()} qty=0.01 qty`)),
    ).toContain(`"qty" needs a number`);
    // nothing to change
    const same = await prisma().order.findUniqueOrThrow({ where: { id: newId } });
    expect(textOf(await say(h, alice.user, `/amend ${newId} qty=${same.quantity}`))).toContain(
      "Nothing to change",
    );
  });
});
