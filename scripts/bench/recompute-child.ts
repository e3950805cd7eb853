// B4's measurement process: recomputes one portfolio's positions one way and prints a JSON line
// with the time, the RSS before and the peak during, and a fingerprint of the positions. Run by
// b4-recompute.ts in a fresh process per measurement, so the peak RSS is the recompute's own; it
// imports only what a recompute needs, so the baseline is what the app would carry anyway.
//   node --import tsx scripts/bench/recompute-child.ts <variant> <database url> <portfolio id>
import { createHash } from "node:crypto";
import Sqlite from "better-sqlite3";
import pg from "pg";
import { type Database, type Provider, openDatabase } from "../../src/db/client.ts";
import type { DomainContext } from "../../src/domain/context.ts";
import { PortfolioService } from "../../src/domain/portfolios/portfolio-service.ts";
import { FLAT, type PositionState, applyFill } from "../../src/domain/positions/position-math.ts";
import { PositionService } from "../../src/domain/positions/position-service.ts";
import { systemClock } from "../../src/lib/clock.ts";
import { Decimal, toDb } from "../../src/lib/decimal.ts";
import {
  FIXED_FLAT,
  type FixedState,
  applyFixedFill,
  formatFixed,
  parseFixed,
} from "./fixed-point-fold.ts";

export const RECOMPUTE_VARIANTS = [
  "service",
  "findmany-decimal",
  "read-only",
  "prisma-text-read",
  "prisma-text",
  "prisma-text-fixed",
  "driver-read",
  "driver",
  "driver-fixed",
  "fold-only",
  "fold-fixed",
] as const;
export type RecomputeVariant = (typeof RECOMPUTE_VARIANTS)[number];

/** Rows per round trip, as PositionService.recompute reads them. */
const BATCH = 20_000;

interface RawTrade {
  id: number | bigint;
  instrumentId: number | bigint;
  strategyId: number | bigint | null;
  side: string;
  quantity: string;
  price: string;
  fee: string;
}

/** A trade as better-sqlite3's raw mode returns it: the selected columns in order. */
type TradeTuple = [
  id: number,
  instrumentId: number,
  strategyId: number | null,
  side: string,
  quantity: string,
  price: string,
  fee: string,
];

const tuple = (t: RawTrade): TradeTuple => [
  Number(t.id),
  Number(t.instrumentId),
  t.strategyId === null ? null : Number(t.strategyId),
  t.side,
  t.quantity,
  t.price,
  t.fee,
];

/** Canonical lines "instrument:strategy qty avg realized fees" for comparing results. */
type Lines = string[];

const keyOf = (t: { instrumentId: number | bigint; strategyId: number | bigint | null }) =>
  `${t.instrumentId}:${t.strategyId ?? 0}`;

function decimalFolder() {
  const states = new Map<string, PositionState>();
  return {
    fold([, instrumentId, strategyId, side, quantity, price, fee]: TradeTuple) {
      const key = `${instrumentId}:${strategyId ?? 0}`;
      const next = applyFill(states.get(key) ?? FLAT, {
        side: side as "BUY" | "SELL",
        quantity: new Decimal(quantity),
        price: new Decimal(price),
        fee: new Decimal(fee),
      }).next;
      states.set(key, next);
    },
    lines: (): Lines =>
      [...states].map(([k, s]) =>
        [k, toDb(s.quantity), toDb(s.avgPrice), toDb(s.realizedPnl), toDb(s.fees)].join(" "),
      ),
  };
}

function fixedFolder() {
  const states = new Map<string, FixedState>();
  return {
    fold([, instrumentId, strategyId, side, quantity, price, fee]: TradeTuple) {
      const key = `${instrumentId}:${strategyId ?? 0}`;
      const state = states.get(key) ?? FIXED_FLAT;
      states.set(
        key,
        applyFixedFill(
          state,
          side as "BUY" | "SELL",
          parseFixed(quantity),
          parseFixed(price),
          parseFixed(fee),
        ),
      );
    },
    lines: (): Lines =>
      [...states].map(([k, s]) =>
        [k, s.quantity, s.avgPrice, s.realizedPnl, s.fees]
          .map((v) => (typeof v === "bigint" ? formatFixed(v) : v))
          .join(" "),
      ),
  };
}

type Folder = ReturnType<typeof decimalFolder>;

