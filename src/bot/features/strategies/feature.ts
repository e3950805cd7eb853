// The strategies feature: what bot.ts installs for it, phase by phase (see ../../feature.ts).
import type { FeatureFactory } from "../../feature.ts";
import { NEW_STRATEGY, newStrategy } from "./strategy-new.ts";
import { registerStrategies } from "./strategies.ts";

export const feature: FeatureFactory = () => ({
  name: "strategies",
  conversations: [[newStrategy, NEW_STRATEGY]],
  register: registerStrategies,
});
