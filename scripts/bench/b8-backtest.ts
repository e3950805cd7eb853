// B8 — a backtest of the moving-average crossover (ma-cross, SMA 20/50, 10 % of equity per
// entry, the paper venue's fees and slippage) over one year of one-minute candles: 525,600
// candles generated deterministically (a seeded random walk around 60,000 with a 0.01 tick).
// Goal: under 2 s, and within 3× of the floor.
//
// The floor is a plain loop over the same candle array, measured in the same run: each close
// read to a float once, two running sums, the crossovers compared as the strategy compares them.
// It is what finding the crossovers costs at the least; the backtest does that plus the books
// (orders, fills, fees, equity, drawdown, returns) through the StrategyDefinition the live
// runtime runs (its evaluator, which its onCandle runs too: one working state moved along the
// run, where onCandle rebuilds it from JSON on each candle). Both must find the very same
// crossovers: the backtest's fills are checked against the floor's signals (a buy at the open
// after each golden cross while flat, a sell after each death cross while long).
//
// Each measurement runs in a fresh child process (./backtest-child.ts), so its peak RSS is its own;
// the candles themselves take most of it, so the RSS after generating them is printed as well.
//
// Measured for issue 13 (2026-12-07, on the 2-core machine shared with other runs at load 5–11,
// where wall times were 3–10× their quiet values and a ratio of them meant nothing: these are the
// main thread's CPU times from /proc/self/task/<pid>/schedstat, the child's flow, 16 rounds of a
// fresh process each): floor 47–113 ms (median 69); backtest 268–494 (median 370, 5.3× per round)
// before sizing entries without the 60-digit division and the fills' neg/abs copies, 262–464
// (median 347, 5.0×) after. Still above 3×. Deterministic: 4,538 → 14 decimal.js divisions,
// 77 → 61 MB allocated during the run (4–5 scavenges, each ~2 ms even when nothing survives:
// the candles' 535 MB old space). Where it goes (ablations, main-thread CPU, minimum of 4–5
// runs, before / after): the floor 61 / 46 ms; the engine's pass over the candles (each close
// and open time read: the floor's own memory-bound reads, plus the Dates) and its loop around a
// strategy answering nothing 74 / 64; ma-cross's evaluator on every candle +23 / +38; sizing the
// 4,524 entries +62 / +23; the 9,047 fills (the paper venue's matching, slippage, tick and fee,
// cash and book, the round trips: ~115,000 decimal.js operations) +114 / +114. 3× the floor is
// 138–183 ms; the pass over the candles (64–74) and the fills' Decimal work (+114) alone are
// 178–188, before any strategy runs.
// Measured again on 2026-12-07 (idle machine, wall times): floor 0.077–0.12 s, backtest
// 0.32–0.47 s, best-of-3 ratio 3.7–4.3×. Two ways to the gap that are NOT it: a warm process
// (the backtest run once over other candles first, as a reused worker thread has) measured the
// same as a cold one once the candles are made after the warm-up, as a worker makes a job's; and
// GC tuning (semi-space sizes, no memory reducer, a full GC first) only moved the noise. What is:
// 4–5 scavenges during the run, 12–25 ms each beside the candles' 535 MB old space, 60–100 ms in
// all, for the ~56 MB of garbage decimal.js makes on the 9,047 fills (~6 kB a fill); the floor
// makes none.
// Measured again on 2026-12-07 (5th session), after the fills, the entries' sizing and the round
// trips moved to exact integer units (src/strategies/backtest/integer-fills.ts, trips-in-units.ts:
// the same Decimals, property-tested against the Decimal path) and the drawdown's marks were
// filtered by a test the compiler inlines: backtest 0.272–0.275 s against a floor of 0.078–0.081,
// 3.3–3.5× (from 0.32–0.33 s and 3.7–4.3×); main-thread CPU 204–252 ms against the floor's 61–78.
// What is left (CPU profiles, 4 runs): the pre-pass over the candles, the floor's own reads, ~65 ms;
// the engine's loop ~45; the scavenges ~50, of which the first two (15–24 and 12–20 ms) copy and
// promote the candles still in the young generation when the run starts (the floor pays those too
// when it allocates: 23 + 13 ms in a cold process); reading each fill's open price, ~1 µs of
// cache misses a fill. The floor's own time moves 61–78 ms CPU from run to run with them.
//
// Measured again on 2026-12-07 (6th session), after decimalOfScaled's words were written as small
// integers (one written as a double had turned decimal.js's arrays, and every later Decimal(0)'s,
// into double arrays, and thrown the compiled loop away mid-run), the books and fills moved out of
// the loop (run-books.ts: the loop's optimizing compile went from ~55 ms to ~12 ms, and candles
// run unoptimized until it is done), each candle read as the loop reaches it instead of in a pass
// of its own, a slide's drawdown candidates kept as one record, and the CAGR computed at 25 digits:
// backtest 0.201–0.226 s against a floor of 0.076–0.086 s, 2.61–2.66× (best of 3, three runs);
// main-thread CPU medians 177–198 ms against the floor's 73–79. Where it goes now (timed in
// segments inside the run): ~20 ms before the loop runs optimized (its first ~15,000 candles); the
// loop ~110–130 ms, ~3.5 ms per 16,384 candles, the candles' memory included; ~30 ms of scavenges,
// the first promoting the candles' young tail as the floor's does; the summary ~15 ms.
//
// The last rows time the same backtest as /backtest runs it, through the worker pool (in a
// process of its own, backtest-pool.ts): the candles packed on the bot's thread, read in the
// worker, the report sent back; in a new thread, then in the one it left. Before 2026-12-07 that took
// 6.5–7 s and held the bot's event loop up to 1.4 s; now about 1.8–2.5 s new, 1.0–1.5 s reused,
// the loop never held more than ~70 ms.
// Run alone: npx tsx scripts/bench/b8-backtest.ts [--quick]
import path from "node:path";
import { pathToFileURL } from "node:url";
import { toFloat } from "../../src/lib/decimal-float.ts";
import { Decimal } from "../../src/lib/decimal.ts";
import type { Candle } from "../../src/market/types.ts";
import { runBacktest } from "../../src/strategies/backtest/engine.ts";
import type {
  BacktestCosts,
  BacktestInstrument,
  BacktestResult,
} from "../../src/strategies/backtest/types.ts";
import { maCross } from "../../src/strategies/kinds/ma-cross.ts";
import type { PoolFigures, PoolRun } from "./backtest-pool.ts";
import { rules } from "../../src/strategies/kinds/rules.ts";
import type { StrategyDefinition } from "../../src/strategies/types.ts";
import {
  type BenchOptions,
  type BenchResult,
  RssSampler,
  mb,
  round,
  runChild,
  seededRandom,
} from "./support.ts";

