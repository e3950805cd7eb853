// /strategy new step by step, through the Telegram twin on both databases: the kind by button,
// each parameter of the kind's schema asked with its default (or choices, or Skip) as buttons,
// each answer checked as it is given and asked again with the reason (a cross-parameter mistake
// found at the end points back at the parameter at fault); rules parsed at once with the
// parser's error; a name no strategy has; a summary; Save makes version 1. The one-line syntax
// keeps working, a command leaves the conversation, Discard saves nothing, Russian is Russian.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Provider } from "../../src/db/client.ts";
import { type Harness, startHarness } from "../support/app-harness.ts";
import { PROVIDERS } from "../support/db.ts";
import { type Trader, approvedTrader, buttonsOf, press, say } from "../support/e2e-trader.ts";

let h: Harness;
let alice: Trader;
let boris: Trader;

const prisma = () => h.db.db.prisma;
/** A new message matching `pattern` (not an earlier question whose buttons were just removed). */
const answer = (pattern: RegExp) => (text: string, m: { edits: number }) =>
  pattern.test(text) && m.edits === 0;
const labels = (m: Parameters<typeof buttonsOf>[0]) => buttonsOf(m).map((b) => b.text);
const stored = async (name: string) =>
  prisma().strategy.findMany({ where: { userId: alice.actor.id, name } });

