// A portfolio's trades or orders of a period as a CSV table (for /export): one header row, then
// one record per trade (by execution time) or order (by placement time). Decimals are the exact
// stored digits (decimal.js plain notation, never a float), times ISO 8601 in UTC plus the same
// instant in the reader's time zone with its offset. Rows are read in pages of EXPORT_PAGE by
// cursor, at most EXPORT_MAX_ROWS in all: the result says how many there were.
//
// The header names are fixed identifiers, not translated: a file is read by spreadsheets and
// scripts, which need the same columns whatever the language of the person who exported it.
import { DateTime } from "luxon";
import type { Db } from "../../db/client.ts";
import { type CsvCell, type CsvColumn, csvHeader, csvRecord } from "../../lib/csv.ts";
import { type DecimalLike, fromDb } from "../../lib/decimal.ts";
import { type Period, periodRange } from "../../lib/time.ts";
import type { DomainContext } from "../context.ts";
import type { PortfolioService, PortfolioView } from "../portfolios/portfolio-service.ts";
import { type Actor, assertApproved } from "../users/actor.ts";

export type ExportKind = "trades" | "orders";
export const EXPORT_KINDS: readonly ExportKind[] = ["trades", "orders"];

/** Rows read per query. */
export const EXPORT_PAGE = 1_000;
/** The most rows one export holds (about 20 MB of CSV, well under Telegram's 50 MB). */
export const EXPORT_MAX_ROWS = 100_000;

export const TRADE_COLUMNS: readonly CsvColumn[] = [
  { name: "time_utc" },
  { name: "time_local" },
  { name: "trade_id", numeric: true },
  { name: "symbol" },
  { name: "side" },
  { name: "quantity", numeric: true },
  { name: "price", numeric: true },
  { name: "fee", numeric: true },
  { name: "fee_currency" },
  { name: "order_id", numeric: true },
  { name: "strategy" },
];

export const ORDER_COLUMNS: readonly CsvColumn[] = [
  { name: "order_id", numeric: true },
  { name: "placed_utc" },
  { name: "placed_local" },
  { name: "symbol" },
  { name: "side" },
  { name: "type" },
  { name: "tif" },
  { name: "quantity", numeric: true },
  { name: "price", numeric: true },
  { name: "stop_price", numeric: true },
  { name: "status" },
  { name: "filled", numeric: true },
  { name: "avg_price", numeric: true },
  { name: "strategy" },
];

export interface CsvExport {
  portfolio: PortfolioView;
  kind: ExportKind;
  period: Period;
  from: Date;
  to: Date;
  timeZone: string;
  /** the CSV text, UTF-8 */
  csv: Buffer;
  /** rows written */
  rows: number;
  /** rows in the period (more than `rows` when the cap cut the file) */
  total: number;
}

const exact = (v: DecimalLike | null): CsvCell => (v === null ? null : fromDb(v).toFixed());
const strategyName = (s: { name: string; version: number } | null): CsvCell =>
  s ? (s.version > 1 ? `${s.name} v${s.version}` : s.name) : null;

export class ExportService {
  constructor(
    private readonly ctx: DomainContext,
    private readonly portfolios: PortfolioService,
  ) {}

  async export(
    actor: Actor,
    portfolioId: number,
    kind: ExportKind,
    period: Period,
    options: { timeZone?: string; maxRows?: number } = {},
  ): Promise<CsvExport> {
    assertApproved(actor);
    // archived portfolios too: their history stays readable and exportable
    const portfolio = await this.portfolios.getPortfolio(actor, portfolioId);
    const zone = options.timeZone ?? actor.timeZone;
    const { from, to } = periodRange(period, this.ctx.clock.now(), zone);
    const cap = Math.min(options.maxRows ?? EXPORT_MAX_ROWS, EXPORT_MAX_ROWS);
    const local = (at: Date) => DateTime.fromJSDate(at, { zone }).toISO() ?? at.toISOString();
    const { columns, total, pages } =
      kind === "trades"
        ? await tradePages(this.ctx.db, portfolio.id, from, to, local)
        : await orderPages(this.ctx.db, portfolio.id, from, to, local);
    const chunks: Buffer[] = [Buffer.from(csvHeader(columns), "utf8")];
    let rows = 0;
    for await (const page of pages(cap)) {
      chunks.push(Buffer.from(page.map((cells) => csvRecord(columns, cells)).join(""), "utf8"));
      rows += page.length;
    }
    return {
      portfolio,
      kind,
      period,
      from,
      to,
      timeZone: zone,
      csv: Buffer.concat(chunks),
      rows,
      total,
    };
  }
}

