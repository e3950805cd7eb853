// The buttons of /screeners and of a screener's results: run, delete (asked once more: "dy" yes,
// "dn" no). "sc:run:<id>" is also under the result of /newscreener.
import { callbackData } from "../../callback-data.ts";

export const runScreener = callbackData("sc", "run", { id: "id" });
export const deleteScreener = callbackData("sc", "del", { id: "id" });
export const deleteScreenerYes = callbackData("sc", "dy", { id: "id" });
export const deleteScreenerNo = callbackData("sc", "dn", {});
