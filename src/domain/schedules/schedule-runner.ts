// Fires users' schedules: each due time exactly once, even across restarts and with several
// processes running the job (src/jobs/schedule-runner.ts runs it every minute).
//
// - Due: active schedules whose nextRunAt has come. The due time fired is the latest run time of
//   the expression at or before now; after downtime that is the one catch-up run (earlier missed
//   ones are counted and skipped), and a report fired later than LATE_AFTER_MS after its due time
//   says it is a catch-up.
// - Exactly once: the report is built first (outside any transaction: market data and a chart
//   take a moment), then one transaction claims the due time — a conditional update on the
//   lastDueAt and nextRunAt that were read, which only one process can win — and enqueues the
//   report into the outbox with the dedupe key schedule id + due time. Claim and enqueue commit
//   together, so a crash never leaves one without the other, and a restarted runner finds the due
//   time already recorded.
// - A report that cannot be built (screener failing) still consumes its due time: the owner is
//   told why instead, once.
// - A schedule whose portfolio is gone or archived is paused with a notification (the same one a
//   deletion sends) instead of failing at every tick.
import type { DomainContext } from "../context.ts";
import type { NotificationService } from "../notifications/notification-service.ts";
import { SILENT_LOGGER, type SyncLogger } from "../trading/account-sync.ts";
import { canUseProduct } from "../users/actor.ts";
import { countRunsBetween, latestRunAtOrBefore, nextRunAfter } from "./cron-schedule.ts";
import {
  type ComposedReport,
  type ScheduleFiring,
  type ScheduledReportComposer,
  firingDedupeKey,
} from "./schedule-firing.ts";
import type { DueSchedule, ScheduleService } from "./schedule-service.ts";

/** A report sent this long after its due time is announced as a catch-up. */
const LATE_AFTER_MS = 5 * 60_000;
/** Due schedules read per query. */
const BATCH_SIZE = 50;
/** Schedules handled per run at most; the rest wait for the next run. */
const MAX_PER_RUN = 500;

export interface ScheduleRunnerDeps {
  ctx: DomainContext;
  schedules: ScheduleService;
  notifications: NotificationService;
  logger?: SyncLogger;
}

export interface ScheduleRunSummary {
  /** due schedules looked at */
  due: number;
  /** reports enqueued (including failure notices) */
  fired: number;
  /** of those, late ones (catch-up after downtime) */
  caughtUp: number;
  /** missed due times skipped in favour of the latest one */
  skipped: number;
  /** reports that could not be built (the owner got the reason) */
  failed: number;
  /** due times another process claimed first */
  claimedElsewhere: number;
  /** due times passed over because the owner may not use the bot now */
  ownerInactive: number;
  /** schedules paused because their portfolio is gone or archived */
  paused: number;
}

export class ScheduleRunner {
  private readonly logger: SyncLogger;

  constructor(private readonly deps: ScheduleRunnerDeps) {
    this.logger = deps.logger ?? SILENT_LOGGER;
  }

  /**
   * Fires every schedule due at `now`, its report built by `composer` (the bot's, in the owner's
   * language). A firing that fails before its claim is logged and tried again by the next run.
   */
  async fireDue(now: Date, composer: ScheduledReportComposer): Promise<ScheduleRunSummary> {
    const summary: ScheduleRunSummary = {
      due: 0,
      fired: 0,
      caughtUp: 0,
      skipped: 0,
      failed: 0,
      claimedElsewhere: 0,
      ownerInactive: 0,
      paused: 0,
    };
    // ids already handled in this run, so one that keeps failing cannot be picked up again
    const handled: number[] = [];
    while (summary.due < MAX_PER_RUN) {
      const batch = await this.deps.schedules.dueSchedules(
        now,
        Math.min(BATCH_SIZE, MAX_PER_RUN - summary.due),
        handled,
      );
      if (batch.length === 0) break;
      for (const due of batch) {
        handled.push(due.schedule.id);
        summary.due++;
        try {
          await this.fire(due, now, composer, summary);
        } catch (err) {
          // nothing was claimed: the next run tries this due time again
          this.logger.error(
            { err, schedule: due.schedule.id },
            "schedule firing failed; will retry",
          );
        }
      }
    }
    return summary;
  }

  private async fire(
    due: DueSchedule,
    now: Date,
    composer: ScheduledReportComposer,
    summary: ScheduleRunSummary,
  ): Promise<void> {
    const { db } = this.deps.ctx;
    const { schedule, owner } = due;
    const seenNext = schedule.nextRunAt!;
    const latest = latestRunAtOrBefore(schedule.cron, schedule.timeZone, now);
    const dueAt = latest && latest.getTime() >= seenNext.getTime() ? latest : seenNext;
    const next = nextRunAfter(schedule.cron, schedule.timeZone, dueAt);

    if (schedule.lastDueAt && dueAt.getTime() <= schedule.lastDueAt.getTime()) {
      // already fired (nextRunAt was behind): only move nextRunAt on
      await db.$transaction((tx) => this.deps.schedules.claim(tx, schedule, null, next));
      return;
    }
    if (!canUseProduct(owner)) {
      // deactivated or no longer approved: the due time passes without a report
      const claimed = await db.$transaction((tx) =>
        this.deps.schedules.claim(tx, schedule, dueAt, next),
      );
      if (claimed) summary.ownerInactive++;
      return;
    }

    if (await this.deps.schedules.pauseIfTargetRetired(due)) {
      summary.paused++;
      this.logger.info(
        { schedule: schedule.id },
        "schedule paused: its portfolio is gone or archived",
      );
      return;
    }

    const skipped = countRunsBetween(schedule.cron, schedule.timeZone, seenNext, dueAt);
    const firing: ScheduleFiring = {
      schedule,
      owner,
      dueAt,
      catchUp: now.getTime() - dueAt.getTime() > LATE_AFTER_MS,
      skipped,
      manual: false,
      nextRunAt: next,
    };
    let report: ComposedReport;
    let failed = false;
    try {
      report = await composer.compose(firing);
    } catch (err) {
      failed = true;
      this.logger.warn({ err, schedule: schedule.id }, "scheduled report could not be built");
      report = await composer.composeFailure(firing, err);
    }

    const claimed = await db.$transaction(async (tx) => {
      if (!(await this.deps.schedules.claim(tx, schedule, dueAt, next))) return false;
      if (schedule.destination) {
        await this.deps.notifications.enqueue(tx, {
          userId: schedule.userId,
          type: "REPORT",
          severity: "INFO",
          title: report.title,
          message: report.message,
          format: "html",
          dedupeKey: firingDedupeKey(schedule.id, dueAt),
          attachment: report.attachment,
          chatId: schedule.destination.id,
        });
      }
      return true;
    });
    if (!claimed) {
      summary.claimedElsewhere++;
      return;
    }
    summary.fired++;
    summary.skipped += skipped;
    if (firing.catchUp) summary.caughtUp++;
    if (failed) summary.failed++;
    this.logger.info(
      {
        schedule: schedule.id,
        dueAt: dueAt.toISOString(),
        catchUp: firing.catchUp,
        skipped,
        failed,
        delivered: schedule.destination !== null,
      },
      "schedule fired",
    );
  }
}
