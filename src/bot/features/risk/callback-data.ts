// The buttons of the risk feature. /risk and /userpolicy: "rsk:<op>:<who>:<policy id>:<back>" —
// op: ed (edit), pa (pause), re (resume), dl (delete?), dy (delete!), bk (keep); who: u (one's own
// policies, back = the portfolio shown) or a (an admin on someone's, back = that user's id) — and
// "rsk:new:<who>:<portfolio or user id>" for a new policy.
import { RULE_ACTIONS } from "../../../domain/risk/rules.ts";
import { type CallbackReader, callbackData, oneOf } from "../../callback-data.ts";

const WHO = ["u", "a"] as const;
const policy = { who: WHO, id: "id", back: "id" } as const;

export const editPolicy = callbackData("rsk", "ed", policy);
export const pausePolicy = callbackData("rsk", "pa", policy);
export const resumePolicy = callbackData("rsk", "re", policy);
export const deletePolicyAsk = callbackData("rsk", "dl", policy);
export const deletePolicy = callbackData("rsk", "dy", policy);
export const keepPolicy = callbackData("rsk", "bk", policy);
export const newPolicy = callbackData("rsk", "new", { who: WHO, target: "id" });

// The step buttons of the policy conversation (risk-policy.ts), "rp:<step>[:<answer>]": where the
// policy applies (U:0 the user, P:<portfolio id>, S:<strategy id>), the suggested name, a rule's
// value (a preset, skip or keep, remove, done), the action for it, whether the watch closes
// positions, and save or drop.
export const pickPolicyScope = callbackData("rp", "sc", { scope: ["U", "P", "S"], id: "index" });
export const useSuggestedName = callbackData("rp", "nm", {});
export const presetLimit = callbackData("rp", "v", { limit: "string" });
export const skipRule = callbackData("rp", "skip", {});
export const removeRule = callbackData("rp", "rm", {});
export const rulesDone = callbackData("rp", "done", {});
export const pickRuleAction = callbackData("rp", "a", { action: RULE_ACTIONS });
export const pickClosePositions = callbackData("rp", "cl", { close: ["1", "0"] });
export const savePolicy = callbackData("rp", "save", {});
export const dropPolicy = callbackData("rp", "drop", {});

/** The fixed buttons of one question, read as the step each stands for. */
function steps<S extends string>(
  codecs: Record<S, CallbackReader<unknown>>,
): CallbackReader<{ step: S }> {
  const entries = Object.entries(codecs) as Array<[S, CallbackReader<unknown>]>;
  return {
    unpack(data) {
      const found = entries.find(([, codec]) => codec.unpack(data) !== null);
      return found ? { step: found[0] } : null;
    },
  };
}

/** A rule's question: a preset value (digits and a point, as the presets are written) or a step. */
export const ruleAnswer = oneOf(
  {
    unpack(data: string | undefined) {
      const preset = presetLimit.unpack(data);
      return preset && /^[0-9.]+$/.test(preset.limit) ? preset : null;
    },
  },
  steps({ skip: skipRule, rm: removeRule, done: rulesDone }),
);

/** The summary's question: save or drop. */
export const policyDecision = steps({ save: savePolicy, drop: dropPolicy });
