// Configuration of backups, database maintenance and data retention. Part of the app's validated
// configuration (src/config.ts spreads OPS_SHAPE into its schema); the backup and restore scripts
// read only these variables (and DATABASE_URL), so they run without a bot token.
import path from "node:path";
import { z } from "zod";

const DURATION = /^(\d{1,6})\s*(m|h|d)$/i;
const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** "15m", "1h", "6h", "1d" → milliseconds; null when not of that form. */
export function parseDuration(text: string): number | null {
  const m = DURATION.exec(text.trim());
  if (!m) return null;
  return Number(m[1]) * UNIT_MS[m[2]!.toLowerCase() as keyof typeof UNIT_MS];
}

const WEEKDAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;

/** A weekly UTC slot: day of week (0 = Sunday) and minute of the day. */
export interface WeeklySlot {
  weekday: number;
  minuteOfDay: number;
}

/** "sun 04:00" → { weekday: 0, minuteOfDay: 240 }; null when not of that form. */
export function parseWeeklySlot(text: string): WeeklySlot | null {
  const m = /^([a-z]{3})[a-z]*\s+(\d{1,2}):(\d{2})$/i.exec(text.trim());
  if (!m) return null;
  const weekday = (WEEKDAYS as readonly string[]).indexOf(m[1]!.toLowerCase());
  const hour = Number(m[2]);
  const minute = Number(m[3]);
  if (weekday < 0 || hour > 23 || minute > 59) return null;
  return { weekday, minuteOfDay: hour * 60 + minute };
}

/** "03:30" → 210; null when not a UTC time of day. */
export function parseTimeOfDay(text: string): number | null {
  const m = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) return null;
  return Number(m[1]) * 60 + Number(m[2]);
}

const duration = (fallback: string, minMs: number, example: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((s, ctx) => {
      const ms = parseDuration(s || fallback);
      if (ms === null || ms < minMs) {
        ctx.addIssue({
          code: "custom",
          message: `must be a duration such as ${example} (minutes m, hours h, days d), at least ${minMs / 60_000} minutes`,
        });
        return z.NEVER;
      }
      return ms;
    });

const days = (fallback: number) =>
  z
    .string()
    .trim()
    .optional()
    .transform((s, ctx) => {
      if (!s) return fallback;
      const n = Number(s);
      if (!Number.isInteger(n) || n < 1 || n > 36_500) {
        ctx.addIssue({ code: "custom", message: "must be a whole number of days from 1 to 36500" });
        return z.NEVER;
      }
      return n;
    });

const count = (fallback: number) =>
  z
    .string()
    .trim()
    .optional()
    .transform((s, ctx) => {
      if (!s) return fallback;
      const n = Number(s);
      if (!Number.isInteger(n) || n < 0 || n > 10_000) {
        ctx.addIssue({ code: "custom", message: "must be a whole number from 0 to 10000" });
        return z.NEVER;
      }
      return n;
    });

export const OPS_SHAPE = {
  /** how often the backup job takes a backup */
  BACKUP_INTERVAL: duration("1h", 5 * 60_000, "1h or 30m"),
  /** where backups go; relative paths are against the working directory */
  BACKUP_DIR: z
    .string()
    .trim()
    .optional()
    .transform((s) => path.resolve(s || "data/backups")),
  BACKUP_KEEP_HOURLY: count(24),
  BACKUP_KEEP_DAILY: count(7),
  BACKUP_KEEP_WEEKLY: count(4),
  /** SQLite: checkpoint (TRUNCATE) the WAL when it grows past this many MB */
  WAL_CHECKPOINT_MB: z
    .string()
    .trim()
    .optional()
    .transform((s, ctx) => {
      const n = Number(s || "64");
      if (!Number.isInteger(n) || n < 1 || n > 1_000_000) {
        ctx.addIssue({ code: "custom", message: "must be a whole number of MB from 1" });
        return z.NEVER;
      }
      return n;
    }),
  /** UTC time of day of the daily PRAGMA optimize (SQLite) / ANALYZE (PostgreSQL) */
  MAINTENANCE_DAILY_AT: z
    .string()
    .trim()
    .optional()
    .transform((s, ctx) => {
      const minute = parseTimeOfDay(s || "03:30");
      if (minute === null) {
        ctx.addIssue({ code: "custom", message: "must be a UTC time of day such as 03:30" });
        return z.NEVER;
      }
      return minute;
    }),
  /** weekly UTC slot of the SQLite VACUUM, e.g. "sun 04:00" */
  VACUUM_AT: z
    .string()
    .trim()
    .optional()
    .transform((s, ctx) => {
      const slot = parseWeeklySlot(s || "sun 04:00");
      if (!slot) {
        ctx.addIssue({
          code: "custom",
          message: "must be a weekday and UTC time such as sun 04:00",
        });
        return z.NEVER;
      }
      return slot;
    }),
  RETAIN_SENT_NOTIFICATIONS_DAYS: days(30),
  RETAIN_DEAD_LETTERS_DAYS: days(90),
  RETAIN_SESSIONS_DAYS: days(7),
  RETAIN_LINK_CODES_DAYS: days(7),
};

const opsSchema = z.object({
  DATABASE_URL: z.string().optional(),
  ...OPS_SHAPE,
});

export type OpsConfig = z.output<typeof opsSchema>;

/** The ops variables alone (scripts); every problem named, as loadConfig does. */
export function loadOpsConfig(env: NodeJS.ProcessEnv = process.env): OpsConfig {
  const input = Object.fromEntries(
    Object.entries(env).map(([k, v]) => [k, v === "" ? undefined : v]),
  );
  const result = opsSchema.safeParse(input);
  if (result.success) return result.data;
  throw new Error(
    `Invalid configuration:\n${result.error.issues.map((i) => `  - ${i.path.join(".")} ${i.message}`).join("\n")}\nSee .env.example for every variable.`,
  );
}

/** The settings the backup, maintenance and retention services take, from the configuration. */
export function opsSettings(c: Omit<OpsConfig, "DATABASE_URL">) {
  return {
    backups: {
      dir: c.BACKUP_DIR,
      intervalMs: c.BACKUP_INTERVAL,
      retention: {
        hourly: c.BACKUP_KEEP_HOURLY,
        daily: c.BACKUP_KEEP_DAILY,
        weekly: c.BACKUP_KEEP_WEEKLY,
      },
    },
    maintenance: {
      walCheckpointBytes: c.WAL_CHECKPOINT_MB * 1024 * 1024,
      dailyAtMinute: c.MAINTENANCE_DAILY_AT,
      vacuum: c.VACUUM_AT,
    },
    retention: {
      sentNotificationsDays: c.RETAIN_SENT_NOTIFICATIONS_DAYS,
      deadLettersDays: c.RETAIN_DEAD_LETTERS_DAYS,
      sessionsDays: c.RETAIN_SESSIONS_DAYS,
      linkCodesDays: c.RETAIN_LINK_CODES_DAYS,
    },
  };
}

export type OpsSettings = ReturnType<typeof opsSettings>;

/** The defaults (tests and tools that build services without a configuration). */
export function defaultOpsSettings(): OpsSettings {
  return opsSettings(loadOpsConfig({}));
}
