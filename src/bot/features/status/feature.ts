// The status feature: what bot.ts installs for it, phase by phase (see ../../feature.ts).
import type { FeatureFactory } from "../../feature.ts";
import { registerStatus } from "./admin-status.ts";

export const feature: FeatureFactory = () => ({ name: "status", register: registerStatus });
