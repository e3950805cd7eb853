// The buttons of /running and /stop ("srn:<p|r|s|v>:<instance id>": pause, resume, stop, switch to
// the newest version) and of the /run conversation (strategy-run.ts): which strategy
// ("rsn:s:<id>"), which portfolio ("rsn:p:<id>"), and "start it live?" ("rsn:c:<yes|no>").
import { callbackData } from "../../callback-data.ts";

export const RUN_BUTTONS = {
  pause: callbackData("srn", "p", { id: "id" }),
  resume: callbackData("srn", "r", { id: "id" }),
  stop: callbackData("srn", "s", { id: "id" }),
  upgrade: callbackData("srn", "v", { id: "id" }),
};
export type RunAction = keyof typeof RUN_BUTTONS;

export const runPickStrategy = callbackData("rsn", "s", { id: "id" });
export const runPickPortfolio = callbackData("rsn", "p", { id: "id" });
export const runConfirm = callbackData("rsn", "c", { answer: ["yes", "no"] });
