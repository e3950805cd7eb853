// Telegram failing under the bot (issue 15, "Crashes and faults"), the drills for one database:
// 429 storms with retry_after, 5xx bursts, dropped and hung connections on every Bot API method
// the bot uses — replies, edits, callback answers, photos, documents, chat actions, long
// polling — in the middle of the step-by-step conversations (order entry, /strategy new,
// /newalert, /newschedule), and on the outbox drain. The whole app runs against the Telegram
// twin, which serves the faults on the wire. Expected: every answer and every notification
// arrives exactly once, no conversation is stuck or lost, no order is placed twice, nothing is
// logged at error level, and the bot recovers by itself. Notifications that outlast every retry
// become the outbox's dead letters (test/jobs/outbox/failure-policy.test.ts).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Harness } from "../../support/app-harness.ts";
import { startHarness } from "../../support/app-harness.ts";
import { type Trader, approvedTrader, press, say, textOf } from "../../support/e2e-trader.ts";
import { CapturedLogs } from "../fuzz/log-capture.ts";
import {
  FAULT_KINDS,
  type FaultKind,
  type Step,
  faultsServed,
  queueFault,
  takeStep,
} from "./fault-drills.ts";
import { recordFigures } from "./figures.ts";

const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
  "base64",
);

const STEP_FAULTS: FaultKind[] = ["429", "500", "429", "drop", "429", "502", "hang"];
/**
 * The bot's client timeout here: a hung call costs this plus the first backoff (3 s). In
 * production it is TELEGRAM_TIMEOUT_SECONDS (60 s; grammY's own default, 500 s, held a chat's
 * updates for eight minutes behind one hung connection).
 */
const CLIENT_TIMEOUT_SECONDS = "5";

