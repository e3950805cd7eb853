// The trade-reports feature: what bot.ts installs for it, phase by phase (see ../../feature.ts).
import type { FeatureFactory } from "../../feature.ts";
import { registerTradeReports } from "./trade-reports.ts";

export const feature: FeatureFactory = () => ({
  name: "trade-reports",
  register: registerTradeReports,
});
