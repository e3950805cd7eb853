// B1 — fill ingestion throughput: 20,000 fills through TradeService.ingestFill, one at a time, on
// SQLite and on PostgreSQL (fresh migrated and seeded databases), against a baseline measured in
// the same run: the same work written by hand against the drivers (./raw-fill-ingest.ts), one
// transaction per fill, on its own fresh database. Goals (issue "Foundation"): the service reaches
// at least 0.40 of the raw rate on each database, and at least 2,000 fills/s on SQLite.
//
// A third path is a prototype: the baseline's SQL run through the Prisma client's raw API inside
// interactive transactions, to show what the service could reach without leaving Prisma.
// The three paths take turns in slices of 500 fills, each on its own database, so a busy moment
// on the machine slows them alike and tables grow in step; the first and last tenth's rates are
// reported to show any slowdown as tables grow. Between slices the PostgreSQL tables are
// ANALYZEd, untimed, as autovacuum would (it is off on this machine's server, and without fresh
// statistics the cash balance lookup turns into a scan of the whole ledger: 0.8 → 5 ms per fill
// after 12,000 fills).
//
// Workload: one paper portfolio, 10,000 LIMIT orders on four instruments, each filled in two
// halves (interleaved with the next order, so orders go NEW → PARTIALLY_FILLED → FILLED), random
// sides, so positions grow, shrink and cross zero; fees in the quote currency, so every fill
// writes a trade, an order update, a position upsert, two cash ledger rows and an audit row.
// Afterwards all three databases must hold the same positions, balances and counts.
//
// Then a profiled pass (2,000 fills on a fresh database) times every Prisma operation of the
// service path with a query extension, and an empty interactive transaction, to show where the
// time goes. Run alone: npx tsx scripts/bench/b1-ingest.ts [--quick]
import { pathToFileURL } from "node:url";
import Sqlite from "better-sqlite3";
import pg from "pg";
import type { Database, Db, Provider } from "../../src/db/client.ts";
import { createServices } from "../../src/domain/services.ts";
import { SYSTEM, toActor } from "../../src/domain/users/actor.ts";
import { Decimal, toDb } from "../../src/lib/decimal.ts";
import { OfflineMarketData } from "../../src/market/offline/offline-market-data.ts";
import {
  type BenchFill,
  type RawIngester,
  driverIngester,
  prismaRawIngester,
} from "./raw-fill-ingest.ts";
import {
  type BenchOptions,
  type BenchResult,
  type TempDatabase,
  createTempDatabase,
  postgresAvailable,
  refreshStatistics,
  round,
  seededRandom,
  timed,
} from "./support.ts";

export const FILLS = 20_000;
export const PROFILE_FILLS = 2_000;
export const GOAL_RATIO = 0.4;
export const GOAL_SQLITE_FILLS_PER_SECOND = 2_000;

const INSTRUMENTS = [
  // symbol, reference price, price decimals, quantity decimals, max quantity units
  { symbol: "BTCUSDT", price: 91_250, priceScale: 2, qtyScale: 5, maxUnits: 20_000 },
  { symbol: "ETHUSDT", price: 3_050, priceScale: 2, qtyScale: 4, maxUnits: 50_000 },
  { symbol: "SOLUSDT", price: 138, priceScale: 2, qtyScale: 3, maxUnits: 100_000 },
  { symbol: "XRPUSDT", price: 2.15, priceScale: 4, qtyScale: 1, maxUnits: 100_000 },
];

interface PlannedOrder {
  symbol: string;
  side: "BUY" | "SELL";
  quantity: Decimal;
  price: Decimal;
  halves: [Decimal, Decimal];
  fillPrices: [Decimal, Decimal];
}

