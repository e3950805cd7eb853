// Users' schedules: what to run (a portfolio summary, a PnL report, a screener), when (a preset or
// a five-field cron expression in the user's time zone), and where the report goes (one of the
// user's active chats, by default their private chat). Every call takes the acting user and only
// ever sees that user's schedules; another user's id looks exactly like a missing one. What the
// user picks from while making one (run times, chats, screeners) comes from ScheduleChoices
// (schedule-choices.ts).
//
// The runner (schedule-runner.ts) uses the unchecked part at the bottom: the due
// schedules, and `claim`, the conditional update that lets exactly one process fire a due time.
import { randomUUID } from "node:crypto";
import type { Tx } from "../../db/client.ts";
import { isUniqueViolationOn } from "../../db/errors.ts";
import type { Prisma } from "../../db/generated/sqlite/client.ts";
import { audit } from "../audit/audit-logger.ts";
import { ConflictError, NotFoundError, StateError } from "../errors.ts";
import { cleanName } from "../names.ts";
import { type Actor, assertApproved } from "../users/actor.ts";
import { checkScheduleTimeZone, nextRunAfter } from "./cron-schedule.ts";
import { type DueSchedule, claimDueTime, loadDueSchedules } from "./due-schedules.ts";
import { checkChat, checkTarget, cronOf } from "./schedule-checks.ts";
import { ScheduleChoices } from "./schedule-choices.ts";
import type { CreateScheduleInput, SchedulePage, ScheduleView } from "./schedule-types.ts";
import { type ScheduleRow, loadViewContext, toView } from "./schedule-views.ts";

export type { DueSchedule } from "./due-schedules.ts";

const MAX_SCHEDULES_PER_USER = 50;
const MAX_PAGE_SIZE = 50;

export class ScheduleService extends ScheduleChoices {
  // ───────────── the user's schedules ─────────────

  async create(actor: Actor, input: CreateScheduleInput): Promise<ScheduleView> {
    assertApproved(actor);
    const name = cleanName("name", input.name);
    const target = await checkTarget(
      {
        db: this.ctx.db,
        portfolios: this.portfolios,
        screenersAvailable: this.screenersAvailable,
      },
      actor,
      input.target,
    );
    const timeZone = checkScheduleTimeZone(input.timeZone ?? actor.timeZone);
    const now = this.ctx.clock.now();
    const cron = cronOf(input.when, timeZone, now);
    const chatId = input.chatId ?? null;
    if (chatId !== null) await checkChat(this.ctx.db, actor, chatId);
    if (await this.nameTaken(actor, name)) {
      throw new ConflictError("name", "error-schedule-name-taken", { name });
    }
    const count = await this.ctx.db.schedule.count({ where: { userId: actor.id } });
    if (count >= MAX_SCHEDULES_PER_USER) {
      throw new StateError("error-schedule-limit", { max: MAX_SCHEDULES_PER_USER });
    }
    try {
      const id = await this.ctx.db.$transaction(async (tx) => {
        const row = await tx.schedule.create({
          data: {
            uid: randomUUID(),
            userId: actor.id,
            name,
            cron,
            timeZone,
            config: target as Prisma.InputJsonValue,
            chatId,
            isActive: true,
            nextRunAt: nextRunAfter(cron, timeZone, now),
          },
        });
        await audit(tx, {
          actorId: actor.id,
          entityType: "SCHEDULE",
          entityId: row.id,
          action: "CREATE",
          details: { name, cron, timeZone, target, chatId },
        });
        return row.id;
      });
      return this.get(actor, id);
    } catch (e) {
      if (isUniqueViolationOn(e, "name")) {
        throw new ConflictError("name", "error-schedule-name-taken", { name });
      }
      throw e;
    }
  }

  async list(
    actor: Actor,
    paging: { page?: number; pageSize?: number } = {},
  ): Promise<SchedulePage> {
    assertApproved(actor);
    const pageSize = Math.min(Math.max(1, Math.floor(paging.pageSize ?? 5)), MAX_PAGE_SIZE);
    const where = { userId: actor.id };
    const total = await this.ctx.db.schedule.count({ where });
    const lastPage = Math.max(1, Math.ceil(total / pageSize));
    const page = Math.min(Math.max(1, Math.floor(paging.page ?? 1)), lastPage);
    const rows = await this.ctx.db.schedule.findMany({
      where,
      include: { chat: true },
      orderBy: { id: "asc" },
      skip: (page - 1) * pageSize,
      take: pageSize,
    });
    const context = await loadViewContext(this.ctx.db, actor.id);
    return { schedules: rows.map((r) => toView(r, context)), total, page, pageSize };
  }

