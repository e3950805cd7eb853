// B7 — a price-alert fan-out on live market data: 20 users × 50 price alerts over 100 symbols,
// the app on MARKET_DATA=binance pointed at the local exchange twin (the real ccxt client, the
// real CcxtMarketData with its cache and batch quotes, the real alert job). Goals:
//   - requests per evaluation cycle, counted at the twin, ≤ 1 per distinct symbol (against the
//     naive one request per alert, measured in the same run through a bare ccxt client);
//   - one cycle (the alert job's run) under 1 s;
//   - the RSS of the process that runs the app with ccxt loaded under 250 MB.
//
// The app runs in a child process (alert-fanout-child.ts, built and run as npm start builds and
// runs the bot: a bundle in plain Node with the start script's flags) so its memory is its own
// and not the twin's; this process owns the twin, walks its prices between cycles (so alerts cross and
// fire, and each cycle writes), and counts the requests each cycle makes. Each cycle is 20 s
// after the last on the app's clock (the job's beat), so no quote is served from the 2 s cache
// of the cycle before. In real time the cycles are LIMITER_REST_MS apart; ccxt's limiter (a
// rolling minute of request weight, src/market/ccxt/client.ts) charges a cycle's batch ticker
// request 80 of Binance's 1,200 a minute, so it never waits here, as it would not at the job's
// 20 s beat. (ccxt's default leaky bucket made every cycle after the first wait 0.8 s for the
// batch before it, however long the pause: that was most of a cycle's time.)
//
// Run alone: npx tsx scripts/bench/b7-alert-fanout.ts [--quick]
import { type ChildProcess, fork } from "node:child_process";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { Decimal } from "../../src/lib/decimal.ts";
import { PROJECT_ROOT } from "../../src/lib/paths.ts";
import { buildApp, startNodeFlags } from "../build.ts";
import {
  ExchangeTwin,
  type SymbolSpec,
  catalogSymbols,
  extraSymbols,
} from "../../test/support/exchange-twin/index.ts";
import type { FanoutChildArgs, FromChild, ToChild } from "./alert-fanout-child.ts";
import {
  type BenchOptions,
  type BenchResult,
  createTempDatabase,
  round,
  seededRandom,
} from "./support.ts";

export const USERS = 20;
export const ALERTS_PER_USER = 50;
export const SYMBOLS = 100;
export const CYCLES = 5;
export const GOAL_REQUESTS_PER_SYMBOL = 1;
export const GOAL_CYCLE_SECONDS = 1;
export const GOAL_RSS_MB = 250;

const LIMITER_REST_MS = 4_500;
/** Where the child is built: run as `npm start` runs the bot (a bundle in plain Node). */
const CHILD_DIR = path.join(PROJECT_ROOT, "dist", "bench-b7");
const CHILD = path.join(CHILD_DIR, "alert-fanout-child.js");

/** Builds the child the way scripts/build.ts builds the bot. */
async function buildChild(): Promise<void> {
  await buildApp(CHILD_DIR, { "alert-fanout-child": "scripts/bench/alert-fanout-child.ts" });
}

/** The catalog's USDT pairs and as many more as it takes to list `count` symbols. */
export function fanoutSymbols(count = SYMBOLS): SymbolSpec[] {
  const catalog = catalogSymbols().slice(0, count);
  return [...catalog, ...extraSymbols(Math.max(0, count - catalog.length))];
}

/** The child process, answering one message at a time. */
class Child {
  private readonly proc: ChildProcess;
  private stderr = "";
  private readonly inbox: FromChild[] = [];
  private waiting: { resolve: (m: FromChild) => void; reject: (e: Error) => void } | null = null;
  private exitError: Error | null = null;
  private readonly exited: Promise<void>;

  constructor(args: FanoutChildArgs) {
    this.proc = fork(CHILD, [JSON.stringify(args)], {
      cwd: path.resolve(import.meta.dirname, "../.."),
      // the flags npm start runs the bot with: B7's RSS is the operator's
      execArgv: startNodeFlags(),
      stdio: ["ignore", "ignore", "pipe", "ipc"],
    });
    this.proc.stderr!.on("data", (c: Buffer) => (this.stderr += c.toString()));
    this.proc.on("message", (m: FromChild) => {
      if (this.waiting) {
        this.waiting.resolve(m);
        this.waiting = null;
      } else this.inbox.push(m);
    });
    this.exited = new Promise((resolve) => this.proc.once("exit", () => resolve()));
    this.proc.on("exit", (code) => {
      this.exitError = new Error(`the B7 child exited with ${code}:\n${this.stderr}`);
      this.waiting?.reject(this.exitError);
      this.waiting = null;
    });
  }

  /** The next message, which must be of `type`. */
  async next<T extends FromChild["type"]>(type: T): Promise<Extract<FromChild, { type: T }>> {
    const m =
      this.inbox.shift() ??
      (await new Promise<FromChild>((resolve, reject) => {
        if (this.exitError) reject(this.exitError);
        else this.waiting = { resolve, reject };
      }));
    if (m.type !== type) throw new Error(`the B7 child answered ${m.type}, not ${type}`);
    return m as Extract<FromChild, { type: T }>;
  }