/** The same orders and fills for every database (seeded random numbers). */
export function planWorkload(fills: number, seed = 1): PlannedOrder[] {
  const random = seededRandom(seed);
  const orders: PlannedOrder[] = [];
  for (let k = 0; k < fills / 2; k++) {
    const spec = INSTRUMENTS[Math.floor(random() * INSTRUMENTS.length)]!;
    const units = 2 + Math.floor(random() * spec.maxUnits);
    const unit = new Decimal(10).pow(-spec.qtyScale);
    const quantity = unit.mul(units);
    const first = unit.mul(Math.floor(units / 2));
    const price = (drift: number) =>
      new Decimal(spec.price * (1 + 0.05 * (random() - 0.5) + drift)).toDecimalPlaces(
        spec.priceScale,
      );
    const limit = price(0);
    orders.push({
      symbol: spec.symbol,
      side: random() < 0.5 ? "BUY" : "SELL",
      quantity,
      price: limit,
      halves: [first, quantity.minus(first)],
      fillPrices: [limit, price(0.001)],
    });
  }
  return orders;
}

/** Fill k's first half, then the previous order's second half: orders overlap. */
function fillSequence(count: number): [order: number, half: 0 | 1][] {
  const seq: [number, 0 | 1][] = [];
  for (let k = 0; k < count; k++) {
    seq.push([k, 0]);
    if (k > 0) seq.push([k - 1, 1]);
  }
  if (count) seq.push([count - 1, 1]);
  return seq;
}

interface Prepared {
  database: Database;
  portfolioId: number;
  fills: BenchFill[];
  ingestViaService: (fill: BenchFill) => Promise<unknown>;
  /** services over a client with the per-operation timing extension (profiled pass) */
  db: Db;
}

function servicesFor(database: Database) {
  const market = new OfflineMarketData();
  return createServices(database, {
    market,
    prices: {
      lastPrice: async (symbol: string) => (await market.quote(symbol)).last,
      priceAt: async () => null,
    },
    users: { adminTelegramIds: ["1"], maxUsers: 10, supportedLanguages: ["en"] },
  });
}

/** A user, a paper portfolio and the workload's orders (bulk-inserted), and the fills to ingest. */
export async function prepare(
  temp: TempDatabase,
  orders: PlannedOrder[],
  database: Database,
): Promise<Prepared> {
  const services = servicesFor(database);
  const actor = toActor(
    await services.users.registerFromTelegram({ telegramUserId: "1", firstName: "Bench" }),
  );
  const account = await services.portfolios.createAccount(actor, {
    brokerCode: "PAPER",
    name: "Bench account",
    baseCurrency: "USDT",
    openingBalance: new Decimal("1000000000"),
  });
  const portfolio = await services.portfolios.createPortfolio(actor, {
    accountId: account.id,
    name: "Bench",
  });
  const instruments = new Map(
    (
      await database.prisma.instrument.findMany({
        where: { symbol: { in: INSTRUMENTS.map((i) => i.symbol) } },
      })
    ).map((i) => [i.symbol, i]),
  );
  const orderIds = await insertOrders(temp, portfolio.id, orders, (s) => instruments.get(s)!.id);
  const start = Date.parse("2026-01-05T00:00:00Z");
  const fills = fillSequence(orders.length).map(([k, half], i): BenchFill => {
    const o = orders[k]!;
    const instrument = instruments.get(o.symbol)!;
    const quantity = o.halves[half];
    const price = o.fillPrices[half];
    return {
      portfolioId: portfolio.id,
      instrumentId: instrument.id,
      symbol: o.symbol,
      currency: instrument.currency,
      side: o.side,
      quantity,
      price,
      fee: quantity.mul(price).mul("0.001").toDecimalPlaces(8),
      execTime: new Date(start + i * 1000),
      brokerTradeId: `b1-${i}`,
      orderId: orderIds[k]!,
    };
  });
  const ingestViaService = (fill: BenchFill) =>
    services.trades.ingestFill(SYSTEM, {
      portfolioId: fill.portfolioId,
      instrumentId: fill.instrumentId,
      side: fill.side,
      quantity: fill.quantity,
      price: fill.price,
      fee: fill.fee,
      execTime: fill.execTime,
      brokerTradeId: fill.brokerTradeId,
      orderId: fill.orderId,
    });
  return { database, portfolioId: portfolio.id, fills, ingestViaService, db: database.prisma };
}

