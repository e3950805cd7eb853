// Database maintenance and data retention, as thin ticks over their services: maintenance every
// minute (WAL size check; the daily optimize/ANALYZE and the weekly VACUUM decide for themselves
// when they are due), retention hourly (deleting what is past its period is idempotent).
import type { MaintenanceService } from "../domain/maintenance/maintenance-service.ts";
import type { RetentionService } from "../domain/maintenance/retention-service.ts";
import type { JobSpec } from "./scheduler.ts";

export const MAINTENANCE_TICK_CRON = "50 * * * * *";
export const RETENTION_CRON = "0 17 * * * *";

export function maintenanceJob(maintenance: MaintenanceService): JobSpec {
  return { name: "maintenance", pattern: MAINTENANCE_TICK_CRON, run: () => maintenance.tick() };
}

export function retentionJob(retention: RetentionService): JobSpec {
  return { name: "retention", pattern: RETENTION_CRON, run: () => retention.prune() };
}
