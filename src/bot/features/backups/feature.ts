// The backups feature: what bot.ts installs for it, phase by phase (see ../../feature.ts).
import type { FeatureFactory } from "../../feature.ts";
import { backupsFeature, registerBackups } from "./backups.ts";

export const feature: FeatureFactory = () => ({
  name: "backups",
  register: registerBackups,
  handlers: backupsFeature(),
});
