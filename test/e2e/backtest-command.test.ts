// /backtest through the bot on both databases: a rules strategy created in the chat is backtested
// over a few days of hourly candles from the offline source; one progress message is edited in
// place into the figures (the same ones the domain computes for the same request), and the chart
// arrives as a PNG photo. Bad input of every kind is answered in words and starts nothing; another
// user's strategy is "not found"; a second backtest while the first runs is refused.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Provider } from "../../src/db/client.ts";
import { formatMoney } from "../../src/bot/format/numbers.ts";
import { ManualClock } from "../../src/lib/clock.ts";
import { type Harness, startHarness } from "../support/app-harness.ts";
import { PROVIDERS } from "../support/db.ts";
import { type Trader, approvedTrader, say, textOf } from "../support/e2e-trader.ts";
import type { TwinMessage } from "../support/telegram-twin/index.ts";

const START = new Date("2026-03-10T09:00:30Z");
// no "every": the timeframe comes from /backtest (and wins over one the rules name: see below)
const RULES = "buy 50% when RSI(14) < 50; sell all when RSI(14) > 55";
const RANGE = "2026-03-05 2026-03-07";

let h: Harness;
let alice: Trader;
let bob: Trader;

/** Sends /backtest and waits until its progress message has become the figures. */
async function backtest(trader: Trader, args: string) {
  const since = h.twin.mark();
  trader.user.send(`/backtest ${args}`);
  const progress = await h.twin.waitForMessage(trader.user.chatId, (m) => /^⏳/.test(textOf(m)), {
    since,
    timeoutMs: 10_000,
  });
  const done = await h.twin.waitForMessage(
    trader.user.chatId,
    (m) => m.message_id === progress.message_id && /^📊/.test(textOf(m)),
    { since, timeoutMs: 60_000 },
  );
  const photo = await h.twin.waitForMessage(trader.user.chatId, (m) => Boolean(m.photo), {
    since,
    timeoutMs: 30_000,
  });
  return { progress, done, photo };
}

