// The last n calendar days, weeks (ISO, from Monday) or months in a time zone, as [from, to)
// instants: the oldest first, the last one running from the start of the current unit to `now`.
// Luxon does the calendar arithmetic, so a day across a DST change is 23 or 25 hours long.
import { DateTime } from "luxon";

export type BucketUnit = "day" | "week" | "month";

export interface Bucket {
  from: Date;
  to: Date;
}

export function lastBuckets(unit: BucketUnit, n: number, now: Date, zone: string): Bucket[] {
  if (!Number.isInteger(n) || n < 1) throw new RangeError("n must be a positive integer");
  const current = DateTime.fromJSDate(now, { zone }).startOf(unit);
  const out: Bucket[] = [];
  for (let k = n - 1; k >= 0; k--) {
    const start = current.minus({ [`${unit}s`]: k });
    const end = k === 0 ? DateTime.fromJSDate(now, { zone }) : start.plus({ [`${unit}s`]: 1 });
    out.push({ from: start.toJSDate(), to: end.toJSDate() });
  }
  return out;
}