/** Setup, not measured: the orders the fills belong to, inserted in one transaction. */
async function insertOrders(
  temp: TempDatabase,
  portfolioId: number,
  orders: PlannedOrder[],
  instrumentId: (symbol: string) => number,
): Promise<number[]> {
  const rows = orders.map((o, k) => [
    `b1-order-${k}`,
    portfolioId,
    instrumentId(o.symbol),
    o.side,
    toDb(o.quantity),
    toDb(o.price),
    `b1-coid-${k}`,
  ]);
  const now = new Date().toISOString();
  if (temp.provider === "sqlite") {
    const db = new Sqlite(temp.file!);
    try {
      const insert = db.prepare(
        `INSERT INTO orders (uid, "portfolioId", "instrumentId", side, type, status, "timeInForce",
           quantity, price, "filledQuantity", "clientOrderId", "placedAt", "updatedAt", meta)
         VALUES (?, ?, ?, ?, 'LIMIT', 'NEW', 'GTC', ?, ?, '0', ?, ?, ?, '{}') RETURNING id`,
      );
      const at = now.replace("Z", "+00:00");
      return db.transaction(() =>
        rows.map((r) => (insert.get(...r, at, at) as { id: number }).id),
      )();
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: temp.url });
  await client.connect();
  try {
    const columns = (i: number) => rows.map((r) => r[i]);
    const { rows: ids } = await client.query<{ id: number }>(
      `INSERT INTO orders (uid, "portfolioId", "instrumentId", side, type, status, "timeInForce",
         quantity, price, "filledQuantity", "clientOrderId", "placedAt", "updatedAt", meta)
       SELECT u, p, i, s::"OrderSide", 'LIMIT', 'NEW', 'GTC', q, pr, 0, c, $8, $8, '{}'
       FROM unnest($1::text[], $2::int[], $3::int[], $4::text[], $5::numeric[], $6::numeric[], $7::text[])
         WITH ORDINALITY AS t(u, p, i, s, q, pr, c, n)
       ORDER BY n RETURNING id`,
      [...[0, 1, 2, 3, 4, 5, 6].map(columns), now],
    );
    return ids.map((r) => r.id).sort((a, b) => a - b);
  } finally {
    await client.end();
  }
}

/** What both paths must agree on at the end, read raw and canonicalized. */
async function endState(temp: TempDatabase, portfolioId: number) {
  const sql = {
    positions: `SELECT "instrumentId", quantity, "avgPrice", "realizedPnl", fees FROM positions
                WHERE "portfolioId" = $1 ORDER BY "instrumentId"`,
    counts: `SELECT (SELECT count(*) FROM trades WHERE "portfolioId" = $1) AS trades,
                    (SELECT count(*) FROM orders WHERE "portfolioId" = $1 AND status = 'FILLED') AS filled,
                    (SELECT count(*) FROM cash_transactions) AS cash,
                    (SELECT count(*) FROM audit_log WHERE "entityType" = 'TRADE') AS audits`,
    balance: `SELECT "balanceAfter" AS b FROM cash_transactions ORDER BY id DESC LIMIT 1`,
  };
  let positions: Record<string, unknown>[];
  let counts: Record<string, unknown>;
  let balance: unknown;
  if (temp.provider === "sqlite") {
    const db = new Sqlite(temp.file!, { readonly: true });
    try {
      // $1 → ?, once per occurrence
      const get = (text: string, all: boolean) => {
        const stmt = db.prepare(text.replaceAll("$1", "?"));
        const args = new Array<number>(text.split("$1").length - 1).fill(portfolioId);
        return all ? stmt.all(...args) : stmt.get(...args);
      };
      positions = get(sql.positions, true) as Record<string, unknown>[];
      counts = get(sql.counts, false) as Record<string, unknown>;
      balance = (get(sql.balance, false) as { b: string }).b;
    } finally {
      db.close();
    }
  } else {
    const client = new pg.Client({ connectionString: temp.url });
    await client.connect();
    try {
      positions = (await client.query(sql.positions, [portfolioId])).rows as Record<
        string,
        unknown
      >[];
      counts = (await client.query(sql.counts, [portfolioId])).rows[0] as Record<string, unknown>;
      balance = ((await client.query(sql.balance)).rows[0] as { b: string }).b;
    } finally {
      await client.end();
    }
  }
  const canon = (v: unknown) => toDb(String(v));
  return {
    positions: positions.map((p) => [
      Number(p.instrumentId),
      canon(p.quantity),
      canon(p.avgPrice),
      canon(p.realizedPnl),
      canon(p.fees),
    ]),
    counts: Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, Number(v)])),
    balance: canon(balance),
  };
}

