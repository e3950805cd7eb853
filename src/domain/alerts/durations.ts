// Durations as alerts use them ("5% in 1h", "every 30m"): minutes, hours or days.
const UNIT_MS: Record<string, number> = {
  m: 60_000,
  min: 60_000,
  h: 3_600_000,
  hr: 3_600_000,
  d: 86_400_000,
};

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** "30m", "1h", "2d", "90min" → milliseconds; null when the text is not such a duration. */
export function parseDuration(text: string): number | null {
  const m = text
    .trim()
    .toLowerCase()
    .match(/^(\d{1,4})\s*(m|min|h|hr|d)$/);
  if (!m) return null;
  const n = Number(m[1]);
  return n > 0 ? n * UNIT_MS[m[2]!]! : null;
}

/** The shortest exact spelling: 5400000 → "90m", 7200000 → "2h", 86400000 → "1d". */
export function formatDuration(ms: number): string {
  if (ms % DAY_MS === 0) return `${ms / DAY_MS}d`;
  if (ms % HOUR_MS === 0) return `${ms / HOUR_MS}h`;
  return `${Math.round(ms / MINUTE_MS)}m`;
}