export const CANDLES = 525_600;
export const GOAL_SECONDS = 2;
export const GOAL_FACTOR = 3;
export const FAST = 20;
export const SLOW = 50;
const CHILD = path.join(import.meta.dirname, "backtest-child.ts");
const POOL_CHILD = path.join(import.meta.dirname, "backtest-pool.ts");
const MINUTE = 60_000;
const START = Date.UTC(2025, 0, 1);

export const B8_VARIANTS = ["floor", "backtest", "rules"] as const;
/**
 * The rules kind over a shorter run: its indicators are read over a window of 401 candles on
 * every close (see src/strategies/kinds/window-indicators.ts), once a minute for 60,000 candles.
 */
export const RULES_CANDLES = 60_000;
export const RULES_SOURCE =
  "buy 10% when RSI(14) < 30 and close > SMA(200); sell all when RSI(14) > 70; stop 3%; take 8%";
export type B8Variant = (typeof B8_VARIANTS)[number];

/** Cents as a Decimal's text ("61234.05"). */
const priceText = (cents: number) =>
  `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, "0")}`;

/**
 * `count` one-minute candles of a seeded random walk (trending stretches, so the averages do
 * cross): open = the previous close (the same Decimal, as market sources hand them out).
 */
export function generateCandles(count: number, seed = 8): Candle[] {
  const random = seededRandom(seed);
  const candles: Candle[] = new Array<Candle>(count);
  let cents = 6_000_000;
  let drift = 0;
  let previous = new Decimal(priceText(cents));
  let previousCents = cents;
  const volumes = Array.from({ length: 17 }, (_, v) => new Decimal(1 + v));
  for (let i = 0; i < count; i++) {
    if (i % 240 === 0) drift = (random() - 0.5) * 4;
    const move = Math.round((random() - 0.5) * 3000 + drift * 100);
    cents = Math.max(100_000, cents + move);
    const close = new Decimal(priceText(cents));
    const wick = Math.round(random() * 800);
    const openTime = START + i * MINUTE;
    candles[i] = {
      openTime: new Date(openTime),
      closeTime: new Date(openTime + MINUTE - 1),
      open: previous,
      high: new Decimal(priceText(Math.max(previousCents, cents) + wick)),
      low: new Decimal(priceText(Math.min(previousCents, cents) - (wick >> 1))),
      close,
      volume: volumes[i % 17]!,
    };
    previousCents = cents;
    previous = close;
  }
  return candles;
}

