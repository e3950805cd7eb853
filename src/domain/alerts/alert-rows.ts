// Alert rows as callers see them.
import type { Prisma } from "../../db/generated/sqlite/client.ts";
import type { AlertTypeName } from "./alert-config.ts";
import type { AlertView } from "./alert-notifier.ts";
import { readState } from "./alert-trigger.ts";
import { validateAlertConfig } from "./alert-validation.ts";

export type AlertRow = Prisma.AlertGetPayload<object>;

export function toView(row: AlertRow): AlertView {
  return {
    id: row.id,
    uid: row.uid,
    userId: row.userId,
    portfolioId: row.portfolioId,
    name: row.name,
    type: row.type as AlertTypeName,
    config: validateAlertConfig(row.config),
    state: readState(row.state),
    isActive: row.isActive,
    lastTriggeredAt: row.lastTriggeredAt,
    triggerCount: row.triggerCount,
    createdAt: row.createdAt,
  };
}
