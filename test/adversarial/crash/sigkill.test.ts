// The SIGKILL drill: the real app in a child process (drill-child.ts) places and cancels paper
// orders, ingests their fills, fires schedules and drains the outbox to the Telegram twin, and is
// killed with SIGKILL at a seeded random moment — during its start or its work — again and again,
// on one database. A last child finishes the plan and reports (drill-report.ts); then every order
// is there once in the database and once at the paper venue (a resting order whose kill came
// before its submission and whose cancel came before the next child's sync may be canceled
// here without ever reaching the venue, as a user's cancel would), every venue fill once as a trade
// with one notice, every due schedule time fired once, every notification delivered, positions
// equal a recompute and the cash chain adds up.
//
// Telegram has no idempotency key: a message the twin accepted just before the kill, whose
// delivery the dead process had not yet recorded, is sent again by the next one (at least once,
// by design). Those are counted as "duplicated" and must stay within one per kill.
//
// DRILL_KILLS (default 8), DRILL_STEPS (default 48), DRILL_SEED (default 20261206);
// `npm run drill` runs a bigger drill.
import { afterAll, describe, expect, it } from "vitest";
import { PROVIDERS, type TestDatabase, createTestDatabase } from "../../support/db.ts";
import { TelegramTwin } from "../../support/telegram-twin/index.ts";
import { type Child, seededRandom, startChild } from "./child-process.ts";
import { recordFigures } from "../support/figures.ts";
import { DRILL_ADMIN, type DrillReport, problemKinds } from "./drill-report.ts";

const KILLS = Number(process.env.DRILL_KILLS ?? 8);
const STEPS = Number(process.env.DRILL_STEPS ?? 48);
const SEED = Number(process.env.DRILL_SEED ?? 20261206);
const CHILD = "test/adversarial/crash/drill-child.ts";

const seconds = (ms: number) => `${Math.round(ms / 1000)} s`;
const cleanup: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const fn of cleanup.reverse()) await fn().catch(() => {});
});

describe.each(PROVIDERS)("SIGKILL drill (%s)", (provider) => {
  it(
    `${KILLS} kills at seeded random moments: nothing lost, nothing doubled`,
    async () => {
      const database: TestDatabase = await createTestDatabase(provider);
      cleanup.push(() => database.drop());
      const twin = await TelegramTwin.start();
      cleanup.push(() => twin.stop());
      twin.user({ id: Number(DRILL_ADMIN), first_name: "Ada", language_code: "en" });
      const env = {
        DRILL_DATABASE_URL: database.url,
        DRILL_API_ROOT: twin.apiRoot,
        DRILL_STEPS: String(STEPS),
      };
      const random = seededRandom(SEED + (provider === "sqlite" ? 0 : 1));
      let live: Child | null = null;
      cleanup.push(async () => live?.kill());

      const started = Date.now();
      let duringStart = 0;
      for (let k = 0; k < KILLS; k++) {
        live = startChild(CHILD, { ...env, DRILL_MODE: "work" });
        // one kill in four lands while the app starts (data migrations, seeding, set-up)
        if (k % 4 === 3) {
          await new Promise((r) => setTimeout(r, 200 + random() * 1500));
          duringStart++;
        } else {
          const ready = await live.line("DRILL-READY", 60_000);
          if (ready === null) throw new Error(`the child exited:\n${live.output().slice(-4000)}`);
          await new Promise((r) => setTimeout(r, random() * 2500));
        }
        await live.kill();
      }

      const finishing = Date.now();
      live = startChild(CHILD, { ...env, DRILL_MODE: "finish" });
      const line = await live.line("DRILL-REPORT", 150_000);
      if (line === null) throw new Error(`the last child failed:\n${live.output().slice(-4000)}`);
      const report = JSON.parse(line) as DrillReport;
      await live.exited;

      const messages = twin.messages(Number(DRILL_ADMIN)).length;
      const duplicated = Math.max(0, messages - report.messagesExpected);
      const lost = report.problems.length + Math.max(0, report.messagesExpected - messages);
      console.log(
        `crash drill (${provider}): ${KILLS} kills (${duringStart} during start), ` +
          `${report.orders} orders (${report.canceledBeforeSubmit} canceled before submission), ` +
          `${report.trades} fills, ${report.scheduleRuns} schedule runs, ` +
          `${report.outboxSent} notifications; ${lost} lost or wrong, ${duplicated} sent twice ` +
          `(kills ${seconds(finishing - started)}, last run ${seconds(Date.now() - finishing)})`,
      );
      const kinds = problemKinds(report.problems);
      recordFigures({
        category: "crash: SIGKILL while orders, fills, schedules and the outbox run",
        db: provider,
        attempts: KILLS,
        failures: report.problems.length,
        crashes: 0,
        lost: kinds.lost + Math.max(0, report.messagesExpected - messages),
        duplicated: kinds.duplicated,
        resent: duplicated,
        unit: "kills",
      });
      expect(report.problems).toEqual([]);
      expect(messages).toBeGreaterThanOrEqual(report.messagesExpected);
      expect(duplicated).toBeLessThanOrEqual(KILLS);
      expect(report.trades).toBeGreaterThan(0);
    },
    200_000 + KILLS * 15_000,
  );
});
