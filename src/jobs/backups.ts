// The backup job: a tick every minute asks the backup service whether a backup is due (the newest
// good one is at least BACKUP_INTERVAL old) and takes it. Deciding by the backups on disk, not
// by the tick's pattern, means a restart neither skips nor doubles a backup. A failure is logged
// by the scheduler; the service has already told the admins.
import type { BackupService } from "../domain/backups/backup-service.ts";
import type { JobSpec } from "./scheduler.ts";

export const BACKUP_TICK_CRON = "40 * * * * *";

export function backupJob(backups: BackupService): JobSpec {
  return { name: "backup", pattern: BACKUP_TICK_CRON, run: () => backups.runIfDue() };
}
