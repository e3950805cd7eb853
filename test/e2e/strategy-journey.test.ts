// A strategy's whole journey through the Telegram twin, on both databases, over a market whose
// price path the test controls: a user writes a rules strategy in one line, backtests it (the
// card and the chart), runs it on a paper portfolio; the strategy runner ticks over candles the
// test shaped so that it buys (order, strategy notice, fill notification, /running with the
// orders of the day and the PnL); the application restarts on the same database and the instance
// goes on from its saved state (the candle already answered is not traded again; the next one
// sells what was bought before the restart); /stop ends the run, recorded with its orders.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Provider } from "../../src/db/client.ts";
import { ManualClock } from "../../src/lib/clock.ts";
import { type Harness, startHarness } from "../support/app-harness.ts";
import { ControlledMarket } from "../support/controlled-market.ts";
import { PROVIDERS } from "../support/db.ts";
import { type Trader, approvedTrader, say, textOf } from "../support/e2e-trader.ts";
import type { TwinMessage } from "../support/telegram-twin/index.ts";

const START = new Date("2026-03-10T09:00:30Z");
const HOUR = 3600_000;
const SYMBOL = "BTCUSDT";
const RULES = "buy 10% when close < 95; sell all when close > 105";

let h: Harness;
let clock: ManualClock;
let market: ControlledMarket;
let alice: Trader;

const prisma = () => h.db.db.prisma;
const at = (iso: string) => new Date(`2026-03-10T${iso}:00Z`);

/** Waits for the first message in Alice's chat since `since` that matches. */
const next = (since: number, match: (text: string, m: TwinMessage) => boolean) =>
  h.twin.waitForMessage(alice.user.chatId, (m) => match(textOf(m), m), {
    since,
    timeoutMs: 30_000,
  });

/** Moves the clock one hour on and runs the strategy runner once. */
async function nextHour(): Promise<number> {
  const since = h.twin.mark();
  clock.advance(HOUR);
  await h.app.jobs.runNow("strategy-runner");
  return since;
}

