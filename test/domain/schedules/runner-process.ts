// A schedule runner in a process of its own, for the multi-process test on SQLite: it opens the
// database file, waits until the agreed start time (so two such processes run at once), runs once
// at the given "now" and prints its summary as JSON.
import { openDatabase } from "../../../src/db/client.ts";
import { ManualClock } from "../../../src/lib/clock.ts";
import { runnerOn } from "./runner-support.ts";

const [url, nowIso, startAt] = process.argv.slice(2);
if (!url || !nowIso || !startAt)
  throw new Error("usage: runner-process <db url> <now ISO> <start ms>");
const database = openDatabase(url);
const now = new Date(nowIso);
const { runner } = runnerOn(database, new ManualClock(now), new Date("2026-01-01T00:00:00Z"));
// touch the database once so connecting is not part of the race
await database.prisma.schedule.count();
await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(startAt) - Date.now())));
const summary = await runner.runOnce(now);
process.stdout.write(JSON.stringify(summary));
await database.close();