interface PathFigures {
  provider: Provider;
  fills: number;
  serviceSeconds: number;
  rawSeconds: number;
  /** the prototype: the raw SQL through Prisma's $queryRawUnsafe in interactive transactions */
  prismaRawSeconds: number;
  /** fills/s over the first and the last tenth of the run, per path (does it slow down?) */
  drift: Record<"service" | "raw" | "prototype", [first: number, last: number]>;
  consistent: boolean;
}

/** Fills per timed slice: the three paths take turns, so machine load hits them alike. */
const SLICE = 500;

async function timeFills(fills: BenchFill[], ingest: (fill: BenchFill) => Promise<unknown>) {
  return (
    await timed(async () => {
      for (const fill of fills) await ingest(fill);
    })
  ).seconds;
}

async function measureProvider(
  provider: Provider,
  orders: PlannedOrder[],
  opts: BenchOptions,
): Promise<PathFigures> {
  const temps: TempDatabase[] = [];
  const closers: (() => Promise<void>)[] = [];
  try {
    for (const label of ["b1svc", "b1raw", "b1prisma"]) {
      temps.push(await createTempDatabase(provider, label));
    }
    const [serviceDb, rawDb, prismaDb] = temps as [TempDatabase, TempDatabase, TempDatabase];

    const serviceDatabase = serviceDb.open({ poolSize: 10 });
    closers.push(() => serviceDatabase.close());
    const service = await prepare(serviceDb, orders, serviceDatabase);

    const rawSetup = rawDb.open();
    const raw = await prepare(rawDb, orders, rawSetup);
    await rawSetup.close();
    const driver: RawIngester = await driverIngester(provider, rawDb.file ?? rawDb.url);
    closers.push(() => driver.close());

    const prismaDatabase = prismaDb.open({ poolSize: 10 });
    closers.push(() => prismaDatabase.close());
    const viaPrisma = await prepare(prismaDb, orders, prismaDatabase);
    const prototype = prismaRawIngester(prismaDatabase.prisma, provider);

    const paths = [
      { name: "service" as const, fills: service.fills, ingest: service.ingestViaService },
      { name: "raw" as const, fills: raw.fills, ingest: (f: BenchFill) => driver.ingest(f) },
      {
        name: "prototype" as const,
        fills: viaPrisma.fills,
        ingest: (f: BenchFill) => prototype.ingest(f),
      },
    ];
    const n = service.fills.length;
    opts.log(
      `${provider}: ${n} fills each through TradeService.ingestFill, hand-written SQL on the ` +
        `driver and the same SQL through Prisma (prototype), ${SLICE} at a time in turn`,
    );
    const seconds = { service: 0, raw: 0, prototype: 0 };
    const slices = { service: [] as number[], raw: [] as number[], prototype: [] as number[] };
    for (let from = 0; from < n; from += SLICE) {
      for (const path of paths) {
        const part = path.fills.slice(from, from + SLICE);
        const s = await timeFills(part, path.ingest);
        seconds[path.name] += s;
        slices[path.name].push(part.length / s);
      }
      // not timed: what autovacuum does on a server that runs it (see refreshStatistics)
      for (const temp of temps) await refreshStatistics(temp);
    }
    for (const close of closers.splice(0)) await close();

    const states = await Promise.all([
      endState(serviceDb, service.portfolioId),
      endState(rawDb, raw.portfolioId),
      endState(prismaDb, viaPrisma.portfolioId),
    ]);
    const texts = states.map((x) => JSON.stringify(x));
    const consistent = texts.every((t) => t === texts[0]);
    if (!consistent) opts.log(`${provider}: end states differ:\n${texts.join("\n")}`);
    const tenth = Math.max(1, Math.floor(slices.service.length / 10));
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const drift = (xs: number[]): [number, number] => [
      Math.round(mean(xs.slice(0, tenth))),
      Math.round(mean(xs.slice(-tenth))),
    ];
    return {
      provider,
      fills: n,
      serviceSeconds: seconds.service,
      rawSeconds: seconds.raw,
      prismaRawSeconds: seconds.prototype,
      drift: {
        service: drift(slices.service),
        raw: drift(slices.raw),
        prototype: drift(slices.prototype),
      },
      consistent,
    };
  } finally {
    for (const close of closers) await close();
    for (const t of temps) await t.drop();
  }
}

