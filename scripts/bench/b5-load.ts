// B5 — the seed's load test (phase 5.3): a group of users with a long trading history, on SQLite
// and on PostgreSQL, and the hot queries the bot runs against it.
//
// Data (./load-workload.ts): USERS approved users × PORTFOLIOS paper portfolios ×
// TRADES_PER_DAY fills a day × DAYS days. Users, accounts and portfolios come from the real
// services; every fill is a filled LIMIT order (inserted in bulk). The fills are loaded by the
// bulk path of ./bulk-fill-ingest.ts, in transactions of BULK_BATCH fills: the same rows as
// TradeService.ingestFill (trade, order update, position with the domain's calculator, the two
// cash ledger rows, the audit row), worked out per batch in memory by the per-fill path's own
// functions and written with multi-row statements. test/scripts/bench/b5-load.test.ts compares
// it, column by column, with TradeService.ingestFill and with the per-fill raw path of
// ./raw-fill-ingest.ts (B1's baseline). `--compare-load` also loads the same workload through
// that per-fill path on a database of its own and reports both rates, so the ratio comes from one
// run on one machine load. Each portfolio also keeps a few open orders.
//
// Hot queries, each through the real domain service the bot calls (p50/p99 over many calls,
// rotating through the portfolios): open orders (/orders), trades by portfolio in a time window,
// /trades today, positions (/positions), /pnl month, the equity history of a report. The SQL each
// one sends is captured from Prisma's query events, and every statement is EXPLAINed (SQLite:
// EXPLAIN QUERY PLAN; PostgreSQL: EXPLAIN with enable_seqscan off, so a sequential scan in the
// plan means no index can serve the query, whatever the table's size today). The bench FAILS when
// a statement scans a table that holds at least SCAN_LIMIT rows. Baseline, measured in the same
// run: the very same statements replayed through the raw driver; the table prints the service's
// p99 as a ratio of the baseline's. Goal at full size: every hot query's p99 ≤ 20 ms.
//
// Then the command mix (./load-mix.ts): the seed's 20 users at once (at ×10, 20 of the 200,
// evenly spread), as Telegram updates into the production bot's update handler on the same
// database, for --mix-seconds.
//
// Sizes: `--quick` 2 users × 3 × 10 × 5 (a smoke run); default 20 users × 3 × 10 × 10 (6,000
// fills, CI-sized, a minute or two); `--full` 20 × 3 × 200 × 90 (1.08 M fills); `--scale N`
// multiplies the users (10: the issue's 200 users, 10.8 M fills at --full). `--only sqlite` or
// `--only postgres` runs one database (a --full run takes 6-12 min per database on an idle
// machine, over 30 min on a loaded one). Run the big sizes rarely, the machine is shared.
// Loading and measuring apart: `--load-only` loads a database, writes its checkpoints and keeps it
// (`--keep` keeps it after a whole run); `--reuse FILE|URL` measures a kept database as it is
// (with the --full/--scale it was loaded with), so a ×10 history loaded once, even while the
// machine was busy, is measured later on an idle one, as often as needed. On
// PostgreSQL the load ends with VACUUM ANALYZE, as autovacuum would (it is off on this machine's
// server): every fill updated its order, leaving a dead row and index entry that every
// open-order read walked until a vacuum.
//
// --full with the bulk path, idle machine, before issue 14's fixes: loading 285 s on SQLite
// (3,790 fills/s) and 370 s on PostgreSQL (2,920 fills/s), checkpoints of the whole history
// 88 s / 594 s; every hot statement on an index on both; p99 over 20 ms: SQLite equity history
// 24.05 ms, PostgreSQL /pnl month 20.59 ms and equity history 30.59 ms; in the mix /balance was
// the heaviest command (p50 0.9 s on SQLite, 3.0 s on PostgreSQL): per portfolio, twice (its
// lines and the account's funds), a GROUP BY over the portfolio's whole ledger (36,000 rows).
//
// --full after (2026-12-07, each database with `--only`, both runs at once on the shared 2-core
// machine, load average 5-13 from other sessions: the figures are upper bounds, not idle ones):
// - SQLite: loading 1,164 s (928 fills/s), checkpoints 254 s. Hot queries p50 / p99 (raw replay
//   p99): /orders 3.28 / 17.09 (7.69), trades in a window 1.75 / 16.24 (5.46), /trades today
//   1.57 / 11.87 (7.05), /positions 2.14 / 18.4 (19.16), /pnl month 7.88 / 50.48 (19.07), its
//   full replay 676 / 1,460, equity history 21.27 / 111.62 (34.85) ms: the raw replay of the
//   same statements alone exceeds 20 ms at p99, so the tails are the machine's; every statement
//   on an index. Mix, 20 users for 60 s, p50 / p99: /positions 10.7 / 61, /pnl month 61 / 196,
//   /orders 16 / 107, /balance 29 / 101 ms (0.9 s before), /report 1,227 / 8,953 ms (now the
//   heaviest: not looked into).
// - PostgreSQL: loading 1,220 s (885 fills/s), checkpoints 543 s. Hot queries p50 / p99 (raw
//   replay p99): /orders 12.38 / 67.96 (42.76), trades in a window 7.55 / 54.16 (27.6), /trades
//   today 4.16 / 52.45 (25.53), /positions 3.42 / 16.12 (10.73), /pnl month 22.76 / 98.25
//   (62.48), its full replay 762 / 1,237, equity history 18.47 / 51.68 (26.22) ms; every
//   statement on an index. Mix p50 / p99: /positions 336 / 740, /pnl month 619 / 1,309, /orders
//   480 / 1,065, /balance 683 / 1,756 ms (3.0 s p50 before; now in line with the others),
//   /report 916 / 3,485 ms. The default size gives the same 300-800 ms p50s on PostgreSQL
//   (SQLite: 10-40 ms): that wait does not grow with history (not looked into).
// Whether the 20 ms goal holds needs an idle machine: neither run had one.
// --full on an idle machine, each database alone (2026-12-07): every hot query p99 ≤ 20 ms on both.
// - SQLite: loading 340 s (3,172 fills/s), checkpoints 93.8 s; p99 /orders 8.66, trades in a
//   window 4.36, /trades today 5.21, /positions 5.52, /pnl month 8.79, equity history 18.39 ms.
// - PostgreSQL: loading 309 s (3,491 fills/s), checkpoints 245.9 s; p50 / p99 (raw replay p99)
//   /orders 2.95 / 8.48 (7.08), trades in a window 2.36 / 8.12 (5.07), /trades today 1.92 / 5.46
//   (3.13), /positions 1.5 / 6.09 (5.39), /pnl month 6.85 / 16.92 (9.83), its full replay 420 /
//   624, equity history 12.83 / 19.92 (13.2) ms. Mix p50 / p99: /positions 228 / 479, /pnl month
//   411 / 785, /orders 318 / 653, /balance 452 / 1,104, /report 592 / 1,640 ms; 2,902 commands in
//   60 s (48 a second).
// The mix is a closed loop with no think time, so it runs at saturation: a command waits for the
//   19 others in flight, and its latency is about 20 ÷ the commands a second. SQLite's statements
//   answer synchronously and a command's run straight through (src/lib/interactive.ts), so there
//   its wait falls before the bot takes the update and the short commands show single-digit p50s
//   (default size, 20 s: /positions 4, /orders 6, /balance 9 ms; /report, which draws a chart,
//   412 ms); on PostgreSQL every statement is a round trip the 20 commands interleave on, and a
//   CPU profile puts a third of the process's time in the socket writes and the pg driver (a Unix
//   socket instead of TCP gave the same rate). Neither has a goal beyond zero errors.
// ×10 (`--scale 10`, 10.8 M fills: 200 users, 600 portfolios; 2026-12-07): loaded with
//   --load-only, both databases at once (with a CI run beside them for the first half hour: the
//   load times are upper bounds), then measured with --reuse on an idle machine; the hot queries
//   rotate through all 600 portfolios, the mix is 20 of the 200 users. Every hot query p99 ≤ 20
//   ms on both (the goal at ×10 is 50), every statement on an index, 0 errors in the mix.
// - SQLite: loading 6,546 s (1,650 fills/s), checkpoints 681 s (the job, one portfolio after
//   another). p50 / p99 (raw replay p99): /orders 1.87 / 11.58 (0.69), trades in a window 1.22 /
//   7.37 (0.74), /trades today 1 / 5.05 (0.44), /positions 0.84 / 4.79 (0.72), /pnl month 3.71 /
//   11.03 (1.54), its full replay 272 / 458, equity history 7.55 / 18.74 (3.25) ms. Mix p50 / p99:
//   /positions 2.7 / 20, /pnl month 17 / 56, /orders 3.6 / 24, /balance 5.8 / 29, /report 379 /
//   2,046 ms; 4,097 commands in 60 s.
// - PostgreSQL: loading 4,798 s (2,251 fills/s), checkpoints 1,706 s four portfolios at a time.
//   p50 / p99 (raw replay p99): /orders 3.45 / 10.78 (8.69), trades in a window 1.99 / 7.35
//   (4.84), /trades today 2.03 / 6.16 (4.68), /positions 2.03 / 7.7 (5.43), /pnl month 6.75 /
//   14.91 (9.15), its full replay 372 / 473, equity history 10.76 / 19.13 (11.44) ms. Mix p50 /
//   p99: /positions 181 / 365, /pnl month 322 / 587, /orders 255 / 454, /balance 346 / 915,
//   /report 467 / 1,359 ms; 3,754 commands in 60 s. Measured first while the SQLite load still
//   ran on the other core: p99 up to 41.96 ms (equity history), /orders 23.93, /pnl month 24.9.
//   The per-portfolio queries cost what they cost at --full: a portfolio's history is the same
//   size, and only the indexes grew ten times.
// The bulk path against the per-fill path (default size, --compare-load, load average about 6):
// SQLite 8,070 against 6,310 fills/s, PostgreSQL 3,930 against 510.
// Run: npm run bench -- B5 [--quick|--full] [--scale N] [--compare-load] [--only sqlite|postgres]
// [--load-only|--keep] [--reuse FILE|URL], or alone:
// npx tsx scripts/bench/b5-load.ts [...]
import { pathToFileURL } from "node:url";
import Sqlite from "better-sqlite3";
import pg from "pg";
import type { Provider } from "../../src/db/client.ts";
import type { Services } from "../../src/domain/services.ts";
import { PnlService } from "../../src/domain/pnl/pnl-service.ts";
import { periodRange } from "../../src/lib/time.ts";
import { DAY_MS, utcDay } from "../../src/domain/pnl/checkpoints.ts";
import { OfflineMarketData } from "../../src/market/offline/offline-market-data.ts";
import { type Captured, capturingDatabase } from "./capturing-database.ts";
import { createMixApp, runMix } from "./load-mix.ts";
import type { BenchFill } from "./raw-fill-ingest.ts";
import {
  type LoadSize,
  type LoadedPortfolio,
  NOW,
  generate,
  loadPrices,
  type Ingest,
  bulkIngest,
  loadServices,
  rawIngest,
  loadedOwners,
  sizeFrom,
} from "./load-workload.ts";
import {
  type BenchOptions,
  type BenchResult,
  type TempDatabase,
  createTempDatabase,
  existingDatabase,
  postgresAvailable,
  round,
} from "./support.ts";

