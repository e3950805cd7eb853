// B4 — recomputing a portfolio's positions from 1,000,000 trades with PositionService.recompute
// (the audit that materialized positions equal a full recompute). Goal: under 2 s and under
// 300 MB peak RSS. The trades (five instruments, three strategy keys, random buys and sells
// around a random walk, 0.1 % fees) are bulk-inserted with raw SQL in large transactions; each
// measurement then runs in a fresh child process (./recompute-child.ts), so the peak RSS is the
// recompute's own.
//
// Measured side by side, on SQLite and (when reachable) PostgreSQL:
//   service            PositionService.recompute: raw keyset batches of 20,000 trades, each
//                      serialized by the database into one text value, folded in fixed point
//                      (src/domain/positions/position-fixed.ts), the next batch read meanwhile
//   findmany-decimal   the service before that: Prisma findMany batches folded with the
//                      decimal.js calculator (position-math.ts): the "before" figure
//   read-only          the findMany batches without the fold: what reading that way costs
//   prisma-text-read   keyset batches through $queryRawUnsafe, decimals selected as text: reading
//   prisma-text        that read, folded with the decimal.js calculator
//   prisma-text-fixed  the proposal: Prisma raw text batches + the fixed-point fold
//                      (./fixed-point-fold.ts)
//   driver-read        better-sqlite3 raw iterate() / pg keyset batches as arrays: the read floor
//   driver             that read, folded with the decimal.js calculator
//   driver-fixed       that read, folded with the fixed-point fold: the floor of the whole job
//   fold-only          the decimal.js fold alone over trades already in memory
//   fold-fixed         the fixed-point fold alone over the same trades
// (prisma-text* keep the plain "portfolioId = ? AND id > ? ORDER BY id" batches, which SQLite
// answers through the portfolio index plus a sort per batch; the service avoids that plan.)
// Every variant that folds must give the very same positions, digit for digit, as the service.
// Run alone: npx tsx scripts/bench/b4-recompute.ts [--quick]; B4_VARIANTS=a,b measures only
// those (and the service), e.g. B4_VARIANTS=findmany-decimal for before/after.
import { randomUUID } from "node:crypto";
import path from "node:path";
import { pathToFileURL } from "node:url";
import Sqlite from "better-sqlite3";
import pg from "pg";
import type { Database, Provider } from "../../src/db/client.ts";
import { createServices } from "../../src/domain/services.ts";
import { toActor } from "../../src/domain/users/actor.ts";
import { Decimal, toDb } from "../../src/lib/decimal.ts";
import { OfflineMarketData } from "../../src/market/offline/offline-market-data.ts";
import {
  RECOMPUTE_VARIANTS,
  type RecomputeMeasurement,
  type RecomputeVariant,
} from "./recompute-child.ts";
import {
  type BenchOptions,
  type BenchResult,
  type TempDatabase,
  createTempDatabase,
  postgresAvailable,
  round,
  runChild,
  seededRandom,
  timed,
} from "./support.ts";

export const TRADES = 1_000_000;
export const GOAL_SECONDS = 2;
export const GOAL_MB = 300;
const CHILD = path.join(import.meta.dirname, "recompute-child.ts");

const INSTRUMENTS = [
  { symbol: "BTCUSDT", price: 91_250, priceScale: 2, qtyScale: 5, maxUnits: 50_000 },
  { symbol: "ETHUSDT", price: 3_050, priceScale: 2, qtyScale: 4, maxUnits: 100_000 },
  { symbol: "SOLUSDT", price: 138, priceScale: 3, qtyScale: 3, maxUnits: 200_000 },
  { symbol: "XRPUSDT", price: 2.15, priceScale: 4, qtyScale: 1, maxUnits: 100_000 },
  { symbol: "DOGEUSDT", price: 0.15, priceScale: 5, qtyScale: 0, maxUnits: 50_000 },
];

// ───────────── setup: a portfolio with many trades ─────────────

interface Portfolio {
  portfolioId: number;
  instrumentIds: number[];
  strategyIds: number[];
}

async function createPortfolio(database: Database): Promise<Portfolio> {
  const market = new OfflineMarketData();
  const services = createServices(database, {
    market,
    prices: {
      lastPrice: async (s: string) => (await market.quote(s)).last,
      priceAt: async () => null,
    },
    users: { adminTelegramIds: ["1"], maxUsers: 10, supportedLanguages: ["en"] },
  });
  const actor = toActor(
    await services.users.registerFromTelegram({ telegramUserId: "1", firstName: "Bench" }),
  );
  const account = await services.portfolios.createAccount(actor, {
    brokerCode: "PAPER",
    name: "Bench account",
    baseCurrency: "USDT",
  });
  const portfolio = await services.portfolios.createPortfolio(actor, {
    accountId: account.id,
    name: "Bench",
  });
  const strategyIds = [
    (await services.strategies.save(actor, "trend", {})).id,
    (await services.strategies.save(actor, "mean-revert", {})).id,
  ];
  const rows = await database.prisma.instrument.findMany({
    where: { symbol: { in: INSTRUMENTS.map((i) => i.symbol) } },
  });
  const bySymbol = new Map(rows.map((r) => [r.symbol, r.id]));
  return {
    portfolioId: portfolio.id,
    instrumentIds: INSTRUMENTS.map((i) => bySymbol.get(i.symbol)!),
    strategyIds,
  };
}