export interface Signal {
  /** index of the candle whose close crossed */
  at: number;
  kind: "golden" | "death";
}

/** The floor: the crossovers of SMA(fast) and SMA(slow) in one pass with two running sums. */
export function floorSignals(candles: readonly Candle[], fast = FAST, slow = SLOW): Signal[] {
  const n = candles.length;
  const closes = new Float64Array(n);
  const signals: Signal[] = [];
  let sumFast = 0;
  let sumSlow = 0;
  let fastBefore = NaN;
  let slowBefore = NaN;
  for (let i = 0; i < n; i++) {
    const close = toFloat(candles[i]!.close);
    closes[i] = close;
    sumFast += close;
    sumSlow += close;
    if (i >= fast) sumFast -= closes[i - fast]!;
    if (i >= slow) sumSlow -= closes[i - slow]!;
    if (i < slow - 1) continue;
    const f = sumFast / fast;
    const s = sumSlow / slow;
    if (i >= slow) {
      if (fastBefore <= slowBefore && f > s) signals.push({ at: i, kind: "golden" });
      else if (fastBefore >= slowBefore && f < s) signals.push({ at: i, kind: "death" });
    }
    fastBefore = f;
    slowBefore = s;
  }
  return signals;
}

/**
 * The fills a long-only crossover must make from `signals`: "B@i" / "S@i", i being the candle
 * whose open fills it (the one after the signal; none after the last candle).
 */
export function expectedFills(signals: readonly Signal[], count: number): string[] {
  const out: string[] = [];
  let holding = false;
  for (const s of signals) {
    if (s.at + 1 >= count) break;
    if (s.kind === "golden" && !holding) {
      out.push(`B@${s.at + 1}`);
      holding = true;
    } else if (s.kind === "death" && holding) {
      out.push(`S@${s.at + 1}`);
      holding = false;
    }
  }
  return out;
}

export function backtest(candles: readonly Candle[]): BacktestResult {
  const params = maCross.params.parse({ type: "SMA", fast: FAST, slow: SLOW, timeframe: "1m" });
  return backtestWith(maCross as unknown as StrategyDefinition<unknown, unknown>, params, candles);
}

/** The rules kind's backtest of RULES_SOURCE, with the same instrument and costs. */
export function rulesBacktest(candles: readonly Candle[]): BacktestResult {
  const params = rules.params.parse({ kind: "rules", source: RULES_SOURCE, timeframe: "1m" });
  return backtestWith(rules as unknown as StrategyDefinition<unknown, unknown>, params, candles);
}

/** B8's instrument and the paper venue's costs (tests of whole backtests use them too). */
export const BENCH_INSTRUMENT: BacktestInstrument = {
  symbol: "BTCUSDT",
  tickSize: new Decimal("0.01"),
  lotSize: new Decimal("0.00001"),
  minQty: new Decimal("0.00001"),
};
export const BENCH_COSTS: BacktestCosts = {
  takerFeeBps: new Decimal(10),
  makerFeeBps: new Decimal(10),
  slippageBps: new Decimal(5),
  feeDecimals: 8,
};

/** A backtest of `definition` over `candles` from 10,000 of cash on BENCH_INSTRUMENT. */
export function backtestWith(
  definition: StrategyDefinition<unknown, unknown>,
  params: unknown,
  candles: readonly Candle[],
  costs: BacktestCosts = BENCH_COSTS,
): BacktestResult {
  return runBacktest({
    definition,
    params,
    instrument: BENCH_INSTRUMENT,
    candles,
    initialCash: new Decimal(10_000),
    costs,
  });
}