const DAY = 86_400_000;

// ───────────── loading ─────────────

/**
 * An ingest that keeps the time spent in it: the fills' writes, not the owners or orders, nor
 * the making of each day's fills as the ingest pulls them.
 */
function timed(ingest: Ingest): { ingest: Ingest; ms: () => number } {
  let ms = 0;
  const now = () => Number(process.hrtime.bigint()) / 1e6;
  return {
    ingest: async (days) => {
      let making = 0;
      function* measured(): Generator<BenchFill[]> {
        const it = days[Symbol.iterator]();
        for (;;) {
          const t = now();
          const day = it.next();
          making += now() - t;
          if (day.done) return;
          yield day.value;
        }
      }
      const t = now();
      try {
        await ingest(measured());
      } finally {
        ms += now() - t - making;
      }
    },
    ms: () => ms,
  };
}

/** Fills per second of the per-fill path, on a database of its own (`--compare-load`). */
async function perFillRate(
  provider: Provider,
  size: LoadSize,
  fills: number,
  log: (line: string) => void,
): Promise<number> {
  const temp = await createTempDatabase(provider, "b5-per-fill");
  try {
    const database = temp.open();
    try {
      const load = timed(rawIngest(temp, log));
      await generate(temp, database, loadServices(database), size, load.ingest);
      return fills / (load.ms() / 1000);
    } finally {
      await database.close();
    }
  } finally {
    await temp.drop();
  }
}

