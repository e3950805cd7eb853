// The portfolio-controls feature: what bot.ts installs for it, phase by phase (see ../../feature.ts).
import type { FeatureFactory } from "../../feature.ts";
import { portfolioControlsFeature, registerPortfolioControls } from "./portfolio-controls.ts";

export const feature: FeatureFactory = () => ({
  name: "portfolio-controls",
  register: registerPortfolioControls,
  handlers: portfolioControlsFeature(),
});
