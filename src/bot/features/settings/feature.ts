// The settings feature: what bot.ts installs for it, phase by phase (see ../../feature.ts).
import type { FeatureFactory } from "../../feature.ts";
import {
  SETTINGS_TIME_ZONE,
  createSettingsMenu,
  registerSettings,
  settingsTimeZone,
} from "./settings.ts";

export const feature: FeatureFactory = () => {
  const menu = createSettingsMenu();
  return {
    name: "settings",
    conversations: [[settingsTimeZone, SETTINGS_TIME_ZONE]],
    menus: [menu],
    register: (registry) => registerSettings(registry, menu),
  };
};