// ───────────── measuring ─────────────

/** a plan that scans a table of at least this many rows fails the bench */
export const SCAN_LIMIT = 1_000;
export const GOAL_P99_MS = 20;
export const GOAL_P99_MS_10X = 50;

interface HotQuery {
  name: string;
  /** `fullReplay`: the same PnL service without checkpoints (the baseline of /pnl month) */
  run(services: Services, owner: LoadedPortfolio, fullReplay: PnlService): Promise<unknown>;
}

const PNL_FULL_REPLAY = "/pnl month, no checkpoints";

export const HOT_QUERIES: HotQuery[] = [
  {
    name: "open orders (/orders)",
    run: (s, o) => s.orders.list(o.actor, o.portfolioId, "open", 1, 10),
  },
  {
    name: "trades in a window",
    run: (s, o) =>
      s.trades.list(o.actor, o.portfolioId, {
        from: new Date(NOW.getTime() - 3 * DAY),
        to: new Date(NOW.getTime() - 2 * DAY),
      }),
  },
  {
    name: "/trades today",
    run: (s, o) => s.trades.list(o.actor, o.portfolioId, periodRange("today", NOW, "UTC")),
  },
  { name: "positions (/positions)", run: (s, o) => s.positions.snapshot(o.actor, o.portfolioId) },
  { name: "/pnl month", run: (s, o) => s.pnl.periodReport(o.actor, o.portfolioId, "month") },
  {
    name: PNL_FULL_REPLAY,
    run: (_s, o, full) => full.periodReport(o.actor, o.portfolioId, "month"),
  },
  {
    name: "equity history (report)",
    run: (s, o) => s.reports.performance(o.actor, o.portfolioId, "month"),
  },
];

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

