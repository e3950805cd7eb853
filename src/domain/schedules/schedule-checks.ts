// Checks of what the user typed into a schedule: when (a preset or a cron expression), what it
// runs, and where the report goes.
import type { Db } from "../../db/client.ts";
import { ValidationError, StateError } from "../errors.ts";
import type { PortfolioService } from "../portfolios/portfolio-service.ts";
import type { Actor } from "../users/actor.ts";
import { SCHEDULE_PRESETS, checkCron, isSchedulePreset } from "./cron-schedule.ts";
import {
  type ScheduleTarget,
  type ScheduleTargetInput,
  type ScheduleWhen,
  scheduleTargetSchema,
} from "./schedule-types.ts";

/** The cron expression a preset stands for, or the user's own expression checked. */
export function cronOf(when: ScheduleWhen, timeZone: string, at: Date): string {
  if ("preset" in when) {
    if (!isSchedulePreset(when.preset)) {
      throw new ValidationError("scheduleCron", "error-schedule-preset-unknown", {
        value: String(when.preset),
      });
    }
    return SCHEDULE_PRESETS[when.preset];
  }
  return checkCron(when.cron, timeZone, at);
}

/**
 * The target as the schema reads it, on the actor's own live portfolio or own screener (a
 * screener only when screeners can run).
 */
export async function checkTarget(
  deps: { db: Db; portfolios: PortfolioService; screenersAvailable: boolean },
  actor: Actor,
  input: ScheduleTargetInput,
): Promise<ScheduleTarget> {
  const parsed = scheduleTargetSchema.safeParse(input);
  if (!parsed.success) {
    throw new ValidationError("scheduleTarget", "error-schedule-target-invalid");
  }
  const target = parsed.data;
  if (target.kind === "SCREENER") {
    if (!deps.screenersAvailable) throw new StateError("error-schedule-screeners-unavailable");
    const screener = await deps.db.screener.findFirst({
      where: { id: target.screenerId, userId: actor.id },
      select: { id: true },
    });
    if (!screener) {
      throw new ValidationError("scheduleScreener", "error-schedule-screener-unknown", {
        ref: target.screenerId,
      });
    }
  } else {
    // throws NotFound for a portfolio that is missing or someone else's, StateError if archived
    await deps.portfolios.getLivePortfolio(actor, target.portfolioId);
  }
  return target;
}

/** The chat must be one of the actor's active chats. */
export async function checkChat(db: Db, actor: Actor, chatId: number): Promise<void> {
  const chat = Number.isSafeInteger(chatId)
    ? await db.telegramChat.findFirst({
        where: { id: chatId, userId: actor.id, isActive: true },
        select: { id: true },
      })
    : null;
  if (!chat) throw new ValidationError("scheduleChat", "error-schedule-chat-unavailable");
}
