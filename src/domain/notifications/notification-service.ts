// Writing notifications: domain code never talks to Telegram, it adds outbox rows in its own
// transaction, so a notification commits (or rolls back) with the event that caused it. The
// drain job (src/jobs/outbox) delivers the rows later, within Telegram's limits.
//
// Routing: a user's notification goes to each of that user's chats that is active, not muted and
// whose minimum severity is at or below the notification's; a system-wide one (userId null) goes
// to the chats of every active admin, once per Telegram chat even when two admins share a group.
//
// Dedupe: at most one row per (chat, dedupeKey). A repeated enqueue (a retried job, a replayed
// event) creates nothing and, on PostgreSQL, must not abort the caller's transaction: existing
// keys are filtered out first, and PostgreSQL inserts with ON CONFLICT DO NOTHING
// (createMany skipDuplicates) so a concurrent twin of this enqueue is absorbed too. The SQLite
// client has no skipDuplicates (Prisma does not support it there, and the generated types omit
// it); none is needed, because the SQLite connection runs one transaction at a time
// (src/db/sqlite-adapter.ts), so nothing can insert between the check and the insert.
import { randomUUID } from "node:crypto";
import { type DbOrTx, inTransaction } from "../../db/client.ts";
import type { Prisma } from "../../db/generated/sqlite/client.ts";
import type { PrismaClient as PostgresClient } from "../../db/generated/postgres/client.ts";
import type { DomainContext } from "../context.ts";
import type { User } from "../types.ts";
import { NotFoundError, ValidationError } from "../errors.ts";
import {
  type NotificationFormat,
  type NotificationType,
  SEVERITIES,
  type Severity,
  isNotificationType,
  isSeverity,
  severityRank,
} from "./notification-types.ts";

/** An inline keyboard under the message, in the Bot API's shape (stored as JSON). */
export interface ReplyButtons {
  readonly inline_keyboard: ReadonlyArray<
    ReadonlyArray<{ readonly text: string; readonly callback_data?: string; readonly url?: string }>
  >;
}

export interface NotificationAttachment {
  /** a PNG or JPEG image, sent as a photo */
  bytes: Buffer;
  fileName: string;
}

export interface NotificationInput {
  /** whose notification; null = system-wide (every active admin's chats) */
  userId: number | null;
  type: NotificationType;
  severity: Severity;
  /** plain text, shown bold above the message (escaped when sent) */
  title: string;
  /** Telegram HTML when format is "html" (escape user-supplied parts), plain text otherwise */
  message: string;
  format: NotificationFormat;
  /** one copy per chat and key: the same key enqueued again creates nothing */
  dedupeKey: string;
  attachment?: NotificationAttachment | null;
  replyMarkup?: ReplyButtons | null;
  /** deliver only to this chat of the user (telegram_chats.id), e.g. a schedule's destination */
  chatId?: number | null;
}

export const MAX_TITLE_LENGTH = 256;
export const MAX_MESSAGE_LENGTH = 100_000;
export const MAX_DEDUPE_KEY_LENGTH = 200;
/** Telegram's limit for photos sent by upload */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

interface Destination {
  id: number;
  telegramChatId: string;
}

export class NotificationService {
  constructor(private readonly ctx: DomainContext) {}

  /**
   * Adds one outbox row per destination chat inside `db`'s transaction (or a new one) and
   * returns how many rows were created: 0 when no chat qualifies or every copy already exists.
   */
  /** `enqueue` in a transaction of its own, for callers that are not inside one (the bot). */
  enqueueNow(n: NotificationInput): Promise<number> {
    return this.enqueue(this.ctx.db, n);
  }

  /**
   * Who a notification for `userId` goes to: that user, or every active admin when null. Read
   * through `within` when the caller is inside a transaction: on SQLite the root client would
   * wait for that very transaction to finish (one connection, serialized).
   */
  async recipients(userId: number | null, within?: DbOrTx): Promise<User[]> {
    const db = within ?? this.ctx.db;
    return userId === null
      ? db.user.findMany({ where: { isAdmin: true, isActive: true }, orderBy: { id: "asc" } })
      : db.user.findMany({ where: { id: userId } });
  }

