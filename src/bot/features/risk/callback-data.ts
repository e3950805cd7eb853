// The buttons of /risk and /userpolicy: "rsk:<op>:<who>:<policy id>:<back>" — op: ed (edit),
// pa (pause), re (resume), dl (delete?), dy (delete!), bk (keep); who: u (one's own policies, back
// = the portfolio shown) or a (an admin on someone's, back = that user's id) — and
// "rsk:new:<who>:<portfolio or user id>" for a new policy.
import { callbackData } from "../../callback-data.ts";

const WHO = ["u", "a"] as const;
const policy = { who: WHO, id: "id", back: "id" } as const;

export const editPolicy = callbackData("rsk", "ed", policy);
export const pausePolicy = callbackData("rsk", "pa", policy);
export const resumePolicy = callbackData("rsk", "re", policy);
export const deletePolicyAsk = callbackData("rsk", "dl", policy);
export const deletePolicy = callbackData("rsk", "dy", policy);
export const keepPolicy = callbackData("rsk", "bk", policy);
export const newPolicy = callbackData("rsk", "new", { who: WHO, target: "id" });
