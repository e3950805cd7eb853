// One screener run over a list of symbols: fetch each symbol's candles once (through the shared
// cache, a few symbols at a time so a network source is not hit by hundreds of requests at
// once), compute every distinct indicator once per symbol, keep the symbols that meet all
// conditions, rank them by the sort indicator (missing values last, ties by symbol) and keep
// the top N. Values in the rows are rounded for display; comparisons use the full floats.
import { formatIndicator, type IndicatorSpec, valueStyle } from "../indicators/indicator-spec.ts";
import { IndicatorSnapshot, seriesNeeds } from "../indicators/indicator-snapshot.ts";
import type { CandleCache } from "../indicators/candle-cache.ts";
import { roundForDisplay } from "../indicators/rounding.ts";
import { type ScreenerConfig, compare } from "./screener-config.ts";

export interface ScreenerRow {
  rank: number;
  symbol: string;
  price: number;
  /** the sort indicator's value (rounded), null when it could not be computed */
  sortValue: number | null;
  /** every indicator of the conditions and the sort, by its canonical label (rounded) */
  values: Record<string, number | null>;
}

export interface ScreenerRun {
  at: Date;
  /** canonical labels: the sort indicator first, then the conditions' indicators in order */
  columns: string[];
  sortLabel: string;
  /** symbols in the universe */
  universe: number;
  /** symbols that had data and were evaluated */
  evaluated: number;
  /** symbols meeting every condition (before top N) */
  matched: number;
  rows: ScreenerRow[];
  /** symbols left out because their data could not be fetched */
  skipped: string[];
  timings: { totalMs: number; fetchMs: number; computeMs: number };
}

/** How many symbols' candles are requested at the same time. */
export const FETCH_CONCURRENCY = 8;

/** The distinct indicators a config computes, sort first, by canonical label. */
export function screenerSpecs(config: ScreenerConfig): Map<string, IndicatorSpec> {
  const specs = new Map<string, IndicatorSpec>();
  const add = (spec: IndicatorSpec) => specs.set(formatIndicator(spec), spec);
  add(config.sort.by);
  for (const c of config.conditions) {
    add(c.left);
    if (typeof c.right !== "number") add(c.right);
  }
  return specs;
}

async function fetchAll(
  symbols: readonly string[],
  load: (symbol: string) => Promise<IndicatorSnapshot>,
): Promise<{ snapshots: IndicatorSnapshot[]; skipped: string[] }> {
  const snapshots: Array<IndicatorSnapshot | null> = new Array<IndicatorSnapshot | null>(
    symbols.length,
  ).fill(null);
  const skipped: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < symbols.length) {
      const i = next++;
      try {
        snapshots[i] = await load(symbols[i]!);
      } catch {
        skipped.push(symbols[i]!);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(FETCH_CONCURRENCY, symbols.length) }, worker));
  return {
    snapshots: snapshots.filter((s): s is IndicatorSnapshot => s !== null),
    skipped: skipped.sort(),
  };
}

export async function runScreener(
  config: ScreenerConfig,
  symbols: readonly string[],
  cache: CandleCache,
  now: Date,
): Promise<ScreenerRun> {
  const started = performance.now();
  const specs = screenerSpecs(config);
  const needs = seriesNeeds([...specs.values()]);
  const { snapshots, skipped } = await fetchAll(symbols, (symbol) =>
    IndicatorSnapshot.load(cache, symbol, config.interval, needs),
  );
  const fetched = performance.now();

  const sortLabel = formatIndicator(config.sort.by);
  const matches: Array<Omit<ScreenerRow, "rank"> & { rawSort: number | null }> = [];
  let evaluated = 0;
  for (const snap of snapshots) {
    const price = snap.price;
    if (price === null) continue;
    evaluated++;
    const pass = config.conditions.every((c) =>
      compare(
        snap.value(c.left),
        c.op,
        typeof c.right === "number" ? c.right : snap.value(c.right),
      ),
    );
    if (!pass) continue;
    const values: Record<string, number | null> = {};
    for (const [label, spec] of specs) {
      const v = snap.value(spec);
      values[label] =
        v === null ? null : roundForDisplay(v, valueStyle(spec), spec.kind === "BBANDS");
    }
    const rawSort = snap.value(config.sort.by);
    matches.push({
      symbol: snap.symbol,
      price: roundForDisplay(price, "price"),
      sortValue: values[sortLabel] ?? null,
      values,
      rawSort,
    });
  }
  const sign = config.sort.order === "asc" ? 1 : -1;
  matches.sort((a, b) => {
    if (a.rawSort === null || b.rawSort === null) {
      if (a.rawSort !== b.rawSort) return a.rawSort === null ? 1 : -1;
    } else if (a.rawSort !== b.rawSort) {
      return sign * (a.rawSort - b.rawSort);
    }
    return a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0;
  });
  const rows = matches
    .slice(0, config.limit)
    .map(({ rawSort: _raw, ...row }, i) => ({ ...row, rank: i + 1 }));
  const done = performance.now();
  return {
    at: now,
    columns: [...specs.keys()],
    sortLabel,
    universe: symbols.length,
    evaluated,
    matched: matches.length,
    rows,
    skipped,
    timings: {
      totalMs: done - started,
      fetchMs: fetched - started,
      computeMs: done - fetched,
    },
  };
}
