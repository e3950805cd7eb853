// What the application measures, as an interface: the bot, the jobs, the outbox and (later) the
// exchange adapters record through it without knowing Prometheus. src/ops/prometheus.ts is the
// real implementation; `noMetrics` serves tests and tools that do not scrape.

export type Outcome = "ok" | "error";

export interface Metrics {
  /** one Telegram update handled, by update type ("message", "callback_query", ...) */
  updateHandled(type: string, ms: number, outcome: Outcome): void;
  /** one command handled (only commands the registry knows: bounded labels) */
  commandHandled(command: string, ms: number, outcome: Outcome): void;
  /** an error by where it happened ("update", "job", "outbox", "exchange") and its kind */
  error(source: string, kind: string): void;
  /** one run of an internal job */
  jobRun(job: string, ms: number, outcome: Outcome): void;
  /** one message sent to Telegram by the outbox: ok, retry (429, 5xx, network) or failed */
  outboxSend(ms: number, outcome: "ok" | "retry" | "failed"): void;
  /** one request to an exchange (ccxt): e.g. ("binance", "fetchOrder", "ok", 182) */
  exchangeRequest(exchange: string, endpoint: string, outcome: string, ms: number): void;
}

const ignore = (): void => undefined;

export const noMetrics: Metrics = {
  updateHandled: ignore,
  commandHandled: ignore,
  error: ignore,
  jobRun: ignore,
  outboxSend: ignore,
  exchangeRequest: ignore,
};

/** The class name of an error, for an `error(source, kind)` label ("Error" when unknown). */
export function errorKind(err: unknown): string {
  if (err instanceof Error) return err.name || err.constructor.name || "Error";
  return typeof err;
}
