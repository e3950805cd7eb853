// What a schedule runs (its JSON config), validated with zod both when a schedule is created and
// when a stored one is read back, and how schedules look to the fronts.
import { z } from "zod";
import type { ChatType } from "../../db/generated/sqlite/enums.ts";
import { PERIODS, type Period } from "../../lib/time.ts";
import type { SchedulePreset } from "./cron-schedule.ts";

export const SCHEDULE_KINDS = ["PORTFOLIO_SUMMARY", "PNL_REPORT", "SCREENER"] as const;
export type ScheduleKind = (typeof SCHEDULE_KINDS)[number];

/** The period a summary's PnL and equity curve cover when none is chosen. */
export const DEFAULT_SUMMARY_PERIOD: Period = "month";

const id = z.number().int().positive();
const period = z.enum(PERIODS as [Period, ...Period[]]);

export const scheduleTargetSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("PORTFOLIO_SUMMARY"),
    portfolioId: id,
    period: period.default(DEFAULT_SUMMARY_PERIOD),
  }),
  z.object({ kind: z.literal("PNL_REPORT"), portfolioId: id, period }),
  z.object({ kind: z.literal("SCREENER"), screenerId: id }),
]);

/** What to run, as stored in Schedule.config. */
export type ScheduleTarget = z.output<typeof scheduleTargetSchema>;
/** What a caller passes (a summary's period may be left out). */
export type ScheduleTargetInput = z.input<typeof scheduleTargetSchema>;

export type ScheduleWhen = { preset: SchedulePreset } | { cron: string };

export interface CreateScheduleInput {
  name: string;
  target: ScheduleTargetInput;
  when: ScheduleWhen;
  /** IANA zone the expression is read in; the user's own zone when left out */
  timeZone?: string | null;
  /** telegram_chats.id of one of the user's active chats; their private chat when left out */
  chatId?: number | null;
}

export interface ScheduleDestination {
  /** telegram_chats.id */
  id: number;
  type: ChatType;
  title: string | null;
  isActive: boolean;
}

export interface ScheduleView {
  id: number;
  uid: string;
  userId: number;
  name: string;
  cron: string;
  /** the preset the expression is, shown by name; null for a custom expression */
  preset: SchedulePreset | null;
  timeZone: string;
  target: ScheduleTarget;
  /** the portfolio's or screener's name now; null when it no longer exists */
  targetName: string | null;
  /** the chat chosen at creation; null means the user's private chat */
  chatId: number | null;
  /** where reports go: the chosen chat, else the private chat; null when the user has neither */
  destination: ScheduleDestination | null;
  isActive: boolean;
  /** the due time most recently fired */
  lastDueAt: Date | null;
  /** the next due time (null while paused or when the expression has no future run) */
  nextRunAt: Date | null;
  createdAt: Date;
}

export interface SchedulePage {
  schedules: ScheduleView[];
  total: number;
  page: number;
  pageSize: number;
}

/** A chat a schedule can deliver to. */
export interface DestinationChoice extends ScheduleDestination {
  isPrivate: boolean;
}

/** A screener a schedule can run. */
export interface ScreenerChoice {
  id: number;
  name: string;
}
