// A trailing stop's trigger moves with the market; /orders shows where it stands now (issue 11,
// item 14: "/orders never shows the current trigger"), as the venue tracks it — on both
// databases, through the bot, with the clock moved so the market moves.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Provider } from "../../src/db/client.ts";
import { ManualClock } from "../../src/lib/clock.ts";
import { Decimal } from "../../src/lib/decimal.ts";
import { type Harness, startHarness } from "../support/app-harness.ts";
import { PROVIDERS } from "../support/db.ts";
import { type Trader, approvedTrader, press, say } from "../support/e2e-trader.ts";

const START = new Date("2026-03-10T09:00:30Z");
const HOUR = 3_600_000;

let h: Harness;
let clock: ManualClock;
let alice: Trader;

/** en-US grouping at the tick's two decimals */
const en = (d: Decimal) => d.toFixed(2).replace(/\B(?=(\d{3})+(?!\d))/g, ",");

async function venueTrigger(): Promise<Decimal> {
  const row = await h.db.db.prisma.paperOrder.findFirstOrThrow({ where: { type: "TRAILING" } });
  return new Decimal(String(row.stopPrice));
}

async function setUp(provider: Provider) {
  clock = new ManualClock(START);
  h = await startHarness({ provider, clock });
  alice = await approvedTrader(h, { telegramId: 6401, firstName: "Alice" });
  const bought = await h.app.services.trading.place(alice.actor, {
    portfolioId: alice.portfolioId,
    symbol: "BTCUSDT",
    side: "BUY",
    type: "MARKET",
    quantity: new Decimal("0.1"),
  });
  expect(bought.order.status).toBe("FILLED");
}

describe.each(PROVIDERS)("a trailing stop's current trigger in /orders on %s", (provider) => {
  beforeAll(() => setUp(provider));
  afterAll(async () => {
    await h?.stop();
  });

  it("shows the level the venue holds now, and follows it as the market moves", async () => {
    const card = await say(h, alice.user, "/sell BTCUSDT 0.1 trailing 5%", (t) =>
      /Confirm order/.test(t),
    );
    expect(card.text).toContain("Trailing stop 5 %");
    await press(
      h,
      alice.user,
      card,
      "✅ Confirm",
      (t) => /#\d+/.test(t) && !/Confirm order/.test(t),
    );

    // the card may show the order before the venue has it (a busy machine): wait for the venue
    await vi.waitFor(() => venueTrigger(), { timeout: 10_000, interval: 100 });
    // one evaluation at the same instant settles the level (the sync job may run one anyway)
    await h.app.services.sync.syncAccount(alice.accountId);
    const first = await venueTrigger();
    const listed = await say(h, alice.user, "/orders", (t) => /Open orders|orders/i.test(t));
    expect(listed.text).toContain(`trigger now ${en(first)} USDT`);

    // the market moves for a few hours; the venue re-evaluates the stop each sync
    let moved = first;
    for (let i = 0; i < 12 && moved.eq(first); i++) {
      clock.advance(HOUR);
      await h.app.services.sync.syncAccount(alice.accountId);
      const status = await h.db.db.prisma.paperOrder.findFirstOrThrow({
        where: { type: "TRAILING" },
      });
      if (status.status !== "NEW") break;
      moved = await venueTrigger();
    }
    // the seeded offline market rises within the hours moved: the stop is still working, higher
    const order = await h.db.db.prisma.order.findFirstOrThrow({ where: { type: "TRAILING" } });
    expect(order.status).toBe("NEW");
    expect(moved.gt(first)).toBe(true);
    const again = await say(h, alice.user, "/orders", (t) => /trigger now/.test(t));
    expect(again.text).toContain(`trigger now ${en(moved)} USDT`);
    expect(again.text).not.toContain(`trigger now ${en(first)} USDT`);
  });
});
