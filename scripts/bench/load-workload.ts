// The workload of B5 (./b5-load.ts): the seed's group of users, their paper portfolios and a
// long trading history, generated into a database. Users, accounts and portfolios through the
// real services; each fill a filled LIMIT order (inserted in bulk), the fills then written by the
// ingester the caller picks: the bulk path of ./bulk-fill-ingest.ts (B5's) or the per-fill path
// of ./raw-fill-ingest.ts, both writing what TradeService.ingestFill writes
// (test/scripts/bench/b5-load.test.ts compares the three on a small size, on both databases).
import Sqlite from "better-sqlite3";
import pg from "pg";
import type { Database } from "../../src/db/client.ts";
import { type Services, createServices } from "../../src/domain/services.ts";
import { type Actor, toActor } from "../../src/domain/users/actor.ts";
import { ManualClock } from "../../src/lib/clock.ts";
import { Decimal, toDb } from "../../src/lib/decimal.ts";
import { INSTRUMENT_CATALOG } from "../../src/market/catalog.ts";
import { OfflineMarketData } from "../../src/market/offline/offline-market-data.ts";
import { bulkIngester } from "./bulk-fill-ingest.ts";
import { type BenchFill, driverIngester } from "./raw-fill-ingest.ts";
import { type TempDatabase, refreshStatistics, seededRandom } from "./support.ts";

export interface LoadSize {
  users: number;
  portfolios: number;
  tradesPerDay: number;
  days: number;
}

export const FULL: LoadSize = { users: 20, portfolios: 3, tradesPerDay: 200, days: 90 };
export const DEFAULT: LoadSize = { users: 20, portfolios: 3, tradesPerDay: 10, days: 10 };
export const QUICK: LoadSize = { users: 2, portfolios: 3, tradesPerDay: 10, days: 5 };
/** open orders each portfolio keeps (NEW and PARTIALLY_FILLED) */
const OPEN_ORDERS = 6;
/** the end of the generated history: "now" for every query */
export const NOW = new Date("2026-04-01T12:00:00Z");
const DAY = 86_400_000;

/**
 * The size named on the command line: `--quick`, the default, `--full`; `--scale N` multiplies
 * the users (the 10×: 200 users) and keeps the rest.
 */
export function sizeFrom(
  argv: string[],
  quick: boolean,
): { size: LoadSize; label: string; scale: number } {
  const at = argv.indexOf("--scale");
  const scale = at >= 0 ? Number(argv[at + 1]) : 1;
  if (!Number.isInteger(scale) || scale < 1)
    throw new RangeError("--scale takes a whole number ≥ 1");
  const [size, label] = argv.includes("--full")
    ? [FULL, "full"]
    : quick
      ? [QUICK, "quick"]
      : [DEFAULT, "default"];
  return { size: { ...size, users: size.users * scale }, label, scale };
}

const SYMBOLS = INSTRUMENT_CATALOG.filter((i) => i.currency === "USDT")
  .slice(0, 4)
  .map((i) => i.symbol);

/** Where the workload goes: a bench's temporary database or a test's. */
export type Target = Pick<TempDatabase, "provider" | "url" | "file">;

/** One fill, written the way the caller chooses (the raw ingester, or the service in the test). */
/**
 * Writes the fills, handed over a day at a time in time order (the ×10 size's 10.8 M fills do not
 * fit in memory at once; each day's are made when it is pulled).
 */
export type Ingest = (days: Iterable<BenchFill[]>) => Promise<void>;

/** ANALYZE on PostgreSQL, as autovacuum would (see refreshStatistics in ./support.ts). */
const analyze = (target: Target) => refreshStatistics(target);

/**
 * VACUUM ANALYZE on PostgreSQL once the history is in, as autovacuum would on a server that runs
 * it (it is off on this machine's): every fill updated its order (NEW → FILLED), which leaves a
 * dead row and a dead (portfolioId, status) index entry per fill until a vacuum; without one,
 * every open-orders read (/orders, and /balance's reserves per portfolio) walks 18,000 dead
 * entries of the portfolio at --full, a cost production does not have.
 */
