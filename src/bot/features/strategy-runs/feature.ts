// The strategy-runs feature: what bot.ts installs for it, phase by phase (see ../../feature.ts).
import type { FeatureFactory } from "../../feature.ts";
import { RUN_STRATEGY, runStrategy } from "./strategy-run.ts";
import { registerStrategyRuns, strategyRunsFeature } from "./strategy-runs.ts";

export const feature: FeatureFactory = () => ({
  name: "strategy-runs",
  conversations: [[runStrategy, RUN_STRATEGY]],
  register: registerStrategyRuns,
  handlers: strategyRunsFeature(),
});