export interface StepTiming {
  step: string;
  perFill: number;
  msPerFill: number;
  share: number;
}

/**
 * The service path with every Prisma operation timed (query extension), plus the cost of an empty
 * interactive transaction: where a fill's time goes.
 */
async function profileService(provider: Provider, orders: PlannedOrder[], opts: BenchOptions) {
  const temp = await createTempDatabase(provider, "b1prof");
  const base = temp.open({ poolSize: 10 });
  try {
    const totals = new Map<string, { count: number; ms: number }>();
    const extended = base.prisma.$extends({
      query: {
        async $allOperations({ model, operation, args, query }) {
          const start = performance.now();
          try {
            return await query(args);
          } finally {
            const key = `${model ?? "$raw"}.${operation}`;
            const t = totals.get(key) ?? { count: 0, ms: 0 };
            t.count++;
            t.ms += performance.now() - start;
            totals.set(key, t);
          }
        },
      },
    });
    // the extended client has the same models and methods; the services only need those
    const database: Database = { ...base, prisma: extended as unknown as Db };
    const prepared = await prepare(temp, orders, database);
    totals.clear();
    opts.log(`${provider}: profiling ${prepared.fills.length} fills`);
    let runSeconds = 0;
    for (let from = 0; from < prepared.fills.length; from += SLICE) {
      const part = prepared.fills.slice(from, from + SLICE);
      runSeconds += await timeFills(part, prepared.ingestViaService);
      await refreshStatistics(temp);
    }
    const run = { seconds: runSeconds };
    const n = prepared.fills.length;
    const txRun = await timed(async () => {
      for (let i = 0; i < n; i++) await base.prisma.$transaction(async () => {});
    });
    const totalMs = run.seconds * 1000;
    const steps: StepTiming[] = [...totals.entries()]
      .map(([step, t]) => ({
        step,
        perFill: round(t.count / n),
        msPerFill: round(t.ms / n, 3),
        share: round((t.ms / totalMs) * 100, 1),
      }))
      .sort((x, y) => y.msPerFill - x.msPerFill);
    const inQueries = [...totals.values()].reduce((s, t) => s + t.ms, 0);
    const txMs = (txRun.seconds * 1000) / n;
    return {
      provider,
      fills: n,
      msPerFill: round(totalMs / n, 3),
      steps,
      emptyTransactionMs: round(txMs, 3),
      outsideQueriesMs: round((totalMs - inQueries) / n, 3),
    };
  } finally {
    await base.close();
    await temp.drop();
  }
}

