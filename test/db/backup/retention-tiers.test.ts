// The retention tiers (hourly, daily, weekly; restic's rule): examples with known answers, and
// properties over random backup histories.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type RetentionPolicy,
  applyRetention,
  bucketOf,
} from "../../../src/db/backup/retention-tiers.ts";

const HOUR = 3_600_000;
const at = (iso: string) => ({ takenAt: new Date(iso) });
const names = (list: Array<{ takenAt: Date }>) => list.map((b) => b.takenAt.toISOString());

describe("applyRetention", () => {
  it("keeps the newest of each of the last N hours, days and weeks", () => {
    // hourly backups for 30 days, ending Sunday 2026-03-29 23:00 UTC
    const end = Date.parse("2026-03-29T23:00:00Z");
    const all = Array.from({ length: 30 * 24 }, (_, i) => ({ takenAt: new Date(end - i * HOUR) }));
    const { keep, drop } = applyRetention(all, { hourly: 24, daily: 7, weekly: 4 });
    expect(keep.length + drop.length).toBe(all.length);
    const kept = names(keep);
    // the last 24 hours
    for (let i = 0; i < 24; i++) expect(kept).toContain(new Date(end - i * HOUR).toISOString());
    // 23:00 of the 6 days before (the 7th daily is today's 23:00, already kept)
    for (let d = 1; d < 7; d++) {
      expect(kept).toContain(new Date(end - d * 24 * HOUR).toISOString());
    }
    // the last backup of the 3 weeks before (Sundays 23:00): weeks start on Monday
    for (const sunday of ["2026-03-22", "2026-03-15", "2026-03-08"]) {
      expect(kept).toContain(`${sunday}T23:00:00.000Z`);
    }
    expect(keep.length).toBe(24 + 6 + 3);
    expect(kept[0]).toBe(new Date(end).toISOString());
  });

  it("keeps the newest backup even when every tier is zero", () => {
    const list = [at("2026-01-01T00:00:00Z"), at("2026-01-02T00:00:00Z")];
    const { keep, drop } = applyRetention(list, { hourly: 0, daily: 0, weekly: 0 });
    expect(names(keep)).toEqual(["2026-01-02T00:00:00.000Z"]);
    expect(names(drop)).toEqual(["2026-01-01T00:00:00.000Z"]);
  });

  it("counts buckets that hold backups, not calendar slots (a machine off for weeks)", () => {
    const list = [at("2026-01-01T10:00:00Z"), at("2026-02-01T10:00:00Z")];
    expect(applyRetention(list, { hourly: 2, daily: 0, weekly: 0 }).drop).toEqual([]);
  });

  it("weeks start on Monday (UTC)", () => {
    expect(bucketOf.weekly(Date.parse("2026-03-29T23:59:59Z"))).toBe(
      bucketOf.weekly(Date.parse("2026-03-23T00:00:00Z")),
    );
    expect(bucketOf.weekly(Date.parse("2026-03-30T00:00:00Z"))).toBe(
      bucketOf.weekly(Date.parse("2026-03-29T23:59:59Z")) + 1,
    );
  });

  const history = fc.uniqueArray(
    fc.integer({ min: 0, max: 120 * 24 * 60 }).map((minute) => minute * 60_000),
    { maxLength: 300 },
  );
  const policy: fc.Arbitrary<RetentionPolicy> = fc.record({
    hourly: fc.integer({ min: 0, max: 30 }),
    daily: fc.integer({ min: 0, max: 10 }),
    weekly: fc.integer({ min: 0, max: 6 }),
  });
  const base = Date.parse("2026-01-01T00:00:00Z");
  const toBackups = (ms: number[]) => ms.map((m) => ({ takenAt: new Date(base + m) }));

  it("properties: partition, newest kept, bounded, every recent bucket covered, idempotent", () => {
    fc.assert(
      fc.property(history, policy, (ms, p) => {
        const backups = toBackups(ms);
        const { keep, drop } = applyRetention(backups, p);
        // a partition of the input
        expect(keep.length + drop.length).toBe(backups.length);
        expect(new Set([...keep, ...drop]).size).toBe(backups.length);
        if (backups.length === 0) return;
        // the newest is never dropped
        const newest = Math.max(...backups.map((b) => b.takenAt.getTime()));
        expect(keep[0]!.takenAt.getTime()).toBe(newest);
        // at most one per tier slot, plus the newest
        expect(keep.length).toBeLessThanOrEqual(p.hourly + p.daily + p.weekly + 1);
        // each of the last N buckets (that hold backups) keeps its newest backup
        for (const tier of ["hourly", "daily", "weekly"] as const) {
          const newestPerBucket = new Map<number, number>();
          for (const b of backups) {
            const t = b.takenAt.getTime();
            const k = bucketOf[tier](t);
            newestPerBucket.set(k, Math.max(newestPerBucket.get(k) ?? -Infinity, t));
          }
          const recent = [...newestPerBucket.keys()].sort((a, b) => b - a).slice(0, p[tier]);
          const kept = new Set(keep.map((b) => b.takenAt.getTime()));
          for (const k of recent) expect(kept.has(newestPerBucket.get(k)!)).toBe(true);
        }
        // pruning again prunes nothing more
        expect(applyRetention(keep, p).drop).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});
