// The daily PnL checkpoints (src/domain/pnl/checkpoints.ts) as a thin tick: hourly, so yesterday's
// checkpoints exist within an hour of UTC midnight whatever the server's own time zone, and the
// ones a late fill deleted are written again within the hour. A run with nothing to write costs
// one query per portfolio.
import type { CheckpointService } from "../domain/pnl/checkpoint-service.ts";
import type { JobSpec } from "./scheduler.ts";

export const CHECKPOINT_CRON = "0 23 * * * *";

export function checkpointJob(checkpoints: CheckpointService): JobSpec {
  return {
    name: "pnl-checkpoints",
    pattern: CHECKPOINT_CRON,
    run: () => checkpoints.writeClosedDays(),
  };
}
