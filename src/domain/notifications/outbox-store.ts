// The drainer's reads and writes of notification_outbox (the domain's persistence of the outbox;
// src/jobs/outbox/ schedules and sends): claiming rows, keeping the claims alive,
// and recording what happened to each send. Every write after the claim is conditional on the row
// still being SENDING under this drainer's claim, so a drainer that lost its lease (it stalled
// past claimedUntil and another took over), or whose chat was marked blocked meanwhile, cannot
// overwrite the newer state.
//
// Claiming. A row is claimable when it is PENDING, or SENDING under a lease that has run out (its
// drainer died), and due (nextAttemptAt ≤ now), and no earlier undelivered row of the same chat is
// waiting for a retry or held by another drainer: that keeps each chat's rows in order. Rows are
// taken round-robin across chats (first rows of every chat, then second rows, ...), at most
// `perChat` per chat including those this drainer already holds, so one chat with a huge backlog
// cannot fill the batch.
//
// On PostgreSQL several drainers may run: the claim is one UPDATE ... WHERE id IN (SELECT ... FOR
// UPDATE SKIP LOCKED) RETURNING id. SKIP LOCKED alone would not keep chats in order (drainer B
// could skip row N, locked by drainer A's claim in progress, and take row N+1 of the same chat),
// so claims also take a transaction-scoped advisory lock: claims run one at a time (each is one
// short statement), and the next one sees the previous one's rows as held. SKIP LOCKED still
// keeps a claim from waiting on rows other drainers are updating. On SQLite the same statement
// runs in a transaction; the database has one writer, which serializes claims by itself.
import type { Database, DbOrTx } from "../../db/client.ts";
import type { ChatType } from "../../db/generated/sqlite/enums.ts";

export interface ClaimedRow {
  id: number;
  /** telegram_chats.id */
  chatId: number;
  /** Telegram's chat id, and its kind (rate limits are per Telegram chat) */
  telegramChatId: string;
  chatType: ChatType;
  chatActive: boolean;
  /** Telegram id of the person the destination belongs to: buttons sent to shared chats are theirs */
  ownerTelegramId: string;
  title: string;
  message: string;
  format: string;
  attachment: Buffer | null;
  attachmentName: string | null;
  replyMarkup: unknown;
  failCount: number;
  partsSent: number;
}

export interface RecentSend {
  id: number;
  telegramChatId: string;
  sentAt: Date;
}

export interface ClaimOptions {
  limit: number;
  perChat: number;
  leaseMs: number;
  now: Date;
}

/** Any stable 64-bit number names the claim lock; this one spells "outbox". */
const CLAIM_LOCK_KEY = 0x6f7574626f78;

function claimSql(provider: Database["provider"]): string {
  // $1 worker, $2 now, $3 claimedUntil, $4 perChat, $5 limit
  const ts = (n: number) => (provider === "postgres" ? `$${n}::timestamp(3)` : `$${n}`);
  const now = ts(2);
  const pick = `
    SELECT r.id FROM (
      SELECT c.id,
             (c.status = 'SENDING' AND c."claimedBy" = $1 AND c."claimedUntil" > ${now}) AS held,
             ROW_NUMBER() OVER (PARTITION BY c."chatId" ORDER BY c.id) AS rn
      FROM notification_outbox c
      WHERE (c.status = 'SENDING' AND c."claimedBy" = $1 AND c."claimedUntil" > ${now})
         OR ((c.status = 'PENDING' OR (c.status = 'SENDING' AND c."claimedUntil" <= ${now}))
             AND c."nextAttemptAt" <= ${now}
             AND NOT EXISTS (
               SELECT 1 FROM notification_outbox b
               WHERE b."chatId" = c."chatId" AND b.id < c.id
                 AND ((b.status IN ('PENDING', 'SENDING') AND b."nextAttemptAt" > ${now})
                   OR (b.status = 'SENDING' AND b."claimedUntil" > ${now} AND b."claimedBy" <> $1))))
    ) r
    WHERE NOT r.held AND r.rn <= $4
    ORDER BY r.rn, r.id
    LIMIT $5`;
  const inner =
    provider === "postgres"
      ? `SELECT id FROM notification_outbox WHERE id IN (${pick}) FOR UPDATE SKIP LOCKED`
      : pick;
  const sql = `
    UPDATE notification_outbox
    SET status = 'SENDING', "claimedBy" = $1, "claimedUntil" = ${ts(3)}, "updatedAt" = ${now}
    WHERE id IN (${inner})
    RETURNING id`;
  return sql;
}

/**
 * The statement and its arguments for the provider. PostgreSQL takes $1..$n as written; for
 * SQLite (better-sqlite3 takes anonymous `?` only) each $n becomes `?` and its value is repeated
 * in the order of appearance.
 */
function bind(provider: Database["provider"], sql: string, values: unknown[]): [string, unknown[]] {
  if (provider === "postgres") return [sql, values];
  const args: unknown[] = [];
  const text = sql.replace(/\$(\d+)/g, (_, n: string) => {
    args.push(values[Number(n) - 1]);
    return "?";
  });
  return [text, args];
}

export class OutboxStore {
  private readonly claimStatement: string;

  constructor(
    private readonly database: Database,
    readonly workerId: string,
  ) {
    this.claimStatement = claimSql(database.provider);
  }

  private get db(): DbOrTx {
    return this.database.prisma;
  }

