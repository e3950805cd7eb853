// The credentials feature: what bot.ts installs for it, phase by phase (see ../../feature.ts).
import type { FeatureFactory } from "../../feature.ts";
import { ROTATE_KEY, rotateKey } from "./rotate-key.ts";
import { credentialsFeature, registerCredentials } from "./credentials.ts";

export const feature: FeatureFactory = () => ({
  name: "credentials",
  conversations: [[rotateKey, ROTATE_KEY]],
  register: registerCredentials,
  handlers: credentialsFeature(),
});