  send(message: ToChild): void {
    this.proc.send(message);
  }

  /** Lets the child close its database and exit (up to `ms`), then kills it if still there. */
  async close(ms = 10_000): Promise<void> {
    if (this.proc.exitCode === null && this.proc.signalCode === null) {
      await Promise.race([this.exited, new Promise((resolve) => setTimeout(resolve, ms))]);
    }
    if (this.proc.exitCode === null && this.proc.signalCode === null) this.proc.kill("SIGKILL");
  }
}

/** Every symbol moves by up to ±2 % (on its tick grid): some alerts cross, most do not. */
function walkPrices(twin: ExchangeTwin, symbols: string[], random: () => number): void {
  for (const symbol of symbols) {
    const tick = new Decimal(twin.spec(symbol).tickSize);
    const last = new Decimal(twin.price(symbol).last);
    const factor = new Decimal(((random() - 0.5) * 0.04).toFixed(6)).plus(1);
    const next = last.times(factor).toNearest(tick, Decimal.ROUND_HALF_EVEN);
    twin.setPrice(symbol, Decimal.max(tick, next).toFixed());
  }
}

export interface B7Cycle {
  seconds: number;
  cpuSeconds: number;
  requests: number;
  evaluated: number;
  fired: number;
  failed: number;
  /** requests by "METHOD /path" */
  byPath: Record<string, number>;
  peakRssMb: number;
  heapUsedMb: number;
}

export interface B7Figures {
  users: number;
  alerts: number;
  symbols: number;
  cycles: B7Cycle[];
  naive: { seconds: number; requests: number };
  seedSeconds: number;
  rssBeforeAppMb: number;
  /** peak while the app started, loaded ccxt and the alerts were created */
  seedPeakRssMb: number;
  /** peak while the alert job ran its cycles: the bot at work (the goal's figure) */
  cyclePeakRssMb: number;
  /** peak of the naive baseline's bare client, run in the same process after the cycles */
  naivePeakRssMb: number;
  rssMb: number;
  peakRssMb: number;
  market: string;
}

