// Running a strategy through the bot on both databases: /run a DCA strategy on a paper portfolio,
// advance the clock until a candle closes and the strategy-runner job trades, the order tagged
// with the strategy version and the owner told; a restart on the same database (and a crash
// before the strategy's state was saved) places no second order for that candle; /running shows
// it with buttons; pause and /stop; the conversation asks what /run leaves out; bad input is
// answered and starts nothing.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Provider } from "../../src/db/client.ts";
import { ManualClock } from "../../src/lib/clock.ts";
import { type Harness, startHarness } from "../support/app-harness.ts";
import { PROVIDERS } from "../support/db.ts";
import { type Trader, approvedTrader, buttonsOf, press, say } from "../support/e2e-trader.ts";

const START = new Date("2026-03-10T09:00:30Z");
const HOUR = 3600_000;
const PARAMS = '{"kind": "dca", "cron": "0 * * * *", "quote": "100", "timeframe": "1h"}';

let h: Harness;
let clock: ManualClock;
let alice: Trader;
let strategyId: number;

const prisma = () => h.db.db.prisma;
const strategyOrders = () =>
  prisma().order.findMany({ where: { strategyId }, orderBy: { id: "asc" } });

describe.each(PROVIDERS)("/run, /running and /stop on %s", (provider: Provider) => {
  beforeAll(async () => {
    clock = new ManualClock(START);
    h = await startHarness({ provider, clock });
    alice = await approvedTrader(h, { telegramId: 6401, firstName: "Alice" });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("answers bad input and starts nothing", async () => {
    await say(h, alice.user, `/strategy Stack ${PARAMS}`, (t) => /created/.test(t));
    strategyId = (await prisma().strategy.findFirstOrThrow({ where: { name: "Stack" } })).id;
    const unknown = await say(h, alice.user, "/run Nope on Main BTCUSDT", (t) => /Nope/.test(t));
    expect(unknown.text).toContain("You have no strategy called “Nope”");
    const noPortfolio = await say(h, alice.user, "/run Stack on Nowhere BTCUSDT", (t) =>
      /Nowhere/.test(t),
    );
    expect(noPortfolio.text).toContain("You have no portfolio called “Nowhere”");
    const stopNothing = await say(h, alice.user, "/stop Stack", (t) => /Stack/.test(t));
    expect(stopNothing.text).toContain("No running strategy called “Stack”");
    expect(await prisma().strategyInstance.count()).toBe(0);
  });

  it("trades once per closed candle, through a restart and a crash, tagged with the strategy", async () => {
    const started = await say(h, alice.user, "/run Stack on Main BTCUSDT", (t) =>
      /runs on/.test(t),
    );
    expect(started.text).toContain("Stack v1 runs on Main for BTCUSDT");
    const twice = await say(h, alice.user, "/run stack on main btcusdt", (t) => /already/.test(t));
    expect(twice.text).toContain("Stack already runs on Main");

    const idle = await say(h, alice.user, "/running", (t) => /Running strategies/.test(t));
    expect(idle.text).toContain("Stack v1");
    expect(idle.text).toContain("No signal yet");
    expect(buttonsOf(idle).map((b) => b.text)).toEqual(["⏸ Stack·Main", "⏹ Stop"]);

    // the 09:00 candle closes at 10:00: the runner answers it
    const since = h.twin.mark();
    clock.advance(HOUR);
    await h.app.jobs.runNow("strategy-runner");
    await vi.waitFor(async () => expect(await strategyOrders()).toHaveLength(1), {
      timeout: 10_000,
    });
    const [order] = await strategyOrders();
    expect(order!.status).toBe("FILLED");
    expect(order!.portfolioId).toBe(alice.portfolioId);
    expect(order!.clientOrderId).toMatch(/^st-/);
    const notice = await h.twin.waitForMessage(
      alice.user.chatId,
      (m) => /Stack v1 · BTCUSDT/.test(m.text ?? ""),
      { since, timeoutMs: 10_000 },
    );
    expect(notice.text).toMatch(/BUY \(dca\) → order #\d+ filled/);

    // a restart on the same database: the candle was answered, nothing more is placed
    await h.restart();
    await h.app.jobs.runNow("strategy-runner");
    expect(await strategyOrders()).toHaveLength(1);
    // a crash between the order and the saved state: the candle is evaluated again, still once
    await prisma().strategySymbolState.updateMany({ data: { lastCandleAt: null } });
    await h.app.jobs.runNow("strategy-runner");
    const state = await prisma().strategySymbolState.findFirstOrThrow({});
    expect(state.lastCandleAt).not.toBeNull();
    expect(await strategyOrders()).toHaveLength(1);

    clock.advance(HOUR);
    await h.app.jobs.runNow("strategy-runner");
    await vi.waitFor(async () => expect(await strategyOrders()).toHaveLength(2), {
      timeout: 10_000,
    });
    const running = await say(h, alice.user, "/running", (t) => /Running strategies/.test(t));
    expect(running.text).toContain("2 orders today");
    expect(running.text).toContain("Last signal: BUY BTCUSDT (dca)");

    const paused = await press(h, alice.user, running, "⏸ Stack·Main", (t) => /paused/.test(t));
    expect(paused.text).toContain("⏸ Stack paused on Main");
    clock.advance(HOUR);
    await h.app.jobs.runNow("strategy-runner");
    expect(await strategyOrders()).toHaveLength(2);

    const stopped = await say(h, alice.user, "/stop Stack", (t) => /stopped/.test(t));
    expect(stopped.text).toContain("Stack stopped on Main");
    const none = await say(h, alice.user, "/running", (t) => /Running strategies/.test(t));
    expect(none.text).toContain("No strategy is running");
    const run = await prisma().strategyRun.findFirstOrThrow({ where: { strategyId } });
    expect(run).toMatchObject({ status: "FINISHED", orders: 2, successfulOrders: 2 });
  });

  it("asks what /run leaves out: the strategy by button, then the symbols", async () => {
    const ask = await say(h, alice.user, "/run", (t) => /Which strategy/.test(t));
    const symbols = await press(h, alice.user, ask, "🧠 Stack v1", (t) => /Which symbols/.test(t));
    expect(symbols.text).toContain("Which symbols should Stack trade on Main?");
    const wrong = await say(h, alice.user, "NOTASYMBOL", (t) => /symbols/.test(t));
    expect(wrong.text).toContain("Send one or more symbols");
    const done = await say(h, alice.user, "ETHUSDT", (t) => /runs on/.test(t));
    expect(done.text).toContain("Stack v1 runs on Main for ETHUSDT");
    const live = await prisma().strategyInstance.findFirstOrThrow({ where: { status: "RUNNING" } });
    expect(live.symbols).toEqual(["ETHUSDT"]);
    await say(h, alice.user, "/stop Stack", (t) => /stopped/.test(t));
  });
});
