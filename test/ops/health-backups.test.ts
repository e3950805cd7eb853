// The backup facts of the health report: judged only on the instance that leads the jobs (it
// takes the backups), stale past max(3 × interval, interval + 1 min) once the instance has been up
// that long, and unhealthy while the last run failed.
import { describe, expect, it } from "vitest";
import { HealthMonitor, type HealthSources } from "../../src/ops/health.ts";

const HOUR = 3_600_000;
const start = new Date("2026-12-05T00:00:00Z");

function monitor(options: { leading: boolean; lastTakenAt: Date | null; failed?: boolean }) {
  let now = start;
  const sources: HealthSources = {
    clock: { now: () => now },
    pingDatabase: async () => {},
    outbox: async () => ({ counts: {}, oldestPendingAgeMs: null }),
    jobs: () => ({ leading: options.leading, startedAt: start, status: [] }),
    backups: () => ({
      intervalMs: HOUR,
      last: options.lastTakenAt ? { takenAt: options.lastTakenAt, bytes: 4096 } : null,
      total: options.lastTakenAt ? 1 : 0,
      lastFailure: options.failed ? { at: start, reason: "disk full" } : null,
    }),
  };
  const health = new HealthMonitor(sources, { outboxMaxAgeMs: 600_000 });
  return { health, at: (ms: number) => (now = new Date(start.getTime() + ms)) };
}

describe("backup health", () => {
  it("a fresh start without backups is not a problem yet; three intervals later it is", async () => {
    const m = monitor({ leading: true, lastTakenAt: null });
    m.at(HOUR);
    expect((await m.health.report()).ok).toBe(true);
    m.at(3 * HOUR + 1);
    const report = await m.health.report();
    expect(report.ok).toBe(false);
    expect(report.problems).toContain("no backup taken yet");
    expect(report.backups).toMatchObject({ ok: false, lastAgeMs: null, total: 0 });
  });

  it("a newest backup older than three intervals makes the leader unhealthy", async () => {
    const m = monitor({ leading: true, lastTakenAt: start });
    m.at(2 * HOUR);
    expect((await m.health.report()).backups).toMatchObject({ ok: true, lastAgeMs: 2 * HOUR });
    m.at(4 * HOUR);
    const report = await m.health.report();
    expect(report.problems).toContain("newest backup is 240 min old");
    expect(report.backups?.ok).toBe(false);
  });

  it("a failed last run is a problem on the leader", async () => {
    const m = monitor({ leading: true, lastTakenAt: start, failed: true });
    const report = await m.health.report();
    expect(report.ok).toBe(false);
    expect(report.problems).toContain("last backup failed: disk full");
    expect(report.backups?.lastFailure).toEqual({ at: start.toISOString(), reason: "disk full" });
  });

  it("a follower reports its folder but is not judged on it", async () => {
    const m = monitor({ leading: false, lastTakenAt: null, failed: true });
    m.at(10 * HOUR);
    const report = await m.health.report();
    expect(report.ok).toBe(true);
    expect(report.backups).toMatchObject({ ok: true, total: 0 });
  });
});
