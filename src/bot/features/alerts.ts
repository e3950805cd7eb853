// src/app.ts (owned by another change) still imports this path: the feature moved to
// features/alerts/alerts.ts. Drop this file once app.ts names the new path.
export { createAlertNotifier } from "./alerts/alerts.ts";