/** The backtest's fills in expectedFills' notation (candle indexes of the whole array). */
export function fillsOf(result: BacktestResult): string[] {
  const first = maCross.lookback(maCross.params.parse({ fast: FAST, slow: SLOW })) - 1;
  return result.fills.map((f) => `${f.side === "BUY" ? "B" : "S"}@${first + f.candleIndex}`);
}

export interface B8Measurement {
  variant: B8Variant;
  candles: number;
  seconds: number;
  /** RSS once the candles were generated, and the peak during the run (MB) */
  rssCandlesMb: number;
  peakMb: number;
  /** the fills made (backtest) or implied by the signals (floor), as "B@i" / "S@i" */
  fills: string[];
}

/** One measurement in this process: generate, then time the variant alone. */
export function measureVariant(variant: B8Variant, count: number): B8Measurement {
  const candles = generateCandles(count);
  const sampler = new RssSampler();
  sampler.sample();
  const rssCandles = sampler.peak;
  sampler.start(5);
  const start = process.hrtime.bigint();
  const fills =
    variant === "floor"
      ? expectedFills(floorSignals(candles), candles.length)
      : variant === "rules"
        ? rulesBacktest(candles).fills.map(
            (f) => `${f.side === "BUY" ? "B" : "S"}@${f.candleIndex}`,
          )
        : fillsOf(backtest(candles));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return {
    variant,
    candles: count,
    seconds,
    rssCandlesMb: mb(rssCandles),
    peakMb: mb(sampler.stop()),
    fills,
  };
}

export interface B8Figures {
  candles: number;
  floor: B8Measurement;
  backtest: B8Measurement;
  /** the rules kind over `rulesCandles` (no goal: measured so a slowdown shows) */
  rules: B8Measurement;
  /** the same backtest as /backtest runs it, through the worker pool (no goal) */
  pool: PoolFigures;
  ratio: number;
  sameCrossovers: boolean;
  passed: boolean;
}

/** Best of `repeats` per variant (each in its own process unless `inProcess`). */
export async function measureB8(
  opts: {
    candles?: number;
    rulesCandles?: number;
    repeats?: number;
    inProcess?: boolean;
    log?: (l: string) => void;
  } = {},
): Promise<B8Figures> {
  const count = opts.candles ?? CANDLES;
  const sizes: Record<B8Variant, number> = {
    floor: count,
    backtest: count,
    rules: opts.rulesCandles ?? RULES_CANDLES,
  };
  const best: Partial<Record<B8Variant, B8Measurement>> = {};
  for (let r = 0; r < (opts.repeats ?? 3); r++) {
    for (const variant of B8_VARIANTS) {
      const size = sizes[variant];
      const m = opts.inProcess
        ? measureVariant(variant, size)
        : await runChild<B8Measurement>(CHILD, [variant, String(size)]);
      opts.log?.(`${variant} #${r + 1}: ${m.seconds.toFixed(3)} s, peak ${m.peakMb.toFixed(0)} MB`);
      const kept = best[variant];
      if (!kept || m.seconds < kept.seconds) best[variant] = m;
    }
  }
  // in a process of its own even for the smoke test: backtest-pool.ts imports this module
  const pool = await runChild<PoolFigures>(POOL_CHILD, [String(count)]);
  opts.log?.(
    `pool: ${pool.newThread.seconds.toFixed(3)} s in a new thread, ${pool.reusedThread.seconds.toFixed(3)} s in a reused one`,
  );
  const floor = best.floor!;
  const bt = best.backtest!;
  const ratio = bt.seconds / floor.seconds;
  const sameCrossovers =
    floor.fills.length === bt.fills.length && floor.fills.every((f, i) => f === bt.fills[i]);
  return {
    candles: count,
    floor,
    backtest: bt,
    rules: best.rules!,
    pool,
    ratio,
    sameCrossovers,
    passed: sameCrossovers && bt.seconds < GOAL_SECONDS && ratio <= GOAL_FACTOR,
  };
}

