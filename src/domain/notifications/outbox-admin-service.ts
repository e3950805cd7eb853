// What admins see of the notification outbox (/outbox): how many rows are in each state, how long
// the oldest undelivered one has waited, the dead letters with their last error, and a way to
// send dead letters again once the cause is fixed.
import type { OutboxStatus, Severity } from "../../db/generated/sqlite/enums.ts";
import { audit } from "../audit/audit-logger.ts";
import type { DomainContext } from "../context.ts";
import { ValidationError } from "../errors.ts";
import { type Actor, assertAdmin } from "../users/actor.ts";

export interface FailedNotification {
  id: number;
  /** telegram_chats.id and Telegram's own id of the destination */
  chatId: number;
  telegramChatId: string;
  chatTitle: string | null;
  chatActive: boolean;
  userId: number | null;
  type: string;
  severity: Severity;
  title: string;
  failCount: number;
  lastError: string | null;
  createdAt: Date;
  failedAt: Date;
}

export interface OutboxStats {
  counts: Record<OutboxStatus, number>;
  /** enqueue time of the oldest row not yet delivered (PENDING or SENDING), null when none */
  oldestPendingAt: Date | null;
  oldestPendingAgeMs: number | null;
  failed: {
    rows: FailedNotification[];
    total: number;
    page: number;
    pageSize: number;
  };
}

export interface RequeueResult {
  requeued: number;
  /** failed rows left alone because their chat is still marked blocked */
  skippedInactiveChat: number;
}

const MAX_PAGE_SIZE = 50;
/** how many ids the audit row lists (a requeue of thousands records the count only) */
const AUDITED_IDS = 100;

export class OutboxAdminService {
  constructor(private readonly ctx: DomainContext) {}

  /**
   * Rows by status and the age of the oldest undelivered one, for monitoring (/healthz, /metrics):
   * no actor, because nothing personal is shown.
   */
  async depth(): Promise<Pick<OutboxStats, "counts" | "oldestPendingAt" | "oldestPendingAgeMs">> {
    const db = this.ctx.db;
    const [groups, oldest] = await Promise.all([
      db.notificationOutbox.groupBy({ by: ["status"], _count: { _all: true } }),
      db.notificationOutbox.findFirst({
        where: { status: { in: ["PENDING", "SENDING"] } },
        orderBy: { id: "asc" },
        select: { createdAt: true },
      }),
    ]);
    const counts: Record<OutboxStatus, number> = { PENDING: 0, SENDING: 0, SENT: 0, FAILED: 0 };
    for (const g of groups) counts[g.status] = g._count._all;
    const oldestPendingAt = oldest?.createdAt ?? null;
    return {
      counts,
      oldestPendingAt,
      oldestPendingAgeMs: oldestPendingAt
        ? Math.max(0, this.ctx.clock.now().getTime() - oldestPendingAt.getTime())
        : null,
    };
  }

  async stats(
    admin: Actor,
    paging: { page?: number; pageSize?: number } = {},
  ): Promise<OutboxStats> {
    assertAdmin(admin);
    const pageSize = Math.min(Math.max(1, Math.floor(paging.pageSize ?? 10)), MAX_PAGE_SIZE);
    const page = Math.max(1, Math.floor(paging.page ?? 1));
    const db = this.ctx.db;
    const [depth, total, rows] = await Promise.all([
      this.depth(),
      db.notificationOutbox.count({ where: { status: "FAILED" } }),
      db.notificationOutbox.findMany({
        where: { status: "FAILED" },
        orderBy: { updatedAt: "desc" },
        skip: (page - 1) * pageSize,
        take: pageSize,
        include: { chat: { select: { chatId: true, title: true, isActive: true } } },
      }),
    ]);
    return {
      ...depth,
      failed: {
        total,
        page,
        pageSize,
        rows: rows.map((r) => ({
          id: r.id,
          chatId: r.chatId,
          telegramChatId: r.chat.chatId,
          chatTitle: r.chat.title,
          chatActive: r.chat.isActive,
          userId: r.userId,
          type: r.type,
          severity: r.severity,
          title: r.title,
          failCount: r.failCount,
          lastError: r.lastError,
          createdAt: r.createdAt,
          failedAt: r.updatedAt,
        })),
      },
    };
  }

  /**
   * Puts dead letters back in the queue: FAILED → PENDING, attempts reset, due now. Parts of a
   * long message that were already delivered are not sent again. Rows whose chat is still marked
   * blocked stay FAILED (they would only fail again); reactivating the chat comes first.
   */
  async requeue(admin: Actor, which: readonly number[] | "all-failed"): Promise<RequeueResult> {
    assertAdmin(admin);
    if (which !== "all-failed") {
      if (which.length === 0 || which.some((id) => !Number.isInteger(id) || id <= 0)) {
        throw new ValidationError("ids", "error-outbox-requeue-ids");
      }
    }
    const selection = {
      status: "FAILED" as const,
      ...(which === "all-failed" ? {} : { id: { in: [...which] } }),
    };
    const now = this.ctx.clock.now();
    return this.ctx.db.$transaction(async (tx) => {
      const skippedInactiveChat = await tx.notificationOutbox.count({
        where: { ...selection, chat: { isActive: false } },
      });
      const eligible = { ...selection, chat: { isActive: true } };
      const sample = await tx.notificationOutbox.findMany({
        where: eligible,
        select: { id: true },
        orderBy: { id: "asc" },
        take: AUDITED_IDS,
      });
      const { count } = await tx.notificationOutbox.updateMany({
        where: eligible,
        data: {
          status: "PENDING",
          failCount: 0,
          nextAttemptAt: now,
          claimedBy: null,
          claimedUntil: null,
        },
      });
      await audit(tx, {
        actorId: admin.id,
        entityType: "OUTBOX",
        action: "REQUEUE",
        details: {
          which: which === "all-failed" ? "all-failed" : "ids",
          requeued: count,
          skippedInactiveChat,
          ids: sample.map((r) => r.id),
        },
      });
      return { requeued: count, skippedInactiveChat };
    });
  }
}
