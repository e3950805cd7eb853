// What the schedule runner reads and writes, with no acting user: the due schedules with their
// owners, and the claim of one due time.
import type { Db, Tx } from "../../db/client.ts";
import { type Actor, toActor } from "../users/actor.ts";
import type { ScheduleView } from "./schedule-types.ts";
import { type ViewContext, loadViewContext, toView } from "./schedule-views.ts";

/** A due schedule as the runner sees it, with its owner as the domain acts for them. */
export interface DueSchedule {
  schedule: ScheduleView;
  owner: Actor;
}

/** Active schedules whose next due time has come, oldest first, with their owners. */
export async function loadDueSchedules(
  db: Db,
  now: Date,
  limit = 100,
  excludeIds: readonly number[] = [],
): Promise<DueSchedule[]> {
  const rows = await db.schedule.findMany({
    where: {
      isActive: true,
      nextRunAt: { lte: now },
      ...(excludeIds.length ? { id: { notIn: [...excludeIds] } } : {}),
    },
    include: { chat: true, user: true },
    orderBy: [{ nextRunAt: "asc" }, { id: "asc" }],
    take: limit,
  });
  const contexts = new Map<number, ViewContext>();
  const out: DueSchedule[] = [];
  for (const row of rows) {
    let context = contexts.get(row.userId);
    if (!context) {
      context = await loadViewContext(db, row.userId);
      contexts.set(row.userId, context);
    }
    out.push({ schedule: toView(row, context), owner: toActor(row.user) });
  }
  return out;
}

/**
 * Records that `dueAt` was fired and when the schedule is due next — only if nobody else did
 * in the meantime: the update is conditional on the lastDueAt and nextRunAt the caller read,
 * so of two processes claiming the same due time exactly one gets true. Run it in the same
 * transaction as the enqueue of the report, so the claim and the report commit together.
 */
export async function claimDueTime(
  tx: Tx,
  seen: Pick<ScheduleView, "id" | "lastDueAt" | "nextRunAt">,
  dueAt: Date | null,
  nextRunAt: Date | null,
): Promise<boolean> {
  const { count } = await tx.schedule.updateMany({
    where: {
      id: seen.id,
      isActive: true,
      lastDueAt: seen.lastDueAt,
      nextRunAt: seen.nextRunAt,
    },
    data: { ...(dueAt ? { lastDueAt: dueAt } : {}), nextRunAt },
  });
  return count === 1;
}