  /** Claims up to `limit` rows for this drainer and returns them in id order. */
  async claim(options: ClaimOptions): Promise<ClaimedRow[]> {
    if (options.limit <= 0) return [];
    const until = new Date(options.now.getTime() + options.leaseMs);
    const pg = this.database.provider === "postgres";
    const [sql, args] = bind(this.database.provider, this.claimStatement, [
      this.workerId,
      pg ? options.now.toISOString() : options.now,
      pg ? until.toISOString() : until,
      options.perChat,
      options.limit,
    ]);
    const ids = await this.database.prisma.$transaction(async (tx) => {
      if (this.database.provider === "postgres") {
        await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${CLAIM_LOCK_KEY})`);
      }
      const rows = await tx.$queryRawUnsafe<Array<{ id: number | bigint }>>(sql, ...args);
      return rows.map((r) => Number(r.id));
    });
    if (ids.length === 0) return [];
    return this.load(ids);
  }

  private async load(ids: number[]): Promise<ClaimedRow[]> {
    const rows = await this.db.notificationOutbox.findMany({
      where: { id: { in: ids }, claimedBy: this.workerId, status: "SENDING" },
      include: {
        chat: {
          select: {
            chatId: true,
            type: true,
            isActive: true,
            user: { select: { telegramUserId: true } },
          },
        },
      },
      orderBy: { id: "asc" },
    });
    return rows.map((r) => ({
      id: r.id,
      chatId: r.chatId,
      telegramChatId: r.chat.chatId,
      chatType: r.chat.type,
      chatActive: r.chat.isActive,
      ownerTelegramId: r.chat.user.telegramUserId,
      title: r.title,
      message: r.message,
      format: r.format,
      attachment: r.attachment ? Buffer.from(r.attachment) : null,
      attachmentName: r.attachmentName,
      replyMarkup: r.replyMarkup,
      failCount: r.failCount,
      partsSent: r.partsSent,
    }));
  }

  /**
   * Rows delivered to these Telegram chats since `since`, by any drainer: a drainer that takes
   * over a chat (from another instance, or from itself before a restart) starts its rate windows
   * from them instead of from nothing.
   */
  async recentSends(telegramChatIds: readonly string[], since: Date): Promise<RecentSend[]> {
    const rows = await this.db.notificationOutbox.findMany({
      where: {
        status: "SENT",
        sentAt: { gt: since },
        chat: { chatId: { in: [...telegramChatIds] } },
      },
      select: { id: true, sentAt: true, chat: { select: { chatId: true } } },
    });
    return rows.map((r) => ({ id: r.id, telegramChatId: r.chat.chatId, sentAt: r.sentAt! }));
  }

  /** Extends this drainer's claim on rows it still holds. */
  async renew(ids: readonly number[], now: Date, leaseMs: number): Promise<void> {
    for (const chunk of chunks(ids)) {
      await this.db.notificationOutbox.updateMany({
        where: { id: { in: chunk }, claimedBy: this.workerId, status: "SENDING" },
        data: { claimedUntil: new Date(now.getTime() + leaseMs) },
      });
    }
  }

  /** Gives rows back unsent (shutdown, or a chat that has to wait): PENDING, claim cleared. */
  async release(ids: readonly number[]): Promise<void> {
    for (const chunk of chunks(ids)) {
      await this.db.notificationOutbox.updateMany({
        where: { id: { in: chunk }, claimedBy: this.workerId, status: "SENDING" },
        data: { status: "PENDING", claimedBy: null, claimedUntil: null },
      });
    }
  }

  /** Gives back every row claimed under this worker id (a previous run that used the same id). */
  async releaseAll(): Promise<number> {
    const { count } = await this.db.notificationOutbox.updateMany({
      where: { claimedBy: this.workerId, status: "SENDING" },
      data: { status: "PENDING", claimedBy: null, claimedUntil: null },
    });
    return count;
  }

  /** A part of a long message was delivered: a crash after this resumes with the next part. */
  async partSent(id: number, partsSent: number): Promise<boolean> {
    return this.update(id, { partsSent });
  }

  async sent(id: number, partsSent: number, at: Date): Promise<boolean> {
    return this.update(id, {
      status: "SENT",
      partsSent,
      sentAt: at,
      claimedBy: null,
      claimedUntil: null,
    });
  }

  /** Back to PENDING until `at`, with the error recorded (and the attempt counted, or not). */
  async retryLater(id: number, at: Date, error: string, failCount: number): Promise<boolean> {
    return this.update(id, {
      status: "PENDING",
      nextAttemptAt: at,
      lastError: error.slice(0, 1000),
      failCount,
      claimedBy: null,
      claimedUntil: null,
    });
  }

  /** A dead letter: an admin can see it in /outbox and requeue it. */
  async failed(id: number, error: string, failCount: number): Promise<boolean> {
    return this.update(id, {
      status: "FAILED",
      lastError: error.slice(0, 1000),
      failCount,
      claimedBy: null,
      claimedUntil: null,
    });
  }

  /** Telegram refused the HTML: from now on the row is plain text (its unsent remainder). */
  async switchToText(
    id: number,
    content: { title: string; message: string; partsSent: number },
    dropAttachment: boolean,
    error: string,
  ): Promise<boolean> {
    return this.update(id, {
      format: "text",
      ...content,
      ...(dropAttachment ? { attachment: null, attachmentName: null } : {}),
      lastError: error.slice(0, 1000),
    });
  }

  private async update(
    id: number,
    data: Parameters<Database["prisma"]["notificationOutbox"]["updateMany"]>[0]["data"],
  ): Promise<boolean> {
    const { count } = await this.db.notificationOutbox.updateMany({
      where: { id, claimedBy: this.workerId, status: "SENDING" },
      data,
    });
    return count === 1;
  }
}

/** Keeps IN lists well below SQLite's and PostgreSQL's parameter limits. */
function chunks<T>(items: readonly T[], size = 500): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
