// The admin-users feature: what bot.ts installs for it, phase by phase (see ../../feature.ts).
import type { FeatureFactory } from "../../feature.ts";
import { adminUsersFeature, registerAdminUsers } from "./admin-users.ts";

export const feature: FeatureFactory = () => ({
  name: "admin-users",
  register: registerAdminUsers,
  handlers: adminUsersFeature(),
});