/** The proposed read: keyset batches through the Prisma raw API, decimals selected as text. */
async function readViaPrismaText(
  database: Database,
  portfolioId: number,
  each: (t: TradeTuple) => void,
): Promise<number> {
  const pgSide = database.provider === "postgres";
  const text = (c: string) => (pgSide ? `${c}::text AS ${c}` : c);
  const sql =
    `SELECT id, "instrumentId", "strategyId", side, ${text("quantity")}, ${text("price")}, ` +
    `${text("fee")} FROM trades WHERE "portfolioId" = ${pgSide ? "$1" : "?"} ` +
    `AND id > ${pgSide ? "$2" : "?"} ORDER BY id LIMIT ${BATCH}`;
  let count = 0;
  for (let cursor = 0; ;) {
    const rows = await database.prisma.$queryRawUnsafe<RawTrade[]>(sql, portfolioId, cursor);
    for (const t of rows) each(tuple(t));
    count += rows.length;
    if (rows.length < BATCH) return count;
    cursor = Number(rows[rows.length - 1]!.id);
  }
}

/**
 * The reads PositionService.recompute made before it moved to raw text batches (findMany
 * batches; NUMERIC arrives as Prisma Decimal on PostgreSQL), optionally folded: with the
 * decimal.js fold, the old service path, kept as the before figure.
 */
async function readViaFindMany(
  database: Database,
  portfolioId: number,
  each?: (t: TradeTuple) => void,
): Promise<number> {
  let count = 0;
  for (let cursor = 0; ;) {
    const batch = await database.prisma.trade.findMany({
      where: { portfolioId, id: { gt: cursor } },
      select: {
        id: true,
        instrumentId: true,
        strategyId: true,
        side: true,
        quantity: true,
        price: true,
        fee: true,
      },
      orderBy: { id: "asc" },
      take: BATCH,
    });
    if (each) {
      for (const t of batch) {
        each([
          t.id,
          t.instrumentId,
          t.strategyId,
          t.side,
          String(t.quantity),
          String(t.price),
          String(t.fee),
        ]);
      }
    }
    count += batch.length;
    if (batch.length < BATCH) return count;
    cursor = batch[batch.length - 1]!.id;
  }
}

const TEXT_COLUMNS = {
  sqlite: "quantity, price, fee",
  postgres: "quantity::text AS quantity, price::text AS price, fee::text AS fee",
};

/**
 * The floor for reading: the driver itself. SQLite: one streaming statement in raw mode (arrays,
 * no row objects); PostgreSQL: keyset batches of rows as arrays.
 */
async function readViaDriver(
  provider: Provider,
  url: string,
  portfolioId: number,
  each: (t: TradeTuple) => void,
): Promise<number> {
  const columns = `id, "instrumentId", "strategyId", side, ${TEXT_COLUMNS[provider]}`;
  let count = 0;
  if (provider === "sqlite") {
    const db = new Sqlite(url.replace(/^file:/, ""), { readonly: true });
    try {
      const stmt = db
        .prepare(`SELECT ${columns} FROM trades WHERE "portfolioId" = ? ORDER BY id`)
        .raw(true);
      for (const t of stmt.iterate(portfolioId) as Iterable<TradeTuple>) {
        each(t);
        count++;
      }
    } finally {
      db.close();
    }
    return count;
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (let cursor = 0; ;) {
      const { rows } = await client.query<TradeTuple>({
        name: "b4_batch",
        text: `SELECT ${columns} FROM trades WHERE "portfolioId" = $1 AND id > $2 ORDER BY id LIMIT ${BATCH}`,
        values: [portfolioId, cursor],
        rowMode: "array",
      });
      for (const t of rows) each(t);
      count += rows.length;
      if (rows.length < BATCH) return count;
      cursor = rows[rows.length - 1]![0];
    }
  } finally {
    await client.end();
  }
}

async function loadAll(
  provider: Provider,
  url: string,
  portfolioId: number,
): Promise<TradeTuple[]> {
  const all: TradeTuple[] = [];
  await readViaDriver(provider, url, portfolioId, (t) => all.push(t));
  return all;
}

export interface RecomputeMeasurement {
  variant: RecomputeVariant;
  provider: Provider;
  seconds: number;
  /** RSS just before the measured work */
  baselineMb: number;
  /** the higher of the sampled peak and the kernel's high-water mark for the process */
  peakMb: number;
  sampledPeakMb: number;
  maxRssMb: number;
  /** positions recomputed, or rows read for the read-only variants */
  count: number;
  /** sha-256 prefix of the recomputed positions; null for read-only variants */
  fingerprint: string | null;
}