describe.each(PROVIDERS)("a strategy's journey on %s", (provider: Provider) => {
  beforeAll(async () => {
    clock = new ManualClock(START);
    market = new ControlledMarket(clock);
    h = await startHarness({ provider, clock, overrides: { market } });
    alice = await approvedTrader(h, { telegramId: 6701, firstName: "Alice" });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("is written, backtested, run, restarted and stopped from the chat", async () => {
    // ── written in one line
    const created = await say(h, alice.user, `/strategy new Swing rules ${RULES}`, (t) =>
      /created|❌/.test(t),
    );
    expect(created.text).toContain("Strategy Swing created, version 1");
    const strategy = await prisma().strategy.findFirstOrThrow({ where: { name: "Swing" } });

    // ── backtested over the wave's history: the figures in one edited message, then the chart
    let since = h.twin.mark();
    alice.user.send(`/backtest Swing ${SYMBOL} 2026-03-05 2026-03-07 1h`);
    const progress = await next(since, (t) => /^⏳/.test(t));
    const card = await next(since, (t, m) => m.message_id === progress.message_id && /^📊/.test(t));
    const chart = await next(since, (_, m) => Boolean(m.photo));
    expect(textOf(card)).toContain("Backtest of Swing v1 · BTCUSDT 1h");
    // the wave crosses 95 and 105 twice a day: the backtest trades
    const trades = Number(/Trades: (\d+)/.exec(textOf(card))?.[1]);
    expect(trades).toBeGreaterThan(0);
    expect(chart.photo?.bytes?.subarray(1, 4).toString("ascii")).toBe("PNG");
    expect(textOf(chart)).toBe("Swing · BTCUSDT 1h");

    // ── run on the paper portfolio
    const started = await say(h, alice.user, `/run Swing on Main ${SYMBOL}`, (t) =>
      /runs on|❌/.test(t),
    );
    expect(started.text).toContain(`Swing v1 runs on Main for ${SYMBOL}`);

    // the 09:00 candle ends at 90 (below 95): at 10:00 the runner buys 10 % of the equity
    market.setPrice(SYMBOL, at("09:00"), "100");
    market.setPrice(SYMBOL, at("09:30"), "90");
    since = await nextHour();
    // the filled notice itself: a scheduled beat of the runner may answer the candle before
    // runNow does (runNow then waits for it and finds the candle answered)
    const bought = await next(
      since,
      (t) => /Swing v1 · BTCUSDT/.test(t) && /BUY \(.+\) → order #\d+ filled/.test(t),
    );
    expect(bought.text).toMatch(/BUY \(.+\) → order #\d+ filled/);
    const buyFill = await next(since, (t) => /Filled: BTCUSDT/.test(t));
    // at the ask of the 90 the test set, plus the paper broker's slippage
    expect(buyFill.text).toMatch(/BUY [\d.]+ BTCUSDT @ 90\.\d\d USDT/);
    const [buy] = await prisma().order.findMany({ where: { strategyId: strategy.id } });
    expect(buy).toMatchObject({ side: "BUY", status: "FILLED", portfolioId: alice.portfolioId });
    expect(buy!.clientOrderId).toMatch(/^st-/);

    const running = await say(h, alice.user, "/running", (t) => /Running strategies/.test(t));
    expect(running.text).toContain("Swing v1");
    expect(running.text).toContain("1 order today");
    expect(running.text).toContain(`Last signal: BUY ${SYMBOL}`);
    expect(running.text).toMatch(/PnL since start: [-−]/);

    const before = await prisma().strategySymbolState.findFirstOrThrow({});
    expect(before.lastCandleAt).toEqual(at("09:00"));
    expect((before.state as { entryPrice: string | null }).entryPrice).not.toBeNull();

    // ── the application restarts on the same database: the instance goes on from its state
    await h.restart();
    const resumed = await prisma().strategyInstance.findFirstOrThrow({});
    expect(resumed.status).toBe("RUNNING");
    // the 09:00 candle was answered before the restart: nothing is placed for it again
    await h.app.jobs.runNow("strategy-runner");
    expect(await prisma().order.count({ where: { strategyId: strategy.id } })).toBe(1);
    const after = await prisma().strategySymbolState.findFirstOrThrow({});
    expect(after.state).toEqual(before.state);
    expect(after.lastCandleAt).toEqual(before.lastCandleAt);

    // the 10:00 candle ends at 110 (above 105): the runner sells what it bought before
    market.setPrice(SYMBOL, at("10:30"), "110");
    since = await nextHour();
    const sold = await next(
      since,
      (t) => /Swing v1 · BTCUSDT/.test(t) && /SELL \(.+\) → order #\d+ filled/.test(t),
    );
    expect(sold.text).toMatch(/SELL \(.+\) → order #\d+ filled/);
    await next(since, (t) => /Filled: BTCUSDT/.test(t) && /SELL/.test(t));
    const orders = await prisma().order.findMany({
      where: { strategyId: strategy.id },
      orderBy: { id: "asc" },
    });
    expect(orders.map((o) => [o.side, o.status])).toEqual([
      ["BUY", "FILLED"],
      ["SELL", "FILLED"],
    ]);
    expect(orders[1]!.quantity.toString()).toBe(orders[0]!.quantity.toString());

    const later = await say(h, alice.user, "/running", (t) => /Running strategies/.test(t));
    expect(later.text).toContain("2 orders today");
    expect(later.text).toContain(`Last signal: SELL ${SYMBOL}`);
    expect(later.text).toMatch(/PnL since start: \+/);

    // ── stopped; the run is recorded with its orders
    const stopped = await say(h, alice.user, "/stop Swing", (t) => /stopped|❌/.test(t));
    expect(stopped.text).toContain("Swing stopped on Main");
    const run = await prisma().strategyRun.findFirstOrThrow({ where: { strategyId: strategy.id } });
    expect(run).toMatchObject({ status: "FINISHED", orders: 2, successfulOrders: 2 });
    // a stopped instance trades no more
    await nextHour();
    expect(await prisma().order.count({ where: { strategyId: strategy.id } })).toBe(2);
    // no candle was answered twice: runNow and the scheduled beats never overlap (they did, and
    // the second run said "order #2 was already placed for this candle")
    const twice = h.twin
      .messages(alice.user.chatId)
      .filter((m) => /already placed/.test(textOf(m)));
    expect(twice.map(textOf)).toEqual([]);
  }, 180_000);
});