export async function measureB7(
  sizes = { users: USERS, alertsPerUser: ALERTS_PER_USER, symbols: SYMBOLS, cycles: CYCLES },
  log: (line: string) => void = () => {},
): Promise<B7Figures> {
  await buildChild();
  const specs = fanoutSymbols(sizes.symbols);
  const symbols = specs.map((s) => s.symbol);
  const twin = await ExchangeTwin.start({ symbols: specs });
  const database = await createTempDatabase("sqlite", "b7");
  const random = seededRandom(7);
  const child = new Child({
    twinUrl: twin.url,
    databaseUrl: database.url,
    users: sizes.users,
    alertsPerUser: sizes.alertsPerUser,
    symbols,
  });
  try {
    log(
      `seeding ${sizes.users} users × ${sizes.alertsPerUser} alerts over ${symbols.length} symbols`,
    );
    const ready = await child.next("ready");
    log(`seeded ${ready.alerts} alerts in ${ready.seedSeconds.toFixed(1)} s`);
    const cycles: B7Cycle[] = [];
    for (let c = 0; c < sizes.cycles; c++) {
      await new Promise((resolve) => setTimeout(resolve, LIMITER_REST_MS));
      walkPrices(twin, symbols, random);
      twin.resetCounters();
      child.send({ type: "cycle" });
      const done = await child.next("cycle-done");
      cycles.push({
        seconds: done.seconds,
        cpuSeconds: done.cpuSeconds,
        requests: twin.requestCount(),
        evaluated: done.evaluated,
        fired: done.fired,
        failed: done.failed,
        peakRssMb: done.peakRssMb,
        heapUsedMb: done.heapUsedMb,
        byPath: twin.requestCounts(),
      });
      log(
        `cycle ${c + 1}: ${done.seconds.toFixed(3)} s (CPU ${done.cpuSeconds.toFixed(3)} s), ${twin.requestCount()} requests, ${done.evaluated} evaluated, ${done.fired} fired`,
      );
    }
    walkPrices(twin, symbols, random);
    twin.resetCounters();
    child.send({ type: "naive" });
    const naive = await child.next("naive-done");
    // the bare client's own loadMarkets is set-up, not part of the cycle
    const naiveRequests = twin.requestCount() - twin.requestCount("/api/v3/exchangeInfo");
    log(`naive: ${naive.seconds.toFixed(3)} s, ${naiveRequests} requests`);
    child.send({ type: "done" });
    const done = await child.next("done");
    return {
      users: sizes.users,
      alerts: ready.alerts,
      symbols: symbols.length,
      cycles,
      naive: { seconds: naive.seconds, requests: naiveRequests },
      seedSeconds: ready.seedSeconds,
      rssBeforeAppMb: ready.rssBeforeAppMb,
      seedPeakRssMb: ready.seedPeakRssMb,
      cyclePeakRssMb: Math.max(...cycles.map((c) => c.peakRssMb)),
      naivePeakRssMb: naive.peakRssMb,
      rssMb: done.rssMb,
      peakRssMb: done.peakRssMb,
      market: done.market,
    };
  } finally {
    await child.close();
    await twin.stop();
    await database.drop();
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function run(opts: BenchOptions): Promise<BenchResult> {
  const sizes = opts.quick
    ? { users: 4, alertsPerUser: 10, symbols: 20, cycles: 2 }
    : { users: USERS, alertsPerUser: ALERTS_PER_USER, symbols: SYMBOLS, cycles: CYCLES };
  const f = await measureB7(sizes, opts.log);
  const maxRequests = Math.max(...f.cycles.map((c) => c.requests));
  const perSymbol = maxRequests / f.symbols;
  const cycleMedian = median(f.cycles.map((c) => c.seconds));
  const cycleMax = Math.max(...f.cycles.map((c) => c.seconds));
  const cpuMedian = median(f.cycles.map((c) => c.cpuSeconds));
  const failed = f.cycles.reduce((n, c) => n + c.failed, 0);
  const allEvaluated = f.cycles.every((c) => c.evaluated === f.alerts);
  const passed =
    f.market.startsWith("ccxt:") &&
    allEvaluated &&
    failed === 0 &&
    perSymbol <= GOAL_REQUESTS_PER_SYMBOL &&
    cycleMax < GOAL_CYCLE_SECONDS &&
    f.peakRssMb < GOAL_RSS_MB;
  const paths = (byPath: Record<string, number>) =>
    Object.entries(byPath)
      .map(([k, v]) => `${k} ×${v}`)
      .join(", ");
  return {
    id: "B7",
    title: `Price-alert fan-out: ${f.users} users × ${f.alerts / f.users} alerts over ${f.symbols} symbols on the exchange twin (goals: ≤ ${GOAL_REQUESTS_PER_SYMBOL} request per symbol per cycle, cycle < ${GOAL_CYCLE_SECONDS} s, RSS < ${GOAL_RSS_MB} MB)`,
    passed,
    summary: [
      `requests per cycle: ${maxRequests} at most (${round(perSymbol, 3)} per distinct symbol) vs ${f.naive.requests} naive (one per alert): ${round(f.naive.requests / Math.max(1, maxRequests), 1)}× fewer`,
      `  what a cycle asks: ${paths(f.cycles.at(-1)!.byPath)}`,
      `cycle time: median ${round(cycleMedian, 3)} s, slowest ${round(cycleMax, 3)} s vs naive ${round(f.naive.seconds, 3)} s (${round(f.naive.seconds / cycleMedian, 1)}× slower, with ccxt's limiter at 1 ms; Binance's real limits would make it over a minute); CPU time of a cycle: median ${round(cpuMedian, 3)} s (wall time above it is waiting: a loaded machine, the exchange)`,
      `RSS of the app process (${f.market}) while the alert job runs: peak ${round(f.cyclePeakRssMb, 1)} MB (the goal's figure); before: ${round(f.rssBeforeAppMb, 1)} MB with the app's modules loaded, ${round(f.seedPeakRssMb, 1)} MB at the peak of starting, loading ccxt and creating the alerts; after: ${round(f.naivePeakRssMb, 1)} MB at the peak of the naive baseline (a second ccxt client in the same process), ${round(f.rssMb, 1)} MB at the end`,
      `${f.alerts} alerts evaluated each cycle: ${allEvaluated ? "yes" : "NO"}; fired ${f.cycles.map((c) => c.fired).join(", ")}; failures ${failed}; seeding took ${round(f.seedSeconds, 1)} s`,
    ].join("\n"),
    table: {
      columns: [
        "cycle",
        "seconds",
        "CPU s",
        "requests",
        "per symbol",
        "evaluated",
        "fired",
        "RSS MB",
        "heap MB",
      ],
      rows: [
        ...f.cycles.map((c, i) => [
          String(i + 1),
          round(c.seconds, 3),
          round(c.cpuSeconds, 3),
          c.requests,
          round(c.requests / f.symbols, 3),
          c.evaluated,
          c.fired,
          round(c.peakRssMb, 1),
          round(c.heapUsedMb, 1),
        ]),
        [
          "naive",
          round(f.naive.seconds, 3),
          "—",
          f.naive.requests,
          round(f.naive.requests / f.symbols, 3),
          "—",
          "—",
          round(f.naivePeakRssMb, 1),
          "—",
        ],
      ],
    },
    requestsPerCycle: maxRequests,
    requestsPerSymbol: perSymbol,
    naiveRequests: f.naive.requests,
    cycleSeconds: cycleMedian,
    slowestCycleSeconds: cycleMax,
    cycleCpuSeconds: cpuMedian,
    naiveSeconds: f.naive.seconds,
    peakRssMb: f.peakRssMb,
  };
}

const b7 = { id: "B7" as const, title: "Price-alert fan-out on the exchange twin", run };
export default b7;

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const result = await run({
    quick: process.argv.includes("--quick"),
    log: (line) => process.stderr.write(`  ${line}\n`),
  });
  console.log(
    `${result.id} ${result.title}\n${result.summary}\n${result.passed ? "PASS" : "FAIL"}`,
  );
}