export function b8Result(f: B8Figures): BenchResult {
  const row = (label: string, m: B8Measurement) => [
    label,
    round(m.seconds, 3),
    round(m.rssCandlesMb, 0),
    round(m.peakMb, 0),
    m.fills.length,
  ];
  const met = (ok: boolean) => (ok ? "met" : "missed");
  return {
    id: "B8",
    title: `Backtest: ma-cross SMA ${FAST}/${SLOW} over ${f.candles.toLocaleString("en")} 1m candles (goal < ${GOAL_SECONDS} s, ≤ ${GOAL_FACTOR}× the floor)`,
    passed: f.passed,
    table: {
      columns: ["run", "seconds", "RSS with candles MB", "peak RSS MB", "fills"],
      rows: [
        row("backtest (runBacktest + ma-cross)", f.backtest),
        row("floor (plain crossover loop)", f.floor),
        row(`rules kind, ${f.rules.candles.toLocaleString("en")} candles (no goal)`, f.rules),
        ["backtest / floor", round(f.ratio, 2), "", "", ""],
        poolRow("/backtest through the pool, new thread (no goal)", f.pool.newThread, f.pool),
        poolRow("/backtest through the pool, reused thread (no goal)", f.pool.reusedThread, f.pool),
      ],
    },
    summary: [
      `Backtest ${f.backtest.seconds.toFixed(3)} s (goal < ${GOAL_SECONDS} s: ${met(f.backtest.seconds < GOAL_SECONDS)}), ${f.ratio.toFixed(2)}× the floor's ${f.floor.seconds.toFixed(3)} s (goal ≤ ${GOAL_FACTOR}×: ${met(f.ratio <= GOAL_FACTOR)}); best of each, one process per run.`,
      `Peak RSS ${f.backtest.peakMb.toFixed(0)} MB (${f.backtest.rssCandlesMb.toFixed(0)} MB of it the candles) against the floor's ${f.floor.peakMb.toFixed(0)} MB.`,
      `Same crossovers as the floor: ${f.sameCrossovers ? "yes" : "NO"} (${f.backtest.fills.length} fills).`,
      `Rules kind ("${RULES_SOURCE}") over ${f.rules.candles.toLocaleString("en")} candles: ${f.rules.seconds.toFixed(3)} s (${f.rules.fills.length} fills).`,
      `As /backtest runs it (packed on the bot's thread, run in a worker thread, the report back): ${f.pool.newThread.seconds.toFixed(3)} s in a new thread, ${f.pool.reusedThread.seconds.toFixed(3)} s in the thread it left; the bot's event loop stalled at most ${Math.max(f.pool.newThread.longestStallMs, f.pool.reusedThread.longestStallMs).toFixed(0)} ms meanwhile.`,
    ].join("\n"),
    sizes: { candles: f.candles },
    backtestSeconds: f.backtest.seconds,
    floorSeconds: f.floor.seconds,
    ratio: f.ratio,
    rulesCandles: f.rules.candles,
    rulesSeconds: f.rules.seconds,
    peakMb: f.backtest.peakMb,
    floorPeakMb: f.floor.peakMb,
    sameCrossovers: f.sameCrossovers,
    poolNewThreadSeconds: f.pool.newThread.seconds,
    poolReusedThreadSeconds: f.pool.reusedThread.seconds,
    poolLongestStallMs: Math.max(
      f.pool.newThread.longestStallMs,
      f.pool.reusedThread.longestStallMs,
    ),
  };
}

const poolRow = (label: string, run: PoolRun, f: PoolFigures) => [
  label,
  round(run.seconds, 3),
  "",
  round(f.peakMb, 0),
  run.fills,
];

async function run(opts: BenchOptions): Promise<BenchResult> {
  const figures = await measureB8({
    candles: opts.quick ? 50_000 : CANDLES,
    rulesCandles: opts.quick ? 6_000 : RULES_CANDLES,
    repeats: opts.quick ? 1 : 3,
    log: opts.log,
  });
  return b8Result(figures);
}

const b8 = { id: "B8" as const, title: "Backtest of ma-cross over a year of 1m candles", run };
export default b8;

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const result = await run({
    quick: process.argv.includes("--quick"),
    log: (l) => process.stderr.write(`  ${l}\n`),
  });
  console.log(`${result.summary}\n${result.passed ? "PASS" : "FAIL"}`);
}
