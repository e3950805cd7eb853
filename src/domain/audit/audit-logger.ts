// The audit trail: who did what to which entity, with a JSON detail. Written inside the same
// transaction as the change it records, so an audited change and its audit row stand or fall
// together.
import type { DbOrTx } from "../../db/client.ts";
import type { Prisma } from "../../db/generated/sqlite/client.ts";
import { currentCorrelationId } from "../../lib/correlation.ts";

export type AuditEntity =
  | "USER"
  | "ACCOUNT"
  | "PORTFOLIO"
  | "STRATEGY"
  | "ORDER"
  | "TRADE"
  | "POSITION"
  | "POLICY"
  | "ALERT"
  | "SCHEDULE"
  | "SCREENER"
  | "CHAT"
  | "OUTBOX"
  | "CASH";

export type AuditAction =
  | "CREATE"
  | "UPDATE"
  | "DELETE"
  | "PLACE"
  | "CANCEL"
  | "REJECT"
  | "EXPIRE"
  | "FILL"
  | "SYNC"
  | "BREACH"
  | "APPROVE"
  | "DEACTIVATE"
  | "REACTIVATE"
  | "PROMOTE"
  | "DEMOTE"
  | "REQUEUE"
  | "CLOSE";

export interface AuditEntry {
  actorId: number | null;
  entityType: AuditEntity;
  entityId?: number | null;
  action: AuditAction;
  details?: Prisma.InputJsonValue;
}

export async function audit(db: DbOrTx, entry: AuditEntry): Promise<void> {
  await db.auditLog.create({
    data: {
      actorId: entry.actorId,
      entityType: entry.entityType,
      entityId: entry.entityId ?? null,
      action: entry.action,
      details: entry.details ?? {},
      correlationId: currentCorrelationId() ?? null,
    },
  });
}