type Pages = (cap: number) => AsyncGenerator<CsvCell[][]>;

async function tradePages(
  db: Db,
  portfolioId: number,
  from: Date,
  to: Date,
  local: (at: Date) => string,
): Promise<{ columns: readonly CsvColumn[]; total: number; pages: Pages }> {
  const where = { portfolioId, execTime: { gte: from, lt: to } };
  const total = await db.trade.count({ where });
  const page = (cursor: number | null, take: number) =>
    db.trade.findMany({
      where,
      orderBy: [{ execTime: "asc" }, { id: "asc" }],
      take,
      ...(cursor === null ? {} : { cursor: { id: cursor }, skip: 1 }),
      include: {
        instrument: { select: { symbol: true, currency: true } },
        strategy: { select: { name: true, version: true } },
      },
    });
  async function* pages(cap: number) {
    let cursor: number | null = null;
    let left = cap;
    while (left > 0) {
      const rows = await page(cursor, Math.min(EXPORT_PAGE, left));
      if (!rows.length) return;
      left -= rows.length;
      cursor = rows[rows.length - 1]!.id;
      yield rows.map((t): CsvCell[] => [
        t.execTime.toISOString(),
        local(t.execTime),
        String(t.id),
        t.instrument.symbol,
        t.side,
        exact(t.quantity),
        exact(t.price),
        exact(t.fee),
        t.feeCurrency ?? t.instrument.currency,
        t.orderId === null ? null : String(t.orderId),
        strategyName(t.strategy),
      ]);
      if (rows.length < EXPORT_PAGE) return;
    }
  }
  return { columns: TRADE_COLUMNS, total, pages };
}

async function orderPages(
  db: Db,
  portfolioId: number,
  from: Date,
  to: Date,
  local: (at: Date) => string,
): Promise<{ columns: readonly CsvColumn[]; total: number; pages: Pages }> {
  const where = { portfolioId, placedAt: { gte: from, lt: to } };
  const total = await db.order.count({ where });
  const page = (cursor: number | null, take: number) =>
    db.order.findMany({
      where,
      orderBy: [{ placedAt: "asc" }, { id: "asc" }],
      take,
      ...(cursor === null ? {} : { cursor: { id: cursor }, skip: 1 }),
      include: {
        instrument: { select: { symbol: true } },
        strategy: { select: { name: true, version: true } },
      },
    });
  async function* pages(cap: number) {
    let cursor: number | null = null;
    let left = cap;
    while (left > 0) {
      const rows = await page(cursor, Math.min(EXPORT_PAGE, left));
      if (!rows.length) return;
      left -= rows.length;
      cursor = rows[rows.length - 1]!.id;
      yield rows.map((o): CsvCell[] => [
        String(o.id),
        o.placedAt.toISOString(),
        local(o.placedAt),
        o.instrument.symbol,
        o.side,
        o.type,
        o.timeInForce,
        exact(o.quantity),
        exact(o.price),
        exact(o.stopPrice),
        o.status,
        exact(o.filledQuantity),
        exact(o.avgFillPrice),
        strategyName(o.strategy),
      ]);
      if (rows.length < EXPORT_PAGE) return;
    }
  }
  return { columns: ORDER_COLUMNS, total, pages };
}
