// src/app.ts (owned by another change) still imports this path: the feature moved to
// features/portfolios/portfolios.ts. Drop this file once app.ts names the new path.
export { BotRetirementNotifier } from "./portfolios/portfolios.ts";
