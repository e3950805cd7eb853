// Long lists page the same way everywhere (src/bot/pagination.ts): a "‹ 2/5 ›" row whose buttons
// edit the list's message in place, typed callback data "pg:<list>:<page>[:<arg>]" that survives
// tampering, and a page that no longer exists shown as the last one there is. Through the bot on
// both databases: /orders (filter kept across pages) and /trades (period kept), plus the helper.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pageData, pageWindow, pagerRow, parsePageData } from "../../src/bot/pagination.ts";
import type { Provider } from "../../src/db/client.ts";
import { Decimal } from "../../src/lib/decimal.ts";
import { type Harness, startHarness } from "../support/app-harness.ts";
import { PROVIDERS } from "../support/db.ts";
import { type Trader, approvedTrader, buttonsOf, press, say } from "../support/e2e-trader.ts";

describe("the pager helper", () => {
  it("clamps pages, encodes and parses typed callback data, and hides the row for one page", () => {
    expect(pageWindow(0, 3, 6)).toMatchObject({ page: 1, pages: 1, offset: 0 });
    expect(pageWindow(14, 3, 6)).toMatchObject({ page: 3, pages: 3, offset: 12 });
    expect(pageWindow(14, 9, 6)).toMatchObject({ page: 3, pages: 3 });
    expect(pageWindow(14, 0, 6)).toMatchObject({ page: 1 });
    const data = pageData({ list: "orders", page: 2, arg: "open" });
    expect(data).toBe("pg:orders:2:open");
    expect(parsePageData(data)).toEqual({ list: "orders", page: 2, arg: "open" });
    expect(parsePageData("pg:alerts:3")).toEqual({ list: "alerts", page: 3, arg: "" });
    for (const bad of ["pg:secrets:1", "pg:orders:0", "pg:orders:x", "pg:orders:1:a:b", "al:pg:8"])
      expect(parsePageData(bad)).toBeNull();
    expect(() => pageData({ list: "orders", page: 1, arg: "a:b" })).toThrow();
    expect(pagerRow("orders", pageWindow(5, 1, 6))).toEqual([]);
    const middle = pagerRow("trades", pageWindow(50, 2, 10), "week");
    expect(middle.map((b) => b.text)).toEqual(["‹", "2/5", "›"]);
    expect(middle.map((b) => ("callback_data" in b ? b.callback_data : ""))).toEqual([
      "pg:trades:1:week",
      "pg:trades:2:week",
      "pg:trades:3:week",
    ]);
    expect(pagerRow("users", pageWindow(50, 1, 10)).map((b) => b.text)).toEqual(["1/5", "›"]);
    expect(pagerRow("users", pageWindow(50, 5, 10)).map((b) => b.text)).toEqual(["‹", "5/5"]);
  });
});

let h: Harness;
let alice: Trader;

async function setUp(provider: Provider) {
  h = await startHarness({ provider });
  alice = await approvedTrader(h, { telegramId: 6501, firstName: "Alice", cash: "1000000" });
  const { trading, instruments } = h.app.services;
  const tick = (await instruments.resolve("ETHUSDT")).rules.tickSize;
  const quote = await h.app.market.quote("ETHUSDT");
  const low = quote.bid.div(2).div(tick).floor().mul(tick);
  // 14 resting buy limits (3 pages of 6) and 12 fills (2 pages of 10)
  for (let i = 0; i < 14; i++)
    await trading.place(alice.actor, {
      portfolioId: alice.portfolioId,
      symbol: "ETHUSDT",
      side: "BUY",
      type: "LIMIT",
      quantity: new Decimal("0.01"),
      price: low.sub(tick.mul(i)),
    });
  for (let i = 0; i < 12; i++)
    await trading.place(alice.actor, {
      portfolioId: alice.portfolioId,
      symbol: "BTCUSDT",
      side: "BUY",
      type: "MARKET",
      quantity: new Decimal("0.001"),
    });
}

const pagerTexts = (m: Parameters<typeof buttonsOf>[0]) =>
  buttonsOf(m)
    .filter((b) => "callback_data" in b && b.callback_data.startsWith("pg:"))
    .map((b) => b.text);

describe.each(PROVIDERS)("paged lists through the bot on %s", (provider) => {
  beforeAll(() => setUp(provider), 120_000);
  afterAll(async () => {
    await h?.stop();
  });

  it("/orders pages with ‹ 1/3 › buttons that edit the same message and keep the filter", async () => {
    const first = await say(h, alice.user, "/orders", (_t, m) => pagerTexts(m).includes("1/3"));
    expect(first.text?.match(/^#\d+ /gm)).toHaveLength(6);
    expect(pagerTexts(first)).toEqual(["1/3", "›"]);
    const second = await press(h, alice.user, first, "›", (t, m) => pagerTexts(m).includes("2/3"));
    expect(second.message_id).toBe(first.message_id);
    expect(pagerTexts(second)).toEqual(["‹", "2/3", "›"]);
    expect(second.text?.match(/^#\d+ /gm)).toHaveLength(6);
    const ids = (m: typeof first) => (m.text?.match(/^#(\d+)/gm) ?? []).join();
    expect(ids(second)).not.toBe(ids(first));
    const third = await press(h, alice.user, second, "›", (t, m) => pagerTexts(m).includes("3/3"));
    expect(pagerTexts(third)).toEqual(["‹", "3/3"]);
    expect(third.text?.match(/^#\d+ /gm)).toHaveLength(2);
    // the open filter is kept: no filled market order shows up on any page
    expect(third.text).not.toMatch(/BTCUSDT/);
    const back = await press(h, alice.user, third, "‹", (t, m) => pagerTexts(m).includes("2/3"));
    expect(ids(back)).toBe(ids(second));
  });

  it("/trades pages its fills (10 a page) and keeps the period", async () => {
    // waits for the pager, not for "BTCUSDT": the twelve fill notifications name it too and may
    // still be draining from the outbox when /trades is sent
    const first = await say(h, alice.user, "/trades week", (_t, m) =>
      pagerTexts(m).includes("1/2"),
    );
    expect(first.text?.match(/BTCUSDT/g)).toHaveLength(10);
    expect(pagerTexts(first)).toEqual(["1/2", "›"]);
    expect(buttonsOf(first).map((b) => ("callback_data" in b ? b.callback_data : ""))).toContain(
      "pg:trades:2:week",
    );
    const second = await press(h, alice.user, first, "›", (t, m) => pagerTexts(m).includes("2/2"));
    expect(second.message_id).toBe(first.message_id);
    expect(second.text?.match(/BTCUSDT/g)).toHaveLength(2);
  });
});