type TradeRow = [
  uid: string,
  portfolioId: number,
  instrumentId: number,
  strategyId: number | null,
  side: string,
  quantity: string,
  price: string,
  fee: string,
  execTime: string,
  brokerTradeId: string,
];

/** Deterministic realistic trades, in batches: random walks per instrument, 0.1 % fees. */
function* tradeBatches(p: Portfolio, count: number, batch: number): Generator<TradeRow[]> {
  const random = seededRandom(4);
  const prices = INSTRUMENTS.map((i) => i.price);
  const start = Date.parse("2024-01-01T00:00:00Z");
  for (let from = 0; from < count; from += batch) {
    const rows: TradeRow[] = [];
    for (let n = from; n < Math.min(count, from + batch); n++) {
      const k = Math.floor(random() * INSTRUMENTS.length);
      const spec = INSTRUMENTS[k]!;
      prices[k] = prices[k]! * (1 + (random() - 0.5) * 0.004);
      const price = new Decimal(prices[k]!).toDecimalPlaces(spec.priceScale);
      const quantity = new Decimal(1 + Math.floor(random() * spec.maxUnits)).div(
        new Decimal(10).pow(spec.qtyScale),
      );
      const fee = quantity.mul(price).mul("0.001").toDecimalPlaces(8);
      const s = random();
      rows.push([
        randomUUID(),
        p.portfolioId,
        p.instrumentIds[k]!,
        s < 0.6 ? null : s < 0.8 ? p.strategyIds[0]! : p.strategyIds[1]!,
        random() < 0.5 ? "BUY" : "SELL",
        toDb(quantity),
        toDb(price),
        toDb(fee),
        new Date(start + n * 1000).toISOString(),
        `b4-${n}`,
      ]);
    }
    yield rows;
  }
}

async function insertTrades(temp: TempDatabase, p: Portfolio, count: number): Promise<void> {
  if (temp.provider === "sqlite") {
    const db = new Sqlite(temp.file!);
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    try {
      const insert = db.prepare(
        `INSERT INTO trades (uid, "portfolioId", "instrumentId", "strategyId", side, quantity, price,
           fee, "execTime", "brokerTradeId", "feeCurrency", meta)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'USDT', '{}')`,
      );
      const insertAll = db.transaction((rows: TradeRow[]) => {
        for (const r of rows) insert.run(...r.slice(0, 8), r[8].replace("Z", "+00:00"), r[9]);
      });
      for (const rows of tradeBatches(p, count, 100_000)) insertAll(rows);
      db.pragma("wal_checkpoint(TRUNCATE)");
    } finally {
      db.close();
    }
    return;
  }
  const client = new pg.Client({ connectionString: temp.url });
  await client.connect();
  try {
    for (const rows of tradeBatches(p, count, 50_000)) {
      const column = (i: number) => rows.map((r) => r[i]);
      await client.query(
        `INSERT INTO trades (uid, "portfolioId", "instrumentId", "strategyId", side, quantity, price,
           fee, "execTime", "brokerTradeId", "feeCurrency", meta)
         SELECT u, p, i, s, d::"OrderSide", q, pr, f, t, b, 'USDT', '{}'
         FROM unnest($1::text[], $2::int[], $3::int[], $4::int[], $5::text[], $6::numeric[],
                     $7::numeric[], $8::numeric[], $9::timestamp[], $10::text[])
           AS x(u, p, i, s, d, q, pr, f, t, b)`,
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map(column),
      );
    }
    await client.query("ANALYZE trades");
  } finally {
    await client.end();
  }
}

// ───────────── the benchmark ─────────────

/**
 * The variants to measure: all, or those named in B4_VARIANTS (comma-separated), so one can
 * iterate on one path without waiting for the other nine; "service" is always measured because
 * every other variant's result is checked against it.
 */
function selectedVariants(): RecomputeVariant[] {
  const wanted = (process.env.B4_VARIANTS ?? "").split(",").filter(Boolean);
  const unknown = wanted.filter((v) => !RECOMPUTE_VARIANTS.includes(v as RecomputeVariant));
  if (unknown.length) throw new Error(`B4_VARIANTS: unknown variant ${unknown.join(", ")}`);
  if (!wanted.length) return [...RECOMPUTE_VARIANTS];
  return RECOMPUTE_VARIANTS.filter((v) => v === "service" || wanted.includes(v));
}

