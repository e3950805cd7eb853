// The buttons of /schedules: "sch:<action>:<id>:<page>" — pause, resume, run now, delete (asked
// once more: "x" asks, "X" deletes) — and "sch:pg:<page>" back to a page.
import { callbackData } from "../../callback-data.ts";

const listed = { id: "id", page: "id" } as const;
export const schedulesAt = callbackData("sch", "pg", { page: "id" });
export const pauseSchedule = callbackData("sch", "p", listed);
export const resumeSchedule = callbackData("sch", "r", listed);
export const runSchedule = callbackData("sch", "n", listed);
export const deleteScheduleAsk = callbackData("sch", "x", listed);
export const deleteSchedule = callbackData("sch", "X", listed);