describe.each(PROVIDERS)("/strategy new step by step on %s", (provider: Provider) => {
  beforeAll(async () => {
    h = await startHarness({ provider });
    alice = await approvedTrader(h, { telegramId: 6601, firstName: "Alice" });
    boris = await approvedTrader(h, { telegramId: 6602, firstName: "Boris", language: "ru" });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("keeps the one-line syntax", async () => {
    const made = await say(
      h,
      alice.user,
      '/strategy new Taken dca cron="0 9 * * 1" quote=100',
      (t) => /created|❌/.test(t),
    );
    expect(made.text).toContain("Strategy Taken created, version 1");
    const bad = await say(h, alice.user, "/strategy new Bad ma-cross fast=60 slow=50", (t) =>
      /❌/.test(t),
    );
    expect(bad.text).toContain("The fast average (60) must be shorter than the slow one (50)");
  });

  it("asks a moving-average crossover parameter by parameter", async () => {
    const kinds = await say(h, alice.user, "/strategy new", (t) => /Which kind/.test(t));
    expect(labels(kinds)).toEqual(["DCA", "Grid", "MA crossover", "Rules"]);

    const type = await press(h, alice.user, kinds, "MA crossover", (t) => /^1\/8\. type/.test(t));
    expect(labels(type)).toEqual(["SMA (default)", "EMA"]);
    const fast = await press(h, alice.user, type, "EMA", (t) => /^2\/8\. fast/.test(t));
    expect(labels(fast)).toEqual(["20 (default)"]);

    // a mistake is answered at once and the same question asked again
    const wrong = await say(h, alice.user, "abc", answer(/^❌/));
    expect(wrong.text).toMatch(/^❌ The parameter “fast” has a value I cannot use: abc/);
    expect(wrong.text).toContain("2/8. fast");
    const tooBig = await say(h, alice.user, "0", answer(/^❌/));
    expect(tooBig.text).toContain("❌ fast: must be a whole number of at least 1 (got 0)");

    const slow = await say(h, alice.user, "60", (t) => /^3\/8\. slow/.test(t));
    // typed, not pressed: the answered question keeps no stale default button
    const answered = h.twin
      .messages(alice.user.chatId)
      .find((m) => m.message_id === tooBig.message_id)!;
    expect(labels(tooBig)).toEqual(["20 (default)"]);
    expect(labels(answered)).toEqual([]);
    const timeframe = await press(h, alice.user, slow, "50 (default)", (t) =>
      /^4\/8\. timeframe/.test(t),
    );
    expect(labels(timeframe)).toEqual(["1h (default)"]);
    const badTf = await say(h, alice.user, "2h", answer(/^❌/));
    expect(badTf.text).toContain("❌ timeframe: “2h” is not a timeframe");
    const equity = await say(h, alice.user, "4h", (t) => /^5\/8\. equityPct/.test(t));
    expect(labels(equity)).toEqual(["Skip"]);
    expect(equity.text).toContain("Optional");
    const quote = await press(h, alice.user, equity, "Skip", (t) => /^6\/8\. quote/.test(t));
    const stop = await press(h, alice.user, quote, "Skip", (t) => /^7\/8\. stopLossPct/.test(t));
    const take = await say(h, alice.user, "3", (t) => /^8\/8\. takeProfitPct/.test(t));
    expect(stop.text).toContain("stopLossPct");

    // the last answer completes the set: fast 60 against slow 50 sends the question back to fast
    const back = await say(h, alice.user, "8", answer(/^❌/));
    expect(back.text).toMatch(
      /^❌ The fast average \(60\) must be shorter than the slow one \(50\)\.\n\n2\/8\. fast/,
    );
    expect(take.message_id).toBeLessThan(back.message_id);
    const name = await say(h, alice.user, "10", (t) => /called/.test(t));
    expect(name.text).toContain("What should the strategy be called?");

    const taken = await say(h, alice.user, "taken", (t) => /already/.test(t));
    expect(taken.text).toContain("You already have a strategy called “taken”");
    const summary = await say(h, alice.user, "Trend", (t) => /New strategy Trend/.test(t));
    expect(summary.text).toContain("New strategy Trend · MA crossover");
    for (const line of ["type: EMA", "fast: 10", "slow: 50", "timeframe: 4h", "stopLossPct: 3"])
      expect(summary.text).toContain(line);
    expect(summary.text).not.toContain("equityPct");
    expect(labels(summary)).toEqual(["✅ Save", "Discard"]);
    expect(await stored("Trend")).toHaveLength(0);

    const saved = await press(h, alice.user, summary, "✅ Save", (t) => /created/.test(t));
    expect(saved.text).toContain("Strategy Trend created, version 1.");
    expect(saved.text).toContain("/backtest Trend BTCUSDT");
    expect(saved.text).toContain("/run Trend on Main BTCUSDT");
    const [row] = await stored("Trend");
    expect(row!.version).toBe(1);
    expect(row!.params).toEqual({
      kind: "ma-cross",
      type: "EMA",
      fast: 10,
      slow: 50,
      timeframe: "4h",
      stopLossPct: "3",
      takeProfitPct: "8",
    });
  });

  it("parses rules at once and takes the timeframe the text names", async () => {
    // the name and the kind given, the rules left out
    const source = await say(h, alice.user, "/strategy new Swing rules", (t) =>
      /^1\/2\. source/.test(t),
    );
    expect(labels(source)).toEqual([]);
    const wrong = await say(h, alice.user, "buy 10% when RSX(14) < 30", answer(/^❌/));
    expect(wrong.text).toContain("❌ Statement 1");
    expect(wrong.text).toContain("RSI(14)?");
    expect(wrong.text).toContain("1/2. source");
    const noBuy = await say(h, alice.user, "sell all when RSI(14) > 70", answer(/❌/));
    expect(noBuy.text).toContain("The rules never buy");
    // "every 4h" in the text: no timeframe question, straight to the summary
    const summary = await say(
      h,
      alice.user,
      "buy 10% when RSI(14) < 30; sell all when RSI(14) > 70; every 4h",
      (t) => /New strategy Swing/.test(t),
    );
    expect(summary.text).toContain("timeframe: 4h");
    await press(h, alice.user, summary, "✅ Save", (t) => /created/.test(t));
    const [row] = await stored("Swing");
    expect(row!.params).toEqual({
      kind: "rules",
      source: "buy 10% when RSI(14) < 30; sell all when RSI(14) > 70; every 4h",
      timeframe: "4h",
    });
  });

  it("asks a name already taken again, offers Skip for a DCA dip, and Discard saves nothing", async () => {
    // the name given on the command line is taken: said at once, asked for at the end
    const since = h.twin.mark();
    alice.user.send("/strategy new Trend dca");
    const again = await h.twin.waitForMessage(alice.user.chatId, (m) => /cron/.test(m.text ?? ""), {
      since,
      timeoutMs: 10_000,
    });
    expect(again.text).toContain("1/6. cron");
    const told = h.twin
      .messages(alice.user.chatId)
      .filter((m) => m.revision > since && m.message_id < again.message_id);
    expect(told.map((m) => m.text)).toEqual([
      "You already have a strategy called “Trend”. Choose another name (or save a new version of it with /strategy new Trend KIND …).",
    ]);
    const badCron = await say(h, alice.user, "every monday", answer(/❌/));
    expect(badCron.text).toContain("1/6. cron");
    const quote = await say(h, alice.user, "0 9 * * 1", (t) => /^2\/6\. quote/.test(t));
    expect(quote.text).toContain("the amount bought each time");
    const tf = await say(h, alice.user, "-5", answer(/^❌/));
    expect(tf.text).toContain("❌ quote: must be above 0");
    const timeframe = await say(h, alice.user, "100", (t) => /^3\/6\. timeframe/.test(t));
    const dip = await press(h, alice.user, timeframe, "1h (default)", (t) => /^4\/6/.test(t));
    const mult = await press(h, alice.user, dip, "Skip", (t) => /^5\/6/.test(t));
    const ref = await say(h, alice.user, "2", (t) => /^6\/6/.test(t));
    expect(mult.text).toContain("dipMultiplier");
    expect(ref.text).toContain("reference");
    // a multiplier without a dip: found when the set is complete, the dip asked again
    const dipAgain = await press(h, alice.user, ref, "Skip", answer(/❌/));
    expect(dipAgain.text).toContain("dipMultiplier needs dipPct");
    expect(dipAgain.text).toContain("4/6. dipPct");
    const name = await say(h, alice.user, "5", (t) => /called\?/.test(t));
    expect(name.text).toContain("What should the strategy be called?");
    const summary = await say(h, alice.user, "Weekly", (t) => /New strategy Weekly/.test(t));
    const discarded = await press(h, alice.user, summary, "Discard", (t) => /Nothing/.test(t));
    expect(discarded.text).toBe("Nothing saved.");
    expect(await stored("Weekly")).toHaveLength(0);
  });

  it("lets a command leave the conversation", async () => {
    await say(h, alice.user, "/strategy new", (t) => /Which kind/.test(t));
    const since = h.twin.mark();
    alice.user.send("/strategies");
    const list = await h.twin.waitForMessage(
      alice.user.chatId,
      (m) => /Strategies \(/.test(m.text ?? ""),
      { since, timeoutMs: 10_000 },
    );
    const said = h.twin
      .messages(alice.user.chatId)
      .filter((m) => m.revision > since && m.message_id < list.message_id)
      .map((m) => m.text ?? "");
    expect(said).toContain(
      "I stopped creating a strategy (nothing from it was saved) to run /strategies.",
    );
    expect(list.text).toContain("Trend v1");
  });

  it("speaks Russian", async () => {
    const kinds = await say(h, boris.user, "/strategy new", (t) => /Какого вида/.test(t));
    expect(labels(kinds)).toEqual(["DCA", "Сетка", "Пересечение MA", "Правила"]);
    const lower = await press(h, boris.user, kinds, "Сетка", (t) => /^1\/6\. lower/.test(t));
    expect(lower.text).toContain("нижняя цена сетки");
    const upper = await say(h, boris.user, "100", (t) => /^2\/6\. upper/.test(t));
    const levels = await say(h, boris.user, "90", (t) => /^3\/6\. levels/.test(t));
    const spacing = await press(h, boris.user, levels, "10 (по умолчанию)", (t) =>
      /^4\/6\. spacing/.test(t),
    );
    expect(upper.text).toContain("верхняя цена");
    const quote = await press(h, boris.user, spacing, "ARITHMETIC (по умолчанию)", (t) =>
      /^5\/6\. quote/.test(t),
    );
    expect(quote.text).toContain("сумма покупки на каждом уровне");
    const tf = await say(h, boris.user, "50", (t) => /^6\/6\. timeframe/.test(t));
    // upper 90 below lower 100: found when the set is complete, asked again at upper
    const back = await press(h, boris.user, tf, "1h (по умолчанию)", answer(/❌/));
    expect(back.text).toContain("2/6. upper");
    const name = await say(h, boris.user, "120", (t) => /Как назвать/.test(t));
    expect(name.text).toContain("Как назвать стратегию?");
    const cancel = await say(h, boris.user, "/cancel", (t) => t.length > 0);
    expect(cancel.text).toMatch(/Отмен/);
  });
});
