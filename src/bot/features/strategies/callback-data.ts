// The step buttons of /strategy new (strategy-new.ts): "sn:k:<kind>" the kind, "sn:v:<index>" one
// of a parameter's answers (its choices, its default or Skip, by position), "sn:c:<yes|no>" save
// or discard. The kind is read as it was before the codec: any word of small letters and "-"
// (the conversation looks it up among the kinds).
import { callbackData, narrowed } from "../../callback-data.ts";

export const newStrategyKind = narrowed(callbackData("sn", "k", { kind: "string" }), (v) =>
  /^[a-z-]+$/.test(v.kind),
);
export const paramAnswer = callbackData("sn", "v", { index: "index" });
export const newStrategyConfirm = callbackData("sn", "c", { answer: ["yes", "no"] });
