// Candle intervals: the fixed set every market data source supports, their lengths, and how user
// or config text maps onto them. Candles are aligned to the Unix epoch in UTC (a 4h candle opens
// at 00:00, 04:00, ... UTC; a 1d candle at 00:00 UTC), as exchanges align them.

export const INTERVALS = ["1m", "5m", "15m", "30m", "1h", "4h", "1d"] as const;
export type Interval = (typeof INTERVALS)[number];

const MINUTE_MS = 60_000;

const INTERVAL_MS: Record<Interval, number> = {
  "1m": MINUTE_MS,
  "5m": 5 * MINUTE_MS,
  "15m": 15 * MINUTE_MS,
  "30m": 30 * MINUTE_MS,
  "1h": 60 * MINUTE_MS,
  "4h": 240 * MINUTE_MS,
  "1d": 1440 * MINUTE_MS,
};

/** Spellings people type for the same interval ("60m", "1H", "D", "daily"...). */
const ALIASES = new Map<string, Interval>(
  Object.entries({
    "1min": "1m",
    "5min": "5m",
    "15min": "15m",
    "30min": "30m",
    "60m": "1h",
    "60min": "1h",
    "1hr": "1h",
    h: "1h",
    "240m": "4h",
    "4hr": "4h",
    "24h": "1d",
    d: "1d",
    day: "1d",
    daily: "1d",
  } satisfies Record<string, Interval>),
);

export function isInterval(text: string): text is Interval {
  return (INTERVALS as readonly string[]).includes(text);
}

/**
 * The interval named by `text` (surrounding blanks and case ignored, except that "1M" is a
 * month, which no source offers), or null when it is not one.
 */
export function parseInterval(text: string): Interval | null {
  const trimmed = text.trim();
  // exchanges write a month as "1M"; lower-casing it would silently mean one minute
  if (/^\d+M$/.test(trimmed)) return null;
  const t = trimmed.toLowerCase();
  if (isInterval(t)) return t;
  return ALIASES.get(t) ?? null;
}

/** Length of one candle of `interval` in milliseconds. */
export function intervalMs(interval: Interval): number {
  return INTERVAL_MS[interval];
}

/** Open time of the candle of `interval` that contains `timeMs`. */
export function alignDown(timeMs: number, interval: Interval): number {
  const len = INTERVAL_MS[interval];
  return Math.floor(timeMs / len) * len;
}
