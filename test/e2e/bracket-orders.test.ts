// Brackets through the bot (issue 11): "/buy SYMBOL QTY tp PRICE sl PERCENT" shows the card with
// the take-profit, the stop-loss and their expected PnL; confirmed, the filled entry gets its
// exit pair, which /orders shows linked to the entry and to each other; the card's TP / SL
// button asks for the levels step by step, checking each answer. On both databases.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
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
/** about the market price of BTCUSDT, whole dollars */
let market: Decimal;

const en = (d: Decimal) => d.toFixed(2).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
const prisma = () => h.db.db.prisma;

async function setUp(provider: Provider) {
  h = await startHarness({ provider, clock: new ManualClock(START) });
  alice = await approvedTrader(h, { telegramId: 6601, firstName: "Alice" });
  const { price } = await h.app.services.trading.quantityForCash(
    alice.actor,
    alice.portfolioId,
    "BTCUSDT",
    new Decimal("1000"),
  );
  market = price.toDecimalPlaces(0, Decimal.ROUND_DOWN);
}

describe.each(PROVIDERS)("bracket orders from Telegram on %s", (provider) => {
  beforeAll(() => setUp(provider));
  afterAll(async () => {
    await h?.stop();
  });

  it("quick syntax: the card shows TP / SL with expected PnL; the fill places the linked pair", async () => {
    const tp = market.mul("1.1").toDecimalPlaces(0);
    const card = await say(h, alice.user, `/buy BTCUSDT 0.01 tp ${tp.toFixed()} sl 2%`, (t) =>
      /Confirm order/.test(t),
    );
    expect(textOf(card)).toMatch(new RegExp(`Take-profit: ${en(tp)} USDT · expected PnL \\+`));
    expect(textOf(card)).toMatch(/Stop-loss: [\d,.]+ USDT · expected PnL −/);
    const done = await press(
      h,
      alice.user,
      card,
      "✅ Confirm",
      (t, m) => m.message_id === card.message_id && /Order #\d+/.test(t),
    );
    const entryId = Number(/Order #(\d+)/.exec(textOf(done))![1]);
    const legs = await vi.waitFor(
      async () => {
        const rows = await prisma().order.findMany({
          where: { clientOrderId: { startsWith: `br-${entryId}-` } },
          orderBy: { id: "asc" },
        });
        expect(rows).toHaveLength(2);
        return rows;
      },
      { timeout: 10_000, interval: 100 },
    );
    expect(legs.map((l) => [l.type, l.side, l.status])).toEqual([
      ["LIMIT", "SELL", "NEW"],
      ["STOP", "SELL", "NEW"],
    ]);
    const list = await say(h, alice.user, "/orders all", (t) => /Orders in Main — all/.test(t));
    const text = textOf(list);
    expect(text).toContain(`#${entryId} filled · BUY 0.01 BTCUSDT`);
    expect(text).toContain(`TP ${en(tp)}`);
    expect(text).toContain(`#${legs[0]!.id} open · SELL 0.01 BTCUSDT · Limit ${en(tp)}`);
    expect(text).toContain(`take-profit of #${entryId} · OCO pair ${entryId}-1`);
    expect(text).toContain(`stop-loss of #${entryId} · OCO pair ${entryId}-1`);
  });

  it("the card's TP / SL button asks for each level, checks it, and shows the card with them", async () => {
    const limit = market.mul("0.9").toDecimalPlaces(0);
    const card = await say(h, alice.user, `/buy BTCUSDT 0.01 limit ${limit.toFixed()}`, (t) =>
      /Confirm order/.test(t),
    );
    expect(buttonsOf(card).map((b) => b.text)).toContain("🎯 TP / SL");
    const askTp = await press(h, alice.user, card, "🎯 TP / SL", (t) =>
      t.startsWith("Take-profit?"),
    );
    // below the entry is refused for a buy's take-profit, with the entry named
    const below = await say(h, alice.user, limit.minus(100).toFixed(), (t) =>
      t.includes("must be above the entry price"),
    );
    expect(textOf(below)).toContain(limit.toFixed());
    await say(h, alice.user, "lots", (t) => t.includes("“lots” is neither"));
    const askSl = await say(h, alice.user, "5%", (t) => t.startsWith("Stop-loss?"));
    // the typed take-profit answered its question: that question's "Skip" is gone
    const tpNow = h.twin.messages(alice.user.chatId).find((m) => m.message_id === askTp.message_id);
    expect(buttonsOf(tpNow!)).toEqual([]);
    const again = await press(h, alice.user, askSl, "⏭ Skip", (t) => /Confirm order/.test(t));
    expect(textOf(again)).toContain(
      `Take-profit: ${en(limit.mul("1.05").toDecimalPlaces(2, Decimal.ROUND_UP))} USDT`,
    );
    expect(textOf(again)).not.toContain("Stop-loss:");
  });
});
