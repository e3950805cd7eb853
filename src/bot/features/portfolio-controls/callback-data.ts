// The confirmation buttons of /close ("cls:ok:<portfolio>:<symbol or *>") and /cancelall
// ("cxa:ok:<portfolio>"), and their "keep" buttons ("cls:no", "cxa:no").
import { callbackData } from "../../callback-data.ts";

export const closeConfirm = callbackData("cls", "ok", { portfolioId: "id", symbol: "string" });
export const closeKeep = callbackData("cls", "no", {});
export const cancelAllConfirm = callbackData("cxa", "ok", { portfolioId: "id" });
export const cancelAllKeep = callbackData("cxa", "no", {});
