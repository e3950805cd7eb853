// What a notification is: its type, how severe it is, and how its text is formatted.
import type { Severity } from "../../db/generated/sqlite/enums.ts";

export const NOTIFICATION_TYPES = [
  "ORDER_FILLED",
  "ORDER_REJECTED",
  "ORDER_CANCELED",
  "ORDER_EXPIRED",
  "RISK_ALERT",
  "RISK_BREACH",
  "ALERT_TRIGGERED",
  "STRATEGY_SIGNAL",
  "SYSTEM_ERROR",
  "SERVICE_DOWN",
  "SERVICE_RESTORED",
  "REPORT",
  "APPROVAL_REQUEST",
  "APPROVAL_DECISION",
  "ACCOUNT",
] as const;
export type NotificationType = (typeof NOTIFICATION_TYPES)[number];

/** The same names as constants, for call sites: `NotificationTypes.ORDER_FILLED`. */
export const NotificationTypes = Object.freeze(
  Object.fromEntries(NOTIFICATION_TYPES.map((t) => [t, t])) as { [K in NotificationType]: K },
);

export type { Severity };

/** Least to most severe; a chat receives a notification when its minimum is at or below it. */
export const SEVERITIES: readonly Severity[] = ["INFO", "WARNING", "ERROR", "CRITICAL"];

export function severityRank(severity: Severity): number {
  const rank = SEVERITIES.indexOf(severity);
  if (rank < 0) throw new RangeError(`unknown severity: ${String(severity)}`);
  return rank;
}

/** Severities at or above `min`, e.g. WARNING → [WARNING, ERROR, CRITICAL]. */
export function severitiesAtLeast(min: Severity): Severity[] {
  return SEVERITIES.slice(severityRank(min));
}

export function isSeverity(value: string): value is Severity {
  return (SEVERITIES as readonly string[]).includes(value);
}

export function isNotificationType(value: string): value is NotificationType {
  return (NOTIFICATION_TYPES as readonly string[]).includes(value);
}

/** "html": the message is Telegram HTML; "text": plain text, sent without parse mode. */
export type NotificationFormat = "html" | "text";
