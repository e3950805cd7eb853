// Time zones and calendar periods. Everything is stored in UTC; days, weeks, months and years
// are the user's own (their IANA time zone), computed with Luxon so DST changes are right.
import { DateTime, IANAZone } from "luxon";

export function isValidTimeZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

let knownZones: Map<string, string> | null = null;

/**
 * The zone's name as the tz database spells it, whatever case it was typed in ("asia/kolkata" →
 * "Asia/Kolkata", "utc" → "UTC"); null when it is not a zone. ICU's list gives the spelling of
 * most zones; for the few it knows only by an older name (Asia/Calcutta), each part is
 * capitalized, which is how the tz database writes them.
 */
export function canonicalTimeZone(input: string): string | null {
  const typed = input.trim();
  if (!typed || !isValidTimeZone(typed)) return null;
  if (/^(utc|gmt|etc\/utc)$/i.test(typed)) return typed.toUpperCase().replace("ETC/", "Etc/");
  knownZones ??= new Map(Intl.supportedValuesOf("timeZone").map((z) => [z.toLowerCase(), z]));
  const known = knownZones.get(typed.toLowerCase());
  if (known) return known;
  const spelled = typed
    .toLowerCase()
    .replace(/(^|[/_-])([a-z])/g, (_m, sep: string, ch: string) => sep + ch.toUpperCase());
  return isValidTimeZone(spelled) ? spelled : typed;
}

export type Period = "today" | "yesterday" | "week" | "month" | "year" | "all";
export const PERIODS: readonly Period[] = ["today", "yesterday", "week", "month", "year", "all"];

export function parsePeriod(text: string | undefined | null): Period | null {
  const t = (text ?? "").trim().toLowerCase();
  if (!t) return null;
  const aliases: Record<string, Period> = {
    today: "today",
    day: "today",
    d: "today",
    yesterday: "yesterday",
    yday: "yesterday",
    week: "week",
    w: "week",
    month: "month",
    m: "month",
    year: "year",
    y: "year",
    all: "all",
    total: "all",
  };
  // own keys only: "constructor" or "__proto__" typed as a period found Object's and crashed
  // /stats further on (found by the fuzzer)
  return Object.hasOwn(aliases, t) ? aliases[t]! : null;
}

/** Start of the user's day containing `at`, as a UTC instant. */
export function startOfDay(at: Date, zone: string): Date {
  return DateTime.fromJSDate(at, { zone }).startOf("day").toJSDate();
}

/** The first instant of the user's next day (end of today, exclusive). */
export function endOfDay(at: Date, zone: string): Date {
  return DateTime.fromJSDate(at, { zone }).startOf("day").plus({ days: 1 }).toJSDate();
}

/**
 * [from, to) of a period in the user's zone; weeks start on Monday (ISO). "all" starts at 0. Every
 * period but "yesterday" runs to `at`; yesterday ends at the start of today.
 */
export function periodRange(period: Period, at: Date, zone: string): { from: Date; to: Date } {
  const now = DateTime.fromJSDate(at, { zone });
  const to = at;
  switch (period) {
    case "today":
      return { from: now.startOf("day").toJSDate(), to };
    case "yesterday":
      // the whole of the user's previous day, however long (23 or 25 hours on DST days)
      return {
        from: now.startOf("day").minus({ days: 1 }).toJSDate(),
        to: now.startOf("day").toJSDate(),
      };
    case "week":
      return { from: now.startOf("week").toJSDate(), to };
    case "month":
      return { from: now.startOf("month").toJSDate(), to };
    case "year":
      return { from: now.startOf("year").toJSDate(), to };
    case "all":
      return { from: new Date(0), to };
  }
}

/** A date-time in the user's zone, for display: "2026-11-22 14:05". */
export function formatLocal(at: Date, zone: string, withSeconds = false): string {
  return DateTime.fromJSDate(at, { zone }).toFormat(
    withSeconds ? "yyyy-LL-dd HH:mm:ss" : "yyyy-LL-dd HH:mm",
  );
}

/**
 * A recent moment for display in the user's zone: "14:02" when it is on the same local day as
 * `now`, "2026-11-22 14:02" otherwise.
 */
export function formatRecent(at: Date, zone: string, now: Date = new Date()): string {
  const local = DateTime.fromJSDate(at, { zone });
  const today = DateTime.fromJSDate(now, { zone });
  return local.hasSame(today, "day") ? local.toFormat("HH:mm") : local.toFormat("yyyy-LL-dd HH:mm");
}

/** The zone's current UTC offset, for display: "UTC+01:00". */
export function formatOffset(zone: string, at: Date = new Date()): string {
  return `UTC${DateTime.fromJSDate(at, { zone }).toFormat("ZZ")}`;
}
