// The facts an operator checks first, for /healthz and the admins' /status: is the database
// reachable, has each job run recently enough for its interval, is the outbox keeping up. A fact
// is "stale" past a threshold; any stale fact makes the whole report unhealthy (HTTP 503).
import type { Clock } from "../lib/clock.ts";
import type { JobStatus } from "../jobs/scheduler.ts";

export interface HealthSources {
  clock: Clock;
  /** a trivial query; throws when the database cannot be reached */
  pingDatabase(): Promise<void>;
  outbox(): Promise<{ counts: Record<string, number>; oldestPendingAgeMs: number | null }>;
  /** null when this instance runs no jobs (JOBS_ENABLED=false) */
  jobs(): { leading: boolean; startedAt: Date | null; status: JobStatus[] } | null;
  /** the backups this instance takes (it takes them while it leads the jobs) */
  backups?(): {
    intervalMs: number;
    last: { takenAt: Date; bytes: number } | null;
    total: number;
    lastFailure: { at: Date; reason: string } | null;
  };
  /** totals since start, for /status */
  totals?(): { updates: number; commands: number; errors: number };
}

export interface HealthThresholds {
  /** the oldest undelivered notification may wait this long */
  outboxMaxAgeMs: number;
}

export interface JobHealth {
  name: string;
  intervalMs: number;
  lastFinishedAt: string | null;
  /** how long since the last run finished (or since the schedule started, if it never ran) */
  lagMs: number | null;
  /** the lag that makes the job stale: max(3 × interval, interval + 60 s) */
  staleAfterMs: number;
  runs: number;
  failures: number;
  lastError: string | null;
  running: boolean;
  stale: boolean;
}

export interface HealthReport {
  ok: boolean;
  checkedAt: string;
  uptimeSeconds: number;
  database: { ok: boolean; ms: number; error?: string };
  jobs: { enabled: boolean; leading: boolean; list: JobHealth[] };
  outbox: {
    ok: boolean;
    pending: number;
    sending: number;
    sent: number;
    failed: number;
    oldestPendingAgeMs: number | null;
    maxAgeMs: number;
  } | null;
  backups: {
    ok: boolean;
    /** age of the newest backup; null when there is none */
    lastAgeMs: number | null;
    lastBytes: number | null;
    total: number;
    intervalMs: number;
    /** the newest backup may be this old before the report turns unhealthy */
    staleAfterMs: number;
    lastFailure: { at: string; reason: string } | null;
  } | null;
  totals: { updates: number; commands: number; errors: number } | null;
  /** what is wrong, one short line each (empty when ok) */
  problems: string[];
}

export function staleAfter(intervalMs: number): number {
  return Math.max(3 * intervalMs, intervalMs + 60_000);
}

export class HealthMonitor {
  private readonly bootedAt: number;

  constructor(
    private readonly sources: HealthSources,
    private readonly thresholds: HealthThresholds,
  ) {
    this.bootedAt = sources.clock.now().getTime();
  }

  async report(): Promise<HealthReport> {
    const now = this.sources.clock.now();
    const problems: string[] = [];

    const t0 = performance.now();
    let database: HealthReport["database"];
    try {
      await this.sources.pingDatabase();
      database = { ok: true, ms: Math.round(performance.now() - t0) };
    } catch (err) {
      const error = err instanceof Error ? err.message.split("\n")[0]! : String(err);
      database = { ok: false, ms: Math.round(performance.now() - t0), error };
      problems.push(`database unreachable: ${error}`);
    }

    const jobsNow = this.sources.jobs();
    const list: JobHealth[] = [];
    if (jobsNow) {
      for (const s of jobsNow.status) {
        const since = s.lastFinishedAt ?? jobsNow.startedAt;
        const lagMs = since ? Math.max(0, now.getTime() - since.getTime()) : null;
        const staleAfterMs = staleAfter(s.intervalMs);
        // only the instance that runs the jobs can be late with them
        const stale = jobsNow.leading && lagMs !== null && lagMs > staleAfterMs;
        if (stale) problems.push(`job ${s.name} last ran ${Math.round(lagMs / 1000)} s ago`);
        list.push({
          name: s.name,
          intervalMs: s.intervalMs,
          lastFinishedAt: s.lastFinishedAt?.toISOString() ?? null,
          lagMs,
          staleAfterMs,
          runs: s.runs,
          failures: s.failures,
          lastError: s.lastError,
          running: s.running,
          stale,
        });
      }
    }

    let outbox: HealthReport["outbox"] = null;
    if (database.ok) {
      const o = await this.sources.outbox();
      const age = o.oldestPendingAgeMs;
      const ok = age === null || age <= this.thresholds.outboxMaxAgeMs;
      if (!ok) problems.push(`oldest undelivered notification waits ${Math.round(age / 1000)} s`);
      outbox = {
        ok,
        pending: o.counts.PENDING ?? 0,
        sending: o.counts.SENDING ?? 0,
        sent: o.counts.SENT ?? 0,
        failed: o.counts.FAILED ?? 0,
        oldestPendingAgeMs: age,
        maxAgeMs: this.thresholds.outboxMaxAgeMs,
      };
    }

    const backups = this.backupsNow(now, jobsNow?.leading ?? false, problems);

    return {
      ok: problems.length === 0,
      checkedAt: now.toISOString(),
      uptimeSeconds: Math.round((now.getTime() - this.bootedAt) / 1000),
      database,
      jobs: { enabled: jobsNow !== null, leading: jobsNow?.leading ?? false, list },
      outbox,
      backups,
      totals: this.sources.totals?.() ?? null,
      problems,
    };
  }

  /**
   * Backups are judged only on the instance that leads the jobs (it takes them, into its own
   * folder) and only once it has led long enough to have taken one: a stale newest backup or a
   * failed last run is a problem.
   */
  private backupsNow(now: Date, leading: boolean, problems: string[]): HealthReport["backups"] {
    const b = this.sources.backups?.();
    if (!b) return null;
    const staleAfterMs = staleAfter(b.intervalMs);
    const lastAgeMs = b.last ? Math.max(0, now.getTime() - b.last.takenAt.getTime()) : null;
    const upMs = now.getTime() - this.bootedAt;
    const stale = leading && (lastAgeMs ?? upMs) > staleAfterMs && upMs > staleAfterMs;
    if (stale) {
      problems.push(
        lastAgeMs === null
          ? "no backup taken yet"
          : `newest backup is ${Math.round(lastAgeMs / 60_000)} min old`,
      );
    }
    if (leading && b.lastFailure) problems.push(`last backup failed: ${b.lastFailure.reason}`);
    return {
      ok: !stale && !(leading && b.lastFailure),
      lastAgeMs,
      lastBytes: b.last?.bytes ?? null,
      total: b.total,
      intervalMs: b.intervalMs,
      staleAfterMs,
      lastFailure: b.lastFailure
        ? { at: b.lastFailure.at.toISOString(), reason: b.lastFailure.reason }
        : null,
    };
  }
}