describe.each(PROVIDERS)("/backtest on %s", (provider: Provider) => {
  beforeAll(async () => {
    h = await startHarness({ provider, clock: new ManualClock(START) });
    alice = await approvedTrader(h, { telegramId: 6501, firstName: "Alice" });
    bob = await approvedTrader(h, { telegramId: 6502, firstName: "Bob" });
    const created = await say(h, alice.user, `/strategy new Dip rules ${RULES}`, (t) =>
      /created/.test(t),
    );
    expect(created.text).toContain("Strategy Dip created, version 1");
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("edits one progress message into the figures and sends the chart", async () => {
    const { progress, done, photo } = await backtest(alice, `Dip BTCUSDT ${RANGE} 1h`);
    expect(textOf(progress)).toContain("Backtest of Dip v1 · BTCUSDT 1h");
    // the same message, edited (at least once: into the figures)
    expect(done.edits).toBeGreaterThan(0);
    expect(done.revision).toBeGreaterThan(progress.revision);
    expect(done.history[0]!.text).toMatch(/^⏳/);
    const text = textOf(done);
    for (const label of [
      "Return vs buy and hold",
      "Annualized (CAGR)",
      "Max drawdown",
      "Sharpe / Sortino",
      "Trades",
      "Win rate",
      "Average win / loss",
      "Time in the market",
      "Fees paid",
    ])
      expect(text).toContain(`${label}: `);
    expect(text).toContain("2026-03-05 00:00");

    // the figures are the domain's for the same request
    const { backtests } = h.app.services;
    const prepared = await backtests.prepare(alice.actor, {
      strategy: "Dip",
      symbol: "BTCUSDT",
      from: new Date("2026-03-05T00:00:00Z"),
      to: new Date("2026-03-08T00:00:00Z"),
      timeframe: "1h",
    });
    const { report } = await backtests.execute(prepared);
    const m = report.metrics;
    expect(m.fills).toBeGreaterThan(0);
    expect(text).toContain(`${formatMoney(m.initialCash, "USDT", "en")} → `);
    expect(text).toContain(formatMoney(m.finalEquity, "USDT", "en"));
    expect(text).toContain(`Trades: ${m.trades} (${m.wins} won, ${m.losses} lost)`);
    expect(text).toContain(`Fees paid: ${formatMoney(m.feesPaid, "USDT", "en")}`);
    expect(text).toContain(`${report.candles} candles`);

    expect(photo.photo?.mimeType).toBe("image/png");
    expect(photo.photo?.width).toBe(1000);
    expect(photo.photo?.height).toBe(640);
    expect(photo.photo?.bytes?.subarray(1, 4).toString("ascii")).toBe("PNG");
    expect(textOf(photo)).toBe("Dip · BTCUSDT 1h");
    expect(photo.message_id).toBeGreaterThan(done.message_id);
  }, 120_000);

  it("runs on the TIMEFRAME argument even when the rules name their own", async () => {
    // regression: "every 4h" in the text used to win over the argument the usage says replaces it
    await say(h, alice.user, `/strategy new Slow rules ${RULES}; every 4h`, (t) =>
      /created/.test(t),
    );
    const { backtests } = h.app.services;
    const range = { from: new Date("2026-03-05T00:00:00Z"), to: new Date("2026-03-08T00:00:00Z") };
    const own = await backtests.prepare(alice.actor, {
      strategy: "Slow",
      symbol: "BTCUSDT",
      ...range,
    });
    expect(own.timeframe).toBe("4h");
    const hourly = await backtests.prepare(alice.actor, {
      strategy: "Slow",
      symbol: "BTCUSDT",
      ...range,
      timeframe: "1h",
    });
    expect(hourly.timeframe).toBe("1h");
    // the rules are the same, only the timeframe statement is left out
    expect(hourly.stored).toMatchObject({ source: RULES, timeframe: "1h" });

    const { done, photo } = await backtest(alice, `Slow BTCUSDT ${RANGE} 1h`);
    expect(textOf(done)).toContain("Backtest of Slow v1 · BTCUSDT 1h");
    expect(textOf(photo)).toBe("Slow · BTCUSDT 1h");
    const { report } = await backtests.execute(hourly);
    expect(report.timeframe).toBe("1h");
    expect(textOf(done)).toContain(`${report.candles} candles`);
  }, 120_000);

  it("answers bad input in words and starts nothing", async () => {
    const cases: Array<[string, RegExp]> = [
      ["", /^Usage: \/backtest STRATEGY SYMBOL/],
      ["Dip", /^Usage: \/backtest STRATEGY SYMBOL/],
      ["Nope BTCUSDT", /You have no strategy called “Nope”/],
      ["Dip NOPEUSDT", /I don't know the symbol “NOPEUSDT”/],
      ["Dip BTCUSDT 2026-02-30", /“2026-02-30” is not a date/],
      ["Dip BTCUSDT 2026-03-01 2026-03-02 2026-03-03", /“2026-03-03” is a third date/],
      ["Dip BTCUSDT 2026-03-07 2026-03-01", /start of the period must be before its end/],
      ["Dip BTCUSDT 2024-01-01 2026-03-01 1m", /a backtest takes at most/],
      ["Dip BTCUSDT 2h", /“2h” is not a timeframe. Timeframes: 1m, 5m/],
      ["Dip BTCUSDT soon", /I don't understand “soon”/],
    ];
    const before = h.twin.callsTo("sendPhoto").length;
    for (const [args, expected] of cases) {
      const answer = await say(h, alice.user, `/backtest ${args}`.trim(), (t) => !/^⏳/.test(t));
      expect(textOf(answer), args).toMatch(expected);
    }
    expect(h.twin.callsTo("sendPhoto").length).toBe(before);
  }, 120_000);

  it("knows only the user's own strategies", async () => {
    const answer = await say(h, bob.user, "/backtest Dip BTCUSDT", () => true);
    expect(textOf(answer)).toContain("You have no strategy called “Dip”");
  });

  it("refuses a second backtest while the first runs", async () => {
    const since = h.twin.mark();
    // both in one batch of updates: the second is handled while the first runs
    alice.user.send(`/backtest Dip BTCUSDT ${RANGE}`);
    alice.user.send(`/backtest Dip ETHUSDT ${RANGE}`);
    const refused = await h.twin.waitForMessage(
      alice.user.chatId,
      (m) => /still running/.test(textOf(m)),
      { since, timeoutMs: 10_000 },
    );
    expect(textOf(refused)).toBe("Your previous backtest is still running; wait for its result.");
    const done = await h.twin.waitForMessage(
      alice.user.chatId,
      (m: TwinMessage) => /^📊/.test(textOf(m)),
      { since, timeoutMs: 60_000 },
    );
    expect(textOf(done)).toContain("BTCUSDT 1h");
    await h.twin.waitForMessage(alice.user.chatId, (m) => Boolean(m.photo), {
      since,
      timeoutMs: 30_000,
    });
    // ETHUSDT never ran
    expect(
      h.twin
        .messages(alice.user.chatId)
        .filter((m) => m.revision > since && /ETHUSDT/.test(textOf(m))),
    ).toEqual([]);
  }, 120_000);
});
