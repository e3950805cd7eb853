// The buttons under /backup: "bkp:now" takes a backup, "bkp:ls" shows the list again.
import { callbackData } from "../../callback-data.ts";

export const backupNow = callbackData("bkp", "now", {});
export const backupList = callbackData("bkp", "ls", {});
