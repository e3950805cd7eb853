// npm run bench [-- B1 B4] [--quick]
//
// Runs the benchmarks in this folder: all of them, or those named on the command line (B1, b1
// and 1 all name B1), in id order, one after the other, and prints each result as a table and a
// summary, followed by one JSON line (`BENCH {...}`) that tools can grep. Progress goes to stderr.
// Exit code 1 when a benchmark throws or misses a goal, 2 on a bad argument.
//
// ─── Adding a benchmark ───
// Create scripts/bench/b<digits>-<slug>.ts (e.g. b7-alert-fanout.ts). The harness finds it by
// that name and imports it; its default export must be a BenchModule (types in ./support.ts):
//
//   export default {
//     id: "B7",                          // "B" + the file's digits
//     title: "Alert fan-out ...",        // one line
//     async run(opts: BenchOptions): Promise<BenchResult> { ... },
//   };
//
// run() gets { quick, log }: `quick` asks for a small workload (a smoke run, figures not
// meaningful), `log` prints progress to stderr. It returns a BenchResult:
//   { id, title, passed, summary, table?, ...anything else }
// where `passed` says whether every goal was met, `summary` is a few lines of text, `table`
// ({ columns, rows }) the main figures, and every other field goes into the JSON line as is.
// Goals must be stated against a baseline measured in the same run (raw driver SQL, a simpler
// algorithm...) and printed as ratios, not only as absolute figures: machines differ, ratios
// travel. Importing the module must not start work (guard a direct-run entry point with an
// import.meta.url check); clean up what you create (temporary databases: createTempDatabase).
// Shared helpers (timing, RSS sampling, child processes, temporary SQLite/PostgreSQL databases,
// seeded random numbers, tables) live in ./support.ts: add new ones there.
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { type BenchModule, type BenchResult, formatTable, isBenchModule } from "./support.ts";

const BENCH_DIR = import.meta.dirname;
const MODULE_NAME = /^b(\d+)-[\w-]+\.ts$/;

export interface BenchFile {
  id: string;
  file: string;
}

/** The benchmark modules in a folder, by id order. */
export function discoverBenchmarks(dir = BENCH_DIR): BenchFile[] {
  return fs
    .readdirSync(dir)
    .map((name) => ({ name, m: MODULE_NAME.exec(name) }))
    .filter((x): x is { name: string; m: RegExpExecArray } => x.m !== null)
    .map(({ name, m }) => ({ id: `B${Number(m[1])}`, file: path.join(dir, name) }))
    .sort((a, b) => Number(a.id.slice(1)) - Number(b.id.slice(1)));
}

/** Picks the requested ids (all when none); throws naming an unknown one. */
export function selectBenchmarks(all: BenchFile[], requested: string[]): BenchFile[] {
  if (!requested.length) return all;
  const ids = requested.map((r) => `B${Number(r.replace(/^b/i, ""))}`);
  const unknown = requested.filter((_, i) => !all.some((b) => b.id === ids[i]));
  if (unknown.length) {
    throw new Error(
      `unknown benchmark ${unknown.join(", ")}; available: ${all.map((b) => b.id).join(", ")}`,
    );
  }
  return all.filter((b) => ids.includes(b.id));
}

export async function loadBenchmark(entry: BenchFile): Promise<BenchModule> {
  const mod = (await import(pathToFileURL(entry.file).href)) as { default?: unknown };
  if (!isBenchModule(mod.default) || mod.default.id !== entry.id) {
    throw new Error(
      `${path.basename(entry.file)} must export default { id: "${entry.id}", title, run(opts) }`,
    );
  }
  return mod.default;
}

export function renderResult(result: BenchResult, seconds: number): string {
  const head = `${result.id} — ${result.title}`;
  const parts = [head, "═".repeat(Math.min(head.length, 100))];
  if (result.table) parts.push(formatTable(result.table), "");
  parts.push(result.summary.trim());
  parts.push(`${result.passed ? "PASS" : "FAIL"} (${seconds.toFixed(1)} s)`);
  parts.push(`BENCH ${JSON.stringify(result)}`);
  return parts.join("\n");
}

async function main(argv: string[]): Promise<number> {
  const quick = argv.includes("--quick");
  const requested = argv.filter((a) => !a.startsWith("--"));
  let selected: BenchFile[];
  try {
    selected = selectBenchmarks(discoverBenchmarks(), requested);
  } catch (e) {
    console.error(`bench: ${(e as Error).message}`);
    return 2;
  }
  const log = (line: string) => process.stderr.write(`  ${line}\n`);
  let failures = 0;
  for (const entry of selected) {
    process.stderr.write(`▶ ${entry.id} (${path.basename(entry.file)})\n`);
    const start = process.hrtime.bigint();
    try {
      const bench = await loadBenchmark(entry);
      const result = await bench.run({ quick, log });
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      console.log(`${renderResult(result, seconds)}\n`);
      if (!result.passed) failures++;
    } catch (e) {
      failures++;
      console.log(`${entry.id} ERROR: ${(e as Error).stack ?? String(e)}\n`);
      console.log(`BENCH ${JSON.stringify({ id: entry.id, error: String(e) })}\n`);
    }
  }
  return failures ? 1 : 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  // exit explicitly: a finished run must not wait for timers libraries leave behind (grammY's
  // bot and Prisma's client, built by B2, hold a few)
  process.exit(await main(process.argv.slice(2)));
}
