// The risk feature: what bot.ts installs for it, phase by phase (see ../../feature.ts).
import type { FeatureFactory } from "../../feature.ts";
import { NEW_POLICY, policyConversation } from "./risk-policy.ts";
import { riskFeature } from "./risk-buttons.ts";
import { registerRisk } from "./risk-commands.ts";

export const feature: FeatureFactory = (deps) => {
  const riskDeps = { risk: deps.services.risk, policies: deps.services.riskPolicies };
  return {
    name: "risk",
    conversations: [[policyConversation(riskDeps.policies), NEW_POLICY]],
    register: (registry) => registerRisk(registry, riskDeps),
    handlers: riskFeature(riskDeps),
  };
};
