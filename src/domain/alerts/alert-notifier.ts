// How a fired alert becomes a notification. The domain decides that an alert fired and writes
// the outbox row in the same transaction as the alert's new state; the words are not its
// business, so the caller of evaluateAll supplies an AlertNotifier that renders the message in
// the owner's language (the bot implements it with its i18n; any other front can too).
import type { NotificationFormat } from "../notifications/notification-types.ts";
import type { ReplyButtons } from "../notifications/notification-service.ts";
import type { AlertConfig, AlertTypeName } from "./alert-config.ts";
import type { AlertState, Side } from "./alert-trigger.ts";
import type { MissingReason } from "./alert-observer.ts";

export interface AlertView {
  id: number;
  uid: string;
  userId: number;
  portfolioId: number | null;
  name: string;
  type: AlertTypeName;
  config: AlertConfig;
  state: AlertState;
  isActive: boolean;
  lastTriggeredAt: Date | null;
  triggerCount: number;
  createdAt: Date;
}

/** One evaluation of one alert. */
export interface AlertEvaluation {
  at: Date;
  side: Side | null;
  /** the numbers behind the side, rounded for display, as plain decimal strings (see alert-observer.ts) */
  values: Record<string, string>;
  fired: boolean;
  /** it would have fired but the cooldown held it back */
  heldByCooldown: boolean;
  missing: MissingReason | null;
}

/** The alert's owner as the renderer needs them: who, and which language and time zone. */
export interface AlertOwner {
  id: number;
  language: string | null;
  telegramLanguage: string | null;
  timeZone: string;
}

export interface TriggeredAlert {
  owner: AlertOwner;
  /** the alert after this firing (triggerCount and lastTriggeredAt updated) */
  alert: AlertView;
  evaluation: AlertEvaluation;
  /** the portfolio's name for POSITION and RISK alerts */
  portfolioName: string | null;
}

export interface AlertMessage {
  /** plain text, shown bold above the message */
  title: string;
  /** Telegram HTML when format is "html" */
  message: string;
  format: NotificationFormat;
  replyMarkup?: ReplyButtons | null;
}

export interface AlertNotifier {
  /** The notification for a fired alert, in its owner's language. Pure: no I/O. */
  render(triggered: TriggeredAlert): AlertMessage;
}
