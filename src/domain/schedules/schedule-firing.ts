// One firing of a schedule, as the runner (or a "run now" press) hands it to whatever turns it
// into a notification, and what comes back: a title, Telegram HTML and an optional chart.
import type { NotificationAttachment } from "../notifications/notification-service.ts";
import type { Actor } from "../users/actor.ts";
import type { ScheduleView } from "./schedule-types.ts";

export interface ScheduleFiring {
  schedule: ScheduleView;
  /** the schedule's owner, as the report is built for them */
  owner: Actor;
  /** the due time being fired (for "run now", the moment of the press) */
  dueAt: Date;
  /** the report is late: the bot was offline when it was due */
  catchUp: boolean;
  /** earlier due times missed during the same downtime, not sent (at most one catch-up) */
  skipped: number;
  /** fired by hand ("run now"), not by the clock */
  manual: boolean;
  /** the next due time after this firing, for the footer */
  nextRunAt: Date | null;
}

export interface ComposedReport {
  /** plain text, shown bold above the message */
  title: string;
  /** Telegram HTML */
  message: string;
  attachment: NotificationAttachment | null;
}

/** Builds the notification for a firing, in the owner's language. */
export interface ScheduledReportComposer {
  compose(firing: ScheduleFiring): Promise<ComposedReport>;
  /** What the owner is told when the report could not be built (`error` is why). */
  composeFailure(firing: ScheduleFiring, error: unknown): Promise<ComposedReport>;
}

/** One copy per schedule and due time: a retried or concurrent firing enqueues nothing new. */
export function firingDedupeKey(scheduleId: number, dueAt: Date, manual = false): string {
  return `schedule:${scheduleId}:${manual ? "manual:" : ""}${dueAt.toISOString()}`;
}
