// The buttons of /rotatekey: the account to rotate ("rk:acc:<id>") and, in the conversation, the
// "no password" answer ("rk:nopass").
import { callbackData } from "../../callback-data.ts";

export const rotateAccount = callbackData("rk", "acc", { accountId: "id" });
export const noPassword = callbackData("rk", "nopass", {});
