// The approvals feature: what bot.ts installs for it, phase by phase (see ../../feature.ts).
import type { FeatureFactory } from "../../feature.ts";
import { approvalsFeature } from "./approvals.ts";

export const feature: FeatureFactory = () => ({ name: "approvals", handlers: approvalsFeature() });
