// Which backups to keep: the newest backup of each of the last N hours, days and weeks that have
// backups (UTC; weeks start on Monday), the union of the three tiers, and always the newest one.
// The same rule as restic's --keep-hourly/--keep-daily/--keep-weekly: tiers count buckets that
// hold a backup, not calendar slots, so a machine that was off for a week still keeps its last
// 7 daily backups. Pure: no clock, no files.

export interface RetentionPolicy {
  hourly: number;
  daily: number;
  weekly: number;
}

export const DEFAULT_RETENTION: RetentionPolicy = { hourly: 24, daily: 7, weekly: 4 };

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
// 1970-01-01 was a Thursday: shifting by 3 days makes week buckets start on Monday
const MONDAY_SHIFT = 3 * DAY;

export const bucketOf = {
  hourly: (ms: number) => Math.floor(ms / HOUR),
  daily: (ms: number) => Math.floor(ms / DAY),
  weekly: (ms: number) => Math.floor((ms + MONDAY_SHIFT) / WEEK),
};

/**
 * Splits backups (anything with a time) into those to keep and those to delete. Input order does
 * not matter; ties in time are kept or dropped together only when they are the same object.
 */
export function applyRetention<T extends { takenAt: Date }>(
  backups: readonly T[],
  policy: RetentionPolicy,
): { keep: T[]; drop: T[] } {
  const newestFirst = [...backups].sort((a, b) => b.takenAt.getTime() - a.takenAt.getTime());
  const keep = new Set<T>();
  if (newestFirst[0]) keep.add(newestFirst[0]);
  for (const tier of ["hourly", "daily", "weekly"] as const) {
    let left = policy[tier];
    let last: number | null = null;
    for (const b of newestFirst) {
      if (left <= 0) break;
      const bucket = bucketOf[tier](b.takenAt.getTime());
      if (bucket === last) continue;
      last = bucket;
      keep.add(b);
      left--;
    }
  }
  return {
    keep: newestFirst.filter((b) => keep.has(b)),
    drop: newestFirst.filter((b) => !keep.has(b)),
  };
}
