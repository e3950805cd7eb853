// Shared pieces for the benchmarks (see the module contract in scripts/bench/index.ts): result
// types, timing, peak-RSS sampling, running a measurement in a child process, temporary migrated
// and seeded databases on SQLite and PostgreSQL, a deterministic random source, and table output.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { type Database, type Provider, openDatabase } from "../../src/db/client.ts";
import { applyMigrations } from "../../src/db/migrate.ts";
import { seedReferenceData } from "../../src/db/seed.ts";

// ───────────── the contract ─────────────

export interface BenchOptions {
  /** smaller sizes, for a smoke run of the harness (`npm run bench -- --quick`) */
  quick: boolean;
  /** progress lines (stderr), so stdout stays the results */
  log: (line: string) => void;
}

export interface BenchTable {
  columns: string[];
  rows: (string | number)[][];
}

export interface BenchResult {
  id: string;
  title: string;
  /** every goal met */
  passed: boolean;
  /** a few human-readable lines: the figures that matter and what they mean */
  summary: string;
  /** the main figures, printed as an aligned table */
  table?: BenchTable;
  /** anything else goes into the JSON line as it is */
  [extra: string]: unknown;
}

export interface BenchModule {
  id: string;
  title: string;
  run(opts: BenchOptions): Promise<BenchResult>;
}

export function isBenchModule(value: unknown): value is BenchModule {
  const m = value as Partial<BenchModule> | null;
  return (
    typeof m === "object" &&
    m !== null &&
    typeof m.id === "string" &&
    /^B\d+$/.test(m.id) &&
    typeof m.title === "string" &&
    typeof m.run === "function"
  );
}

// ───────────── timing and memory ─────────────

export async function timed<T>(fn: () => Promise<T> | T): Promise<{ seconds: number; value: T }> {
  const start = process.hrtime.bigint();
  const value = await fn();
  return { seconds: Number(process.hrtime.bigint() - start) / 1e9, value };
}

/** Samples this process's resident set size on a timer and keeps the peak (bytes). */
export class RssSampler {
  private timer: NodeJS.Timeout | null = null;
  peak = 0;
  start(intervalMs = 5): this {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
    return this;
  }
  sample(): void {
    this.peak = Math.max(this.peak, process.memoryUsage.rss());
  }
  /** The peak since the last phase (or the start), and a new phase from the current RSS. */
  phase(): number {
    this.sample();
    const peak = this.peak;
    this.peak = process.memoryUsage.rss();
    return peak;
  }
  stop(): number {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.sample();
    return this.peak;
  }
}

export const mb = (bytes: number) => bytes / (1024 * 1024);

/**
 * Runs a TypeScript module in a fresh Node process (so its memory is its own) and returns the
 * JSON object it prints as its last stdout line. The module reads its arguments from argv.
 */
export async function runChild<T>(
  script: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<T> {
  const child = spawn(process.execPath, ["--import", "tsx", script, ...args], {
    cwd: path.resolve(import.meta.dirname, "../.."),
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", resolve);
  });
  const last = stdout.trim().split("\n").at(-1) ?? "";
  if (code !== 0 || !last.startsWith("{")) {
    throw new Error(
      `${path.basename(script)} ${args.join(" ")} exited with ${code}:\n${stderr}${stdout}`,
    );
  }
  return JSON.parse(last) as T;
}

// ───────────── databases ─────────────

export const PG_ADMIN_URL =
  process.env.BENCH_PG_URL ??
  process.env.PG_ADMIN_URL ??
  "postgresql://postgres@127.0.0.1:5432/postgres";

export function pgUrl(database: string): string {
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${database}`;
  return url.href;
}

export async function pgAdmin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export async function postgresAvailable(): Promise<boolean> {
  try {
    await pgAdmin("SELECT 1");
    return true;
  } catch {
    return false;
  }
}

export interface TempDatabase {
  provider: Provider;
  url: string;
  /** the SQLite file (SQLite only) */
  file: string | null;
  /** opens a Prisma client on it (the caller closes it) */
  open(options?: { poolSize?: number }): Database;
  drop(): Promise<void>;
}

/** A fresh database, migrated with the committed migrations and seeded with reference data. */
export async function createTempDatabase(provider: Provider, label: string): Promise<TempDatabase> {
  const suffix = randomBytes(4).toString("hex");
  let url: string;
  let file: string | null = null;
  let drop: () => Promise<void>;
  if (provider === "sqlite") {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `tradedesk-bench-${label}-`));
    file = path.join(dir, "bench.db");
    url = `file:${file}`;
    drop = async () => fs.rmSync(dir, { recursive: true, force: true });
  } else {
    const name = `td_bench_${label.replace(/\W/g, "_")}_${suffix}`;
    await pgAdmin(`CREATE DATABASE "${name}"`);
    url = pgUrl(name);
    drop = () => pgAdmin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  }
  try {
    await applyMigrations(url);
    const db = openDatabase(url);
    try {
      await seedReferenceData(db.prisma);
    } finally {
      await db.close();
    }
  } catch (e) {
    await drop();
    throw e;
  }
  return { provider, url, file, open: (o) => openDatabase(url, o), drop };
}

/**
 * A database made by an earlier run and kept (B5's `--keep`): a PostgreSQL URL or a SQLite file
 * (path or file: URL). Its drop() leaves it where it is: the caller removes it when done.
 */
export function existingDatabase(location: string): TempDatabase {
  const postgres = /^postgres(ql)?:\/\//.test(location);
  const file = postgres ? null : path.resolve(location.replace(/^file:/, ""));
  if (file !== null && !fs.existsSync(file)) throw new Error(`no database at ${file}`);
  const url = file === null ? location : `file:${file}`;
  return {
    provider: postgres ? "postgres" : "sqlite",
    url,
    file,
    open: (o) => openDatabase(url, o),
    drop: async () => {},
  };
}

/**
 * ANALYZE on PostgreSQL. Autovacuum would do it on a production server; with it off (as on this
 * machine) the planner keeps the row counts of the empty tables it started with and picks plans
 * that read a whole account's ledger per fill, so long runs slow down for a reason production
 * does not have. SQLite plans from its indexes and needs nothing.
 */
export async function refreshStatistics(
  temp: Pick<TempDatabase, "provider" | "url">,
  opts: { vacuum?: boolean } = {},
): Promise<void> {
  if (temp.provider !== "postgres") return;
  const client = new pg.Client({ connectionString: temp.url });
  await client.connect();
  try {
    await client.query(opts.vacuum ? "VACUUM ANALYZE" : "ANALYZE");
  } finally {
    await client.end();
  }
}

// ───────────── data and output ─────────────

/** A small deterministic random source (mulberry32): the same seed gives the same workload. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function formatTable(table: BenchTable): string {
  const cells = [table.columns, ...table.rows.map((r) => r.map(String))];
  const widths = table.columns.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? "").length)));
  const numeric = table.columns.map((_, i) => table.rows.every((r) => typeof r[i] === "number"));
  const line = (r: string[]) =>
    r
      .map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  return [
    line(cells[0]!),
    widths.map((w) => "─".repeat(w)).join("  "),
    ...cells.slice(1).map(line),
  ].join("\n");
}

/** A number rounded for a table cell. */
export const round = (value: number, digits = 2) => Number(value.toFixed(digits));