async function measureProvider(provider: Provider, trades: number, opts: BenchOptions) {
  const temp = await createTempDatabase(provider, "b4");
  try {
    const database = temp.open();
    let p: Portfolio;
    try {
      p = await createPortfolio(database);
    } finally {
      await database.close();
    }
    opts.log(`${provider}: inserting ${trades.toLocaleString("en")} trades`);
    const insert = await timed(() => insertTrades(temp, p, trades));
    opts.log(`${provider}: inserted in ${insert.seconds.toFixed(1)} s`);
    const results: RecomputeMeasurement[] = [];
    for (const variant of selectedVariants()) {
      opts.log(`${provider}: ${variant}`);
      results.push(
        await runChild<RecomputeMeasurement>(CHILD, [variant, temp.url, String(p.portfolioId)]),
      );
    }
    return { provider, insertSeconds: insert.seconds, results };
  } finally {
    await temp.drop();
  }
}

async function run(opts: BenchOptions): Promise<BenchResult> {
  const trades = opts.quick ? 50_000 : TRADES;
  const providers: Provider[] = ["sqlite"];
  if (await postgresAvailable()) providers.push("postgres");
  else opts.log("PostgreSQL is not reachable: measuring SQLite only");
  const measured = [];
  for (const provider of providers) measured.push(await measureProvider(provider, trades, opts));

  const rows = measured.flatMap((m) => {
    const service = m.results.find((r) => r.variant === "service")!;
    return m.results.map((r) => ({
      ...r,
      vsService: r.seconds / service.seconds,
      vsGoal: r.seconds / GOAL_SECONDS,
      agrees: r.fingerprint === null ? null : r.fingerprint === service.fingerprint,
    }));
  });
  const find = (provider: Provider, variant: RecomputeVariant) =>
    rows.find((r) => r.provider === provider && r.variant === variant);
  const meets = (r: (typeof rows)[number] | undefined) =>
    r !== undefined && r.seconds < GOAL_SECONDS && r.peakMb < GOAL_MB;
  const passed =
    providers.every((p) => meets(find(p, "service"))) && rows.every((r) => r.agrees !== false);
  const s = (v: number) => `${v.toFixed(2)} s`;
  const summary = [
    ...measured.map(
      (m) =>
        `${m.provider}: ${trades.toLocaleString("en")} trades bulk-inserted in ${m.insertSeconds.toFixed(1)} s (setup)`,
    ),
    ...providers.flatMap((p) => {
      const service = find(p, "service")!;
      // variants left out through B4_VARIANTS print as n/a
      const sec = (v: RecomputeVariant) => {
        const r = find(p, v);
        return r ? s(r.seconds) : "n/a";
      };
      const mismatched = rows.filter((r) => r.provider === p && r.agrees === false);
      return [
        `${p}: PositionService.recompute ${s(service.seconds)} = ${service.vsGoal.toFixed(2)}× the ` +
          `${GOAL_SECONDS} s goal (${service.seconds < GOAL_SECONDS ? "met" : "missed"}); peak RSS ` +
          `${service.peakMb} MB = ${(service.peakMb / GOAL_MB).toFixed(2)}× the ${GOAL_MB} MB goal ` +
          `(${service.peakMb < GOAL_MB ? "met" : "missed"}), from ${service.baselineMb} MB before it started`,
        `${p}: where it goes: reading through findMany ${sec("read-only")} (Prisma raw text ` +
          `${sec("prisma-text-read")}, the driver ${sec("driver-read")}); folding with decimal.js ` +
          `${sec("fold-only")} (fixed-point ${sec("fold-fixed")}); old path (findMany + decimal.js) ` +
          `${sec("findmany-decimal")}; driver read + fixed-point fold ${sec("driver-fixed")}`,
        `${p}: every folding variant gives the service's positions digit for digit: ` +
          (mismatched.length ? `NO (${mismatched.map((r) => r.variant).join(", ")})` : "yes"),
      ];
    }),
    "fold-only / fold-fixed hold every trade in memory first: their peak RSS is not a recompute's.",
  ].join("\n");
  return {
    id: "B4",
    title: `Positions recompute from ${trades.toLocaleString("en")} trades (goal < ${GOAL_SECONDS} s, < ${GOAL_MB} MB)`,
    passed,
    summary,
    table: {
      columns: [
        "database",
        "variant",
        "seconds",
        "× service",
        "× goal",
        "baseline MB",
        "peak MB",
        "positions/rows",
        "same result",
      ],
      rows: rows.map((r) => [
        r.provider,
        r.variant,
        round(r.seconds, 3),
        round(r.vsService, 2),
        round(r.vsGoal, 2),
        r.baselineMb,
        r.peakMb,
        r.count,
        r.agrees === null ? "-" : r.agrees ? "yes" : "NO",
      ]),
    },
    trades,
    measurements: rows,
    insertSeconds: Object.fromEntries(measured.map((m) => [m.provider, round(m.insertSeconds, 1)])),
  };
}

const b4 = { id: "B4" as const, title: "Positions recompute from 1M trades", run };
export default b4;

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const result = await run({
    quick: process.argv.includes("--quick"),
    log: (l) => console.error(`  ${l}`),
  });
  console.log(`${result.summary}\n${result.passed ? "PASS" : "FAIL"}`);
}
