// src/app.ts (owned by another change) still imports this path: the feature moved to
// features/strategies/strategy-notices.ts. Drop this file once app.ts names the new path.
export { BotStrategyNotifier } from "./strategies/strategy-notices.ts";
