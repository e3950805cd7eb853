// The fallback feature: what bot.ts installs for it, phase by phase (see ../../feature.ts).
import type { FeatureFactory } from "../../feature.ts";
import { fallbackFeature } from "./fallback.ts";

export const feature: FeatureFactory = () => ({ name: "fallback", handlers: fallbackFeature() });
