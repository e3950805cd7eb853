// The chats feature: what bot.ts installs for it, phase by phase (see ../../feature.ts).
import type { FeatureFactory } from "../../feature.ts";
import { chatsFeature, registerChats } from "./chats.ts";

export const feature: FeatureFactory = () => ({
  name: "chats",
  register: registerChats,
  // before the commands: /link in channels has no author for the per-user guard
  beforeCommands: chatsFeature(),
});
