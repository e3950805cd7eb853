// The fuzzer's test body, shared by fuzz.test.ts (SQLite) and fuzz-postgres.test.ts: one world per
// file, `runs` fast-check cases of one to three actions, every finding collected and reported
// together, the figures recorded for the suite's table (support/figures.ts).
import fs from "node:fs";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Provider } from "../../../src/db/client.ts";
import { recordFigures } from "../support/figures.ts";
import { fuzzAction } from "./actions.ts";
import { databaseViolations } from "./db-invariants.ts";
import { FuzzWorld } from "./driver.ts";
import { HTML_MARKERS } from "./vocabulary.ts";

/** Findings that mean the bot itself failed (an error logged, an update never finished). */
const CRASH = /^(error logged|not handled within)/;

export function fuzzSuite(provider: Provider, runs: number, seed: number): void {
  describe(`fuzzing the bot through the Telegram twin, on ${provider}`, () => {
    let world: FuzzWorld;

    beforeAll(async () => {
      world = await FuzzWorld.start({}, provider);
    }, 120_000);

    afterAll(async () => {
      await world?.stop();
    });

    it(
      `${runs} random cases (seed ${seed}) break no invariant`,
      async () => {
        const started = performance.now();
        const commands = world.h.app.registry.all().map((c) => c.name);
        let lastOutboxId = 0;
        let cases = 0;
        await fc.assert(
          fc.asyncProperty(
            fc.array(fuzzAction(commands), { minLength: 1, maxLength: 3 }),
            async (actions) => {
              cases++;
              for (const action of actions) await world.run(action);
              for (const problem of await databaseViolations(world.h.app))
                world.findings.push({ action: `case ${cases}`, problem });
              const rows = await world.h.app.database.prisma.notificationOutbox.findMany({
                where: { id: { gt: lastOutboxId }, format: "html" },
                select: { id: true, message: true, title: true },
              });
              for (const row of rows) {
                lastOutboxId = Math.max(lastOutboxId, row.id);
                for (const marker of HTML_MARKERS)
                  if (row.message.includes(marker) || row.title.includes(marker))
                    world.findings.push({
                      action: `case ${cases}`,
                      problem: `outbox row ${row.id} holds raw ${marker}`,
                    });
              }
            },
          ),
          // the world is not reset between cases, so a failing case cannot be shrunk
          // meaningfully: every finding is collected and reported below instead
          { seed, numRuns: runs, endOnFailure: true },
        );
        const seconds = ((performance.now() - started) / 1000).toFixed(1);
        const prisma = world.h.app.database.prisma;
        const [orders, trades, cashRows] = await Promise.all([
          prisma.order.count(),
          prisma.trade.count(),
          prisma.cashTransaction.count(),
        ]);
        const summary = `fuzz (${provider}): ${cases} cases, ${world.counts.actions} actions, ${world.counts.updates} updates, ${world.counts.skipped} skipped, ${world.counts.unchangedEdits} unchanged redraws, ${world.findings.length} findings in ${seconds} s (seed ${seed}); the database holds ${orders} orders, ${trades} trades, ${cashRows} cash rows`;
        recordFigures({
          category: `fuzzer: random updates through the Telegram twin (seed ${seed})`,
          db: provider,
          attempts: world.counts.actions,
          failures: world.findings.length,
          crashes: world.findings.filter((f) => CRASH.test(f.problem)).length,
          unit: "actions",
        });
        if (process.env.FUZZ_REPORT)
          fs.writeFileSync(process.env.FUZZ_REPORT, JSON.stringify(world.findings, null, 1));
        const byProblem = new Map<string, string[]>();
        for (const f of world.findings) {
          const key = f.problem.slice(0, 200);
          byProblem.set(key, [...(byProblem.get(key) ?? []), f.action]);
        }
        const report = [...byProblem].map(
          ([problem, actions]) => `${actions.length}× ${problem}\n    e.g. ${actions[0]}`,
        );
        expect(report, summary).toEqual([]);
        // the suite did real work: it sent updates and moved money
        expect(world.counts.updates).toBeGreaterThan(runs / 2);
      },
      runs * 3_000 + 60_000,
    );
  });
}