  async enqueue(db: DbOrTx, n: NotificationInput): Promise<number> {
    validate(n);
    return inTransaction(db, async (tx) => {
      const destinations = await this.destinations(tx, n);
      if (destinations.length === 0) return 0;
      const existing = await tx.notificationOutbox.findMany({
        where: { dedupeKey: n.dedupeKey, chatId: { in: destinations.map((d) => d.id) } },
        select: { chatId: true },
      });
      const taken = new Set(existing.map((e) => e.chatId));
      const fresh = destinations.filter((d) => !taken.has(d.id));
      if (fresh.length === 0) return 0;
      const now = this.ctx.clock.now();
      const data: Prisma.NotificationOutboxCreateManyInput[] = fresh.map((d) => ({
        uid: randomUUID(),
        chatId: d.id,
        userId: n.userId,
        type: n.type,
        severity: n.severity,
        title: n.title,
        message: n.message,
        format: n.format,
        attachment: n.attachment ? new Uint8Array(n.attachment.bytes) : null,
        attachmentName: n.attachment?.fileName ?? null,
        // a plain JSON value; the interface only names the part the domain checks
        replyMarkup: n.replyMarkup
          ? (n.replyMarkup as unknown as Prisma.InputJsonValue)
          : undefined,
        dedupeKey: n.dedupeKey,
        status: "PENDING",
        nextAttemptAt: now,
        createdAt: now,
      }));
      if (this.ctx.provider === "postgres") {
        // same models and fields; the PostgreSQL client has skipDuplicates (see header)
        const pg = tx as unknown as Pick<PostgresClient, "notificationOutbox">;
        const { count } = await pg.notificationOutbox.createMany({ data, skipDuplicates: true });
        return count;
      }
      const { count } = await tx.notificationOutbox.createMany({ data });
      return count;
    });
  }

  private async destinations(tx: DbOrTx, n: NotificationInput): Promise<Destination[]> {
    const severities = SEVERITIES.slice(0, severityRank(n.severity) + 1);
    const open = { isActive: true, isMuted: false, minSeverity: { in: severities } };
    if (n.userId !== null) {
      // A chat the user picked for this very notification (a schedule's destination) gets it
      // whatever its minimum severity: routing by severity is for fan-out, not for explicit
      // choices. Inactive or muted chats still get nothing.
      const where = n.chatId
        ? { isActive: true, isMuted: false, userId: n.userId, id: n.chatId }
        : { ...open, userId: n.userId };
      const chats = await tx.telegramChat.findMany({
        where,
        select: { id: true, chatId: true },
        orderBy: { id: "asc" },
      });
      if (chats.length === 0) {
        // no destination is normal (all muted); an unknown user is a caller's bug
        const user = await tx.user.findUnique({ where: { id: n.userId }, select: { id: true } });
        if (!user) throw new NotFoundError("user", n.userId);
      }
      return chats.map((c) => ({ id: c.id, telegramChatId: c.chatId }));
    }
    const chats = await tx.telegramChat.findMany({
      where: { ...open, user: { isAdmin: true, isActive: true } },
      select: { id: true, chatId: true },
      orderBy: { id: "asc" },
    });
    // one copy per Telegram chat: two admins in the same group get it there once
    const seen = new Set<string>();
    return chats
      .filter((c) => !seen.has(c.chatId) && seen.add(c.chatId))
      .map((c) => ({ id: c.id, telegramChatId: c.chatId }));
  }
}

function validate(n: NotificationInput): void {
  if (!isNotificationType(n.type)) throw new ValidationError("type", "error-notification-type");
  if (!isSeverity(n.severity)) throw new ValidationError("severity", "error-severity-invalid");
  if (n.format !== "html" && n.format !== "text") {
    throw new ValidationError("format", "error-notification-format");
  }
  if (n.title.length > MAX_TITLE_LENGTH) {
    throw new ValidationError("title", "error-notification-too-long", { max: MAX_TITLE_LENGTH });
  }
  if (!n.title.trim() && !n.message.trim() && !n.attachment) {
    throw new ValidationError("message", "error-notification-empty");
  }
  if (n.message.length > MAX_MESSAGE_LENGTH) {
    throw new ValidationError("message", "error-notification-too-long", {
      max: MAX_MESSAGE_LENGTH,
    });
  }
  const key = n.dedupeKey.trim();
  if (!key || key.length > MAX_DEDUPE_KEY_LENGTH) {
    throw new ValidationError("dedupeKey", "error-notification-dedupe-key", {
      max: MAX_DEDUPE_KEY_LENGTH,
    });
  }
  if (n.attachment) {
    if (n.attachment.bytes.length === 0 || n.attachment.bytes.length > MAX_ATTACHMENT_BYTES) {
      throw new ValidationError("attachment", "error-notification-attachment-size", {
        max: MAX_ATTACHMENT_BYTES,
      });
    }
    if (!n.attachment.fileName.trim()) {
      throw new ValidationError("attachment", "error-notification-attachment-name");
    }
  }
}
