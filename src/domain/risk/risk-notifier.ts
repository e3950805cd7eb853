// How risk events reach people. The domain never formats text: it hands the notifier the facts
// (which rules, the observed numbers, what was done, the recipient's language settings), the
// notifier words them (the bot's implementation: src/bot/features/risk/risk.ts), and the domain writes
// the outbox row (type RISK_BREACH) in the same transaction as the breach it reports — so a
// breach is never logged without its notification, nor notified twice.
//
// Rendering is pure on purpose: nothing may read the database outside the caller's transaction
// while it is open (on SQLite the one connection is held by that transaction).
import type { DbOrTx } from "../../db/client.ts";
import type { OrderSide, RiskAction, Severity } from "../../db/generated/sqlite/enums.ts";
import { NotFoundError } from "../errors.ts";
import type { NotificationService } from "../notifications/notification-service.ts";
import type { NotificationFormat } from "../notifications/notification-types.ts";
import type { RuleCheck } from "./pre-trade-rules.ts";

/** A watch-job close: one position closed (or not) with a market order. */
export interface ClosedPosition {
  symbol: string;
  side: OrderSide;
  quantity: string;
  orderId: number | null;
  /** i18n key of why it could not be closed; null when the order was placed */
  errorKey: string | null;
  errorParams: Record<string, string | number>;
}

export interface RiskNotice {
  userId: number;
  /** what the notifier needs to pick the recipient's language */
  recipient: { language: string | null; telegramLanguage: string | null };
  severity: Severity;
  /** one notification per key and chat */
  dedupeKey: string;
  source: "pre-trade" | "watch";
  /** what happened overall: BLOCKED, WARNED, REDUCED_SIZE, CLOSED_POSITION */
  action: RiskAction;
  portfolio: { id: number; name: string; currency: string };
  /** pre-trade: the order; null for the watch */
  order: {
    symbol: string;
    side: OrderSide;
    quantity: string;
    /** REDUCE: the quantity it was cut to */
    maxQuantity: string | null;
  } | null;
  /** the breached rules with their numbers */
  breaches: RuleCheck[];
  /** watch: the positions it closed */
  closed: ClosedPosition[];
  at: Date;
}

export interface RiskMessage {
  /** plain text, shown bold above the message */
  title: string;
  /** Telegram HTML when format is "html" */
  message: string;
  format: NotificationFormat;
}

export interface RiskNotifier {
  /** The notification for a risk event, in its recipient's language. Pure: no I/O. */
  render(notice: RiskNotice): RiskMessage;
}

/**
 * Words the notice and enqueues it inside `db`'s transaction (the recipient's language settings
 * are read through it). Returns the number of outbox rows written.
 */
export async function sendRiskNotice(
  db: DbOrTx,
  deps: { notifications: NotificationService; notifier: RiskNotifier },
  notice: Omit<RiskNotice, "recipient">,
): Promise<number> {
  const recipient = await db.user.findUnique({
    where: { id: notice.userId },
    select: { language: true, telegramLanguage: true },
  });
  if (!recipient) throw new NotFoundError("user", notice.userId);
  const message = deps.notifier.render({ ...notice, recipient });
  return deps.notifications.enqueue(db, {
    userId: notice.userId,
    type: "RISK_BREACH",
    severity: notice.severity,
    dedupeKey: notice.dedupeKey,
    ...message,
  });
}