const vacuum = (target: Target) => refreshStatistics(target, { vacuum: true });

/** Fills per transaction on the per-fill path: the per-fill work is unchanged, only commits fewer. */
const LOAD_BATCH = 500;
/**
 * Fills per batch on the bulk path: its statements grow with the batch (chunked under the
 * parameter limits), its reads per batch do not. A divisor of the 50,000 the progress line uses.
 */
export const BULK_BATCH = 2_000;

/** Something that writes a batch of fills in one transaction. */
interface BatchIngester {
  ingestBatch(fills: BenchFill[]): Promise<void>;
  close(): Promise<void>;
}

/** The fills in batches through one ingester, with a progress line (and ANALYZE) every 50,000. */
function batched(
  target: Target,
  log: (line: string) => void,
  batch: number,
  open: () => Promise<BatchIngester>,
): Ingest {
  return async (days) => {
    const ingester = await open();
    const started = Date.now();
    let done = 0;
    let pending: BenchFill[] = [];
    const flush = async () => {
      await ingester.ingestBatch(pending);
      done += pending.length;
      pending = [];
      if (done % 50_000 === 0) {
        const rate = Math.round(done / ((Date.now() - started) / 1000));
        log(`${target.provider}: ${done} fills (${rate}/s)`);
        await analyze(target);
      }
    };
    try {
      for (const day of days) {
        for (const fill of day) {
          pending.push(fill);
          if (pending.length === batch) await flush();
        }
      }
      if (pending.length) await flush();
    } finally {
      await ingester.close();
    }
  };
}

/**
 * The per-fill path, the raw ingester of ./raw-fill-ingest.ts: per fill the same statements as
 * one ingestion, a transaction per LOAD_BATCH fills.
 */
export function rawIngest(target: Target, log: (line: string) => void): Ingest {
  return batched(target, log, LOAD_BATCH, () =>
    driverIngester(target.provider, target.file ?? target.url),
  );
}

/**
 * B5's loading path, ./bulk-fill-ingest.ts: the same rows, worked out per batch in memory and
 * written with multi-row statements, a transaction per `batch` fills.
 */
export function bulkIngest(
  target: Target,
  log: (line: string) => void,
  batch = BULK_BATCH,
  maxParams?: number,
): Ingest {
  return batched(target, log, batch, () =>
    bulkIngester(target.provider, target.file ?? target.url, maxParams),
  );
}

export interface LoadedPortfolio {
  actor: Actor;
  portfolioId: number;
  /** the owner's Telegram id (their private chat's id too) and the portfolio's name */
  telegramId: number;
  portfolioName: string;
}

// ───────────── generation ─────────────

/** Users, accounts and portfolios through the services; the workload's fills, not yet ingested. */
export async function createOwners(services: Services, size: LoadSize): Promise<LoadedPortfolio[]> {
  const { users, portfolios } = services;
  const admin = toActor(await users.registerFromTelegram({ telegramUserId: "1", firstName: "A" }));
  const out: LoadedPortfolio[] = [];
  for (let u = 0; u < size.users; u++) {
    const telegramId = 500_000 + u;
    const user = await users.registerFromTelegram({
      telegramUserId: String(telegramId),
      firstName: `Load ${u}`,
    });
    const actor = toActor(await users.approve(admin, user.id));
    const account = await portfolios.createAccount(actor, {
      brokerCode: "PAPER",
      name: "Paper",
      baseCurrency: "USDT",
      openingBalance: new Decimal("100000000"),
    });
    for (let p = 0; p < size.portfolios; p++) {
      const portfolio = await portfolios.createPortfolio(actor, {
        accountId: account.id,
        name: `Book ${p}`,
      });
      out.push({ actor, portfolioId: portfolio.id, telegramId, portfolioName: portfolio.name });
    }
  }
  return out;
}

/**
 * The load's portfolios in a database generated earlier (`--reuse`): what createOwners returned,
 * read back (the admin's "1" is not a load user; each user's "Book n" portfolios in id order).
 */
