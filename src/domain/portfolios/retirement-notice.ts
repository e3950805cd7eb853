// What the owner is told when a portfolio is archived or deleted and the things that referred to
// it (schedules, alerts, portfolio risk policies) were paused — and when the schedule runner
// finds a schedule still pointing at a portfolio that is gone or archived (data from before
// archiving existed) and pauses it instead of failing at every tick.
//
// As with risk notices, the domain hands the facts to a notifier the bot installs (it words them
// in the owner's language) and writes the outbox row in the caller's transaction, so the pause
// and its notification commit together. Rendering is pure: no I/O inside the transaction.
import type { DbOrTx } from "../../db/client.ts";
import { NotFoundError } from "../errors.ts";
import type { NotificationService } from "../notifications/notification-service.ts";
import type { NotificationFormat } from "../notifications/notification-types.ts";

export type RetirementOutcome = "ARCHIVED" | "DELETED" | "MISSING";

/** Names of what was paused, each list oldest first. */
export interface PausedReferences {
  schedules: string[];
  alerts: string[];
  policies: string[];
}

export interface RetirementNotice {
  userId: number;
  recipient: { language: string | null; telegramLanguage: string | null };
  portfolio: { id: number; name: string | null };
  /** MISSING: found by the schedule runner, the portfolio no longer exists */
  outcome: RetirementOutcome;
  paused: PausedReferences;
}

export interface RetirementMessage {
  /** plain text, shown bold above the message */
  title: string;
  message: string;
  format: NotificationFormat;
}

export interface RetirementNotifier {
  /** The notification in the recipient's language. Pure: no I/O. */
  render(notice: RetirementNotice): RetirementMessage;
}

export function pausedCount(p: PausedReferences): number {
  return p.schedules.length + p.alerts.length + p.policies.length;
}

/**
 * Words the notice and enqueues it in `db`'s transaction; nothing when nothing was paused or no
 * notifier is installed (scripts). `dedupeKey` makes a retried transaction notify once.
 */
export async function sendRetirementNotice(
  db: DbOrTx,
  deps: { notifications: NotificationService | null; notifier: RetirementNotifier | null },
  notice: Omit<RetirementNotice, "recipient">,
  dedupeKey: string,
): Promise<number> {
  if (!deps.notifications || !deps.notifier || pausedCount(notice.paused) === 0) return 0;
  const recipient = await db.user.findUnique({
    where: { id: notice.userId },
    select: { language: true, telegramLanguage: true },
  });
  if (!recipient) throw new NotFoundError("user", notice.userId);
  const message = deps.notifier.render({ ...notice, recipient });
  return deps.notifications.enqueue(db, {
    userId: notice.userId,
    type: "ACCOUNT",
    severity: "WARNING",
    title: message.title,
    message: message.message,
    format: message.format,
    dedupeKey,
  });
}