interface Runner {
  explain(sql: string, params: unknown[]): Promise<string[]>;
  replay(statements: Captured[]): Promise<void>;
  rows(table: string): Promise<number>;
  tables(): Promise<string[]>;
  close(): Promise<void>;
}

/** SQLite adapter parameters as the adapter binds them (dates as ISO text with +00:00). */
function sqliteParam(v: unknown): unknown {
  if (typeof v === "string" && /^\d{4}-\d\d-\d\dT[\d:.]+Z$/.test(v))
    return v.replace("Z", "+00:00");
  if (typeof v === "boolean") return v ? 1 : 0;
  return v;
}

async function runnerFor(temp: TempDatabase): Promise<Runner> {
  if (temp.provider === "sqlite") {
    const db = new Sqlite(temp.file!, { readonly: true });
    return {
      async explain(sql, params) {
        const plan = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params.map(sqliteParam)) as {
          detail: string;
        }[];
        return plan.map((p) => p.detail);
      },
      async replay(statements) {
        for (const s of statements) db.prepare(s.sql).all(...s.params.map(sqliteParam));
      },
      async rows(table) {
        return Number(
          (db.prepare(`SELECT count(*) AS n FROM "${table}"`).get() as { n: number }).n,
        );
      },
      async tables() {
        return db
          .prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`)
          .pluck()
          .all() as string[];
      },
      async close() {
        db.close();
      },
    };
  }
  const client = new pg.Client({ connectionString: temp.url });
  await client.connect();
  const explainer = new pg.Client({ connectionString: temp.url });
  await explainer.connect();
  // a sequential scan left in the plan then means that no index can serve the statement
  await explainer.query("SET enable_seqscan = off");
  return {
    async explain(sql, params) {
      const { rows } = await explainer.query<{ "QUERY PLAN": string }>(`EXPLAIN ${sql}`, params);
      return rows.map((r) => r["QUERY PLAN"]);
    },
    async replay(statements) {
      for (const s of statements) await client.query(s.sql, s.params);
    },
    async rows(table) {
      const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM "${table}"`);
      return Number(rows[0]!.n);
    },
    async tables() {
      const { rows } = await client.query<{ t: string }>(
        `SELECT tablename AS t FROM pg_tables WHERE schemaname = current_schema()`,
      );
      return rows.map((r) => r.t);
    },
    async close() {
      await client.end();
      await explainer.end();
    },
  };
}

/**
 * The tables a plan reads from end to end: SQLite "SCAN t" (with or without an index: a full
 * index walk costs as much on a big table), PostgreSQL "Seq Scan on t". Names that are not
 * tables (subquery aliases) are the caller's to drop.
 */
