// Injected failures for one path (and optionally one method): the next N requests get a 429 or
// 418 with Retry-After, a 5xx, a dropped connection, a delay, or — for order placement — are
// applied and then lose their response ("accept then drop").

export type FaultKind = "429" | "418" | "5xx" | "drop" | "accept-then-drop" | "delay";

export interface FaultSpec {
  /** "/api/v3/order", ... */
  path: string;
  /** only requests of this method ("POST"); every method when absent */
  method?: string;
  kind: FaultKind;
  /** how many requests it hits (default 1) */
  times?: number;
  /** HTTP status for "5xx" (default 503) */
  status?: number;
  /** Retry-After seconds for 429/418 (default 1) */
  retryAfterSec?: number;
  /** for "delay": how long the answer waits (ms) */
  delayMs?: number;
}

interface ActiveFault extends Required<Omit<FaultSpec, "method">> {
  method: string | undefined;
}

export class FaultPlan {
  private faults: ActiveFault[] = [];

  add(spec: FaultSpec): void {
    this.faults.push({
      path: spec.path,
      method: spec.method?.toUpperCase(),
      kind: spec.kind,
      times: spec.times ?? 1,
      status: spec.status ?? 503,
      retryAfterSec: spec.retryAfterSec ?? 1,
      delayMs: spec.delayMs ?? 0,
    });
  }

  /** The fault this request meets, counted against its budget. */
  take(method: string, path: string): ActiveFault | undefined {
    const f = this.faults.find(
      (x) => x.times > 0 && x.path === path && (x.method === undefined || x.method === method),
    );
    if (!f) return undefined;
    f.times--;
    this.faults = this.faults.filter((x) => x.times > 0);
    return f;
  }

  clear(): void {
    this.faults = [];
  }

  get pending(): number {
    return this.faults.reduce((n, f) => n + f.times, 0);
  }
}