  async get(actor: Actor, scheduleId: number): Promise<ScheduleView> {
    assertApproved(actor);
    const row = await this.owned(actor, scheduleId);
    return toView(row, await loadViewContext(this.ctx.db, actor.id));
  }

  async pause(actor: Actor, scheduleId: number): Promise<ScheduleView> {
    assertApproved(actor);
    await this.owned(actor, scheduleId);
    await this.update(actor, scheduleId, { isActive: false, nextRunAt: null });
    return this.get(actor, scheduleId);
  }

  /** Resumes from now on: runs missed while paused are not caught up. */
  async resume(actor: Actor, scheduleId: number): Promise<ScheduleView> {
    assertApproved(actor);
    const row = await this.owned(actor, scheduleId);
    const next = nextRunAfter(row.cron, row.timeZone, this.ctx.clock.now());
    await this.update(actor, scheduleId, { isActive: true, nextRunAt: next });
    return this.get(actor, scheduleId);
  }

  async remove(actor: Actor, scheduleId: number): Promise<void> {
    assertApproved(actor);
    const row = await this.owned(actor, scheduleId);
    await this.ctx.db.$transaction(async (tx) => {
      await tx.schedule.delete({ where: { id: row.id } });
      await audit(tx, {
        actorId: actor.id,
        entityType: "SCHEDULE",
        entityId: row.id,
        action: "DELETE",
        details: { name: row.name },
      });
    });
  }

  // ───────────── for the runner (no acting user) ─────────────

  /** Active schedules whose next due time has come, oldest first, with their owners. */
  async dueSchedules(
    now: Date,
    limit = 100,
    excludeIds: readonly number[] = [],
  ): Promise<DueSchedule[]> {
    return loadDueSchedules(this.ctx.db, now, limit, excludeIds);
  }

  /**
   * A due schedule whose portfolio is gone or archived is paused (and its owner told) rather than
   * failing at every tick. True when it was paused: the runner then fires nothing for it.
   */
  async pauseIfTargetRetired(due: DueSchedule): Promise<boolean> {
    const { target, id, userId } = due.schedule;
    if (target.kind === "SCREENER") return false;
    const live = await this.ctx.db.portfolio.count({
      where: { id: target.portfolioId, userId, archivedAt: null },
    });
    if (live > 0) return false;
    return this.portfolios.pauseOrphanedSchedule(id, userId, target.portfolioId);
  }

  /**
   * Records that `dueAt` was fired and when the schedule is due next — only if nobody else did
   * in the meantime: the update is conditional on the lastDueAt and nextRunAt the caller read,
   * so of two processes claiming the same due time exactly one gets true. Run it in the same
   * transaction as the enqueue of the report, so the claim and the report commit together.
   */
  async claim(
    tx: Tx,
    seen: Pick<ScheduleView, "id" | "lastDueAt" | "nextRunAt">,
    dueAt: Date | null,
    nextRunAt: Date | null,
  ): Promise<boolean> {
    return claimDueTime(tx, seen, dueAt, nextRunAt);
  }

  // ───────────── internals ─────────────

  private async owned(actor: Actor, scheduleId: number): Promise<ScheduleRow> {
    const row = Number.isSafeInteger(scheduleId)
      ? await this.ctx.db.schedule.findFirst({
          where: { id: scheduleId, userId: actor.id },
          include: { chat: true },
        })
      : null;
    if (!row) throw new NotFoundError("schedule", scheduleId, "error-schedule-not-found");
    return row;
  }

  private async update(
    actor: Actor,
    scheduleId: number,
    data: { isActive: boolean; nextRunAt: Date | null },
  ): Promise<void> {
    await this.ctx.db.$transaction(async (tx) => {
      await tx.schedule.update({ where: { id: scheduleId }, data });
      await audit(tx, {
        actorId: actor.id,
        entityType: "SCHEDULE",
        entityId: scheduleId,
        action: "UPDATE",
        details: { isActive: data.isActive },
      });
    });
  }
}