export function scannedTables(provider: Provider, plan: string[]): string[] {
  const pattern =
    provider === "sqlite"
      ? /^\s*SCAN (?:main\.)?`?(\w+)`?/
      : /Seq Scan on (?:"?public"?\.)?"?(\w+)"?/;
  return plan.map((line) => pattern.exec(line)?.[1]).filter((t): t is string => t !== undefined);
}

interface QueryFigures {
  provider: Provider;
  query: string;
  statements: number;
  p50: number;
  p99: number;
  rawP99: number;
  scans: string[];
  plan: string[];
}

/**
 * PostgreSQL: the portfolios whose checkpoints are written at once. The job goes one portfolio
 * after another; on PostgreSQL each portfolio-day is a few round trips that leave the server
 * idle in between (×10's 54,000 portfolio-days took over 40 min that way), and portfolios are
 * independent (each day's rows in a transaction holding its account's lock). SQLite writes one
 * at a time whatever the caller does: the job itself runs there.
 */
const PG_CHECKPOINT_PORTFOLIOS = 4;

/** The checkpoint job's work over every portfolio: the portfolio-days written. */
async function writeCheckpoints(services: Services, provider: Provider): Promise<number> {
  if (provider === "sqlite") return (await services.checkpoints.writeClosedDays()).days;
  const lastDay = new Date(utcDay(NOW).getTime() - DAY_MS);
  const portfolios = await services.ctx.db.portfolio.findMany({
    select: { id: true, accountId: true },
    orderBy: { id: "asc" },
  });
  let next = 0;
  let days = 0;
  await Promise.all(
    Array.from({ length: PG_CHECKPOINT_PORTFOLIOS }, async () => {
      while (next < portfolios.length) {
        // not `days += await …`: that reads days before the await and loses the others' counts
        const written = await services.checkpoints.writeThrough(portfolios[next++]!, lastDay);
        days += written;
      }
    }),
  );
  return days;
}

/**
 * `reuse`: the database holds a history loaded by an earlier run (`--keep`), measured as it is;
 * `loadOnly`: load it and write the checkpoints, measure nothing (figures stay empty).
 */
interface MeasureMode {
  reuse: boolean;
  loadOnly: boolean;
}

