// The schedules feature: what bot.ts installs for it, phase by phase (see ../../feature.ts).
import type { FeatureFactory } from "../../feature.ts";
import { NEW_SCHEDULE, newSchedule } from "./schedule-create.ts";
import { registerSchedules, schedulesFeature } from "./schedules.ts";

export const feature: FeatureFactory = () => ({
  name: "schedules",
  conversations: [[newSchedule, NEW_SCHEDULE]],
  register: registerSchedules,
  handlers: schedulesFeature(),
});
