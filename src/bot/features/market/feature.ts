// The market feature: what bot.ts installs for it, phase by phase (see ../../feature.ts).
import type { FeatureFactory } from "../../feature.ts";
import { registerMarket } from "./market.ts";

export const feature: FeatureFactory = () => ({ name: "market", register: registerMarket });
