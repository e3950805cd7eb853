// A long run of closed candles (a backtest's year of minutes) read from any MarketData page by
// page: each request asks for at most MAX_CANDLE_LIMIT candles with from/to, as the contract
// allows. From a live source (an exchange: every page is a rate-limited request) the complete
// pages are kept on disk, so the same history is fetched once; the offline generator is not
// cached (it computes a page faster than a file is read).
//
// Pages sit on a fixed grid (page k covers open times [k·P, (k+1)·P) with P = MAX_CANDLE_LIMIT − 1
// intervals), so different ranges share their pages. A page is asked for up to the moment its
// last candle has closed, which is the open of the next page's first: the one request then holds
// at most MAX_CANDLE_LIMIT candles, and that extra, forming one is dropped. A page is cached only once it is entirely
// in the past; the forming candle is never returned.
import fs from "node:fs/promises";
import path from "node:path";
import { dec } from "../lib/decimal.ts";
import {
  type Candle,
  type Interval,
  type MarketData,
  MAX_CANDLE_LIMIT,
  intervalMs,
} from "./types.ts";

export interface HistoryOptions {
  /** the moment the history is read at (closed candles only end before it) */
  now: Date;
  /** folder for cached pages of live sources; no caching when absent */
  cacheDir?: string;
  /** called after each page with the share of pages done */
  onPage?: (done: number) => void;
}

type Row = [number, string, string, string, string, string];

const toRow = (c: Candle): Row => [
  c.openTime.getTime(),
  c.open.toFixed(),
  c.high.toFixed(),
  c.low.toFixed(),
  c.close.toFixed(),
  c.volume.toFixed(),
];

function fromRow(row: Row, step: number): Candle {
  return {
    openTime: new Date(row[0]),
    closeTime: new Date(row[0] + step - 1),
    open: dec(row[1]),
    high: dec(row[2]),
    low: dec(row[3]),
    close: dec(row[4]),
    volume: dec(row[5]),
  };
}

/** A file name part that cannot climb out of the cache folder. */
const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]/g, "_");

async function readPage(file: string, step: number): Promise<Candle[] | null> {
  try {
    const rows = JSON.parse(await fs.readFile(file, "utf8")) as Row[];
    return rows.map((r) => fromRow(r, step));
  } catch {
    return null; // absent or unreadable: fetch again
  }
}

async function writePage(file: string, candles: Candle[]): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await fs.writeFile(tmp, JSON.stringify(candles.map(toRow)));
  await fs.rename(tmp, file); // atomic: a reader never sees half a page
}

/** Closed candles opening in [from, to], ascending. */
export async function candleHistory(
  market: MarketData,
  symbol: string,
  interval: Interval,
  from: Date,
  to: Date,
  options: HistoryOptions,
): Promise<Candle[]> {
  const step = intervalMs(interval);
  const page = step * (MAX_CANDLE_LIMIT - 1);
  const now = options.now.getTime();
  const start = from.getTime();
  const end = Math.min(to.getTime(), now);
  const out: Candle[] = [];
  if (end < start) return out;
  const firstPage = Math.floor(start / page);
  const lastPage = Math.floor(end / page);
  const cache =
    options.cacheDir && !market.synthetic
      ? path.join(options.cacheDir, safe(market.name), safe(symbol), interval)
      : null;
  for (let k = firstPage; k <= lastPage; k++) {
    const pageStart = k * page;
    const pageEnd = pageStart + page - 1;
    const complete = pageEnd + step <= now;
    const file = cache ? path.join(cache, `${pageStart}.json`) : null;
    let candles = file && complete ? await readPage(file, step) : null;
    if (!candles) {
      candles = await market.candles(symbol, interval, {
        from: new Date(pageStart),
        to: new Date(Math.min(pageEnd + 1, now)),
        limit: MAX_CANDLE_LIMIT,
      });
      candles = candles.filter((c) => {
        const t = c.openTime.getTime();
        return t >= pageStart && t <= pageEnd && c.closeTime.getTime() < now;
      });
      if (file && complete) await writePage(file, candles);
    }
    for (const c of candles) {
      const t = c.openTime.getTime();
      if (t >= start && t <= end && c.closeTime.getTime() < now) out.push(c);
    }
    options.onPage?.((k - firstPage + 1) / (lastPage - firstPage + 1));
  }
  return out;
}
