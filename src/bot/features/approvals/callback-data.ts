// The buttons under an application sent to admins: approve, reject, "yes, reject" and "back"
// ("adm:<action>:<user id>").
import { callbackData } from "../../callback-data.ts";

export const approveUser = callbackData("adm", "ap", { userId: "id" });
export const rejectUser = callbackData("adm", "rj", { userId: "id" });
export const rejectUserConfirmed = callbackData("adm", "rjy", { userId: "id" });
export const backToApplication = callbackData("adm", "bk", { userId: "id" });
