// The buttons of /alerts ("al:<action>:<id>:<offset of the page>": pause, resume, delete asked
// once more, deleted; "al:pg:<offset>" back to a page) and the "pause" under a fired alert
// ("al:np:<id>", in notifications already sent: its format must keep working).
import { callbackData, narrowed } from "../../callback-data.ts";

const listed = { id: "id", offset: "index" } as const;
export const alertsAt = callbackData("al", "pg", { offset: "index" });
export const pauseAlert = callbackData("al", "p", listed);
export const resumeAlert = callbackData("al", "r", listed);
export const deleteAlertAsk = callbackData("al", "d", listed);
export const deleteAlert = callbackData("al", "x", listed);
export const pauseFiredAlert = callbackData("al", "np", { id: "id" });

// The step buttons of /newalert: "na:<step>:<value>", one codec per question. A press is read as
// it was before the codec: any value of letters, digits, "_", ".", "%" and "-".
const choice = (step: string) =>
  narrowed(callbackData("na", step, { value: "string" }), (v) => /^[\w.%-]+$/.test(v.value));
export const newAlertStep = {
  kind: choice("k"),
  interval: choice("i"),
  direction: choice("d"),
  line: choice("m"),
  window: choice("w"),
  band: choice("b"),
  multiplier: choice("x"),
  repeat: choice("o"),
};
export type NewAlertStep = (typeof newAlertStep)[keyof typeof newAlertStep];
