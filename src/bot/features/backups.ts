// src/app.ts (owned by another change) still imports this path: the feature moved to
// features/backups/backups.ts. Drop this file once app.ts names the new path.
export { BotBackupAlerts } from "./backups/backups.ts";
