// Data retention (seed 002's policy, adapted to TradeDesk's tables), run hourly by the retention
// job; every period is configurable and every prune is logged with its counts.
// - delivered notifications (outbox SENT) after RETAIN_SENT_NOTIFICATIONS_DAYS (30);
// - dead letters (outbox FAILED, not requeued) after RETAIN_DEAD_LETTERS_DAYS (90);
// - sessions and stored conversations not written for RETAIN_SESSIONS_DAYS (7): a conversation
//   left for a week is abandoned, and a session is rebuilt from its default on the next message;
// - chat link codes expired for RETAIN_LINK_CODES_DAYS (7).
// Kept forever: orders, trades, positions, cash, audit, risk breaches, users and their settings.
// There is no market data table (candles are cached in memory), so nothing to prune there.
import type { DomainContext } from "../context.ts";
import type { SyncLogger } from "../trading/account-sync.ts";

export interface RetentionSettings {
  sentNotificationsDays: number;
  deadLettersDays: number;
  sessionsDays: number;
  linkCodesDays: number;
}

export const DEFAULT_RETENTION_SETTINGS: RetentionSettings = {
  sentNotificationsDays: 30,
  deadLettersDays: 90,
  sessionsDays: 7,
  linkCodesDays: 7,
};

export interface PruneCounts {
  sentNotifications: number;
  deadLetters: number;
  sessions: number;
  conversations: number;
  linkCodes: number;
}

const DAY = 86_400_000;
/** the conversations plugin's storage prefix (src/bot/bot.ts) */
const CONVERSATION_PREFIX = "conv:";

export class RetentionService {
  constructor(
    private readonly ctx: DomainContext,
    private readonly settings: RetentionSettings,
    private readonly logger?: SyncLogger,
  ) {}

  async prune(): Promise<PruneCounts> {
    const now = this.ctx.clock.now().getTime();
    const before = (days: number) => new Date(now - days * DAY);
    const db = this.ctx.db;
    const started = performance.now();
    const sentCutoff = before(this.settings.sentNotificationsDays);
    const sent = await db.notificationOutbox.deleteMany({
      where: {
        status: "SENT",
        OR: [{ sentAt: { lt: sentCutoff } }, { sentAt: null, updatedAt: { lt: sentCutoff } }],
      },
    });
    const dead = await db.notificationOutbox.deleteMany({
      where: { status: "FAILED", updatedAt: { lt: before(this.settings.deadLettersDays) } },
    });
    const staleSession = { updatedAt: { lt: before(this.settings.sessionsDays) } };
    const conversations = await db.session.deleteMany({
      where: { ...staleSession, key: { startsWith: CONVERSATION_PREFIX } },
    });
    const sessions = await db.session.deleteMany({ where: staleSession });
    const codes = await db.chatLinkCode.deleteMany({
      where: { expiresAt: { lt: before(this.settings.linkCodesDays) } },
    });
    const counts: PruneCounts = {
      sentNotifications: sent.count,
      deadLetters: dead.count,
      sessions: sessions.count,
      conversations: conversations.count,
      linkCodes: codes.count,
    };
    this.logger?.info(
      { retention: counts, ms: Math.round(performance.now() - started) },
      "old data pruned",
    );
    return counts;
  }
}
