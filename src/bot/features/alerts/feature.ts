// The alerts feature: what bot.ts installs for it, phase by phase (see ../../feature.ts).
import type { FeatureFactory } from "../../feature.ts";
import { ALERT_NEW, newAlert } from "./alert-new.ts";
import { alertsFeature, registerAlerts } from "./alerts.ts";

export const feature: FeatureFactory = () => ({
  name: "alerts",
  conversations: [[newAlert, ALERT_NEW]],
  register: registerAlerts,
  handlers: alertsFeature(),
});
