// The Metrics interface (src/lib/metrics.ts) recorded in prom-client, in a Registry of its own
// (never the global one: tests and several apps in one process each get theirs). Gauges that
// describe state — outbox rows by status, job leadership — are read when Prometheus scrapes.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { Metrics, Outcome } from "../lib/metrics.ts";

// seconds; Telegram handlers are tens of ms to a few s, exchange calls up to tens of s
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const JOB_BUCKETS = [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300];

export interface StateSource {
  /** outbox rows by status (PENDING, SENDING, SENT, FAILED) and the oldest pending row's age */
  outbox(): Promise<{ counts: Record<string, number>; oldestPendingAgeMs: number | null }>;
  /** whether this instance runs the jobs */
  isLeader(): boolean;
}

export interface PrometheusOptions {
  /** process metrics (CPU, memory, event loop lag) in the same registry; default true */
  defaultMetrics?: boolean;
  prefix?: string;
}

export class PrometheusMetrics implements Metrics {
  readonly registry = new Registry();
  /** running totals for /status (the histograms hold the same counts, by label) */
  readonly totals = { updates: 0, commands: 0, errors: 0, jobRuns: 0, jobFailures: 0 };
  private readonly updates: Histogram<"type" | "outcome">;
  private readonly commands: Histogram<"command" | "outcome">;
  private readonly errors: Counter<"source" | "kind">;
  private readonly jobs: Histogram<"job" | "outcome">;
  private readonly outboxSends: Histogram<"outcome">;
  private readonly exchange: Histogram<"exchange" | "endpoint" | "outcome">;
  private state: StateSource | null = null;

  constructor(options: PrometheusOptions = {}) {
    const p = options.prefix ?? "tradedesk_";
    const registers = [this.registry];
    this.updates = new Histogram({
      name: `${p}updates_handled_seconds`,
      help: "Telegram updates handled, by update type and outcome",
      labelNames: ["type", "outcome"],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.commands = new Histogram({
      name: `${p}commands_handled_seconds`,
      help: "Bot commands handled, by command and outcome",
      labelNames: ["command", "outcome"],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.errors = new Counter({
      name: `${p}errors_total`,
      help: "Errors by where they happened and their kind",
      labelNames: ["source", "kind"],
      registers,
    });
    this.jobs = new Histogram({
      name: `${p}job_run_seconds`,
      help: "Internal job runs, by job and outcome",
      labelNames: ["job", "outcome"],
      buckets: JOB_BUCKETS,
      registers,
    });
    this.outboxSends = new Histogram({
      name: `${p}outbox_send_seconds`,
      help: "Messages the outbox sent to Telegram, by outcome (ok, retry, failed)",
      labelNames: ["outcome"],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.exchange = new Histogram({
      name: `${p}exchange_request_seconds`,
      help: "Requests to exchanges, by exchange, endpoint and outcome",
      labelNames: ["exchange", "endpoint", "outcome"],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    // collect() runs with the gauge as `this`; the state is read through this closure
    const state = () => this.state;
    new Gauge({
      name: `${p}outbox_rows`,
      help: "Notification outbox rows by status (FAILED rows are dead letters)",
      labelNames: ["status"],
      registers,
      async collect() {
        const source = state();
        if (!source) return;
        const { counts } = await source.outbox();
        for (const [status, n] of Object.entries(counts)) this.set({ status }, n);
      },
    });
    new Gauge({
      name: `${p}outbox_oldest_pending_seconds`,
      help: "Age of the oldest notification not yet delivered (0 when none)",
      registers,
      async collect() {
        const source = state();
        if (!source) return;
        const { oldestPendingAgeMs } = await source.outbox();
        this.set((oldestPendingAgeMs ?? 0) / 1000);
      },
    });
    new Gauge({
      name: `${p}jobs_leader`,
      help: "1 when this instance runs the jobs, 0 when another instance does",
      registers,
      collect() {
        const source = state();
        if (source) this.set(source.isLeader() ? 1 : 0);
      },
    });
    if (options.defaultMetrics !== false)
      collectDefaultMetrics({ register: this.registry, prefix: p });
  }

  /** Where the scrape-time gauges read their state (set once the app is wired). */
  observeState(state: StateSource): void {
    this.state = state;
  }

  updateHandled(type: string, ms: number, outcome: Outcome): void {
    this.totals.updates++;
    this.updates.observe({ type, outcome }, ms / 1000);
  }

  commandHandled(command: string, ms: number, outcome: Outcome): void {
    this.totals.commands++;
    this.commands.observe({ command, outcome }, ms / 1000);
  }

  error(source: string, kind: string): void {
    this.totals.errors++;
    this.errors.inc({ source, kind });
  }

  jobRun(job: string, ms: number, outcome: Outcome): void {
    this.totals.jobRuns++;
    if (outcome === "error") this.totals.jobFailures++;
    this.jobs.observe({ job, outcome }, ms / 1000);
  }

  outboxSend(ms: number, outcome: "ok" | "retry" | "failed"): void {
    this.outboxSends.observe({ outcome }, ms / 1000);
  }

  exchangeRequest(exchange: string, endpoint: string, outcome: string, ms: number): void {
    this.exchange.observe({ exchange, endpoint, outcome }, ms / 1000);
    if (outcome !== "ok") this.error("exchange", outcome);
  }

  contentType(): string {
    return this.registry.contentType;
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
}