async function measure(
  temp: TempDatabase,
  size: LoadSize,
  iterations: number,
  log: (line: string) => void,
  mixSeconds: number,
  mode: MeasureMode,
): Promise<{
  figures: QueryFigures[];
  counts: Record<string, number>;
  mix: Awaited<ReturnType<typeof runMix>> | null;
  /** null when this run wrote no checkpoint (a kept database that had them all) */
  checkpointMs: number | null;
  loadMs: number | null;
}> {
  const { database, state } = capturingDatabase(temp);
  const services = loadServices(database);
  const fullReplay = new PnlService(
    services.ctx,
    services.portfolios,
    services.positions,
    services.instruments,
    loadPrices(new OfflineMarketData({ clock: () => NOW })),
    { checkpoints: false },
  );
  const runner = await runnerFor(temp);
  const figures: QueryFigures[] = [];
  try {
    let owners: LoadedPortfolio[];
    let loadMs: number | null = null;
    let checkpointMs: number | null = null;
    if (mode.reuse) {
      owners = await loadedOwners(database);
      if (owners.length !== size.users * size.portfolios)
        throw new Error(
          `--reuse: the database holds ${owners.length} load portfolios, the size named has ` +
            `${size.users * size.portfolios} (give the --full/--scale it was loaded with)`,
        );
    } else {
      const t0 = Date.now();
      const load = timed(bulkIngest(temp, log));
      owners = await generate(temp, database, services, size, load.ingest);
      loadMs = load.ms();
      const fills = size.users * size.portfolios * size.tradesPerDay * size.days;
      log(
        `${temp.provider}: generated in ${((Date.now() - t0) / 1000).toFixed(1)} s, the fills ` +
          `bulk-loaded in ${(loadMs / 1000).toFixed(1)} s (${Math.round(fills / (loadMs / 1000))}/s)`,
      );
    }
    // the checkpoint job's first run over the whole history (later runs add one day each); on a
    // kept database it finishes what a stopped run left (the job is incremental), or finds the
    // checkpoints all there
    const t1 = Date.now();
    const written = await writeCheckpoints(services, temp.provider);
    log(
      `${temp.provider}: checkpoints for ${written} portfolio-days written in ` +
        `${((Date.now() - t1) / 1000).toFixed(1)} s` +
        (temp.provider === "postgres" ? `, ${PG_CHECKPOINT_PORTFOLIOS} portfolios at a time` : ""),
    );
    if (written > 0) checkpointMs = Date.now() - t1;
    const counts: Record<string, number> = {};
    for (const t of ["trades", "orders", "positions", "cash_transactions", "audit_log"]) {
      counts[t] = await runner.rows(t);
    }
    if (mode.loadOnly) return { figures, counts, mix: null, checkpointMs, loadMs };
    const sizes = new Map<string, number>();
    const tables = new Set(await runner.tables());
    const tableRows = async (t: string) => {
      if (!tables.has(t)) return 0; // a subquery's alias
      if (!sizes.has(t)) sizes.set(t, await runner.rows(t));
      return sizes.get(t)!;
    };
    for (const q of HOT_QUERIES) {
      // the statements of one call, captured, explained
      const captured: Captured[] = [];
      state.sink = captured;
      await q.run(services, owners[0]!, fullReplay);
      state.sink = null;
      const statements = captured.filter((c) => !/^(BEGIN|COMMIT|ROLLBACK)/i.test(c.sql));
      const plan: string[] = [];
      const scans = new Set<string>();
      for (const s of statements) {
        const lines = await runner.explain(s.sql, s.params);
        plan.push(`-- ${s.sql.slice(0, 160)}`, ...lines);
        for (const t of scannedTables(temp.provider, lines)) {
          if ((await tableRows(t)) >= SCAN_LIMIT) scans.add(t);
        }
      }
      // warm-up (prepared statements, JIT), then latency through the service, rotating through
      // the portfolios, each call followed by the raw replay of its statements
      for (let i = 0; i < Math.min(10, owners.length * 2); i++) {
        await q.run(services, owners[i % owners.length]!, fullReplay);
        await runner.replay(statements);
      }
      const times: number[] = [];
      const rawTimes: number[] = [];
      for (let i = 0; i < iterations; i++) {
        const owner = owners[i % owners.length]!;
        const a = process.hrtime.bigint();
        await q.run(services, owner, fullReplay);
        times.push(Number(process.hrtime.bigint() - a) / 1e6);
        const b = process.hrtime.bigint();
        await runner.replay(statements);
        rawTimes.push(Number(process.hrtime.bigint() - b) / 1e6);
      }
      times.sort((x, y) => x - y);
      rawTimes.sort((x, y) => x - y);
      figures.push({
        provider: temp.provider,
        query: q.name,
        statements: statements.length,
        p50: percentile(times, 50),
        p99: percentile(times, 99),
        rawP99: percentile(rawTimes, 99),
        scans: [...scans],
        plan,
      });
    }
    // the mix through the bot: the production app on the same database
    const app = await createMixApp(temp.url);
    try {
      const mix = await runMix(app, mixOwners(owners, MIX_USERS), mixSeconds);
      return { figures, counts, mix, checkpointMs, loadMs };
    } finally {
      await app.stop();
    }
  } finally {
    await runner.close();
    await database.close();
  }
}

/** the seed's group: the mix is 20 users at once at every size (×10 spreads them over its 200) */
export const MIX_USERS = 20;

/** The portfolios of `users` of the load's users, evenly spread over them (all when fewer). */
export function mixOwners(owners: LoadedPortfolio[], users: number): LoadedPortfolio[] {
  const ids = [...new Set(owners.map((o) => o.telegramId))];
  const step = Math.max(1, ids.length / users);
  const picked = new Set(
    Array.from({ length: Math.min(users, ids.length) }, (_, k) => ids[Math.floor(k * step)]!),
  );
  return owners.filter((o) => picked.has(o.telegramId));
}

/** `--only sqlite|postgres`: one database (a --full run takes minutes per database). */
export function onlyProvider(argv: string[]): Provider | null {
  const at = argv.indexOf("--only");
  if (at < 0) return null;
  const name = argv[at + 1];
  if (name !== "sqlite" && name !== "postgres")
    throw new RangeError("--only takes sqlite or postgres");
  return name;
}

