// The positions feature: what bot.ts installs for it, phase by phase (see ../../feature.ts).
import type { FeatureFactory } from "../../feature.ts";
import { registerPositions } from "./positions.ts";

export const feature: FeatureFactory = () => ({ name: "positions", register: registerPositions });
