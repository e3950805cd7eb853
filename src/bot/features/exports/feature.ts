// The exports feature: what bot.ts installs for it, phase by phase (see ../../feature.ts).
import type { FeatureFactory } from "../../feature.ts";
import { registerExports } from "./exports.ts";

export const feature: FeatureFactory = () => ({ name: "exports", register: registerExports });
