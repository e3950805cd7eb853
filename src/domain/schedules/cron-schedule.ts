// Cron expressions of user schedules, evaluated with croner in the schedule's own IANA time zone
// (so "09:00 every weekday" stays 09:00 local across daylight-saving changes; croner runs a time
// that falls in the spring-forward gap at the first valid minute after it, and a time that occurs
// twice in the autumn once).
//
// Users type five fields (minute hour day-of-month month day-of-week); croner's "5-part" mode
// refuses seconds and years. Day-of-month and day-of-week combine with OR, as in standard cron.
import { Cron } from "croner";
import { isValidTimeZone } from "../../lib/time.ts";
import { ValidationError } from "../errors.ts";

/** The schedules offered as buttons, by name, with their cron expressions. */
export const SCHEDULE_PRESETS = {
  weekdays: "0 9 * * 1-5",
  mondays: "0 9 * * 1",
  hourly: "0 * * * *",
  evenings: "0 18 * * *",
} as const;
export type SchedulePreset = keyof typeof SCHEDULE_PRESETS;
export const SCHEDULE_PRESET_NAMES = Object.keys(SCHEDULE_PRESETS) as SchedulePreset[];

/** Shown with every cron error: 09:00 on weekdays. */
export const CRON_EXAMPLE = SCHEDULE_PRESETS.weekdays;
export const TIME_ZONE_EXAMPLE = "Europe/Berlin";

/**
 * Reports go to Telegram chats: an expression that fires more often than this would flood them
 * (and the outbox), so it is refused with an explanation.
 */
export const MIN_INTERVAL_MINUTES = 15;
/** How many upcoming runs the frequency check looks at. */
const FREQUENCY_SAMPLE = 48;
const MAX_EXPRESSION_LENGTH = 100;

export function isSchedulePreset(value: string): value is SchedulePreset {
  return Object.hasOwn(SCHEDULE_PRESETS, value);
}

/** The preset an expression is, if any (shown by name instead of as cron). */
export function presetOf(cron: string): SchedulePreset | null {
  return SCHEDULE_PRESET_NAMES.find((p) => SCHEDULE_PRESETS[p] === cron) ?? null;
}

/** The expression as stored: surrounding blanks removed, inner runs of blanks collapsed. */
export function normalizeCron(text: string): string {
  return text.trim().replace(/\s+/g, " ");
}

export function checkScheduleTimeZone(zone: string): string {
  const z = zone.trim();
  if (!z || !isValidTimeZone(z)) {
    throw new ValidationError("timeZone", "error-schedule-time-zone-invalid", {
      value: zone,
      example: TIME_ZONE_EXAMPLE,
    });
  }
  return z;
}

/** A croner job that never runs by itself (paused), used only to compute run times. */
function cronFor(expression: string, timeZone: string): Cron {
  return new Cron(expression, { timezone: timeZone, mode: "5-part", paused: true });
}

/**
 * Parses and checks a user's expression in a (valid) time zone: croner must accept it, it must
 * ever run (`0 0 31 2 *` never does), and not more often than every MIN_INTERVAL_MINUTES.
 * Throws a ValidationError on field "scheduleCron" carrying croner's words and an example.
 */
export function checkCron(text: string, timeZone: string, from: Date): string {
  const expression = normalizeCron(text);
  if (!expression) {
    throw new ValidationError("scheduleCron", "error-schedule-cron-empty", {
      example: CRON_EXAMPLE,
    });
  }
  if (expression.length > MAX_EXPRESSION_LENGTH) {
    throw new ValidationError("scheduleCron", "error-schedule-cron-invalid", {
      cron: expression.slice(0, 40),
      problem: "length",
      max: MAX_EXPRESSION_LENGTH,
      example: CRON_EXAMPLE,
    });
  }
  let cron: Cron;
  try {
    cron = cronFor(expression, timeZone);
  } catch {
    throw new ValidationError("scheduleCron", "error-schedule-cron-invalid", {
      cron: expression,
      ...diagnose(expression),
      example: CRON_EXAMPLE,
    });
  }
  const runs = cron.nextRuns(FREQUENCY_SAMPLE, from);
  if (runs.length === 0) {
    throw new ValidationError("scheduleCron", "error-schedule-cron-never", {
      cron: expression,
      example: CRON_EXAMPLE,
    });
  }
  for (let i = 1; i < runs.length; i++) {
    if (runs[i]!.getTime() - runs[i - 1]!.getTime() < MIN_INTERVAL_MINUTES * 60_000) {
      throw new ValidationError("scheduleCron", "error-schedule-cron-too-frequent", {
        cron: expression,
        minutes: MIN_INTERVAL_MINUTES,
        example: CRON_EXAMPLE,
      });
    }
  }
  return expression;
}

const FIELD_NAMES = ["minute", "hour", "day", "month", "weekday"] as const;

/**
 * What is wrong with an expression croner refused, as parameters the message words in the user's
 * language (croner's own explanation is English, and speaks of six or seven fields users never
 * type): the number of fields, or the first field that is wrong on its own.
 */
function diagnose(expression: string): Record<string, string | number> {
  const fields = expression.split(" ");
  if (fields.length !== 5) return { problem: "count", count: fields.length };
  for (let i = 0; i < fields.length; i++) {
    const alone = fields.map((f, j) => (j === i ? f : "*")).join(" ");
    try {
      cronFor(alone, "UTC");
    } catch {
      return { problem: "field", field: FIELD_NAMES[i]!, value: fields[i]!.slice(0, 20) };
    }
  }
  return { problem: "combination" };
}

/** The next `n` run times strictly after `from` (an expression already checked). */
export function nextRuns(expression: string, timeZone: string, n = 5, from = new Date()): Date[] {
  return cronFor(expression, timeZone).nextRuns(n, from);
}

/** The first run time strictly after `after`, or null when there is none. */
export function nextRunAfter(expression: string, timeZone: string, after: Date): Date | null {
  return cronFor(expression, timeZone).nextRun(after);
}

/** The most recent run time at or before `at`, or null when there is none. */
export function latestRunAtOrBefore(expression: string, timeZone: string, at: Date): Date | null {
  const cron = cronFor(expression, timeZone);
  // previousRuns looks strictly before its reference (a run in the same second counts):
  // move the reference just past `at` so a run exactly at `at` is included
  const [latest] = cron.previousRuns(1, new Date(at.getTime() + 1000));
  return latest && latest.getTime() <= at.getTime() ? latest : null;
}

/**
 * How many run times lie in [from, until) — the runs a downtime skipped — counting at most
 * `cap` of them (a year of an hourly schedule need not be enumerated to say "many").
 */
export function countRunsBetween(
  expression: string,
  timeZone: string,
  from: Date,
  until: Date,
  cap = 1000,
): number {
  if (from.getTime() >= until.getTime()) return 0;
  const cron = cronFor(expression, timeZone);
  let count = 0;
  // enumerate() yields runs strictly after its start: start one second early to include `from`
  for (const run of cron.enumerate(new Date(from.getTime() - 1000))) {
    if (run.getTime() >= until.getTime() || count >= cap) break;
    if (run.getTime() >= from.getTime()) count++;
  }
  return count;
}