const MB = 1024 * 1024;
const round1 = (v: number) => Math.round(v * 10) / 10;

export async function measureRecompute(
  variant: RecomputeVariant,
  url: string,
  portfolioId: number,
): Promise<RecomputeMeasurement> {
  const database = openDatabase(url);
  const provider = database.provider;
  try {
    // connect and warm the client first: the measurement is the recompute alone
    await database.prisma.trade.findFirst({ where: { portfolioId }, select: { id: true } });
    const preloaded = variant.startsWith("fold-") ? await loadAll(provider, url, portfolioId) : [];
    const ctx: DomainContext = { db: database.prisma, provider, clock: systemClock };
    const positions = new PositionService(ctx, new PortfolioService(ctx));

    let peak = 0;
    const sample = () => (peak = Math.max(peak, process.memoryUsage.rss()));
    const baseline = process.memoryUsage.rss();
    const timer = setInterval(sample, 5);
    const start = process.hrtime.bigint();
    let count: number;
    let lines: Lines | null = null;
    const folded = (folder: Folder | ReturnType<typeof fixedFolder>) => {
      lines = folder.lines();
      return lines.length;
    };
    switch (variant) {
      case "service": {
        const states = await positions.recompute(database.prisma, portfolioId);
        lines = [...states.values()].map((s) =>
          [keyOf(s), toDb(s.quantity), toDb(s.avgPrice), toDb(s.realizedPnl), toDb(s.fees)].join(
            " ",
          ),
        );
        count = lines.length;
        break;
      }
      case "findmany-decimal": {
        const folder = decimalFolder();
        await readViaFindMany(database, portfolioId, folder.fold);
        count = folded(folder);
        break;
      }
      case "read-only":
        count = await readViaFindMany(database, portfolioId);
        break;
      case "prisma-text-read":
        count = await readViaPrismaText(database, portfolioId, () => {});
        break;
      case "prisma-text": {
        const folder = decimalFolder();
        await readViaPrismaText(database, portfolioId, folder.fold);
        count = folded(folder);
        break;
      }
      case "prisma-text-fixed": {
        const folder = fixedFolder();
        await readViaPrismaText(database, portfolioId, folder.fold);
        count = folded(folder);
        break;
      }
      case "driver-read":
        count = await readViaDriver(provider, url, portfolioId, () => {});
        break;
      case "driver": {
        const folder = decimalFolder();
        await readViaDriver(provider, url, portfolioId, folder.fold);
        count = folded(folder);
        break;
      }
      case "driver-fixed": {
        const folder = fixedFolder();
        await readViaDriver(provider, url, portfolioId, folder.fold);
        count = folded(folder);
        break;
      }
      case "fold-only": {
        const folder = decimalFolder();
        for (const t of preloaded) folder.fold(t);
        count = folded(folder);
        break;
      }
      case "fold-fixed": {
        const folder = fixedFolder();
        for (const t of preloaded) folder.fold(t);
        count = folded(folder);
        break;
      }
    }
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    clearInterval(timer);
    sample();
    // synchronous loops starve the sampling timer: the kernel's high-water mark covers them
    const maxRss = process.resourceUsage().maxRSS * 1024;
    const fingerprint =
      lines === null
        ? null
        : createHash("sha256")
            .update((lines as Lines).sort().join("\n"))
            .digest("hex")
            .slice(0, 16);
    return {
      variant,
      provider,
      seconds,
      baselineMb: round1(baseline / MB),
      peakMb: round1(Math.max(peak, maxRss) / MB),
      sampledPeakMb: round1(peak / MB),
      maxRssMb: round1(maxRss / MB),
      count,
      fingerprint,
    };
  } finally {
    await database.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [variant, url, portfolioId] = process.argv.slice(2);
  if (!RECOMPUTE_VARIANTS.includes(variant as RecomputeVariant) || !url || !portfolioId) {
    console.error(
      `usage: recompute-child.ts <${RECOMPUTE_VARIANTS.join("|")}> <url> <portfolio id>`,
    );
    process.exit(2);
  }
  const result = await measureRecompute(variant as RecomputeVariant, url, Number(portfolioId));
  console.log(JSON.stringify(result));
}
