// B6 — one screener run over 200 symbols × 500 one-hour candles with three indicator conditions
// (RSI(14) < 70, EMA(20) > EMA(50), VOLUME_SPIKE(20) > 0.5) ranked by PRICE_CHANGE_PCT(24), on the
// offline source with 200 generated instruments. Goal: under 1 s. Reports the share of the run
// spent fetching candles (the source itself, then Decimal → float conversion) against computing
// the indicators.
//
// Three measurements: "cold" (a fresh market source and candle cache: nothing computed yet),
// "source warm" (a fresh candle cache on a source whose own path cache is warm, the usual case
// for the screener a minute after the alert job ran) and "cache warm" (a second run within the
// cache TTL: indicators only).
//
// Run alone: npx tsx scripts/bench/b6-screener.ts
import { pathToFileURL } from "node:url";
import { CandleCache } from "../../src/domain/indicators/candle-cache.ts";
import { validateScreenerConfig } from "../../src/domain/screeners/screener-config.ts";
import { type ScreenerRun, runScreener } from "../../src/domain/screeners/screener-engine.ts";
import { ManualClock } from "../../src/lib/clock.ts";
import type { SyntheticInstrumentSpec } from "../../src/market/catalog.ts";
import { OfflineMarketData } from "../../src/market/offline/offline-market-data.ts";

export const SYMBOLS = 200;
export const CANDLES = 500;
export const GOAL_SECONDS = 1;

/** 200 synthetic USDT pairs across the price and volatility ranges of the catalog. */
export function benchInstruments(count = SYMBOLS): SyntheticInstrumentSpec[] {
  return Array.from({ length: count }, (_, i) => {
    const price = (0.05 * 10 ** ((i % 7) * 0.9)).toFixed(4);
    return {
      symbol: `B6X${String(i).padStart(3, "0")}USDT`,
      exchange: "BINANCE",
      name: `Bench coin ${i}`,
      assetType: "CRYPTO",
      baseAsset: `B6X${i}`,
      currency: "USDT",
      tickSize: "0.0001",
      lotSize: "0.01",
      minQty: "0.01",
      minNotional: "5",
      referencePrice: price,
      annualVolatility: 0.5 + (i % 8) * 0.1,
    };
  });
}

const CONFIG = validateScreenerConfig({
  universe: { kind: "SYMBOLS", symbols: benchInstruments().map((s) => s.symbol) },
  interval: "1h",
  conditions: [
    { left: { kind: "RSI", period: 14 }, op: "<", right: 70 },
    { left: { kind: "EMA", period: 20 }, op: ">", right: { kind: "EMA", period: 50 } },
    { left: { kind: "VOLUME_SPIKE", period: 20 }, op: ">", right: 0.5 },
  ],
  sort: { by: { kind: "PRICE_CHANGE_PCT", period: 24 }, order: "desc" },
  limit: 20,
});

export interface B6Measurement {
  label: string;
  seconds: number;
  fetchSeconds: number;
  /** of the fetch: converting Decimal candles to floats */
  convertSeconds: number;
  computeSeconds: number;
  matched: number;
}

function measurement(label: string, run: ScreenerRun, cache: CandleCache): B6Measurement {
  const stats = cache.stats();
  return {
    label,
    seconds: run.timings.totalMs / 1000,
    fetchSeconds: run.timings.fetchMs / 1000,
    convertSeconds: stats.convertMs / 1000,
    computeSeconds: run.timings.computeMs / 1000,
    matched: run.matched,
  };
}

export async function measureB6(repeats = 3): Promise<B6Measurement[]> {
  const clock = new ManualClock("2026-03-10T12:34:56Z");
  const symbols = benchInstruments().map((s) => s.symbol);
  const out: B6Measurement[] = [];
  for (let r = 0; r < repeats; r++) {
    const market = new OfflineMarketData({
      seed: `b6-${r}`,
      clock,
      instruments: benchInstruments(),
    });
    const cold = new CandleCache(market, clock);
    out.push(measurement("cold", await runScreener(CONFIG, symbols, cold, clock.now()), cold));
    const fresh = new CandleCache(market, clock);
    out.push(
      measurement("source warm", await runScreener(CONFIG, symbols, fresh, clock.now()), fresh),
    );
    fresh.resetStats();
    out.push(
      measurement("cache warm", await runScreener(CONFIG, symbols, fresh, clock.now()), fresh),
    );
  }
  return out;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

export interface B6Result {
  id: "B6";
  title: string;
  /** median seconds of a cold run (the number the goal is about) */
  seconds: number;
  goalSeconds: number;
  passed: boolean;
  measurements: B6Measurement[];
  summary: string;
}

async function run(opts: { repeats?: number } = {}): Promise<B6Result> {
  const measurements = await measureB6(opts.repeats ?? 3);
  const of = (label: string) => measurements.filter((m) => m.label === label);
  const line = (label: string) => {
    const ms = of(label);
    const s = median(ms.map((m) => m.seconds));
    const fetch = median(ms.map((m) => m.fetchSeconds));
    const convert = median(ms.map((m) => m.convertSeconds));
    const compute = median(ms.map((m) => m.computeSeconds));
    const pct = (x: number) => `${Math.round((x / s) * 100)} %`;
    return `${label}: ${s.toFixed(3)} s (fetch ${fetch.toFixed(3)} s = ${pct(fetch)}, of which Decimal→float ${convert.toFixed(3)} s; compute ${compute.toFixed(3)} s = ${pct(compute)}); ${ms[0]!.matched} of ${SYMBOLS} matched`;
  };
  const seconds = median(of("cold").map((m) => m.seconds));
  return {
    id: "B6",
    title: `Screener: ${SYMBOLS} symbols × ${CANDLES} 1h candles, 3 indicator conditions (goal < ${GOAL_SECONDS} s)`,
    seconds,
    goalSeconds: GOAL_SECONDS,
    passed: seconds < GOAL_SECONDS,
    measurements,
    summary: ["cold", "source warm", "cache warm"].map(line).join("\n"),
  };
}

const b6 = { id: "B6" as const, title: "Screener over 200 symbols × 500 candles", run };
export default b6;

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const result = await run();
  console.log(
    `${result.id} ${result.title}\n${result.summary}\n${result.passed ? "PASS" : "FAIL"}: ${result.seconds.toFixed(3)} s cold (median of 3)`,
  );
}
