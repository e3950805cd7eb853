// src/app.ts (owned by another change) still imports this path: the feature moved to
// features/orders/fill-notifications.ts. Drop this file once app.ts names the new path.
export { registerFillNotifications } from "./orders/fill-notifications.ts";
