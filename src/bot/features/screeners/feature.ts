// The screeners feature: what bot.ts installs for it, phase by phase (see ../../feature.ts).
import type { FeatureFactory } from "../../feature.ts";
import { SCREENER_NEW, newScreener } from "./screener-new.ts";
import { registerScreeners, screenersFeature } from "./screeners.ts";

export const feature: FeatureFactory = () => ({
  name: "screeners",
  conversations: [[newScreener, SCREENER_NEW]],
  register: registerScreeners,
  handlers: screenersFeature(),
});
