// The start-help feature: what bot.ts installs for it, phase by phase (see ../../feature.ts).
import type { FeatureFactory } from "../../feature.ts";
import { ONBOARDING, onboarding } from "./onboarding.ts";
import { newcomerOnboarding, registerStartHelp } from "./start-help.ts";

export const feature: FeatureFactory = () => ({
  name: "start-help",
  conversations: [[onboarding, ONBOARDING]],
  // after the conversations it may enter, before the commands it goes ahead of
  beforeMenus: newcomerOnboarding(),
  register: registerStartHelp,
});
