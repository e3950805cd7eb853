// What the fuzzer (fuzz.test.ts) found, each pinned as a regression through the whole app and the
// Telegram twin: echoed 4,000-character arguments made answers longer than Telegram allows (the
// answer was lost); forged presses naming a menu row that does not exist crashed the menu
// plugin; a portfolio with a long name failed /newpolicy at "keep the suggested name"; a press
// on another button during onboarding was never answered. Each ends with no error logged.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clipEchoed } from "../../src/bot/errors.ts";
import { fitName } from "../../src/bot/features/risk/risk-policy.ts";
import { MAX_NAME_LENGTH } from "../../src/domain/names.ts";
import { type Harness, startHarness } from "../support/app-harness.ts";
import {
  type Trader,
  approvedTrader,
  buttonsOf,
  press,
  say,
  textOf,
} from "../support/e2e-trader.ts";
import { CapturedLogs } from "./fuzz/log-capture.ts";

const LONG_NAME = "Long portfolio name ".padEnd(MAX_NAME_LENGTH, "x");

describe("findings of the fuzzer, fixed", () => {
  let h: Harness;
  let trader: Trader;
  const logs = new CapturedLogs("warn");

  beforeAll(async () => {
    h = await startHarness({ logger: logs.logger });
    trader = await approvedTrader(h, { telegramId: 8101, firstName: "Finn", portfolio: LONG_NAME });
  }, 120_000);

  afterAll(async () => {
    await h?.stop();
  });

  const rejectedCalls = () =>
    h.twin.calls.filter((c) => c.method !== "getUpdates" && c.response && !c.response.ok);

  it("a 5,000-character argument is echoed clipped, and the answer arrives", async () => {
    const long = "9".repeat(5000);
    for (const command of [
      `/price BTCUSDT ${long} ${long}`,
      `/cancelall ${long}`,
      `/deposit 5 ${long}`,
      `/profit ${long}`,
      `/buy 1e82 ${long} stop`,
      `/strategy ${long}`,
      `/backtest Dip BTCUSDT 2026-01-01 2026-01-02 ${long}`,
    ]) {
      const answer = await say(h, trader.user, command);
      expect(textOf(answer).length).toBeLessThan(1500);
      expect(textOf(answer), command.slice(0, 12)).not.toContain("9".repeat(MAX_NAME_LENGTH * 3));
    }
    expect(clipEchoed("a".repeat(99))).toBe("a".repeat(99));
    expect(clipEchoed("🚀".repeat(150))).toBe(`${"🚀".repeat(99)}…`);
    expect(rejectedCalls()).toEqual([]);
  });

  it("a forged press on a menu row that does not exist is answered as stale", async () => {
    const list = await say(h, trader.user, "/portfolio", (t) => /Portfolios/.test(t));
    for (const data of [
      "portfolios/63/0//h",
      "portfolios/zz/0//h",
      "settings-pf/0/9//h",
      "portfolios/-1/0//h",
    ]) {
      const query = trader.user.pressButton(list, data, { forge: true });
      const answer = await h.twin.waitForCallbackAnswer(query.id);
      expect(answer.text).toBe("This button is no longer valid.");
    }
    expect(logs.errorsSince(0)).toEqual([]);
  });

  it("/newpolicy on a portfolio with a 40-character name keeps a suggested name that fits", async () => {
    expect([...fitName(`Limits for portfolio ${LONG_NAME}`)]).toHaveLength(MAX_NAME_LENGTH);
    const scope = await say(h, trader.user, "/newpolicy", (t) =>
      /Where should the policy apply/.test(t),
    );
    const portfolioButton = buttonsOf(scope).find(
      (b) => "callback_data" in b && b.callback_data.startsWith("rp:sc:P:"),
    );
    expect(portfolioButton).toBeDefined();
    let since = h.twin.mark();
    trader.user.press(scope, portfolioButton!.text);
    const named = await h.twin.waitForMessage(
      trader.user.chatId,
      (m) => /Name the policy/.test(textOf(m)),
      {
        since,
      },
    );
    since = h.twin.mark();
    trader.user.pressButton(named, "rp:nm");
    await h.twin.waitForMessage(trader.user.chatId, (m) => /Risk per trade/.test(textOf(m)), {
      since,
    });
    expect(rejectedCalls()).toEqual([]);
    expect(logs.errorsSince(0)).toEqual([]);
  });

  it("a menu button that answers with a hint is answered once, with the hint", async () => {
    const settings = await say(h, h.admin, "/settings", (t) => /Settings/.test(t));
    const sub = await press(h, h.admin, settings, "📁 Default portfolio", (_t, m) =>
      buttonsOf(m).some((b) => b.text === "No portfolios yet"),
    );
    const query = h.admin.press(sub, "No portfolios yet");
    const answer = await h.twin.waitForCallbackAnswer(query.id);
    expect(answer.text).toBe("Create one first with /newportfolio.");
    await h.twin.waitForIdle();
    expect(h.twin.callbackAnswers.filter((a) => a.callback_query_id === query.id)).toHaveLength(1);
    expect(rejectedCalls()).toEqual([]);
    expect(logs.errorsSince(0)).toEqual([]);
  });

  it("a press on another button during onboarding is answered, and the question repeats", async () => {
    const stranger = h.twin.user({ id: 8102, first_name: "Newcomer", language_code: "en" });
    const welcome = await say(h, stranger, "/start", (_t, m) => buttonsOf(m).length > 0);
    const since = h.twin.mark();
    const query = stranger.pressButton(welcome, "ord:cf:1", { forge: true });
    await h.twin.waitForCallbackAnswer(query.id);
    await h.twin.waitForMessage(
      stranger.chatId,
      (m) => /one of the buttons above/.test(textOf(m)),
      { since },
    );
    expect(rejectedCalls()).toEqual([]);
  });
});
