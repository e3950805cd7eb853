// The alert job: one run evaluates every active alert through the service, logs an alert that
// fails without stopping the others, and is scheduled every 20 seconds.
import { Cron } from "croner";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { ALERT_JOB_PATTERN, AlertEvaluator } from "../../src/jobs/alerts.ts";
import { PROVIDERS, type TestDatabase } from "../support/db.ts";
import { type TestWorld } from "../support/fixtures.ts";
import { type AlertWorld, alertWorld, plainNotifier, trader } from "../domain/alerts/support.ts";
import { useTestWorld } from "../support/test-world.ts";

describe.each(PROVIDERS)("AlertEvaluator on %s", (provider) => {
  let tdb: TestDatabase;
  let world: TestWorld;
  let aw: AlertWorld;
  useTestWorld(provider, async (t) => {
    ({ tdb, world } = t);
    aw = alertWorld(world);
  });

  it("fires due alerts and logs the ones that cannot be evaluated", async () => {
    world.clock.set("2026-03-10T12:00:00Z");
    const actor = await trader(world, aw.chats, "Job");
    const good = await aw.alerts.createFromText(actor, "BTCUSDT is above 1 once");
    const broken = await aw.alerts.createFromText(actor, "ETHUSDT is above 1 once");
    // the instrument disappeared from the market data source since the alert was made
    const config = {
      ...broken.alert.config,
      condition: { ...broken.alert.config.condition, symbol: "GONEUSDT" },
    };
    await tdb.db.prisma.alert.update({ where: { id: broken.alert.id }, data: { config } });

    const warnings: unknown[] = [];
    const logger = pino(
      { level: "warn" },
      { write: (line: string) => warnings.push(JSON.parse(line)) },
    );
    const evaluator = new AlertEvaluator({
      alerts: aw.alerts,
      notifier: plainNotifier,
      clock: world.clock,
      logger,
    });
    const summary = await evaluator.runOnce();
    expect(summary).toEqual({ evaluated: 1, fired: 1, skipped: 0, failed: 1 });
    expect(warnings).toEqual([
      expect.objectContaining({ alertId: broken.alert.id, msg: "alert evaluation failed" }),
    ]);
    expect((await aw.alerts.get(actor, good.alert.id)).isActive).toBe(false);
    expect((await aw.alerts.get(actor, broken.alert.id)).isActive).toBe(true);
    // a second run finds nothing new to fire
    expect(await evaluator.runOnce()).toEqual({ evaluated: 0, fired: 0, skipped: 0, failed: 1 });
  });

  it("runs every 20 seconds", () => {
    const evaluator = new AlertEvaluator({
      alerts: aw.alerts,
      notifier: plainNotifier,
      clock: world.clock,
      logger: pino({ level: "silent" }),
    });
    const job = evaluator.job();
    expect(job).toMatchObject({ name: "alerts", pattern: ALERT_JOB_PATTERN });
    const cron = new Cron(job.pattern, { paused: true });
    const runs = cron.nextRuns(3, new Date("2026-03-10T12:00:05Z")).map((d) => d.toISOString());
    expect(runs).toEqual([
      "2026-03-10T12:00:20.000Z",
      "2026-03-10T12:00:40.000Z",
      "2026-03-10T12:01:00.000Z",
    ]);
    cron.stop();
  });
});