async function run(opts: BenchOptions): Promise<BenchResult> {
  const { size, label, scale } = sizeFrom(process.argv, opts.quick);
  const fills = size.users * size.portfolios * size.tradesPerDay * size.days;
  const iterations = label === "quick" ? 20 : 200;
  // the issue's goals: p99 ≤ 20 ms at the seed's size, ≤ 50 ms at ten times it
  const goal = scale >= 10 ? GOAL_P99_MS_10X : GOAL_P99_MS;
  const at = process.argv.indexOf("--mix-seconds");
  const mixSeconds =
    at >= 0 ? Number(process.argv[at + 1]) : label === "full" ? 60 : label === "quick" ? 3 : 10;
  const reuseAt = process.argv.indexOf("--reuse");
  const reused = reuseAt >= 0 ? existingDatabase(process.argv[reuseAt + 1] ?? "") : null;
  const loadOnly = process.argv.includes("--load-only");
  const keep = loadOnly || process.argv.includes("--keep");
  const only = reused?.provider ?? onlyProvider(process.argv);
  const providers: Provider[] = only === "postgres" ? [] : ["sqlite"];
  if (only !== "sqlite") {
    if (await postgresAvailable()) providers.push("postgres");
    else if (only === "postgres") throw new Error("--only postgres: PostgreSQL is not reachable");
    else opts.log("PostgreSQL is not reachable: SQLite only");
  }
  opts.log(
    `${label} size${scale > 1 ? ` ×${scale}` : ""}: ${size.users} users × ${size.portfolios} portfolios × ${size.tradesPerDay} ` +
      `fills/day × ${size.days} days = ${fills} fills`,
  );
  const all: QueryFigures[] = [];
  const counts: Record<string, Record<string, number>> = {};
  const mixes: Array<{ provider: Provider } & Awaited<ReturnType<typeof runMix>>> = [];
  const checkpointMs: Record<string, number | null> = {};
  const compareLoad = process.argv.includes("--compare-load");
  const loading: Array<{ provider: Provider; bulkPerSecond: number; perFillPerSecond?: number }> =
    [];
  for (const provider of providers) {
    // the old path first, on a database of its own, so both rates come from the same run
    const perFill = compareLoad ? await perFillRate(provider, size, fills, opts.log) : undefined;
    if (perFill !== undefined)
      opts.log(`${provider}: per-fill path ${Math.round(perFill)} fills/s`);
    const temp = reused ?? (await createTempDatabase(provider, "b5"));
    try {
      const result = await measure(temp, size, iterations, opts.log, mixSeconds, {
        reuse: reused !== null,
        loadOnly,
      });
      if (result.loadMs !== null)
        loading.push({
          provider,
          bulkPerSecond: fills / (result.loadMs / 1000),
          ...(perFill === undefined ? {} : { perFillPerSecond: perFill }),
        });
      all.push(...result.figures);
      counts[provider] = result.counts;
      if (result.mix) mixes.push({ provider, ...result.mix });
      checkpointMs[provider] = result.checkpointMs;
      for (const m of result.mix?.figures ?? []) {
        opts.log(
          `${provider} mix ${m.command}: ${m.calls} calls, p50 ${round(m.p50)} ms, ` +
            `p99 ${round(m.p99)} ms, ${m.errors} errors`,
        );
      }
      // each database's figures as soon as they are known: a long run shows its first half early
      for (const f of result.figures) {
        opts.log(
          `${provider} ${f.query}: p50 ${round(f.p50)} ms, p99 ${round(f.p99)} ms ` +
            `(raw ${round(f.rawP99)} ms), scans: ${f.scans.join(", ") || "none"}`,
        );
      }
    } finally {
      // --keep: measured again later with --reuse, without loading it again (×10 takes hours)
      if (keep && !reused) opts.log(`${provider}: kept, measure it with --reuse ${temp.url}`);
      else await temp.drop();
    }
  }
  const scans = all.filter((f) => f.scans.length > 0);
  // the baseline is there to be compared with, not to meet the goal
  const slow = all.filter((f) => f.p99 > goal && f.query !== PNL_FULL_REPLAY);
  const mixErrors = mixes.flatMap((m) => m.figures.filter((f) => f.errors > 0));
  // the latency goal is stated for the seed's size; smaller runs only check the plans
  const passed =
    scans.length === 0 && mixErrors.length === 0 && (label !== "full" || slow.length === 0);
  const ratios = providers.flatMap((p) => {
    const fast = all.find((f) => f.provider === p && f.query === "/pnl month");
    const full = all.find((f) => f.provider === p && f.query === PNL_FULL_REPLAY);
    const written = checkpointMs[p];
    const checkpoints =
      written === null || written === undefined
        ? "checkpoints written by the run that loaded it"
        : `checkpoints of the whole history written in ${round(written / 1000, 1)} s`;
    if (!fast || !full) return [`${p}: ${checkpoints}`]; // --load-only
    return [
      `${p}: p50 ${round(fast.p50)} vs ${round(full.p50)} ms, p99 ${round(fast.p99)} vs ` +
        `${round(full.p99)} ms (full replay ÷ checkpoints: p50 ${round(full.p50 / Math.max(fast.p50, 0.001), 1)}×, ` +
        `p99 ${round(full.p99 / Math.max(fast.p99, 0.001), 1)}×); ${checkpoints}`,
    ];
  });
  const summary = [
    `${fills} fills (${label} size${scale > 1 ? ` ×${scale}` : ""}) per database; ${iterations} calls per hot query.`,
    `Loading (bulk path): ` +
      (loading.length ? "" : "by an earlier run (--reuse)") +
      loading
        .map(
          (l) =>
            `${l.provider} ${Math.round(l.bulkPerSecond)} fills/s` +
            (l.perFillPerSecond === undefined
              ? ""
              : ` (per-fill path ${Math.round(l.perFillPerSecond)} fills/s, ` +
                `${round(l.bulkPerSecond / l.perFillPerSecond, 1)}× faster)`),
        )
        .join("; "),
    `/pnl month with checkpoints vs the full replay — ${ratios.join("; ")}`,
    ...mixes.map(
      (m) =>
        `Command mix on ${m.provider}, ${m.users} users at once for ${mixSeconds} s: ` +
        m.figures
          .map(
            (f) =>
              `${f.command} ${f.calls} calls p50 ${round(f.p50)} ms p99 ${round(f.p99)} ms` +
              (f.errors ? ` ${f.errors} ERRORS` : ""),
          )
          .join("; ") +
        (m.firstErrors.length ? `\n  first errors: ${m.firstErrors.join(" | ")}` : ""),
    ),
    `Rows: ${providers.map((p) => `${p} ${JSON.stringify(counts[p])}`).join("; ")}`,
    scans.length
      ? `TABLE SCANS: ${scans.map((s) => `${s.provider} ${s.query}: ${s.scans.join(", ")}`).join("; ")}`
      : `Every hot statement is served by an index on ${providers.join(" and ")}.`,
    slow.length
      ? `p99 over ${goal} ms: ${slow.map((s) => `${s.provider} ${s.query} ${round(s.p99)} ms`).join("; ")}` +
        (label === "full" ? "" : " (goal applies at --full)")
      : loadOnly
        ? "No query measured."
        : `Every hot query p99 ≤ ${goal} ms.`,
    ...(loadOnly ? ["--load-only: loaded and kept, nothing measured (measure with --reuse)."] : []),
    "Plans:",
    ...all.map((f) => `[${f.provider}] ${f.query}\n    ${f.plan.join("\n    ")}`),
  ].join("\n");
  return {
    id: "B5",
    title: "Load test: the seed's group on SQLite and PostgreSQL, hot queries and their plans",
    passed,
    summary,
    table: {
      columns: [
        "database",
        "hot query",
        "stmts",
        "p50 ms",
        "p99 ms",
        "raw p99 ms",
        "p99 ÷ raw",
        "scans",
      ],
      rows: all.map((f) => [
        f.provider,
        f.query,
        f.statements,
        round(f.p50),
        round(f.p99),
        round(f.rawP99),
        round(f.p99 / Math.max(f.rawP99, 0.001), 1),
        f.scans.join(", ") || "none",
      ]),
    },
    size,
    fills,
    figures: all.map(({ plan: _plan, ...f }) => f),
    mix: mixes,
    loading,
  };
}

const bench = {
  id: "B5",
  title: "Load test: the seed's group on SQLite and PostgreSQL, hot queries and their plans",
  run,
};
export default bench;

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const result = await run({
    quick: process.argv.includes("--quick"),
    log: (l) => process.stderr.write(`  ${l}\n`),
  });
  console.log(result.summary);
  process.exit(result.passed ? 0 : 1);
}