/** The conversations, step by step; `n` makes names unique per run. */
const CONVERSATIONS: Record<string, (n: number) => Step[]> = {
  "order entry": () => [
    { say: "/buy", expect: /Which symbol\?/ },
    { say: "BTCUSDT", expect: /How much BTCUSDT\?/ },
    { say: "0.001", expect: /Which order type\?/ },
    { press: "Market", expect: /Time in force\?/ },
    { press: "GTC", expect: /Confirm order/ },
    // the card's own edit, not the fill notice the outbox sends soon after ("✅ Filled: BTCUSDT …
    // Order #5: 0.001 of 0.001 filled"), which a step that waits longer would count as a copy
    { press: "✅ Confirm", expect: /^\S+ Order #\d+ (filled|partly filled|is working)/ },
  ],
  "/strategy new": (n) => [
    { say: "/strategy new", expect: /Which kind/ },
    { press: "MA crossover", expect: /^1\/8\. type/ },
    { press: "EMA", expect: /^2\/8\. fast/ },
    { say: "10", expect: /^3\/8\. slow/ },
    { press: "50 (default)", expect: /^4\/8\. timeframe/ },
    { press: "1h (default)", expect: /^5\/8\. equityPct/ },
    { press: "Skip", expect: /^6\/8\. quote/ },
    { press: "Skip", expect: /^7\/8\. stopLossPct/ },
    { say: "3", expect: /^8\/8\. takeProfitPct/ },
    { say: "10", expect: /called/ },
    { say: `Trend${n}`, expect: new RegExp(`New strategy Trend${n}`) },
    { press: "✅ Save", expect: /created/ },
  ],
  "/newalert": () => [
    { say: "/newalert", expect: /What should the alert watch\?/ },
    { press: "na:k:rsi", data: true, expect: /Which symbol\?/ },
    { say: "ethusdt", expect: /Which candle interval\?/ },
    { press: "na:i:1h", data: true, expect: /Which direction\?/ },
    { press: "na:d:below", data: true, expect: /At which RSI level\?/ },
    { say: "30", expect: /Once, or repeating/ },
    { press: "na:o:4h", data: true, expect: /ETHUSDT rsi14 1h below 30 every 4h/ },
  ],
  "/newschedule": (n) => [
    { say: "/newschedule", expect: /What should be scheduled\?/ },
    { press: "nsc:k:pnl", data: true, expect: /Over which period\?/ },
    { press: "nsc:pd:week", data: true, expect: /When should it run\?/ },
    { press: "nsc:w:custom", data: true, expect: /Type a cron expression/ },
    { say: "30 8 * * 1-5", expect: /Use this schedule\?/ },
    { press: "nsc:cf:yes", data: true, expect: /Name the schedule/ },
    { say: `Weekly ${n}`, expect: new RegExp(`Saved “Weekly ${n}”`) },
  ],
};

/** The drills on one database (one file per database, so the two run side by side). */
export function telegramFaultSuite(provider: "sqlite" | "postgres"): void {
  describe(`Telegram faults under the whole app, on ${provider}`, () => {
    let h: Harness;
    let trader: Trader;
    let other: Trader;
    const logs = new CapturedLogs("warn");

    beforeAll(async () => {
      h = await startHarness({
        provider,
        logger: logs.logger,
        env: {
          RATE_LIMIT_PER_WINDOW: "1000",
          RATE_LIMIT_WINDOW_MS: "100",
          TELEGRAM_TIMEOUT_SECONDS: CLIENT_TIMEOUT_SECONDS,
        },
      });
      trader = await approvedTrader(h, { telegramId: 7701, firstName: "Tess", cash: "100000" });
      other = await approvedTrader(h, { telegramId: 7702, firstName: "Olga", cash: "1000" });
      // a filled order, so the exports and charts below have trades to show
      const card = await say(h, trader.user, "/buy BTCUSDT 0.002", (t) => /Confirm order/.test(t));
      await press(
        h,
        trader.user,
        card,
        "✅ Confirm",
        (t, m) => m.message_id === card.message_id && /Order #\d+/.test(t),
      );
      await h.twin.waitForIdle({ timeoutMs: 20_000 });
    }, 120_000);

    afterAll(async () => {
      await h?.stop();
    });

    const prisma = () => h.app.database.prisma;
    const errorsSince = (mark: number) => logs.errorsSince(mark).map((l) => l.raw.slice(0, 400));

    // Once, on SQLite: which Bot API method fails, and how, does not depend on the database, and
    // the drill spends most of its three minutes waiting out backoffs and client timeouts. On
    // PostgreSQL the conversations (their replay logs in its session table) and the outbox (its
    // claims) are drilled below.
    if (provider === "sqlite")
      it("every method the bot calls, each fault kind: the answer arrives once, nothing is logged as an error", async () => {
        const user = trader.user;
        const failures: string[] = [];
        let attempts = 0;
        let duplicated = 0;
        const logMark = logs.lines.length;
        /** one drill: queue the fault, do the thing, check its answer came (once) */
        const drill = async (
          label: string,
          fault: { kind: FaultKind; method: string; times: number },
          act: () => Promise<{ ok: boolean; copies?: number }>,
        ) => {
          attempts++;
          const served = faultsServed(h);
          queueFault(h, fault.kind, { method: fault.method }, fault.times);
          const outcome: { ok: boolean; copies?: number } = await act().catch(() => ({
            ok: false,
          }));
          await h.twin.waitForIdle({ timeoutMs: 20_000 });
          h.twin.clearFaults();
          const met = faultsServed(h) - served;
          if (!outcome.ok) failures.push(`${label}, ${fault.kind} on ${fault.method}: no answer`);
          if (met === 0)
            failures.push(`${label}: the ${fault.kind} on ${fault.method} was never met`);
          duplicated += Math.max(0, (outcome.copies ?? 1) - 1);
        };
        const answered = async (text: string, expect: RegExp) => {
          const since = h.twin.mark();
          const m = await say(h, user, text, (t) => expect.test(t));
          const copies = h.twin
            .messages(user.chatId)
            .filter((x) => x.revision > since && expect.test(textOf(x))).length;
          return { ok: m !== undefined, copies };
        };

        for (const kind of FAULT_KINDS) {
          const times = 1;
          await drill("a reply", { kind, method: "sendMessage", times }, () =>
            answered("/price BTCUSDT", /^BTCUSDT /),
          );
          await drill("long polling", { kind, method: "getUpdates", times }, () =>
            answered("/price ETHUSDT", /^ETHUSDT /),
          );
          await drill("a chart", { kind, method: "sendPhoto", times }, async () => {
            const since = h.twin.mark();
            user.send("/daily 14");
            const m = await h.twin.waitForMessage(user.chatId, (x) => x.photo !== undefined, {
              since,
              timeoutMs: 30_000,
            });
            return { ok: m.photo !== undefined };
          });
          await drill("an export", { kind, method: "sendDocument", times }, async () => {
            const since = h.twin.mark();
            user.send("/export trades all");
            const m = await h.twin.waitForMessage(user.chatId, (x) => x.document !== undefined, {
              since,
              timeoutMs: 30_000,
            });
            return { ok: m.document !== undefined };
          });
          await drill("a chat action", { kind, method: "sendChatAction", times }, async () => {
            const since = h.twin.mark();
            user.send("/export trades all");
            await h.twin.waitForMessage(user.chatId, (x) => x.document !== undefined, {
              since,
              timeoutMs: 30_000,
            });
            return { ok: true };
          });
          // an order card confirmed while its edit and the press's answer meet the fault
          for (const method of ["editMessageText", "answerCallbackQuery"]) {
            const before = await prisma().order.count();
            const card = await say(h, user, "/buy BTCUSDT 0.001", (t) => /Confirm order/.test(t));
            await drill(`a confirmed order card`, { kind, method, times }, async () => {
              const since = h.twin.mark();
              const query = user.press(card, "✅ Confirm");
              const edited = await h.twin.waitForMessage(
                user.chatId,
                (m) => m.message_id === card.message_id && /Order #\d+/.test(textOf(m)),
                { since, timeoutMs: 30_000 },
              );
              await h.twin.waitForCallbackAnswer(query.id, { timeoutMs: 30_000 });
              return { ok: edited !== undefined, copies: (await prisma().order.count()) - before };
            });
          }
        }
        const crashes = errorsSince(logMark);
        recordFigures({
          category:
            "telegram faults: every Bot API method the bot uses (429, 500, 502, drop, hang)",
          db: provider,
          attempts,
          failures: failures.length,
          crashes: crashes.length,
          lost: failures.filter((f) => /no answer/.test(f)).length,
          duplicated,
        });
        expect(failures).toEqual([]);
        expect(crashes).toEqual([]);
        expect(duplicated).toBe(0);
      }, 480_000);

    it("conversations step by step, a fault at every step: each reaches its end, once", async () => {
      const user = trader.user;
      const failures: string[] = [];
      let attempts = 0;
      let duplicated = 0;
      let lost = 0;
      const logMark = logs.lines.length;
      let k = 0;
      const rows = async () => ({
        orders: await prisma().order.count(),
        strategies: await prisma().strategy.count(),
        alerts: await prisma().alert.count(),
        schedules: await prisma().schedule.count(),
      });
      const before = await rows();
      for (const [name, script] of Object.entries(CONVERSATIONS)) {
        for (const [i, step] of script(1).entries()) {
          attempts++;
          // a 429 costs its retry_after (1 s), a 5xx or a drop the first backoff (3 s), a hang the
          // client timeout too
          const kind = STEP_FAULTS[k++ % STEP_FAULTS.length]!;
          const outcome = await takeStep(h, user, step, { kind, times: 1, onPress: k % 2 === 0 });
          duplicated += outcome.duplicates.length;
          if (outcome.duplicates.length > 0)
            failures.push(
              `${name}, step ${i + 1} with a ${kind}: the answer came ${outcome.duplicates.length + 1} times: ${JSON.stringify(outcome.duplicates)}`,
            );
          if (!outcome.answer || outcome.unanswered) {
            lost++;
            const seen = h.twin
              .messages(user.chatId)
              .slice(-4)
              .map((m) => `${m.sender}: ${textOf(m).slice(0, 80)}`);
            failures.push(
              `${name}, step ${i + 1} (${"say" in step ? step.say : step.press}) with a ${kind}: ${outcome.answer ? "press never answered" : "no answer"}; the chat ends ${JSON.stringify(seen)}; logs ${JSON.stringify(logs.lines.slice(-3).map((l) => l.raw.slice(0, 300)))}`,
            );
            break;
          }
        }
      }
      const after = await rows();
      const made = {
        orders: after.orders - before.orders,
        strategies: after.strategies - before.strategies,
        alerts: after.alerts - before.alerts,
        schedules: after.schedules - before.schedules,
      };
      for (const [what, count] of Object.entries(made))
        if (count !== 1) failures.push(`${count} ${what} made instead of 1`);
      // the chat is not stuck: a plain command still answers
      const tail = await say(h, user, "/price BTCUSDT", (t) => /^BTCUSDT /.test(t)).catch(
        () => null,
      );
      if (!tail) failures.push("the chat no longer answers after the conversations");
      const crashes = errorsSince(logMark);
      recordFigures({
        category: "telegram faults: a fault at every step of 4 conversations",
        db: provider,
        attempts,
        failures: failures.length,
        crashes: crashes.length,
        lost,
        duplicated,
        unit: "steps",
      });
      expect(failures).toEqual([]);
      expect(crashes).toEqual([]);
      expect(duplicated).toBe(0);
    }, 600_000);

    it("the outbox drains through a 429 storm, 5xx bursts, dropped and hung connections: each notification once", async () => {
      const { notifications } = h.app.services;
      const logMark = logs.lines.length;
      const TOTAL = 24;
      const since = h.twin.mark();
      // the storm is queued before the rows, so the drain meets it from its first sends; the
      // transient faults are few enough (at most 3 for one row: 2 + 4 + 8 s of backoff) to stay
      // far below OUTBOX_MAX_ATTEMPTS, whose dead letters are tested in test/jobs/outbox
      h.twin.failNext({ method: "sendMessage", status: 429, retryAfter: 1, times: 6 });
      h.twin.failNext({ method: "sendPhoto", status: 429, retryAfter: 1, times: 2 });
      h.twin.failNext({ method: "sendMessage", status: 502, times: 1 });
      h.twin.failNext({ method: "sendMessage", status: 500, times: 1 });
      h.twin.failNext({ method: "sendPhoto", status: 500, times: 1 });
      h.twin.failWithNetworkError({ method: "sendMessage", times: 1 });
      h.twin.failWithNetworkError({ method: "sendPhoto", times: 1 });
      h.twin.hangNext({ method: "sendMessage", times: 1 });
      const FAULTS = 14;
      const served = faultsServed(h);
      const titles: string[] = [];
      for (let i = 0; i < TOTAL; i++) {
        const title = `Drill ${provider} ${i}`;
        titles.push(title);
        await notifications.enqueue(prisma(), {
          userId: (i % 2 === 0 ? trader : other).actor.id,
          type: "REPORT",
          severity: "WARNING",
          title,
          message: `notice ${i}`,
          format: "text",
          dedupeKey: `tg-faults-${provider}-${i}`,
          ...(i % 4 === 0 ? { attachment: { bytes: PNG, fileName: "chart.png" } } : {}),
        });
      }
      const delivered = () => {
        const texts = [trader, other]
          .flatMap((t) => h.twin.messages(t.user.chatId))
          .filter((m) => m.revision > since)
          .map(textOf);
        return titles.map((t) => texts.filter((x) => x.includes(`${t}\n`) || x.endsWith(t)).length);
      };
      await h.twin
        .waitFor(() => (delivered().every((n) => n >= 1) ? true : undefined), {
          timeoutMs: 60_000,
        })
        .catch(() => undefined);
      await h.twin.waitForIdle({ timeoutMs: 20_000 });
      const counts = delivered();
      const met = faultsServed(h) - served;
      h.twin.clearFaults();
      const outboxRows = await prisma().notificationOutbox.findMany({
        where: { dedupeKey: { startsWith: `tg-faults-${provider}-` } },
        select: { status: true, failCount: true, lastError: true, partsSent: true },
      });
      const lost = counts.filter((n) => n === 0).length;
      const duplicated = counts.reduce((s, n) => s + Math.max(0, n - 1), 0);
      const crashes = errorsSince(logMark);
      recordFigures({
        category: "telegram faults: outbox drain through a 429 storm, 5xx, drops and a hang",
        db: provider,
        attempts: TOTAL,
        failures: lost + duplicated,
        crashes: crashes.length,
        lost,
        duplicated,
        unit: "notices",
      });
      expect({ lost, duplicated }, JSON.stringify(outboxRows)).toEqual({ lost: 0, duplicated: 0 });
      expect(outboxRows.filter((r) => r.status !== "SENT")).toEqual([]);
      expect(met).toBe(FAULTS);
      expect(crashes).toEqual([]);
    }, 180_000);

    it("after the faults the bot answers at once, in every feature used", async () => {
      const card = await say(h, trader.user, "/buy ETHUSDT 0.01", (t) => /Confirm order/.test(t));
      const done = await press(
        h,
        trader.user,
        card,
        "✅ Confirm",
        (t, m) => m.message_id === card.message_id && /Order #\d+/.test(t),
      );
      expect(textOf(done)).toMatch(/Order #\d+/);
    });
  });
}
