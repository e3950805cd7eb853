// The adversarial suite's figures (issue 15): each check records what it tried and what went
// wrong with recordFigures(); the suite's global teardown (test/support/global-setup.ts) prints
// them as one table after the run, whether it was `npm run test:adversarial` or `npm test`.
// Test files run in separate worker processes, so each record is one JSON file in a directory
// the global setup creates for the run (and removes after printing).
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { inject, onTestFinished } from "vitest";
import type { Figures } from "./figures-table.ts";

export type { Figures };

export { figuresTable, readFigures } from "./figures-table.ts";

/** Records one check's figures for the table printed at the end of the run. */
export function recordFigures(figures: Figures): void {
  const dir = inject("figuresDir");
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${Date.now()}-${randomBytes(4).toString("hex")}.json`);
  fs.writeFileSync(file, JSON.stringify(figures));
}

/**
 * For a check whose expectations are plain assertions: records `figures` when the current test
 * ends, with one failure if it failed (an assertion broke or it threw).
 */
export function recordOutcome(figures: Omit<Figures, "failures">): void {
  onTestFinished(({ task }) => {
    recordFigures({ ...figures, failures: task.result?.state === "fail" ? 1 : 0 });
  });
}
