// The buttons of /alerts ("al:<action>:<id>:<offset of the page>": pause, resume, delete asked
// once more, deleted; "al:pg:<offset>" back to a page) and the "pause" under a fired alert
// ("al:np:<id>", in notifications already sent: its format must keep working).
import { callbackData } from "../../callback-data.ts";

const listed = { id: "id", offset: "index" } as const;
export const alertsAt = callbackData("al", "pg", { offset: "index" });
export const pauseAlert = callbackData("al", "p", listed);
export const resumeAlert = callbackData("al", "r", listed);
export const deleteAlertAsk = callbackData("al", "d", listed);
export const deleteAlert = callbackData("al", "x", listed);
export const pauseFiredAlert = callbackData("al", "np", { id: "id" });