async function run(opts: BenchOptions): Promise<BenchResult> {
  const fills = opts.quick ? 400 : FILLS;
  const orders = planWorkload(fills);
  const providers: Provider[] = ["sqlite"];
  if (await postgresAvailable()) providers.push("postgres");
  else opts.log("PostgreSQL is not reachable: measuring SQLite only");

  const figures: PathFigures[] = [];
  for (const provider of providers) figures.push(await measureProvider(provider, orders, opts));
  const profileOrders = planWorkload(opts.quick ? 200 : PROFILE_FILLS, 2);
  const profiles = [];
  for (const provider of providers)
    profiles.push(await profileService(provider, profileOrders, opts));

  const rows = figures.map((f) => {
    const service = f.fills / f.serviceSeconds;
    const raw = f.fills / f.rawSeconds;
    const prismaRaw = f.fills / f.prismaRawSeconds;
    return { ...f, service, raw, prismaRaw, ratio: service / raw, prismaRawRatio: prismaRaw / raw };
  });
  const goals = rows.map((r) => {
    const ratioOk = r.ratio >= GOAL_RATIO;
    const rateOk = r.provider !== "sqlite" || r.service >= GOAL_SQLITE_FILLS_PER_SECOND;
    return { provider: r.provider, ratioOk, rateOk, consistent: r.consistent };
  });
  const passed =
    providers.length === 2 && goals.every((g) => g.ratioOk && g.rateOk && g.consistent);
  const summary = [
    ...rows.map(
      (r) =>
        `${r.provider}: service ${Math.round(r.service)} fills/s, raw SQL ${Math.round(r.raw)} fills/s: ` +
        `ratio ${r.ratio.toFixed(2)} (goal ≥ ${GOAL_RATIO}` +
        (r.provider === "sqlite" ? `, and ≥ ${GOAL_SQLITE_FILLS_PER_SECOND} fills/s` : "") +
        `); prototype (same SQL via Prisma $queryRawUnsafe in $transaction) ` +
        `${Math.round(r.prismaRaw)} fills/s = ${r.prismaRawRatio.toFixed(2)} of raw; ` +
        `end states ${r.consistent ? "identical" : "DIFFER"}`,
    ),
    ...rows.map(
      (r) =>
        `${r.provider}: fills/s in the first → last tenth of the run: service ${r.drift.service.join(" → ")}, ` +
        `raw ${r.drift.raw.join(" → ")}, prototype ${r.drift.prototype.join(" → ")}`,
    ),
    ...profiles.flatMap((p) => [
      `${p.provider} service profile (${p.fills} fills): ${p.msPerFill} ms/fill, of which outside ` +
        `the timed Prisma operations ${p.outsideQueriesMs} ms; an empty interactive transaction ` +
        `costs ${p.emptyTransactionMs} ms. Operations per fill:`,
      ...p.steps.map(
        (s) =>
          `  ${s.step.padEnd(30)} ${String(s.perFill).padStart(5)}×  ${s.msPerFill.toFixed(3)} ms/fill  ${s.share} %`,
      ),
    ]),
  ].join("\n");
  return {
    id: "B1",
    title:
      `Fill ingestion: ${fills} fills, TradeService vs hand-written SQL ` +
      `(goal ≥ ${GOAL_RATIO} of raw, ≥ ${GOAL_SQLITE_FILLS_PER_SECOND}/s on SQLite)`,
    passed,
    summary,
    table: {
      columns: [
        "database",
        "service fills/s",
        "raw fills/s",
        "service/raw",
        "proto fills/s",
        "proto/raw",
        "same end state",
      ],
      rows: rows.map((r) => [
        r.provider,
        Math.round(r.service),
        Math.round(r.raw),
        round(r.ratio, 3),
        Math.round(r.prismaRaw),
        round(r.prismaRawRatio, 3),
        r.consistent ? "yes" : "NO",
      ]),
    },
    fills,
    results: rows.map((r) => ({
      provider: r.provider,
      serviceFillsPerSecond: round(r.service, 1),
      rawFillsPerSecond: round(r.raw, 1),
      ratio: round(r.ratio, 3),
      prototypeFillsPerSecond: round(r.prismaRaw, 1),
      prototypeRatio: round(r.prismaRawRatio, 3),
      serviceSeconds: round(r.serviceSeconds, 3),
      rawSeconds: round(r.rawSeconds, 3),
      prototypeSeconds: round(r.prismaRawSeconds, 3),
      drift: r.drift,
      consistent: r.consistent,
    })),
    goals,
    profiles,
  };
}

const b1 = { id: "B1" as const, title: "Fill ingestion throughput, service vs raw SQL", run };
export default b1;

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const result = await run({
    quick: process.argv.includes("--quick"),
    log: (l) => console.error(`  ${l}`),
  });
  console.log(`${result.summary}\n${result.passed ? "PASS" : "FAIL"}`);
}
