// Schedule rows as callers see them: the target read back through its schema, its name, and the
// chat the report goes to (the user's private chat when none was chosen).
import type { Db } from "../../db/client.ts";
import type { Prisma, Schedule, TelegramChat } from "../../db/generated/sqlite/client.ts";
import { StateError } from "../errors.ts";
import { presetOf } from "./cron-schedule.ts";
import {
  type ScheduleDestination,
  type ScheduleTarget,
  type ScheduleView,
  scheduleTargetSchema,
} from "./schedule-types.ts";

export type ScheduleRow = Schedule & { chat: TelegramChat | null };

/** What views of a user's schedules refer to: their private chat and their targets' names. */
export async function loadViewContext(db: Db, userId: number): Promise<ViewContext> {
  const [privateChat, portfolios, screeners] = await Promise.all([
    db.telegramChat.findFirst({
      where: { userId, type: "PRIVATE" },
      orderBy: { id: "asc" },
    }),
    db.portfolio.findMany({ where: { userId }, select: { id: true, name: true } }),
    db.screener.findMany({ where: { userId }, select: { id: true, name: true } }),
  ]);
  return {
    privateChat,
    portfolioNames: new Map(portfolios.map((p) => [p.id, p.name])),
    screenerNames: new Map(screeners.map((p) => [p.id, p.name])),
  };
}

export function destinationOf(chat: TelegramChat): ScheduleDestination {
  return { id: chat.id, type: chat.type, title: chat.title, isActive: chat.isActive };
}

/** The stored config, read back through the same schema it was written with. */
function parseTarget(config: Prisma.JsonValue, scheduleId: number): ScheduleTarget {
  const parsed = scheduleTargetSchema.safeParse(config);
  if (!parsed.success) {
    throw new StateError("error-schedule-config-corrupt", { id: scheduleId });
  }
  return parsed.data;
}

export interface ViewContext {
  privateChat: TelegramChat | null;
  portfolioNames: Map<number, string>;
  screenerNames: Map<number, string>;
}

export function toView(row: ScheduleRow, context: ViewContext): ScheduleView {
  const chat = row.chat ?? context.privateChat;
  const target = parseTarget(row.config, row.id);
  const targetName =
    target.kind === "SCREENER"
      ? (context.screenerNames.get(target.screenerId) ?? null)
      : (context.portfolioNames.get(target.portfolioId) ?? null);
  return {
    id: row.id,
    uid: row.uid,
    userId: row.userId,
    name: row.name,
    cron: row.cron,
    preset: presetOf(row.cron),
    timeZone: row.timeZone,
    target,
    targetName,
    chatId: row.chatId,
    destination: chat ? destinationOf(chat) : null,
    isActive: row.isActive,
    lastDueAt: row.lastDueAt,
    nextRunAt: row.nextRunAt,
    createdAt: row.createdAt,
  };
}
