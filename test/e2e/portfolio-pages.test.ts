// /portfolio pages its list like every long list: a trader with more portfolios than fit on one
// page (PORTFOLIO_PAGE_SIZE) sees a "1/2 ›" row, the arrows redraw the same message with the next
// portfolios (text and buttons alike), and switching to a portfolio on page 2 keeps page 2 in
// view with the new active one marked; the buttons under the list (Rename …) work on page 2 too.
// /settings pages its default-portfolio list the same way. Through the Telegram twin on both
// databases.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PORTFOLIO_PAGE_SIZE } from "../../src/bot/features/portfolios/portfolio-menu.ts";
import type { Provider } from "../../src/db/client.ts";
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

let h: Harness;
let alice: Trader;
const TOTAL = PORTFOLIO_PAGE_SIZE + 3;
// "Main" (made by approvedTrader) then P02…P11: listed by name, so page 2 holds the last three
const names = [
  "Main",
  ...Array.from({ length: TOTAL - 1 }, (_, i) => `P${String(i + 2).padStart(2, "0")}`),
];

async function setUp(provider: Provider) {
  h = await startHarness({ provider });
  alice = await approvedTrader(h, { telegramId: 6601, firstName: "Alice" });
  for (const name of names.slice(1))
    await h.app.services.portfolios.createPortfolio(alice.actor, {
      accountId: alice.accountId,
      name,
    });
}

const labels = (m: Parameters<typeof buttonsOf>[0]) => buttonsOf(m).map((b) => b.text);
const listed = (m: Parameters<typeof buttonsOf>[0]) =>
  names.filter((n) => new RegExp(`(▶️|▫️) ${n} —`).test(textOf(m)));

describe.each(PROVIDERS)("/portfolio pages on %s", (provider) => {
  beforeAll(() => setUp(provider), 120_000);
  afterAll(async () => {
    await h?.stop();
  });

  it("shows a page at a time, turns pages in place, and keeps the page when switching", async () => {
    const order = (await h.app.services.portfolios.listPortfolios(alice.actor)).map((p) => p.name);
    expect(order).toHaveLength(TOTAL);
    const first = await say(h, alice.user, "/portfolio", (_t, m) => labels(m).includes("›"));
    expect(labels(first)).toContain("1/2");
    expect(labels(first)).not.toContain("‹");
    expect(listed(first)).toEqual(order.slice(0, PORTFOLIO_PAGE_SIZE).sort());
    for (const name of order.slice(0, PORTFOLIO_PAGE_SIZE))
      expect(labels(first).some((l) => l.endsWith(name))).toBe(true);
    expect(labels(first).some((l) => l.endsWith(order.at(-1)!))).toBe(false);

    const second = await press(h, alice.user, first, "›", (_t, m) => labels(m).includes("2/2"));
    expect(second.message_id).toBe(first.message_id);
    expect(labels(second)).toContain("‹");
    expect(labels(second)).not.toContain("›");
    expect(listed(second)).toEqual(order.slice(PORTFOLIO_PAGE_SIZE).sort());

    // a portfolio on page 2: switched, and the menu stays on page 2 with it marked
    const target = order.at(-1)!;
    const switched = await press(h, alice.user, second, target, (_t, m) =>
      labels(m).includes(`✅ ${target}`),
    );
    expect(labels(switched)).toContain("2/2");
    expect(textOf(switched)).toMatch(new RegExp(`▶️ ${target} —`));
    const active = (await h.app.services.portfolios.listPortfolios(alice.actor)).find(
      (p) => p.isActive,
    );
    expect(active?.name).toBe(target);

    const back = await press(h, alice.user, switched, "‹", (_t, m) => labels(m).includes("1/2"));
    expect(listed(back)).toEqual(order.slice(0, PORTFOLIO_PAGE_SIZE).sort());
  });

  it("the buttons under a page act on page 2 as on page 1 (Rename asks for the new name)", async () => {
    const first = await say(h, alice.user, "/portfolio", (_t, m) => labels(m).includes("›"));
    const second = await press(h, alice.user, first, "›", (_t, m) => labels(m).includes("2/2"));
    const asked = await press(h, alice.user, second, "✏️ Rename", (t) => /New name/.test(t));
    expect(textOf(asked)).toMatch(/New name for the portfolio/);
    await say(h, alice.user, "/cancel", (t) => /cancel/i.test(t));
  });

  it("/settings pages the default-portfolio list and sets one from page 2", async () => {
    const order = (await h.app.services.portfolios.listPortfolios(alice.actor)).map((p) => p.name);
    const settings = await say(h, alice.user, "/settings", (_t, m) =>
      labels(m).includes("📁 Default portfolio"),
    );
    const list = await press(h, alice.user, settings, "📁 Default portfolio", (_t, m) =>
      labels(m).includes("1/2"),
    );
    expect(labels(list).filter((l) => order.some((n) => l.endsWith(n)))).toHaveLength(
      PORTFOLIO_PAGE_SIZE,
    );
    const page2 = await press(h, alice.user, list, "›", (_t, m) => labels(m).includes("2/2"));
    expect(page2.message_id).toBe(settings.message_id);
    const target = order.at(-2)!;
    expect(labels(page2)).toContain(target);
    const done = await press(h, alice.user, page2, target, (t) =>
      new RegExp(`Default portfolio: ${target}`).test(t),
    );
    expect(textOf(done)).toMatch(new RegExp(`Default portfolio: ${target}`));
    const stored = (await h.app.services.portfolios.listPortfolios(alice.actor)).find(
      (p) => p.isDefault,
    );
    expect(stored?.name).toBe(target);
    // Back from page 2 returns to the settings (its menu hash happened to hold "~1h", which the
    // button-owner guard once took for another person's tag: test/bot/button-owner-guard.test.ts)
    const again = await press(h, alice.user, done, "📁 Default portfolio", (_t, m) =>
      labels(m).includes("1/2"),
    );
    const page2again = await press(h, alice.user, again, "›", (_t, m) => labels(m).includes("2/2"));
    await press(h, alice.user, page2again, "« Back", (_t, m) =>
      labels(m).includes("📁 Default portfolio"),
    );
  });
});