export async function loadedOwners(database: Database): Promise<LoadedPortfolio[]> {
  const portfolios = await database.prisma.portfolio.findMany({
    where: { name: { startsWith: "Book " }, user: { telegramUserId: { not: "1" } } },
    include: { user: true },
    orderBy: { id: "asc" },
  });
  return portfolios.map((p) => ({
    actor: toActor(p.user),
    portfolioId: p.id,
    telegramId: Number(p.user.telegramUserId),
    portfolioName: p.name,
  }));
}

interface PlannedFill {
  symbol: string;
  side: "BUY" | "SELL";
  quantity: Decimal;
  price: Decimal;
  execTime: Date;
}

/** One portfolio's history: tradesPerDay fills a day, spread over the day, ending before NOW. */
export function planFills(size: LoadSize, seed: number): PlannedFill[] {
  return [...planDays(size, seed)].flat();
}

/** planFills() a day at a time: the same fills, from the same random sequence. */
function* planDays(size: LoadSize, seed: number): Generator<PlannedFill[]> {
  const random = seededRandom(seed);
  const start =
    Date.UTC(NOW.getUTCFullYear(), NOW.getUTCMonth(), NOW.getUTCDate()) - (size.days - 1) * DAY;
  const base = [60000, 3000, 150, 600];
  for (let d = 0; d < size.days; d++) {
    // today's history stops at NOW
    const span = d === size.days - 1 ? NOW.getTime() - (start + d * DAY) : DAY;
    const fills: PlannedFill[] = [];
    for (let k = 0; k < size.tradesPerDay; k++) {
      const i = Math.floor(random() * SYMBOLS.length);
      const drift = 1 + (random() - 0.5) * 0.1;
      fills.push({
        symbol: SYMBOLS[i]!,
        // more buys than sells: positions build up, and now and then cross zero
        side: random() < 0.55 ? "BUY" : "SELL",
        quantity: new Decimal(Math.floor(1 + random() * 100)).div(1000),
        price: new Decimal(base[i]! * drift).toDecimalPlaces(2),
        execTime: new Date(start + d * DAY + Math.floor(((k + 0.5) * span) / size.tradesPerDay)),
      });
    }
    yield fills;
  }
}

/** The orders of a portfolio's fills (one LIMIT order each) plus its open orders, in bulk. */
async function insertOrders(
  temp: Target,
  portfolioId: number,
  fills: PlannedFill[],
  instrumentIds: Map<string, number>,
  open: PlannedFill[],
): Promise<number[]> {
  const rows = [...fills, ...open].map((f, k) => ({
    uid: `b5-${portfolioId}-${k}`,
    instrumentId: instrumentIds.get(f.symbol)!,
    side: f.side,
    status: k < fills.length ? "NEW" : k % 2 ? "NEW" : "PARTIALLY_FILLED",
    quantity: toDb(f.quantity),
    price: toDb(f.price),
    filled: k < fills.length || k % 2 ? "0" : toDb(f.quantity.div(2)),
    at: f.execTime,
  }));
  if (temp.provider === "sqlite") {
    const db = new Sqlite(temp.file!);
    db.pragma("cache_size = -1048576"); // as the bulk loader's (./bulk-sql.ts)
    try {
      const insert = db.prepare(
        `INSERT INTO orders (uid, "portfolioId", "instrumentId", side, type, status, "timeInForce",
           quantity, price, "filledQuantity", "clientOrderId", "placedAt", "updatedAt", meta)
         VALUES (?, ?, ?, ?, 'LIMIT', ?, 'GTC', ?, ?, ?, ?, ?, ?, '{}') RETURNING id`,
      );
      return db.transaction(() =>
        rows.map((r) => {
          const at = r.at.toISOString().replace("Z", "+00:00");
          const values = [r.uid, portfolioId, r.instrumentId, r.side, r.status, r.quantity];
          return (insert.get(...values, r.price, r.filled, r.uid, at, at) as { id: number }).id;
        }),
      )();
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: temp.url });
  await client.connect();
  try {
    const col = <K extends keyof (typeof rows)[number]>(k: K) => rows.map((r) => r[k]);
    const { rows: ids } = await client.query<{ id: number }>(
      `INSERT INTO orders (uid, "portfolioId", "instrumentId", side, type, status, "timeInForce",
         quantity, price, "filledQuantity", "clientOrderId", "placedAt", "updatedAt", meta)
       SELECT u, $2, i, s::"OrderSide", 'LIMIT', st::"OrderStatus", 'GTC', q, pr, f, u, t, t, '{}'
       FROM unnest($1::text[], $3::int[], $4::text[], $5::text[], $6::numeric[], $7::numeric[],
                   $8::numeric[], $9::timestamp[])
         WITH ORDINALITY AS x(u, i, s, st, q, pr, f, t, n)
       ORDER BY n RETURNING id`,
      [
        col("uid"),
        portfolioId,
        col("instrumentId"),
        col("side"),
        col("status"),
        col("quantity"),
        col("price"),
        col("filled"),
        rows.map((r) => r.at.toISOString().replace("T", " ").replace("Z", "")),
      ],
    );
    return ids.map((r) => r.id).sort((a, b) => a - b);
  } finally {
    await client.end();
  }
}

