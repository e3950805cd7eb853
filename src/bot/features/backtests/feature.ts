// The backtests feature: what bot.ts installs for it, phase by phase (see ../../feature.ts).
import type { FeatureFactory } from "../../feature.ts";
import { registerBacktests } from "./backtests.ts";

export const feature: FeatureFactory = () => ({ name: "backtests", register: registerBacktests });
