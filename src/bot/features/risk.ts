// src/app.ts (owned by another change) still imports this path: the feature moved to
// features/risk/risk.ts. Drop this file once app.ts names the new path.
export { BotRiskNotifier } from "./risk/risk.ts";
