// The outbox feature: what bot.ts installs for it, phase by phase (see ../../feature.ts).
import type { FeatureFactory } from "../../feature.ts";
import { outboxFeature, registerOutbox } from "./outbox-admin.ts";

export const feature: FeatureFactory = () => ({
  name: "outbox",
  register: registerOutbox,
  handlers: outboxFeature(),
});