/** The fills of every portfolio, in time order across portfolios (as they would arrive). */
export async function generate(
  temp: Target,
  database: Database,
  services: Services,
  size: LoadSize,
  ingest: Ingest,
): Promise<LoadedPortfolio[]> {
  const owners = await createOwners(services, size);
  const instruments = await database.prisma.instrument.findMany({
    where: { symbol: { in: SYMBOLS } },
  });
  const ids = new Map(instruments.map((i) => [i.symbol, i.id]));
  const currency = new Map(instruments.map((i) => [i.symbol, i.currency]));
  // first every portfolio's orders (their ids in fill order), then the fills day by day: only
  // the ids and one day's fills are held, not the whole history (10.8 M fills at ×10)
  const orderIds: Int32Array[] = [];
  for (const [n, owner] of owners.entries()) {
    const planned = planFills(size, 1000 + n);
    const open = planFills({ ...size, days: 1, tradesPerDay: OPEN_ORDERS }, 9000 + n);
    orderIds.push(Int32Array.from(await insertOrders(temp, owner.portfolioId, planned, ids, open)));
  }
  function* days(): Generator<BenchFill[]> {
    const plans = owners.map((_, n) => planDays(size, 1000 + n));
    const next = owners.map(() => 0); // each portfolio's fills so far: its order ids' index
    for (let d = 0; d < size.days; d++) {
      const day: BenchFill[] = [];
      for (const [n, owner] of owners.entries()) {
        for (const f of plans[n]!.next().value as PlannedFill[]) {
          const k = next[n]!++;
          day.push({
            portfolioId: owner.portfolioId,
            instrumentId: ids.get(f.symbol)!,
            symbol: f.symbol,
            currency: currency.get(f.symbol)!,
            side: f.side,
            quantity: f.quantity,
            price: f.price,
            fee: f.quantity.mul(f.price).mul("0.001").toDecimalPlaces(8),
            execTime: f.execTime,
            brokerTradeId: `b5-${owner.portfolioId}-${k}`,
            orderId: orderIds[n]![k]!,
          });
        }
      }
      // a day's fills all fall within that day: day by day, this is the order across portfolios
      day.sort(
        (a, b) => a.execTime.getTime() - b.execTime.getTime() || a.portfolioId - b.portfolioId,
      );
      yield day;
    }
  }
  await ingest(days());
  await vacuum(temp);
  return owners;
}

/** The prices the load's services value with: the offline market's last price at NOW. */
export function loadPrices(market: OfflineMarketData) {
  return {
    lastPrice: async (symbol: string) => (await market.quote(symbol)).last,
    priceAt: async (symbol: string) => (await market.quote(symbol)).last,
  };
}

/** The domain services at NOW, on the offline market (what the bot builds, minus Telegram). */
export function loadServices(database: Database): Services {
  const clock = new ManualClock(NOW);
  const market = new OfflineMarketData({ clock: () => clock.now() });
  return createServices(database, {
    prices: loadPrices(market),
    market,
    clock,
    users: { adminTelegramIds: ["1"], maxUsers: 10_000, supportedLanguages: ["en"] },
  });
}
